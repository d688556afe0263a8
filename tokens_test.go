package userpool_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// payload decodes a JWT's claims without verifying it.
func payload(t testing.TB, token string) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token %q: not three parts", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func header(t testing.TB, token string) map[string]any {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(strings.Split(token, ".")[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return sortStrings(out)
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

func addGroup(t testing.TB, f *tokenFixture, name, role string, precedence *int64) {
	t.Helper()
	ctx := context.Background()
	now := f.clock.Now()
	if err := f.store.CreateGroup(ctx, storage.Group{PoolID: f.pool.ID(), Name: name, RoleARN: role, Precedence: precedence, CreatedAt: now, UpdatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddMember(ctx, f.pool.ID(), name, f.sub); err != nil {
		t.Fatal(err)
	}
}

func TestTokenClaimsAreCognitos(t *testing.T) {
	f := newTokenFixture(t)
	addGroup(t, f, "readers", "arn:aws:iam::000000000000:role/readers", new(int64(5)))
	addGroup(t, f, "admins", "arn:aws:iam::000000000000:role/admins", new(int64(1)))
	addGroup(t, f, "zz-no-precedence", "", nil)
	res := f.signIn(t, f.public.ID)
	if res.TokenType != "Bearer" || res.ExpiresIn != 3600 || res.RefreshToken == "" {
		t.Errorf("result: got %+v", res)
	}
	now := f.clock.Now().Unix()
	iss := "https://auth.example.com/" + f.pool.ID()
	if f.pool.Issuer() != iss {
		t.Errorf("Issuer: got %s, want %s", f.pool.Issuer(), iss)
	}
	groups := []any{"admins", "readers", "zz-no-precedence"}

	ac := payload(t, res.AccessToken)
	wantAccess := []string{"auth_time", "client_id", "cognito:groups", "event_id", "exp", "iat", "iss", "jti", "origin_jti", "scope", "sub", "token_use", "username", "version"}
	if got := keys(ac); !reflect.DeepEqual(got, wantAccess) {
		t.Errorf("access token claims: got %v, want %v", got, wantAccess)
	}
	for name, want := range map[string]any{
		"sub": f.sub, "iss": iss, "client_id": f.public.ID, "token_use": "access",
		"scope": "aws.cognito.signin.user.admin", "username": fixtureUser, "version": float64(2),
		"auth_time": float64(now), "iat": float64(now), "exp": float64(now + 3600), "cognito:groups": groups,
	} {
		if !reflect.DeepEqual(ac[name], want) {
			t.Errorf("access token %s: got %#v, want %#v", name, ac[name], want)
		}
	}

	ic := payload(t, res.IDToken)
	wantID := []string{"aud", "auth_time", "cognito:groups", "cognito:preferred_role", "cognito:roles", "cognito:username", "email", "email_verified", "event_id", "exp", "iat", "iss", "jti", "origin_jti", "sub", "token_use", "updated_at"}
	if got := keys(ic); !reflect.DeepEqual(got, wantID) {
		t.Errorf("ID token claims: got %v, want %v (custom attributes need ReadAttributes)", got, wantID)
	}
	for name, want := range map[string]any{
		"sub": f.sub, "iss": iss, "aud": f.public.ID, "token_use": "id", "cognito:username": fixtureUser,
		"email": "ana@example.com", "email_verified": true, "updated_at": float64(1700000000),
		"exp": float64(now + 3600), "cognito:groups": groups,
		"cognito:roles":          []any{"arn:aws:iam::000000000000:role/admins", "arn:aws:iam::000000000000:role/readers"},
		"cognito:preferred_role": "arn:aws:iam::000000000000:role/admins",
	} {
		if !reflect.DeepEqual(ic[name], want) {
			t.Errorf("ID token %s: got %#v, want %#v", name, ic[name], want)
		}
	}
	if ic["event_id"] != ac["event_id"] || ic["origin_jti"] != ac["origin_jti"] || ic["jti"] == ac["jti"] {
		t.Errorf("the pair must share event_id and origin_jti and differ in jti: %v/%v %v/%v %v/%v",
			ic["event_id"], ac["event_id"], ic["origin_jti"], ac["origin_jti"], ic["jti"], ac["jti"])
	}
	h := header(t, res.AccessToken)
	if h["alg"] != "ES256" || h["kid"] == "" || len(h) != 2 {
		t.Errorf("header: got %v, want alg and kid only", h)
	}
}

func TestReadAttributesLimitIDToken(t *testing.T) {
	f := newTokenFixture(t, userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString)))
	c, err := f.pool.CreateClient(context.Background(), userpool.ClientConfig{Name: "limited", ReadAttributes: []string{"email", "custom:tier"}})
	if err != nil {
		t.Fatal(err)
	}
	ic := payload(t, f.signIn(t, c.ID).IDToken)
	if ic["custom:tier"] != "gold" || ic["email"] != "ana@example.com" {
		t.Errorf("readable attributes missing: %v", ic)
	}
	if _, ok := ic["email_verified"]; ok {
		t.Errorf("email_verified present though not readable")
	}
}

func TestRevocationDisabledOmitsOriginJTI(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	c, err := f.pool.CreateClient(ctx, userpool.ClientConfig{Name: "norevoke", EnableTokenRevocation: new(false)})
	if err != nil {
		t.Fatal(err)
	}
	res := f.signIn(t, c.ID)
	if _, ok := payload(t, res.AccessToken)["origin_jti"]; ok {
		t.Errorf("origin_jti present with revocation disabled")
	}
	err = f.pool.RevokeToken(ctx, res.RefreshToken, c.ID, "")
	wantAuthErr(t, "RevokeToken with revocation disabled", err, userpool.ErrUnsupportedOperation, "")
	if _, err := f.pool.Verifier().Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("token of a client without revocation: %v", err)
	}
}

func TestPreTokenGeneration(t *testing.T) {
	var source string
	trig := userpool.Triggers{PreTokenGeneration: func(ctx context.Context, ev *userpool.PreTokenGenerationEvent) error {
		source = ev.TriggerSource
		if ev.UserAttributes["cognito:user_status"] != "CONFIRMED" || ev.UserAttributes["sub"] == "" {
			return errors.New("missing attributes")
		}
		ev.ClaimsToAddOrOverride = map[string]any{"tenant": "acme", "email": "masked", "perms": []string{"a", "b"}}
		ev.ClaimsToSuppress = []string{"updated_at", "email"}
		ev.AccessTokenClaimsToAddOrOverride = map[string]any{"tenant": "acme"}
		ev.GroupOverride = &userpool.GroupConfiguration{GroupsToOverride: []string{"override"}}
		ev.Scopes = append(ev.Scopes, "custom/read")
		return nil
	}}
	f := newTokenFixture(t, userpool.WithTriggers(trig))
	addGroup(t, f, "real", "", nil)
	res := f.signIn(t, f.public.ID)
	if source != "TokenGeneration_Authentication" {
		t.Errorf("triggerSource: got %q", source)
	}
	ic, ac := payload(t, res.IDToken), payload(t, res.AccessToken)
	if ic["tenant"] != "acme" || ac["tenant"] != "acme" || !reflect.DeepEqual(ic["perms"], []any{"a", "b"}) {
		t.Errorf("added claims: id %v, access %v", ic, ac)
	}
	if _, ok := ic["email"]; ok {
		t.Errorf("email: suppression must win over override")
	}
	if _, ok := ic["updated_at"]; ok {
		t.Errorf("updated_at not suppressed")
	}
	if !reflect.DeepEqual(ic["cognito:groups"], []any{"override"}) || !reflect.DeepEqual(ac["cognito:groups"], []any{"override"}) {
		t.Errorf("group override: id %v, access %v", ic["cognito:groups"], ac["cognito:groups"])
	}
	if ac["scope"] != "aws.cognito.signin.user.admin custom/read" {
		t.Errorf("scope: got %v", ac["scope"])
	}
	if _, err := f.pool.RefreshTokens(context.Background(), userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken}); err != nil {
		t.Fatal(err)
	}
	if source != "TokenGeneration_RefreshTokens" {
		t.Errorf("triggerSource on refresh: got %q", source)
	}
}

func TestPreTokenGenerationCannotTouchReservedClaims(t *testing.T) {
	tests := []struct {
		name   string
		change func(ev *userpool.PreTokenGenerationEvent)
		want   *userpool.Error
	}{
		{"override sub", func(ev *userpool.PreTokenGenerationEvent) { ev.ClaimsToAddOrOverride = map[string]any{"sub": "x"} }, userpool.ErrInvalidLambdaResponse},
		{"override iss", func(ev *userpool.PreTokenGenerationEvent) { ev.ClaimsToAddOrOverride = map[string]any{"iss": "x"} }, userpool.ErrInvalidLambdaResponse},
		{"suppress exp", func(ev *userpool.PreTokenGenerationEvent) { ev.ClaimsToSuppress = []string{"exp"} }, userpool.ErrInvalidLambdaResponse},
		{"access client_id", func(ev *userpool.PreTokenGenerationEvent) {
			ev.AccessTokenClaimsToAddOrOverride = map[string]any{"client_id": "x"}
		}, userpool.ErrInvalidLambdaResponse},
		{"access token_use", func(ev *userpool.PreTokenGenerationEvent) { ev.AccessTokenClaimsToSuppress = []string{"token_use"} }, userpool.ErrInvalidLambdaResponse},
		{"complex email_verified", func(ev *userpool.PreTokenGenerationEvent) {
			ev.ClaimsToAddOrOverride = map[string]any{"email_verified": map[string]any{"a": 1}}
		}, userpool.ErrInvalidLambdaResponse},
		{"not JSON", func(ev *userpool.PreTokenGenerationEvent) { ev.ClaimsToAddOrOverride = map[string]any{"f": func() {}} }, userpool.ErrInvalidLambdaResponse},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newTokenFixture(t, userpool.WithTriggers(userpool.Triggers{PreTokenGeneration: func(ctx context.Context, ev *userpool.PreTokenGenerationEvent) error {
				tc.change(ev)
				return nil
			}}))
			_, err := userpool.IssueTokensForTest(context.Background(), f.pool, f.sub, f.public.ID, "")
			wantAuthErr(t, "issue", err, tc.want, "")
		})
	}
	t.Run("trigger error", func(t *testing.T) {
		f := newTokenFixture(t, userpool.WithTriggers(userpool.Triggers{PreTokenGeneration: func(ctx context.Context, ev *userpool.PreTokenGenerationEvent) error {
			return errors.New("no tokens today")
		}}))
		_, err := userpool.IssueTokensForTest(context.Background(), f.pool, f.sub, f.public.ID, "")
		wantAuthErr(t, "issue", err, userpool.ErrUserLambdaValidation, "PreTokenGeneration failed with error no tokens today.")
	})
}

func TestSigningKeysRotateAndPersist(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	old := f.signIn(t, f.public.ID)
	set, err := f.pool.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].Use != "sig" || set.Keys[0].Algorithm != "ES256" || !set.Keys[0].IsPublic() {
		t.Fatalf("JWKS: got %+v", set.Keys)
	}
	oldKID := set.Keys[0].KeyID
	newKID, err := f.pool.RotateSigningKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if newKID == oldKID {
		t.Fatalf("RotateSigningKey kept kid %s", oldKID)
	}
	fresh := f.signIn(t, f.public.ID)
	if kid := header(t, fresh.AccessToken)["kid"]; kid != newKID {
		t.Errorf("new tokens signed by %v, want %s", kid, newKID)
	}
	v := f.pool.Verifier()
	for _, tok := range []string{old.AccessToken, fresh.AccessToken} {
		if _, err := v.Verify(ctx, tok, userpool.TokenUseAccess); err != nil {
			t.Errorf("after rotation: %v", err)
		}
	}
	// A second instance on the same store sees both keys.
	p2, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p2.Verifier().Verify(ctx, old.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("second instance, old key: %v", err)
	}
	set2, _ := p2.JWKS(ctx)
	if len(set2.Keys) != 2 {
		t.Errorf("second instance JWKS: %d keys, want 2", len(set2.Keys))
	}
	// After the longest token lifetime the retired key is gone.
	f.clock.Advance(25 * time.Hour)
	set, err = f.pool.JWKS(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Keys) != 1 || set.Keys[0].KeyID != newKID {
		t.Errorf("JWKS a day later: got %d keys, want only %s", len(set.Keys), newKID)
	}
}

func TestSigningKeySealedAtRest(t *testing.T) {
	key := make([]byte, 32)
	f := newTokenFixture(t, userpool.WithSecretKey(key))
	ctx := context.Background()
	res := f.signIn(t, f.public.ID)
	stored, err := f.store.SigningKeys(ctx, f.pool.ID())
	if err != nil || len(stored) != 1 {
		t.Fatalf("stored keys: %v, %v", stored, err)
	}
	if stored[0].Private[0] != 0x01 {
		t.Errorf("the stored key is not sealed")
	}
	// Another instance with another secret key cannot open it, and says
	// so rather than replacing the key.
	other := make([]byte, 32)
	other[0] = 1
	p2, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256), userpool.WithSecretKey(other),
		userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p2.Verifier().Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "Verify by a pool with another secret key", err, userpool.ErrInternal, "")
}

func TestAlgorithms(t *testing.T) {
	for _, alg := range []userpool.SigningAlgorithm{userpool.RS256, userpool.ES256, userpool.EdDSA} {
		t.Run(string(alg), func(t *testing.T) {
			f := newTokenFixture(t, userpool.WithSigningAlgorithm(alg))
			res := f.signIn(t, f.public.ID)
			if got := header(t, res.IDToken)["alg"]; got != string(alg) {
				t.Errorf("alg: got %v", got)
			}
			ctx := context.Background()
			c, err := f.pool.Verifier().Verify(ctx, res.IDToken, userpool.TokenUseID)
			if err != nil {
				t.Fatal(err)
			}
			if c.ClientID != f.public.ID || c.Username != fixtureUser || c.Subject != f.sub {
				t.Errorf("claims: %+v", c)
			}
			set, _ := f.pool.JWKS(ctx)
			v, err := userpool.NewVerifier(f.pool.Issuer(), set, userpool.WithVerifierClock(f.clock.Now))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
				t.Errorf("standalone verifier: %v", err)
			}
		})
	}
}
