package userpool

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// Passkeys (WebAuthn credentials), as Cognito offers them: a signed-in
// user registers one with StartWebAuthnRegistration and
// CompleteWebAuthnRegistration, and signs in with it as the WEB_AUTHN
// first factor of choice-based sign-in. The pool keeps the credentials on
// the user and each ceremony's state in the store; verifying what the
// browser sends is the job of a PasskeyCeremonies, which package passkey
// provides (on go-webauthn), so that this package's imports stay few.

// PasskeyCeremonies runs the WebAuthn ceremonies of a pool's passkeys.
// Options are the publicKey member of the browser's
// navigator.credentials.create or get, as JSON; state is whatever the
// implementation needs to finish the ceremony, which the pool keeps for
// it; responses are the browser's PublicKeyCredential, as JSON.
type PasskeyCeremonies interface {
	// BeginRegistration starts registering a new passkey for u (whose
	// Passkeys are excluded).
	BeginRegistration(u PasskeyUser) (options, state []byte, err error)
	// FinishRegistration verifies a registration response and returns
	// the new credential (ID and Data set).
	FinishRegistration(u PasskeyUser, state, response []byte) (storage.Passkey, error)
	// BeginLogin starts an assertion by one of u's passkeys.
	BeginLogin(u PasskeyUser) (options, state []byte, err error)
	// FinishLogin verifies an assertion response and returns the
	// credential it used, with its Data brought up to date (the sign
	// count).
	FinishLogin(u PasskeyUser, state, response []byte) (storage.Passkey, error)
}

// PasskeyUser is the user of a ceremony, as WebAuthn names one.
type PasskeyUser struct {
	// ID is the user handle: the user's sub.
	ID          []byte
	Name        string
	DisplayName string
	Passkeys    []storage.Passkey
	// RelyingPartyID and UserVerification are the pool's
	// (Config.WebAuthn); empty means the implementation's defaults.
	RelyingPartyID   string
	UserVerification string
}

// WebAuthnConfig is Cognito's WebAuthnConfiguration of a pool: the
// relying party its passkeys are bound to, and whether authenticators
// must verify the user.
type WebAuthnConfig struct {
	// RelyingPartyID is the site's domain (1 to 127 characters); its
	// https origin must be among those the PasskeyCeremonies accept.
	RelyingPartyID string `json:"relyingPartyId,omitempty"`
	// UserVerification is "required" or "preferred".
	UserVerification string `json:"userVerification,omitempty"`
}

// WithWebAuthnConfiguration sets the pool's passkey relying party and user
// verification, for a program whose PasskeyCeremonies serves several
// sites (as userpoold's does); passkey.New's Config is the default.
func WithWebAuthnConfiguration(c WebAuthnConfig) Option {
	return func(o *options) {
		o.cfg.WebAuthn = c
		o.set("WebAuthn", "WithWebAuthnConfiguration")
	}
}

// webAuthn validates Config.WebAuthn.
func (v *validator) webAuthn() {
	c := v.o.cfg.WebAuthn
	if n := len(c.RelyingPartyID); n > 127 {
		v.fail("WebAuthn.RelyingPartyID", "a relying party id has 1 to 127 characters")
	}
	switch c.UserVerification {
	case "", "required", "preferred":
	default:
		v.fail("WebAuthn.UserVerification", "%q is not required or preferred", c.UserVerification)
	}
}

// WithPasskeys lets users register passkeys and, when
// AllowedFirstAuthFactors includes FirstFactorWebAuthn, sign in with them.
func WithPasskeys(c PasskeyCeremonies) Option {
	return func(o *options) { o.passkeys = c }
}

// FirstFactorWebAuthn is the passkey first factor of choice-based
// sign-in, and ChallengeWebAuthn its challenge (CREDENTIAL_REQUEST_OPTIONS
// in, CREDENTIAL out).
const (
	FirstFactorWebAuthn = "WEB_AUTHN"
	ChallengeWebAuthn   = "WEB_AUTHN"
)

// maxPasskeys is the number of passkeys a user may register.
const maxPasskeys = 20

// registrationLifetime bounds a registration ceremony.
const registrationLifetime = 5 * time.Minute

var errPasskeysOff = ErrWebAuthnNotEnabled.With("Passkeys are not enabled for this user pool.")

// passkeyUser is u as a ceremony sees it.
func passkeyUser(u storage.User) PasskeyUser {
	name := u.Attributes["email"]
	if name == "" {
		name = u.Username
	}
	display := u.Attributes["name"]
	if display == "" {
		display = name
	}
	return PasskeyUser{ID: []byte(u.Sub), Name: name, DisplayName: display, Passkeys: u.Passkeys}
}

// passkeyUserOf is passkeyUser with the pool's relying party.
func (p *Pool) passkeyUserOf(u storage.User) PasskeyUser {
	pu := passkeyUser(u)
	pu.RelyingPartyID, pu.UserVerification = p.cfg.WebAuthn.RelyingPartyID, p.cfg.WebAuthn.UserVerification
	return pu
}

// registrationSession is the store key of a registration ceremony: the
// user and the ceremony's challenge, which the browser's response carries
// back in its client data, so a user may have several ceremonies open.
func registrationSession(sub, challenge string) string {
	sum := sha256.Sum256([]byte("webauthn registration\x00" + sub + "\x00" + challenge))
	return hex.EncodeToString(sum[:])
}

// StartWebAuthnRegistration starts registering a passkey for the token's
// owner, mirroring Cognito's StartWebAuthnRegistration: it returns the
// credential creation options for navigator.credentials.create. The
// ceremony lasts five minutes. Errors: WebAuthnNotEnabled without
// [WithPasskeys]; LimitExceeded for a user with 20 passkeys; the
// access-token errors of [Pool.GetUser].
func (p *Pool) StartWebAuthnRegistration(ctx context.Context, accessToken string) (json.RawMessage, error) {
	if p.passkeys == nil {
		return nil, errPasskeysOff
	}
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	if len(u.Passkeys) >= maxPasskeys {
		return nil, ErrLimitExceeded.With("A user can register at most %d passkeys.", maxPasskeys)
	}
	options, state, err := p.passkeys.BeginRegistration(p.passkeyUserOf(u))
	if err != nil {
		return nil, p.internal("start a passkey registration", err)
	}
	var o struct {
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(options, &o); err != nil || o.Challenge == "" {
		return nil, p.internal("start a passkey registration", errors.New("the options have no challenge"))
	}
	err = p.store.PutSession(ctx, storage.Session{PoolID: p.id, ID: registrationSession(u.Sub, o.Challenge),
		Data: state, ExpiresAt: p.now().Add(registrationLifetime)})
	if err != nil {
		return nil, p.internal("store a passkey registration", err)
	}
	return options, nil
}

// CompleteWebAuthnRegistration verifies the browser's response to
// [Pool.StartWebAuthnRegistration] and adds the passkey to the token's
// owner, mirroring Cognito's CompleteWebAuthnRegistration. Errors:
// WebAuthnChallengeNotFound when no ceremony of the user matches the
// response (expired, already completed, another user's);
// WebAuthnCredentialNotSupported when the response does not verify;
// InvalidParameter for a malformed response.
func (p *Pool) CompleteWebAuthnRegistration(ctx context.Context, accessToken string, credential json.RawMessage) error {
	if p.passkeys == nil {
		return errPasskeysOff
	}
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	challenge, err := responseChallenge(credential)
	if err != nil {
		return err
	}
	rec, err := p.store.TakeSession(ctx, p.id, registrationSession(u.Sub, challenge), p.now())
	if isNotFound(err) {
		return ErrWebAuthnChallengeNotFound.With("The passkey registration was not found or has expired; start it again.")
	}
	if err != nil {
		return p.internal("read a passkey registration", err)
	}
	pk, err := p.passkeys.FinishRegistration(p.passkeyUserOf(u), rec.Data, credential)
	if err != nil {
		return ErrWebAuthnCredentialNotSupported.Wrap(err, "The passkey could not be verified.")
	}
	pk.Name = cmp.Or(pk.Name, "Passkey")
	pk.CreatedAt = p.now()
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if slices.ContainsFunc(u.Passkeys, func(o storage.Passkey) bool { return string(o.ID) == string(pk.ID) }) {
			return nil, ErrWebAuthnCredentialNotSupported.With("This passkey is registered already.")
		}
		if len(u.Passkeys) >= maxPasskeys {
			return nil, ErrLimitExceeded.With("A user can register at most %d passkeys.", maxPasskeys)
		}
		u.Passkeys = append(u.Passkeys, pk)
		return nil, nil
	})
	return err
}

// responseChallenge reads the challenge of a WebAuthn response from its
// client data: {"response": {"clientDataJSON": base64url of
// {"challenge": ...}}}. Only the routing needs it; the verifier checks it.
func responseChallenge(credential []byte) (string, error) {
	malformed := ErrInvalidParameter.With("The credential is not a WebAuthn response.")
	if len(credential) > 64<<10 {
		return "", malformed
	}
	var r struct {
		Response struct {
			ClientDataJSON string `json:"clientDataJSON"`
		} `json:"response"`
	}
	if err := json.Unmarshal(credential, &r); err != nil {
		return "", malformed
	}
	raw, err := base64.RawURLEncoding.DecodeString(r.Response.ClientDataJSON)
	if err != nil {
		return "", malformed
	}
	var cd struct {
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(raw, &cd); err != nil || cd.Challenge == "" {
		return "", malformed
	}
	return cd.Challenge, nil
}

// WebAuthnCredential describes one of a user's passkeys, as Cognito's
// ListWebAuthnCredentials does.
type WebAuthnCredential struct {
	// CredentialID is the credential id, base64url without padding.
	CredentialID           string
	FriendlyCredentialName string
	CreatedAt              time.Time
	LastUsedAt             time.Time
}

// ListWebAuthnCredentials returns the token owner's passkeys in
// registration order, mirroring Cognito's ListWebAuthnCredentials (a
// user has at most 20, so there is one page).
func (p *Pool) ListWebAuthnCredentials(ctx context.Context, accessToken string) ([]WebAuthnCredential, error) {
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return nil, err
	}
	out := make([]WebAuthnCredential, len(u.Passkeys))
	for i, pk := range u.Passkeys {
		out[i] = WebAuthnCredential{CredentialID: pk.CredentialID(),
			FriendlyCredentialName: pk.Name, CreatedAt: pk.CreatedAt, LastUsedAt: pk.LastUsedAt}
	}
	return out, nil
}

// DeleteWebAuthnCredential removes one of the token owner's passkeys,
// mirroring Cognito's DeleteWebAuthnCredential: it can no longer sign in.
// ResourceNotFound when the user has no passkey with that id.
func (p *Pool) DeleteWebAuthnCredential(ctx context.Context, accessToken, credentialID string) error {
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	id, err := base64.RawURLEncoding.DecodeString(credentialID)
	if err != nil {
		return ErrResourceNotFound.With("Credential not found.")
	}
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		i := slices.IndexFunc(u.Passkeys, func(o storage.Passkey) bool { return string(o.ID) == string(id) })
		if i < 0 {
			return nil, ErrResourceNotFound.With("Credential not found.")
		}
		u.Passkeys = slices.Delete(u.Passkeys, i, i+1)
		return nil, nil
	})
	return err
}
