package userpool

import (
	"sync"
	"sync/atomic"
	"time"
)

// SigningAlgorithm is the JWS algorithm of a pool's ID and access tokens.
type SigningAlgorithm string

// The signing algorithms a pool can use. RS256 (RSA 2048) is Cognito's and
// the default; ES256 (P-256) and EdDSA (Ed25519) give shorter tokens and
// much faster signing, but some Cognito client libraries accept RS256 only.
const (
	RS256 SigningAlgorithm = "RS256"
	ES256 SigningAlgorithm = "ES256"
	EdDSA SigningAlgorithm = "EdDSA"
)

// DefaultCacheTTL is how long a pool trusts the app clients, signing keys
// and revocations it read from the store before it reads them again (see
// [WithCacheTTL]).
const DefaultCacheTTL = 30 * time.Second

// DefaultLeeway is the clock skew a pool's verifier tolerates on exp, iat
// and nbf.
const DefaultLeeway = 10 * time.Second

// tokenOptions are the token settings options fill in. They are runtime
// wiring, not part of the persisted Config: each instance may choose them.
type tokenOptions struct {
	alg         SigningAlgorithm
	leeway      time.Duration
	leewaySet   bool
	cacheTTL    time.Duration
	cacheTTLSet bool
}

// WithSigningAlgorithm sets the algorithm of new signing keys (RS256 by
// default). Changing it on an existing pool rotates the key on first use;
// tokens signed with the old key keep verifying until they expire.
func WithSigningAlgorithm(alg SigningAlgorithm) Option {
	return func(o *options) { o.tokens.alg = alg; o.set("SigningAlgorithm", "WithSigningAlgorithm") }
}

// WithTokenLeeway sets the clock skew the pool's verifier tolerates on exp,
// iat and nbf ([DefaultLeeway] by default, at most 5 minutes).
func WithTokenLeeway(d time.Duration) Option {
	return func(o *options) {
		o.tokens.leeway, o.tokens.leewaySet = d, true
		o.set("TokenLeeway", "WithTokenLeeway")
	}
}

// WithCacheTTL sets how long the pool trusts what it read from the store
// about app clients, signing keys and revoked tokens (a user's global
// sign-out, a revoked refresh token) before reading it again:
// [DefaultCacheTTL] by default. Changes made through this Pool apply at
// once; changes made by another instance sharing the store are seen within
// d of the pool's clock. d = 0 reads the store on every verification, for
// zero staleness at the cost of store round trips on the hot path.
func WithCacheTTL(d time.Duration) Option {
	return func(o *options) {
		o.tokens.cacheTTL, o.tokens.cacheTTLSet = d, true
		o.set("CacheTTL", "WithCacheTTL")
	}
}

// tokenSettings checks the token options.
func (v *validator) tokenSettings() {
	t := v.o.tokens
	switch t.alg {
	case "", RS256, ES256, EdDSA:
	default:
		v.fail("SigningAlgorithm", "%q is not RS256, ES256 or EdDSA", t.alg)
	}
	if t.leeway < 0 || t.leeway > 5*time.Minute {
		v.fail("TokenLeeway", "leeway %s is outside 0 to 5m", t.leeway)
	}
	if t.cacheTTL < 0 {
		v.fail("CacheTTL", "cache TTL %s is negative", t.cacheTTL)
	}
}

// tokenState is a pool's token machinery: its settings and the in-memory
// caches that keep the store off the
// hot path of refresh and verification. It is safe for concurrent use.
type tokenState struct {
	alg      SigningAlgorithm
	leeway   time.Duration
	cacheTTL time.Duration

	// keyMu serialises loading and rotating keys; ring is the current
	// snapshot, replaced whole, so readers never lock.
	keyMu sync.Mutex
	ring  atomic.Pointer[keyring]

	clients clientCache
	revoked revocationCache
}

func newTokenState(o options) *tokenState {
	t := &tokenState{
		alg:      RS256,
		leeway:   DefaultLeeway,
		cacheTTL: DefaultCacheTTL,
	}
	if o.tokens.alg != "" {
		t.alg = o.tokens.alg
	}
	if o.tokens.leewaySet {
		t.leeway = o.tokens.leeway
	}
	if o.tokens.cacheTTLSet {
		t.cacheTTL = o.tokens.cacheTTL
	}
	t.clients.byID = map[string]cachedClient{}
	t.revoked.users = map[string]userMark{}
	return t
}

// fresh reports whether something read from the store at `at` may still be
// trusted at now.
func (t *tokenState) fresh(at, now time.Time) bool {
	return !at.IsZero() && now.Sub(at) < t.cacheTTL && !now.Before(at)
}
