package userpool_test

import (
	"context"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/userpool/userpool"
)

// forge builds an unsigned-looking JWS from a header and claims with the
// given signature bytes.
func forge(t testing.TB, hdr, claims map[string]any, sig []byte) string {
	t.Helper()
	h, _ := json.Marshal(hdr)
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func withClaims(base map[string]any, change map[string]any, drop ...string) map[string]any {
	out := maps.Clone(base)
	maps.Copy(out, change)
	for _, d := range drop {
		delete(out, d)
	}
	return out
}

func TestVerifierRefusesForgedTokens(t *testing.T) {
	f := newTokenFixture(t, userpool.WithSigningAlgorithm(userpool.RS256))
	ctx := context.Background()
	res := f.signIn(t, f.public.ID)
	access := payload(t, res.AccessToken)
	id := payload(t, res.IDToken)
	kid := header(t, res.AccessToken)["kid"].(string)
	sign := func(claims map[string]any) string {
		tok, err := userpool.SignForTest(ctx, f.pool, claims)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	signHeaders := func(extra map[string]any, embed bool) string {
		tok, err := userpool.SignWithHeadersForTest(ctx, f.pool, access, extra, embed)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}

	// HS256 keyed with the public key's bytes, the classic confusion.
	set, err := f.pool.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(set.Keys[0].Key)
	if err != nil {
		t.Fatal(err)
	}
	hsSigner, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.HS256, Key: pubDER}, (&jose.SignerOptions{}).WithHeader("kid", kid))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(access)
	hsJWS, err := hsSigner.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	hs256, _ := hsJWS.CompactSerialize()

	// A token of another pool (same issuer base, another id and key).
	other := newTokenFixture(t, userpool.WithSigningAlgorithm(userpool.RS256), userpool.WithPoolID("us-east-1_Other0000"))
	otherRes := other.signIn(t, other.public.ID)
	// The same token with its kid rewritten to this pool's kid.
	parts := strings.Split(otherRes.AccessToken, ".")
	rekid, _ := json.Marshal(map[string]any{"alg": "RS256", "kid": kid})
	swapped := base64.RawURLEncoding.EncodeToString(rekid) + "." + parts[1] + "." + parts[2]

	tampered := strings.Split(res.AccessToken, ".")
	evil, _ := json.Marshal(withClaims(access, map[string]any{"sub": "someone-else"}))
	tampered[1] = base64.RawURLEncoding.EncodeToString(evil)

	tests := []struct {
		name  string
		token string
		use   userpool.TokenUse
		msg   string
	}{
		{"alg none", forge(t, map[string]any{"alg": "none", "kid": kid}, access, nil), userpool.TokenUseAccess, "Invalid Access Token"},
		{"HS256 with the public key", hs256, userpool.TokenUseAccess, "Invalid Access Token"},
		{"another pool's token", otherRes.AccessToken, userpool.TokenUseAccess, "Invalid Access Token"},
		{"another pool's token with our kid", swapped, userpool.TokenUseAccess, "Invalid Access Token"},
		{"tampered payload", strings.Join(tampered, "."), userpool.TokenUseAccess, "Invalid Access Token"},
		{"ID token as access token", res.IDToken, userpool.TokenUseAccess, "Invalid Access Token"},
		{"access token as ID token", res.AccessToken, userpool.TokenUseID, "Invalid ID Token"},
		{"wrong iss", sign(withClaims(access, map[string]any{"iss": "https://evil.example.com/" + f.pool.ID()})), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no iss", sign(withClaims(access, nil, "iss")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no exp", sign(withClaims(access, nil, "exp")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no iat", sign(withClaims(access, nil, "iat")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no sub", sign(withClaims(access, nil, "sub")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no token_use", sign(withClaims(access, nil, "token_use")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no client_id", sign(withClaims(access, nil, "client_id")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no aud", sign(withClaims(id, nil, "aud")), userpool.TokenUseID, "Invalid ID Token"},
		{"two audiences", sign(withClaims(id, map[string]any{"aud": []string{f.public.ID, "x"}})), userpool.TokenUseID, "Invalid ID Token"},
		{"exp as string", sign(withClaims(access, map[string]any{"exp": "9999999999"})), userpool.TokenUseAccess, "Invalid Access Token"},
		{"expired", sign(withClaims(access, map[string]any{"exp": f.clock.Now().Add(-time.Minute).Unix()})), userpool.TokenUseAccess, "Access Token has expired"},
		{"issued in the future", sign(withClaims(access, map[string]any{"iat": f.clock.Now().Add(time.Hour).Unix()})), userpool.TokenUseAccess, "Invalid Access Token"},
		{"not yet valid", sign(withClaims(access, map[string]any{"nbf": f.clock.Now().Add(time.Hour).Unix()})), userpool.TokenUseAccess, "Invalid Access Token"},
		{"jku header", signHeaders(map[string]any{"jku": "https://evil.example.com/jwks.json"}, false), userpool.TokenUseAccess, "Invalid Access Token"},
		{"x5u header", signHeaders(map[string]any{"x5u": "https://evil.example.com/cert.pem"}, false), userpool.TokenUseAccess, "Invalid Access Token"},
		{"jwk header", signHeaders(nil, true), userpool.TokenUseAccess, "Invalid Access Token"},
		{"crit header", signHeaders(map[string]any{"crit": []string{"kid"}}, false), userpool.TokenUseAccess, "Invalid Access Token"},
		{"no kid", forge(t, map[string]any{"alg": "RS256"}, access, []byte("x")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"unknown kid", forge(t, map[string]any{"alg": "RS256", "kid": "nope"}, access, []byte("x")), userpool.TokenUseAccess, "Invalid Access Token"},
		{"over-long", res.AccessToken + strings.Repeat("A", userpool.MaxTokenSize), userpool.TokenUseAccess, "Invalid Access Token"},
		{"empty", "", userpool.TokenUseAccess, "Invalid Access Token"},
		{"garbage", "a.b.c", userpool.TokenUseAccess, "Invalid Access Token"},
		{"JSON serialization", `{"payload":"e30","signatures":[]}`, userpool.TokenUseAccess, "Invalid Access Token"},
	}
	v := f.pool.Verifier()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := v.Verify(ctx, tc.token, tc.use)
			wantAuthErr(t, "Verify", err, userpool.ErrNotAuthorized, tc.msg)
			t.Logf("refused: %v", errors.Unwrap(err))
		})
	}
	// The genuine tokens pass, so the refusals above are about the forgery.
	if _, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatalf("genuine access token: %v", err)
	}
	if _, err := v.Verify(ctx, res.IDToken, userpool.TokenUseID); err != nil {
		t.Fatalf("genuine ID token: %v", err)
	}
}

func TestVerifierExpiryAndLeeway(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	res := f.signIn(t, f.public.ID)
	v := f.pool.Verifier()
	f.clock.Advance(time.Hour + userpool.DefaultLeeway - time.Second)
	if _, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatalf("within the leeway: %v", err)
	}
	f.clock.Advance(time.Second)
	_, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "past the leeway", err, userpool.ErrNotAuthorized, "Access Token has expired")
	_, err = f.pool.Verifier(userpool.WithLeeway(time.Hour)).Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	if err != nil {
		t.Errorf("with an hour of leeway: %v", err)
	}
}

func TestVerifierClientIDs(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	res := f.signIn(t, f.secret.ID)
	v := f.pool.Verifier(userpool.WithClientIDs(f.public.ID))
	for _, use := range []userpool.TokenUse{userpool.TokenUseAccess, userpool.TokenUseID} {
		tok := res.AccessToken
		if use == userpool.TokenUseID {
			tok = res.IDToken
		}
		if _, err := v.Verify(ctx, tok, use); !errors.Is(err, userpool.ErrNotAuthorized) {
			t.Errorf("%s token of another client: got %v, want NotAuthorized", use, err)
		}
	}
	c, err := f.pool.Verifier(userpool.WithClientIDs(f.public.ID, f.secret.ID)).Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	if err != nil || c.ClientID != f.secret.ID {
		t.Errorf("allowed client: %v, %v", c, err)
	}
}

func TestNewVerifierChecksKeys(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	set, err := f.pool.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	noKID := set.Keys[0]
	noKID.KeyID = ""
	enc := set.Keys[0]
	enc.Use = "enc"
	tests := []struct {
		name string
		keys []jose.JSONWebKey
	}{
		{"symmetric key", []jose.JSONWebKey{{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "k", Algorithm: "HS256"}}},
		{"no kid", []jose.JSONWebKey{noKID}},
		{"use enc", []jose.JSONWebKey{enc}},
		{"wrong alg", []jose.JSONWebKey{{Key: set.Keys[0].Key, KeyID: "k", Algorithm: "RS256"}}},
		{"duplicate kid", []jose.JSONWebKey{set.Keys[0], set.Keys[0]}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := userpool.NewVerifier(f.pool.Issuer(), jose.JSONWebKeySet{Keys: tc.keys}); err == nil {
				t.Errorf("NewVerifier accepted it")
			}
		})
	}
	// A standalone verifier does not know about revocation.
	res := f.signIn(t, f.public.ID)
	if err := f.pool.AdminUserGlobalSignOut(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	v, err := userpool.NewVerifier(f.pool.Issuer(), set, userpool.WithVerifierClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("standalone verifier after sign-out: %v (it cannot know)", err)
	}
	_, err = userpool.NewVerifier("https://auth.example.com/other", set, userpool.WithVerifierClock(f.clock.Now))
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzVerify(f *testing.F) {
	fx := newTokenFixture(f)
	res := fx.signIn(f, fx.public.ID)
	f.Add(res.AccessToken)
	f.Add(res.IDToken)
	f.Add("eyJhbGciOiJub25lIn0.e30.")
	f.Add("a.b.c")
	f.Add("")
	v := fx.pool.Verifier()
	f.Fuzz(func(t *testing.T, token string) {
		c, err := v.Verify(context.Background(), token, userpool.TokenUseAccess)
		if err == nil && token != res.AccessToken {
			// Another token may verify only if it is the same signed
			// content (base64 of the signature can differ in its last
			// bits only with non-canonical encodings, which go-jose
			// refuses); anything else is a forgery.
			t.Fatalf("a token other than the issued one verified: %q -> %+v", token, c)
		}
		if err != nil && !errors.Is(err, userpool.ErrNotAuthorized) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}
