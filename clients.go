package userpool

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// ClientConfig is an app client: an application allowed to sign users in.
// Zero fields take Cognito's defaults when the client is created.
type ClientConfig struct {
	// Name is the client's name, 1 to 128 characters.
	Name string `json:"name"`
	// ID is the client id; generated (26 lower-case alphanumerics) if empty.
	ID string `json:"id,omitempty"`
	// GenerateSecret gives the client a secret; requests must then carry
	// SECRET_HASH.
	GenerateSecret bool `json:"generateSecret"`
	// AuthFlows are the flows the client may use. Empty means
	// ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH.
	AuthFlows []AuthFlow `json:"authFlows,omitempty"`
	// AccessTokenValidity and IDTokenValidity: 5 minutes to 1 day, 1 hour
	// by default. RefreshTokenValidity: 1 hour to 3650 days, 30 days by
	// default. AuthSessionValidity (the lifetime of challenge sessions):
	// 3 to 15 minutes, 3 by default.
	AccessTokenValidity  time.Duration `json:"accessTokenValidity,omitempty"`
	IDTokenValidity      time.Duration `json:"idTokenValidity,omitempty"`
	RefreshTokenValidity time.Duration `json:"refreshTokenValidity,omitempty"`
	AuthSessionValidity  time.Duration `json:"authSessionValidity,omitempty"`
	// ReadAttributes and WriteAttributes limit what the client may read
	// and write with an access token. Empty means every standard
	// attribute (and, for reading, the verified flags).
	ReadAttributes  []string `json:"readAttributes,omitempty"`
	WriteAttributes []string `json:"writeAttributes,omitempty"`
	// PreventUserExistenceErrors answers an unknown user as a wrong
	// password, so callers cannot probe which users exist.
	PreventUserExistenceErrors bool `json:"preventUserExistenceErrors"`
	// EnableTokenRevocation allows RevokeToken and makes revoked refresh
	// tokens' access tokens fail verification. On by default.
	EnableTokenRevocation *bool `json:"enableTokenRevocation,omitempty"`
	// RefreshTokenRotation issues a new refresh token on every refresh and
	// revokes the family when an old one is reused.
	RefreshTokenRotation bool `json:"refreshTokenRotation"`

	// OAuth settings, used by the managed login pages.
	CallbackURLs       []string `json:"callbackUrls,omitempty"`
	LogoutURLs         []string `json:"logoutUrls,omitempty"`
	DefaultRedirectURI string   `json:"defaultRedirectUri,omitempty"`
	AllowedOAuthFlows  []string `json:"allowedOAuthFlows,omitempty"`
	AllowedOAuthScopes []string `json:"allowedOAuthScopes,omitempty"`
}

var validFlows = []AuthFlow{FlowUserSRP, FlowUserPassword, FlowAdminUserPassword, FlowCustom, FlowRefreshToken, FlowUserAuth}

// client checks one app client's settings against Cognito's limits.
// field is the client's path in the configuration ("Clients.web"), or ""
// for a client given to CreateClient or UpdateClient, whose settings are
// then named as ClientConfig names them.
func (v *validator) client(field string, index int, c ClientConfig) {
	nameField, sub := field, func(s string) string { return field + "." + s }
	if field == "" {
		nameField, sub = "ClientName", func(s string) string { return s }
	}
	if n := utf8.RuneCountInString(c.Name); n < 1 || n > 128 {
		v.fail(nameField, "client name must be 1 to 128 characters")
	}
	for _, other := range v.o.cfg.Clients[:index] {
		if other.Name == c.Name {
			v.fail(nameField, "two clients are named %q", c.Name)
		}
	}
	for _, f := range c.AuthFlows {
		if !slices.Contains(validFlows, f) {
			v.fail(sub("AuthFlows"), "%q is not an auth flow", f)
		}
	}
	if len(c.AuthFlows) > 0 && !slices.Contains(c.AuthFlows, FlowRefreshToken) {
		v.fail(sub("AuthFlows"), "REFRESH_TOKEN_AUTH should always be allowed.")
	}
	within := func(name string, d, min, max time.Duration) {
		if d != 0 && (d < min || d > max) {
			v.fail(sub(name), "%s is outside %s to %s", d, min, max)
		}
	}
	within("AccessTokenValidity", c.AccessTokenValidity, 5*time.Minute, 24*time.Hour)
	within("IDTokenValidity", c.IDTokenValidity, 5*time.Minute, 24*time.Hour)
	within("RefreshTokenValidity", c.RefreshTokenValidity, time.Hour, 3650*24*time.Hour)
	within("AuthSessionValidity", c.AuthSessionValidity, 3*time.Minute, 15*time.Minute)
	known := newSchema(v.o.cfg.Attributes)
	for _, a := range c.ReadAttributes {
		if _, ok := known[a]; !ok {
			v.fail(sub("ReadAttributes"), "%q is not an attribute of the pool", a)
		}
	}
	for _, a := range c.WriteAttributes {
		if _, ok := known[a]; !ok || a == "sub" || isVerifiedFlag(a) {
			v.fail(sub("WriteAttributes"), "Invalid write attributes specified while creating a client: %s", a)
		}
	}
	if len(c.WriteAttributes) > 0 {
		for _, a := range v.o.cfg.Attributes {
			if a.Required && a.Name != "sub" && !slices.Contains(c.WriteAttributes, a.Name) {
				v.fail(sub("WriteAttributes"), "required attribute %s must be writable", a.Name)
			}
		}
	}
}

// Client is an app client as CreateUserPoolClient and
// DescribeUserPoolClient return it: its configuration with Cognito's
// defaults filled in, and the generated id and secret.
type Client struct {
	ClientConfig
	PoolID string
	// Secret is the client secret, or "" for a public client. Requests of
	// a client with a secret carry SECRET_HASH (see [SecretHash]).
	Secret         string
	CreatedAt      time.Time
	LastModifiedAt time.Time
}

// ClientSummary is one client of ListUserPoolClients.
type ClientSummary struct {
	ID     string
	Name   string
	PoolID string
}

// ClientList is one page of ListClients; NextToken is "" on the last page.
type ClientList struct {
	Clients   []ClientSummary
	NextToken string
}

// Cognito's defaults for clients created without these settings.
const (
	defaultAccessValidity  = time.Hour
	defaultIDValidity      = time.Hour
	defaultRefreshValidity = 30 * 24 * time.Hour
	defaultSessionValidity = 3 * time.Minute
	// maxTokenValidity is the longest an ID or access token can live, so
	// the longest anything about one must be remembered (retired keys,
	// revoked origins).
	maxTokenValidity = 24 * time.Hour
)

var defaultFlows = []AuthFlow{FlowRefreshToken, FlowUserSRP, FlowCustom}

var (
	clientIDPattern   = regexp.MustCompile(`^[\w+]{1,128}$`)
	clientNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
)

const (
	clientIDLen     = 26
	clientSecretLen = 51
	base36          = "0123456789abcdefghijklmnopqrstuvwxyz"
)

// Allows reports whether the client may use flow.
func (c Client) Allows(flow AuthFlow) bool { return slices.Contains(c.AuthFlows, flow) }

// RevocationEnabled reports whether RevokeToken works for the client's
// refresh tokens and its tokens carry origin_jti.
func (c Client) RevocationEnabled() bool {
	return c.EnableTokenRevocation == nil || *c.EnableTokenRevocation
}

// clone returns a deep copy, so a cached client is never shared with a
// caller.
func (c Client) clone() Client {
	c.ClientConfig = c.ClientConfig.clone()
	return c
}

// clone returns a deep copy of the client's settings.
func (c ClientConfig) clone() ClientConfig {
	d := c
	d.AuthFlows = slices.Clone(c.AuthFlows)
	d.ReadAttributes = slices.Clone(c.ReadAttributes)
	d.WriteAttributes = slices.Clone(c.WriteAttributes)
	d.CallbackURLs = slices.Clone(c.CallbackURLs)
	d.LogoutURLs = slices.Clone(c.LogoutURLs)
	d.AllowedOAuthFlows = slices.Clone(c.AllowedOAuthFlows)
	d.AllowedOAuthScopes = slices.Clone(c.AllowedOAuthScopes)
	if c.EnableTokenRevocation != nil {
		d.EnableTokenRevocation = new(*c.EnableTokenRevocation)
	}
	return d
}

// withDefaults fills the zero settings with Cognito's defaults.
func (c ClientConfig) withDefaults() ClientConfig {
	if len(c.AuthFlows) == 0 {
		c.AuthFlows = slices.Clone(defaultFlows)
	}
	c.AccessTokenValidity = cmp.Or(c.AccessTokenValidity, defaultAccessValidity)
	c.IDTokenValidity = cmp.Or(c.IDTokenValidity, defaultIDValidity)
	c.RefreshTokenValidity = cmp.Or(c.RefreshTokenValidity, defaultRefreshValidity)
	c.AuthSessionValidity = cmp.Or(c.AuthSessionValidity, defaultSessionValidity)
	if c.EnableTokenRevocation == nil {
		c.EnableTokenRevocation = new(true)
	}
	return c
}

// checkClientConfig validates a client given to CreateClient or
// UpdateClient with the checks New applies to declared clients, and
// returns InvalidParameter naming every problem.
func (p *Pool) checkClientConfig(c ClientConfig) error {
	v := &validator{o: &options{cfg: p.cfg}}
	v.client("", 0, c)
	if c.Name != "" && !clientNamePattern.MatchString(c.Name) {
		v.fail("ClientName", "client name %q must be letters, digits, spaces or + = , . @ -", c.Name)
	}
	if c.ID != "" && !clientIDPattern.MatchString(c.ID) {
		v.fail("ClientId", "client id must be 1 to 128 letters, digits, _ or +")
	}
	if len(c.CallbackURLs) > 100 || len(c.LogoutURLs) > 100 {
		v.fail("CallbackURLs", "at most 100 callback and 100 logout URLs")
	}
	if len(c.AllowedOAuthScopes) > 50 {
		v.fail("AllowedOAuthScopes", "at most 50 scopes")
	}
	if len(v.problems) == 0 {
		return nil
	}
	msgs := make([]string, len(v.problems))
	for i, pr := range v.problems {
		msgs[i] = pr.Field + ": " + pr.Message
	}
	return ErrInvalidParameter.With("%s", strings.Join(msgs, "; "))
}

// storedClient is what storage.Client.Settings holds: the configuration
// and the secret, sealed with the pool's secret key when it has one
// (Describe must return the secret, so it cannot be kept as a hash).
type storedClient struct {
	Config ClientConfig `json:"config"`
	Secret []byte       `json:"secret,omitempty"`
}

const sealClientSecret = "client secret"

func (p *Pool) encodeClient(c Client) ([]byte, error) {
	sc := storedClient{Config: c.ClientConfig}
	if c.Secret != "" {
		sealed, err := p.sealer.seal(sealClientSecret, []byte(c.Secret))
		if err != nil {
			return nil, err
		}
		sc.Secret = sealed
	}
	return json.Marshal(sc)
}

func (p *Pool) decodeClient(rec storage.Client) (Client, error) {
	var sc storedClient
	if err := json.Unmarshal(rec.Settings, &sc); err != nil {
		return Client{}, fmt.Errorf("userpool: client %s: stored settings: %w", rec.ID, err)
	}
	c := Client{ClientConfig: sc.Config, PoolID: rec.PoolID, CreatedAt: rec.CreatedAt, LastModifiedAt: rec.UpdatedAt}
	c.ID, c.Name = rec.ID, rec.Name
	if len(sc.Secret) > 0 {
		secret, err := p.sealer.open(sealClientSecret, sc.Secret)
		if err != nil {
			return Client{}, fmt.Errorf("userpool: client %s: secret: %w", rec.ID, err)
		}
		c.Secret = string(secret)
	}
	return c, nil
}

// randomString returns n characters drawn uniformly from alphabet (at
// most 256 characters) with the pool's random source.
func (p *Pool) randomString(n int, alphabet string) (string, error) {
	src := uniformSource{r: p.random}
	out := make([]byte, n)
	for i := range out {
		j, err := src.intn(len(alphabet))
		if err != nil {
			return "", err
		}
		out[i] = alphabet[j]
	}
	return string(out), nil
}

// CreateClient creates an app client, mirroring CreateUserPoolClient. The
// id is generated (26 lower-case letters and digits) unless cfg.ID is set;
// with cfg.GenerateSecret the client gets a 51-character secret. Zero
// settings take Cognito's defaults. Errors: InvalidParameter for settings
// outside Cognito's limits or a taken cfg.ID.
func (p *Pool) CreateClient(ctx context.Context, cfg ClientConfig) (Client, error) {
	if err := p.checkClientConfig(cfg); err != nil {
		return Client{}, err
	}
	return p.createClient(ctx, cfg.withDefaults(), cfg.ID == "")
}

// createClient stores a checked configuration, generating the id when
// asked (retrying on the unlikely collision) and the secret.
func (p *Pool) createClient(ctx context.Context, cfg ClientConfig, generateID bool) (Client, error) {
	now := p.now()
	c := Client{ClientConfig: cfg, PoolID: p.id, CreatedAt: now, LastModifiedAt: now}
	if cfg.GenerateSecret {
		secret, err := p.randomString(clientSecretLen, base36)
		if err != nil {
			return Client{}, p.internal("generate a client secret", err)
		}
		c.Secret = secret
	}
	for range 3 {
		if generateID {
			id, err := p.randomString(clientIDLen, base36)
			if err != nil {
				return Client{}, p.internal("generate a client id", err)
			}
			c.ID = id
		}
		settings, err := p.encodeClient(c)
		if err != nil {
			return Client{}, p.internal("store a client", err)
		}
		err = p.store.CreateClient(ctx, storage.Client{PoolID: p.id, ID: c.ID, Name: c.Name, Settings: settings, CreatedAt: now, UpdatedAt: now})
		switch {
		case err == nil:
			p.tokens.clients.put(c, now)
			return c.clone(), nil
		case errors.Is(err, storage.ErrConflict) && !generateID:
			return Client{}, ErrInvalidParameter.With("Client id %s already exists in the user pool.", c.ID)
		case errors.Is(err, storage.ErrNotFound):
			return Client{}, ErrResourceNotFound.With("User pool %s does not exist.", p.id)
		case !errors.Is(err, storage.ErrConflict):
			return Client{}, p.internal("store a client", err)
		}
	}
	return Client{}, p.internal("store a client", errors.New("userpool: generated client ids keep colliding"))
}

// DescribeClient returns an app client with its secret, mirroring
// DescribeUserPoolClient. An unknown id gives ResourceNotFound.
func (p *Pool) DescribeClient(ctx context.Context, clientID string) (Client, error) {
	c, err := p.loadClient(ctx, clientID)
	if err != nil {
		return Client{}, err
	}
	return c.clone(), nil
}

// UpdateClient replaces an app client's settings, mirroring
// UpdateUserPoolClient: cfg.ID names the client and every omitted setting
// returns to its default, as in Cognito. The id, the secret and the
// creation date stay. Errors: ResourceNotFound, InvalidParameter, and
// ConcurrentModification when another update won a race.
func (p *Pool) UpdateClient(ctx context.Context, cfg ClientConfig) (Client, error) {
	if cfg.ID == "" {
		return Client{}, ErrInvalidParameter.With("ClientId is required.")
	}
	if err := p.checkClientConfig(cfg); err != nil {
		return Client{}, err
	}
	rec, err := p.store.GetClient(ctx, p.id, cfg.ID)
	if errors.Is(err, storage.ErrNotFound) {
		return Client{}, clientNotFound(cfg.ID)
	}
	if err != nil {
		return Client{}, p.internal("read a client", err)
	}
	old, err := p.decodeClient(rec)
	if err != nil {
		return Client{}, p.internal("read a client", err)
	}
	cfg = cfg.withDefaults()
	cfg.GenerateSecret = old.Secret != ""
	now := p.now()
	c := Client{ClientConfig: cfg, PoolID: p.id, Secret: old.Secret, CreatedAt: old.CreatedAt, LastModifiedAt: now}
	settings, err := p.encodeClient(c)
	if err != nil {
		return Client{}, p.internal("store a client", err)
	}
	rec.Name, rec.Settings, rec.UpdatedAt = c.Name, settings, now
	err = p.store.UpdateClient(ctx, rec)
	switch {
	case errors.Is(err, storage.ErrNotFound):
		return Client{}, clientNotFound(cfg.ID)
	case errors.Is(err, storage.ErrConflict):
		return Client{}, ErrConcurrentModification.With("The client %s was changed by another request.", cfg.ID)
	case err != nil:
		return Client{}, p.internal("store a client", err)
	}
	p.tokens.clients.put(c, now)
	return c.clone(), nil
}

// DeleteClient deletes an app client, mirroring DeleteUserPoolClient. Its
// refresh tokens stop working at once on this instance (within the cache
// TTL on others). An unknown id gives ResourceNotFound.
func (p *Pool) DeleteClient(ctx context.Context, clientID string) error {
	err := p.store.DeleteClient(ctx, p.id, clientID)
	p.tokens.clients.drop(clientID)
	if errors.Is(err, storage.ErrNotFound) {
		return clientNotFound(clientID)
	}
	if err != nil {
		return p.internal("delete a client", err)
	}
	return nil
}

// ListClients returns one page of the pool's app clients ordered by id,
// mirroring ListUserPoolClients. limit is 1 to 60 (0 means 60); nextToken
// is "" or the NextToken of the previous page.
func (p *Pool) ListClients(ctx context.Context, limit int, nextToken string) (ClientList, error) {
	if limit == 0 {
		limit = 60
	}
	if limit < 1 || limit > 60 {
		return ClientList{}, ErrInvalidParameter.With("MaxResults must be between 1 and 60.")
	}
	page, err := p.store.ListClients(ctx, p.id, storage.PageRequest{Limit: limit, Cursor: nextToken})
	if err != nil {
		if nextToken != "" {
			return ClientList{}, ErrInvalidParameter.Wrap(err, "Invalid pagination token.")
		}
		return ClientList{}, p.internal("list clients", err)
	}
	out := ClientList{NextToken: page.Next, Clients: make([]ClientSummary, len(page.Items))}
	for i, c := range page.Items {
		out.Clients[i] = ClientSummary{ID: c.ID, Name: c.Name, PoolID: p.id}
	}
	return out, nil
}

func clientNotFound(id string) error {
	return ErrResourceNotFound.With("User pool client %s does not exist.", id)
}

// createDeclaredClients creates the clients declared with WithClient that
// the pool lacks: by id when one is given, else by name. A declared client
// without an id gets one derived from the pool id and its name, so two
// instances starting at once create it once.
func (p *Pool) createDeclaredClients(ctx context.Context) error {
	if len(p.cfg.Clients) == 0 {
		return nil
	}
	names := map[string]bool{}
	for next := ""; ; {
		page, err := p.store.ListClients(ctx, p.id, storage.PageRequest{Limit: 100, Cursor: next})
		if err != nil {
			return fmt.Errorf("userpool: list clients of %s: %w", p.id, err)
		}
		for _, c := range page.Items {
			names[c.Name] = true
		}
		if next = page.Next; next == "" {
			break
		}
	}
	for _, cfg := range p.cfg.Clients {
		if cfg.ID != "" {
			_, err := p.store.GetClient(ctx, p.id, cfg.ID)
			if err == nil {
				continue
			}
			if !errors.Is(err, storage.ErrNotFound) {
				return fmt.Errorf("userpool: read client %s: %w", cfg.ID, err)
			}
		} else if names[cfg.Name] {
			continue
		} else {
			cfg.ID = deriveClientID(p.id, cfg.Name)
		}
		_, err := p.createClient(ctx, cfg.withDefaults(), false)
		if err != nil && !errors.Is(err, ErrInvalidParameter) { // InvalidParameter: another instance won
			return fmt.Errorf("userpool: create client %q: %w", cfg.Name, err)
		}
	}
	return nil
}

// deriveClientID returns 26 base-36 characters taken from a hash of the
// pool id and the client's name.
func deriveClientID(poolID, name string) string {
	sum := sha256.Sum256([]byte("userpool client id\x00" + poolID + "\x00" + name))
	n := new(big.Int).SetBytes(sum[:])
	base := big.NewInt(36)
	out := make([]byte, clientIDLen)
	for i := range out {
		var r big.Int
		n.DivMod(n, base, &r)
		out[i] = base36[r.Int64()]
	}
	return string(out)
}

// clientCache keeps decoded clients, because every refresh and token check
// needs one and clients change rarely. Entries are replaced by this
// process's own changes at once and re-read from the store after the cache
// TTL, which bounds how long a change made by another instance goes
// unseen. Unknown ids are not cached, so probing cannot fill it.
type clientCache struct {
	mu   sync.RWMutex
	byID map[string]cachedClient
}

type cachedClient struct {
	c  Client
	at time.Time
}

func (cc *clientCache) get(id string) (cachedClient, bool) {
	cc.mu.RLock()
	defer cc.mu.RUnlock()
	e, ok := cc.byID[id]
	return e, ok
}

func (cc *clientCache) put(c Client, at time.Time) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	cc.byID[c.ID] = cachedClient{c: c.clone(), at: at}
}

func (cc *clientCache) drop(id string) {
	cc.mu.Lock()
	defer cc.mu.Unlock()
	delete(cc.byID, id)
}

// loadClient returns the client with the given id from the cache or the
// store. The result is shared with the cache: callers must not modify it.
// An unknown id gives ResourceNotFound "User pool client <id> does not
// exist.".
func (p *Pool) loadClient(ctx context.Context, clientID string) (Client, error) {
	now := p.now()
	if e, ok := p.tokens.clients.get(clientID); ok && p.tokens.fresh(e.at, now) {
		return e.c, nil
	}
	if clientID == "" || len(clientID) > 128 {
		return Client{}, clientNotFound(clientID)
	}
	rec, err := p.store.GetClient(ctx, p.id, clientID)
	if errors.Is(err, storage.ErrNotFound) {
		p.tokens.clients.drop(clientID)
		return Client{}, clientNotFound(clientID)
	}
	if err != nil {
		return Client{}, p.internal("read a client", err)
	}
	c, err := p.decodeClient(rec)
	if err != nil {
		return Client{}, p.internal("read a client", err)
	}
	p.tokens.clients.put(c, now)
	return c, nil
}
