package userpool

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// Pool is a user pool: a directory of users with sign-up, sign-in, MFA,
// recovery, groups and tokens, configured by options and kept in a store.
// A Pool is safe for concurrent use. Several Pools (in one process or many)
// may serve the same pool id from a shared store: all state lives in the
// store.
type Pool struct {
	id        string
	arn       string
	createdAt time.Time

	cfg    Config
	schema schema

	store    storage.Store
	sender   Sender
	triggers Triggers
	now      func() time.Time
	random   io.Reader
	log      *slog.Logger

	secretKey   []byte
	hashing     PasswordHashing
	compromised CompromisedPasswordChecker
	passkeys    PasskeyCeremonies
	passwords   *passwordHasher
	sealer      *sealer
	tokens      *tokenState

	poolSecret []byte
	keys       sync.Map // purpose -> derived key, see derivedKey
}

// New returns the pool named name, creating it in the store if it is not
// there yet. Its id is derived from the region and name (or given by
// [WithPoolID]), so a program that calls New with the same options at every
// start gets the same pool, users and id back.
//
// New applies the defaults, then opts in order, then validates the whole
// configuration and returns one error listing every problem with the
// option it came from. Settings Cognito fixes at creation (sign-in
// attributes, case sensitivity, required attributes, custom attributes)
// cannot change on an existing pool; other settings are updated in the
// store.
func New(ctx context.Context, name string, opts ...Option) (*Pool, error) {
	o := defaultOptions(name)
	for _, opt := range opts {
		opt(&o)
	}
	o.wire()
	if err := o.validate(); err != nil {
		return nil, err
	}
	id := o.poolID
	if id == "" {
		id = derivePoolID(o.cfg.Region, o.cfg.Name)
	}
	p := newPool(id, o)
	if err := p.persist(ctx); err != nil {
		return nil, err
	}
	if err := p.createDeclaredClients(ctx); err != nil {
		return nil, err
	}
	return p, nil
}

// Open returns the pool with the given id as it was persisted in store (by
// New or by a server creating pools from requests). Options supply the
// runtime wiring (sender, triggers, clock, logger, secret key); options
// that change settings apply on top of the stored configuration and are
// persisted as in New.
func Open(ctx context.Context, store storage.Store, poolID string, opts ...Option) (*Pool, error) {
	rec, err := store.GetPool(ctx, poolID)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrResourceNotFound.With("User pool %s does not exist.", poolID)
	}
	if err != nil {
		return nil, fmt.Errorf("userpool: open %s: %w", poolID, err)
	}
	var cfg Config
	if err := json.Unmarshal(rec.Settings, &cfg); err != nil {
		return nil, fmt.Errorf("userpool: open %s: stored settings: %w", poolID, err)
	}
	all := append([]Option{WithConfig(cfg), WithStore(store), WithPoolID(poolID)}, opts...)
	return New(ctx, cfg.Name, all...)
}

// defaultOptions returns Cognito's defaults for a pool named name, with the
// console's choices where the console and the API differ (case-insensitive
// user names).
func defaultOptions(name string) options {
	attrs := make([]AttributeSchema, len(standardAttributes))
	copy(attrs, standardAttributes)
	return options{
		cfg: Config{
			Name:           name,
			Region:         "us-east-1",
			AccountID:      "000000000000",
			Attributes:     attrs,
			PasswordPolicy: DefaultPasswordPolicy(),
			InviteMessage: InviteMessage{
				SMSMessage:   "Your username is {username} and temporary password is {####}. ",
				EmailSubject: "Your temporary password",
				EmailMessage: "Your username is {username} and temporary password is {####}. ",
			},
			MFA: MFAConfig{
				Mode:         MFAOff,
				SMSMessage:   "Your authentication code is {####}. ",
				EmailSubject: "Your sign-in code",
				EmailMessage: "Your authentication code is {####}. ",
			},
			AccountRecovery:        []RecoveryMechanism{RecoveryVerifiedEmail, RecoveryVerifiedPhone},
			KeepOriginalAttributes: []string{"email", "phone_number"},
			Verification: VerificationMessage{
				DefaultEmailOption: ConfirmWithCode,
				SMSMessage:         "Your verification code is {####}. ",
				EmailSubject:       "Your verification code",
				EmailMessage:       "Your verification code is {####}. ",
				EmailSubjectByLink: "Your verification link",
				EmailMessageByLink: "Please click the link below to verify your email address. {##Verify Email##} ",
			},
			Devices: DeviceConfig{Mode: DevicesOff},
			SRP:     true,
		},
		hashing: DefaultPasswordHashing(),
	}
}

// wire fills the runtime defaults the options left unset.
func (o *options) wire() {
	if o.store == nil {
		o.store = memory.New()
	}
	if o.clock == nil {
		o.clock = time.Now
	}
	if o.random == nil {
		o.random = rand.Reader
	}
	o.random = safeRandom(o.random)
	if o.logger == nil {
		o.logger = slog.Default()
	}
	if o.sender == nil {
		o.sender = NewLogSender(o.logger, false)
	}
}

func newPool(id string, o options) *Pool {
	return &Pool{
		id:          id,
		arn:         fmt.Sprintf("arn:aws:cognito-idp:%s:%s:userpool/%s", o.cfg.Region, o.cfg.AccountID, id),
		cfg:         o.cfg,
		schema:      newSchema(o.cfg.Attributes),
		store:       o.store,
		sender:      o.sender,
		triggers:    o.triggers,
		now:         o.clock,
		random:      o.random,
		log:         o.logger.With("pool", id),
		secretKey:   o.secretKey,
		hashing:     o.hashing,
		compromised: o.compromised,
		passkeys:    o.passkeys,
		passwords:   newPasswordHasher(o.hashing, o.secretKey, o.random),
		sealer:      newSealer(o.secretKey, o.random),
		tokens:      newTokenState(o),
	}
}

// persist stores the pool's settings: creating the pool record if absent,
// refusing changes to settings fixed at creation, and updating the rest.
// Two instances starting at once both succeed: the loser of the creation
// race reads the winner's record.
func (p *Pool) persist(ctx context.Context) error {
	settings, err := json.Marshal(p.cfg)
	if err != nil {
		return fmt.Errorf("userpool: encode settings: %w", err)
	}
	for {
		rec, err := p.store.GetPool(ctx, p.id)
		if errors.Is(err, storage.ErrNotFound) {
			now := p.now()
			secret, err := p.newPoolSecret()
			if err != nil {
				return err
			}
			err = p.store.CreatePool(ctx, storage.Pool{ID: p.id, Name: p.cfg.Name, Settings: settings, Secret: secret, CreatedAt: now, UpdatedAt: now})
			if errors.Is(err, storage.ErrConflict) {
				continue
			}
			if err != nil {
				return fmt.Errorf("userpool: create pool %s: %w", p.id, err)
			}
			p.createdAt, p.poolSecret = now, secret
			return nil
		}
		if err != nil {
			return fmt.Errorf("userpool: load pool %s: %w", p.id, err)
		}
		p.createdAt = rec.CreatedAt
		var stored Config
		if err := json.Unmarshal(rec.Settings, &stored); err != nil {
			return fmt.Errorf("userpool: pool %s: stored settings: %w", p.id, err)
		}
		if err := checkFixedSettings(stored, p.cfg); err != nil {
			return err
		}
		// Resource servers created at run time are kept (resource_servers.go).
		if settings, err = p.withStoredResourceServers(stored); err != nil {
			return err
		}
		p.poolSecret = rec.Secret
		if string(rec.Settings) == string(settings) && len(rec.Secret) > 0 {
			return nil
		}
		if len(rec.Secret) == 0 {
			// A record made by another writer than New: give it its secret.
			if rec.Secret, err = p.newPoolSecret(); err != nil {
				return err
			}
		}
		rec.Name, rec.Settings, rec.UpdatedAt = p.cfg.Name, settings, p.now()
		err = p.store.UpdatePool(ctx, rec)
		if errors.Is(err, storage.ErrConflict) {
			continue
		}
		if err != nil {
			return fmt.Errorf("userpool: update pool %s: %w", p.id, err)
		}
		p.poolSecret = rec.Secret
		return nil
	}
}

// ID returns the pool's id, <region>_<9 alphanumerics>.
func (p *Pool) ID() string { return p.id }

// ARN returns the pool's Amazon Resource Name.
func (p *Pool) ARN() string { return p.arn }

// Config returns a copy of the pool's configuration.
func (p *Pool) Config() Config { return p.cfg.clone() }

// Store returns the store the pool keeps its records in.
func (p *Pool) Store() storage.Store { return p.store }

const alphanumerics = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// derivePoolID returns <region>_<9 alphanumerics> taken from a hash of the
// region and name, so the same name gives the same id at every start and
// two instances creating the pool at once agree on its id.
func derivePoolID(region, name string) string {
	sum := sha256.Sum256([]byte("userpool id\x00" + region + "\x00" + name))
	n := new(big.Int).SetBytes(sum[:])
	base := big.NewInt(int64(len(alphanumerics)))
	suffix := make([]byte, 9)
	for i := range suffix {
		var r big.Int
		n.DivMod(n, base, &r)
		suffix[i] = alphanumerics[r.Int64()]
	}
	return region + "_" + string(suffix)
}

// NewPoolID returns a random pool id for region, for servers that create
// many pools of possibly equal names.
func NewPoolID(region string, random io.Reader) (string, error) {
	if random == nil {
		random = rand.Reader
	}
	suffix := make([]byte, 9)
	for i := range suffix {
		n, err := rand.Int(random, big.NewInt(int64(len(alphanumerics))))
		if err != nil {
			return "", fmt.Errorf("userpool: pool id: %w", err)
		}
		suffix[i] = alphanumerics[n.Int64()]
	}
	return region + "_" + string(suffix), nil
}
