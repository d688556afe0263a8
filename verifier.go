package userpool

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// TokenUse is the token_use claim: which kind of token a JWT is.
type TokenUse string

// The token uses of Cognito's JWTs.
const (
	TokenUseID     TokenUse = "id"
	TokenUseAccess TokenUse = "access"
)

// MaxTokenSize is the longest token a Verifier parses. Cognito's tokens
// are 1 to 2 KiB; anything much longer is refused before any decoding, so
// a huge header cannot cost memory or time.
const MaxTokenSize = 8 << 10

// Claims are the verified claims of a pool's ID or access token.
type Claims struct {
	Issuer   string
	Subject  string
	TokenUse TokenUse
	// ClientID is the app client the token was issued to: the aud claim of
	// an ID token, the client_id claim of an access token.
	ClientID string
	// Username is cognito:username (ID token) or username (access token).
	Username  string
	Groups    []string
	Scope     string
	AuthTime  time.Time
	IssuedAt  time.Time
	ExpiresAt time.Time
	JTI       string
	OriginJTI string
	EventID   string
	DeviceKey string
	// Raw is the token's JSON payload, for claims not named above (user
	// attributes, claims added by PreTokenGeneration); see Decode.
	Raw []byte
}

// Decode unmarshals the whole payload into v, for example a
// map[string]any or a struct of the claims an application needs.
func (c *Claims) Decode(v any) error { return json.Unmarshal(c.Raw, v) }

// Verifier checks a pool's ID and access tokens: signature, algorithm,
// kid, issuer, audience or client id, token use, expiry and, for a
// verifier made by [Pool.Verifier], revocation. It is safe for concurrent
// use; keys are parsed once and cached.
type Verifier struct {
	issuer    string
	clientIDs map[string]bool // nil: any client
	leeway    time.Duration
	now       func() time.Time
	key       func(ctx context.Context, kid string) (*verifyKey, error)
	revoked   func(ctx context.Context, c *Claims) (bool, error) // nil: no revocation check
}

// verifyKey is a public key and the one algorithm it may verify.
type verifyKey struct {
	alg jose.SignatureAlgorithm
	key crypto.PublicKey
}

// VerifierOption configures a Verifier.
type VerifierOption func(*Verifier)

// WithClientIDs accepts only tokens issued to these app clients. Without
// it any client of the issuer is accepted.
func WithClientIDs(ids ...string) VerifierOption {
	return func(v *Verifier) {
		v.clientIDs = map[string]bool{}
		for _, id := range ids {
			v.clientIDs[id] = true
		}
	}
}

// WithLeeway sets the clock skew tolerated on exp, iat and nbf
// ([DefaultLeeway] by default for a standalone verifier, the pool's
// [WithTokenLeeway] for a pool's).
func WithLeeway(d time.Duration) VerifierOption {
	return func(v *Verifier) { v.leeway = max(d, 0) }
}

// WithVerifierClock sets the verifier's clock (time.Now by default for a
// standalone verifier, the pool's clock for a pool's).
func WithVerifierClock(now func() time.Time) VerifierOption {
	return func(v *Verifier) { v.now = now }
}

// Verifier returns a verifier of the pool's tokens. Besides what every
// verifier checks, it refuses revoked tokens: those of users signed out
// globally, disabled or deleted, and those minted from a revoked refresh
// token (see [WithCacheTTL] for how fast revocations made by other
// instances are seen). It looks keys up in the pool's cache, so a key
// rotated by another instance is found.
func (p *Pool) Verifier(opts ...VerifierOption) *Verifier {
	v := &Verifier{
		issuer: p.Issuer(),
		leeway: p.tokens.leeway,
		now:    p.now,
		key: func(ctx context.Context, kid string) (*verifyKey, error) {
			k, err := p.verificationKey(ctx, kid)
			if err != nil || k == nil {
				return nil, err
			}
			return &k.verify, nil
		},
		revoked: p.tokenRevoked,
	}
	for _, o := range opts {
		o(v)
	}
	return v
}

// NewVerifier returns a verifier for an application that has only the
// pool's issuer URL and JWKS (for example fetched once from
// <issuer>/.well-known/jwks.json). It does not check revocation: only the
// pool knows about sign-outs. Every key must be a public RSA (2048 bits or
// more), P-256 or Ed25519 key with a kid; a key without alg gets the one
// its type implies, and a key whose use is set must have use "sig".
func NewVerifier(issuer string, keys jose.JSONWebKeySet, opts ...VerifierOption) (*Verifier, error) {
	if issuer == "" {
		return nil, errors.New("userpool: verifier: empty issuer")
	}
	byKID := map[string]*verifyKey{}
	for _, k := range keys.Keys {
		vk, err := jwkVerifyKey(k)
		if err != nil {
			return nil, fmt.Errorf("userpool: verifier: key %q: %w", k.KeyID, err)
		}
		if _, dup := byKID[k.KeyID]; dup {
			return nil, fmt.Errorf("userpool: verifier: two keys with kid %q", k.KeyID)
		}
		byKID[k.KeyID] = vk
	}
	v := &Verifier{
		issuer: issuer,
		leeway: DefaultLeeway,
		now:    time.Now,
		key: func(_ context.Context, kid string) (*verifyKey, error) {
			return byKID[kid], nil
		},
	}
	for _, o := range opts {
		o(v)
	}
	return v, nil
}

// jwkVerifyKey checks one published key and fixes its algorithm.
func jwkVerifyKey(k jose.JSONWebKey) (*verifyKey, error) {
	if k.KeyID == "" {
		return nil, errors.New("no kid")
	}
	if k.Use != "" && k.Use != "sig" {
		return nil, fmt.Errorf("use %q is not sig", k.Use)
	}
	if !k.IsPublic() {
		return nil, errors.New("not a public key")
	}
	var implied jose.SignatureAlgorithm
	switch pub := k.Key.(type) {
	case *rsa.PublicKey:
		if pub.N.BitLen() < 2048 {
			return nil, errors.New("RSA key shorter than 2048 bits")
		}
		implied = jose.RS256
	case *ecdsa.PublicKey:
		if pub.Curve != elliptic.P256() {
			return nil, errors.New("EC key not on P-256")
		}
		implied = jose.ES256
	case ed25519.PublicKey:
		implied = jose.EdDSA
	default:
		return nil, fmt.Errorf("unsupported key type %T", k.Key)
	}
	alg := jose.SignatureAlgorithm(k.Algorithm)
	if alg == "" {
		alg = implied
	}
	if alg != implied {
		return nil, fmt.Errorf("alg %s does not fit the key", alg)
	}
	return &verifyKey{alg: alg, key: k.Key}, nil
}

// errToken is the cause of every refusal; the reason follows it.
var errToken = errors.New("userpool: token refused")

// tokenError builds the NotAuthorized error for a refused token, with
// Cognito's message for its use and the reason as the cause.
func tokenError(want TokenUse, message, reason string) error {
	name := "Access Token"
	if want == TokenUseID {
		name = "ID Token"
	}
	return ErrNotAuthorized.Wrap(fmt.Errorf("%w: %s", errToken, reason), "%s %s", name, message)
}

const (
	msgExpired = "has expired"
	msgRevoked = "has been revoked"
)

// invalid builds the error for a token that is not a valid token at all:
// "Invalid Access Token" or "Invalid ID Token".
func invalid(want TokenUse, reason string) error {
	name := "Access Token"
	if want == TokenUseID {
		name = "ID Token"
	}
	return ErrNotAuthorized.Wrap(fmt.Errorf("%w: %s", errToken, reason), "Invalid %s", name)
}

// signatureAlgorithms are the algorithms go-jose may parse; the header's
// alg must then also be the one of the key its kid names. HS256 (a key
// confusion waiting to happen) and none are never among them.
var signatureAlgorithms = []jose.SignatureAlgorithm{jose.RS256, jose.ES256, jose.EdDSA}

// forbiddenHeaders are header names refused before go-jose parses the
// header: jwk and x5c would make it parse key material and certificates
// an attacker chose, and jku, x5u and crit are refused per RFC 8725.
var forbiddenHeaders = [][]byte{[]byte(`"jwk"`), []byte(`"x5c"`), []byte(`"jku"`), []byte(`"x5u"`), []byte(`"crit"`)}

// precheckHeader looks at the raw protected header before any parsing: it
// must be base64url of at most 1 KiB of JSON that names none of
// forbiddenHeaders and has no backslash (so no name can hide behind a
// \u escape; the pool's headers never need one).
func precheckHeader(token string) error {
	head, _, ok := strings.Cut(token, ".")
	if !ok {
		return errors.New("not a compact JWS")
	}
	if len(head) > 1400 {
		return errors.New("header longer than 1 KiB")
	}
	var buf [1050]byte
	n, err := base64.RawURLEncoding.Decode(buf[:], []byte(head))
	if err != nil {
		return errors.New("header is not base64url")
	}
	raw := buf[:n]
	if bytes.IndexByte(raw, '\\') >= 0 {
		return errors.New("header has an escape")
	}
	for _, name := range forbiddenHeaders {
		if bytes.Contains(raw, name) {
			return fmt.Errorf("header %s is not allowed", name)
		}
	}
	return nil
}

// checkHeader checks the header go-jose parsed: a kid, and no parameter
// but alg, kid and typ.
func checkHeader(h jose.Header) error {
	if h.KeyID == "" {
		return errors.New("header lacks kid")
	}
	if h.JSONWebKey != nil {
		return errors.New("header jwk is not allowed")
	}
	for name := range h.ExtraHeaders {
		if name != "typ" {
			return fmt.Errorf("header %q is not allowed", name)
		}
	}
	return nil
}

// Verify checks token and returns its claims. want is the token use the
// caller expects: an ID token is never accepted as an access token, nor
// the reverse. Every check is explicit: exp, iat, iss, sub, token_use and
// aud (ID) or client_id (access) must be present. Errors are
// NotAuthorized with Cognito's messages — "Access Token has expired",
// "Access Token has been revoked", "Invalid Access Token" (ID Token for ID
// tokens) — with the reason as the cause; a store failure while checking
// revocation is InternalError.
func (v *Verifier) Verify(ctx context.Context, token string, want TokenUse) (*Claims, error) {
	if want != TokenUseID && want != TokenUseAccess {
		return nil, ErrInvalidParameter.With("token use must be id or access")
	}
	if len(token) > MaxTokenSize {
		return nil, invalid(want, "token longer than "+strconv.Itoa(MaxTokenSize)+" bytes")
	}
	if err := precheckHeader(token); err != nil {
		return nil, invalid(want, err.Error())
	}
	jws, err := jose.ParseSignedCompact(token, signatureAlgorithms)
	if err != nil {
		return nil, invalid(want, "malformed JWS or algorithm not allowed")
	}
	h := jws.Signatures[0].Header
	if err := checkHeader(h); err != nil {
		return nil, invalid(want, err.Error())
	}
	k, err := v.key(ctx, h.KeyID)
	if err != nil {
		return nil, err
	}
	if k == nil {
		return nil, invalid(want, "unknown kid")
	}
	if jose.SignatureAlgorithm(h.Algorithm) != k.alg {
		return nil, invalid(want, "alg "+h.Algorithm+" is not the key's")
	}
	payload, err := jws.Verify(k.key)
	if err != nil {
		return nil, invalid(want, "bad signature")
	}
	c, err := v.checkClaims(payload, want)
	if err != nil {
		return nil, err
	}
	if v.revoked != nil {
		revoked, err := v.revoked(ctx, c)
		if err != nil {
			return nil, err
		}
		if revoked {
			return nil, tokenError(want, msgRevoked, "revoked")
		}
	}
	return c, nil
}

// payloadClaims are the claims a Verifier checks, as they are encoded.
// Plain types only: custom unmarshalers would double the decoding time,
// which is most of what verification adds to the signature check.
type payloadClaims struct {
	Iss             string   `json:"iss"`
	Sub             string   `json:"sub"`
	Aud             any      `json:"aud"`
	ClientID        string   `json:"client_id"`
	TokenUse        string   `json:"token_use"`
	Exp             *float64 `json:"exp"`
	Iat             *float64 `json:"iat"`
	Nbf             *float64 `json:"nbf"`
	AuthTime        *float64 `json:"auth_time"`
	JTI             string   `json:"jti"`
	OriginJTI       string   `json:"origin_jti"`
	EventID         string   `json:"event_id"`
	Username        string   `json:"username"`
	CognitoUsername string   `json:"cognito:username"`
	Groups          []string `json:"cognito:groups"`
	Scope           string   `json:"scope"`
	DeviceKey       string   `json:"device_key"`

	// numbers holds what Exp, Iat, Nbf and AuthTime point to.
	numbers [4]float64
}

// numericDate converts a JWT NumericDate (seconds since the epoch, maybe
// with a fraction), refusing values no token of the pool can have.
func numericDate(f *float64) (time.Time, bool) {
	if f == nil || math.IsNaN(*f) || *f < 0 || *f > 1<<40 {
		return time.Time{}, false
	}
	return time.Unix(int64(*f), 0), true
}

// audience returns the one client id of an aud claim, a string or an
// array of one string.
func audience(aud any) string {
	switch a := aud.(type) {
	case string:
		return a
	case []any:
		if len(a) == 1 {
			s, _ := a[0].(string)
			return s
		}
	}
	return ""
}

// checkClaims decodes the payload and checks every required claim.
func (v *Verifier) checkClaims(payload []byte, want TokenUse) (*Claims, error) {
	var pc payloadClaims
	if err := decodeClaims(payload, &pc); err != nil {
		return nil, invalid(want, "payload is not the JSON of a token")
	}
	switch {
	case pc.Iss != v.issuer:
		return nil, invalid(want, "issuer "+strconv.Quote(pc.Iss)+" is not "+strconv.Quote(v.issuer))
	case TokenUse(pc.TokenUse) != want:
		return nil, invalid(want, "token_use "+strconv.Quote(pc.TokenUse)+" is not "+string(want))
	case pc.Sub == "":
		return nil, invalid(want, "no sub")
	}
	exp, ok := numericDate(pc.Exp)
	if !ok {
		return nil, invalid(want, "no exp")
	}
	iat, ok := numericDate(pc.Iat)
	if !ok {
		return nil, invalid(want, "no iat")
	}
	c := &Claims{
		Issuer:    pc.Iss,
		Subject:   pc.Sub,
		TokenUse:  want,
		Groups:    pc.Groups,
		Scope:     pc.Scope,
		IssuedAt:  iat,
		ExpiresAt: exp,
		JTI:       pc.JTI,
		OriginJTI: pc.OriginJTI,
		EventID:   pc.EventID,
		DeviceKey: pc.DeviceKey,
		Raw:       payload,
	}
	if pc.AuthTime != nil {
		c.AuthTime, _ = numericDate(pc.AuthTime)
	}
	if want == TokenUseID {
		aud := audience(pc.Aud)
		if aud == "" {
			return nil, invalid(want, "aud is not one client id")
		}
		c.ClientID, c.Username = aud, pc.CognitoUsername
	} else {
		if pc.ClientID == "" {
			return nil, invalid(want, "no client_id")
		}
		c.ClientID, c.Username = pc.ClientID, pc.Username
	}
	if v.clientIDs != nil && !v.clientIDs[c.ClientID] {
		return nil, invalid(want, "client "+strconv.Quote(c.ClientID)+" is not accepted")
	}
	now := v.now()
	if !now.Before(c.ExpiresAt.Add(v.leeway)) {
		return nil, tokenError(want, msgExpired, "expired")
	}
	if c.IssuedAt.After(now.Add(v.leeway)) {
		return nil, invalid(want, "issued in the future")
	}
	if pc.Nbf != nil {
		if nbf, ok := numericDate(pc.Nbf); !ok || nbf.After(now.Add(v.leeway)) {
			return nil, invalid(want, "not valid yet")
		}
	}
	return c, nil
}
