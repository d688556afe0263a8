package userpool_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestRefreshTokens(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	res := f.signIn(t, f.public.ID)
	first := payload(t, res.AccessToken)
	f.clock.Advance(10 * time.Minute)
	out, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if out.RefreshToken != "" || out.ExpiresIn != 3600 || out.TokenType != "Bearer" {
		t.Errorf("refresh result: %+v (no new refresh token without rotation)", out)
	}
	ac := payload(t, out.AccessToken)
	if ac["origin_jti"] != first["origin_jti"] || ac["auth_time"] != first["auth_time"] {
		t.Errorf("refresh must keep origin_jti and auth_time: got %v %v, want %v %v", ac["origin_jti"], ac["auth_time"], first["origin_jti"], first["auth_time"])
	}
	if ac["jti"] == first["jti"] || ac["iat"] != float64(f.clock.Now().Unix()) {
		t.Errorf("refresh must mint a new jti and iat: %v", ac)
	}
	if _, err := f.pool.Verifier().Verify(ctx, out.IDToken, userpool.TokenUseID); err != nil {
		t.Errorf("refreshed ID token: %v", err)
	}
}

func TestRefreshRefusals(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	pub := f.signIn(t, f.public.ID)
	sec := f.signIn(t, f.secret.ID)
	hash := userpool.SecretHash(fixtureUser, f.secret.ID, f.secret.Secret)
	srp, err := f.pool.CreateClient(ctx, userpool.ClientConfig{Name: "srp only", AuthFlows: []userpool.AuthFlow{userpool.FlowUserSRP, userpool.FlowRefreshToken}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		in   userpool.RefreshInput
		want *userpool.Error
		msg  string
	}{
		{"garbage", userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: "garbage"}, userpool.ErrNotAuthorized, "Invalid Refresh Token."},
		{"unknown", userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}, userpool.ErrNotAuthorized, "Invalid Refresh Token."},
		{"another client's token", userpool.RefreshInput{ClientID: srp.ID, RefreshToken: pub.RefreshToken}, userpool.ErrNotAuthorized, "Invalid Refresh Token."},
		{"unknown client", userpool.RefreshInput{ClientID: "nope", RefreshToken: pub.RefreshToken}, userpool.ErrResourceNotFound, "User pool client nope does not exist."},
		{"missing SECRET_HASH", userpool.RefreshInput{ClientID: f.secret.ID, RefreshToken: sec.RefreshToken}, userpool.ErrNotAuthorized,
			"Client " + f.secret.ID + " is configured with secret but SECRET_HASH was not received"},
		{"bad SECRET_HASH", userpool.RefreshInput{ClientID: f.secret.ID, RefreshToken: sec.RefreshToken, SecretHash: userpool.SecretHash("bob", f.secret.ID, f.secret.Secret)},
			userpool.ErrNotAuthorized, "SecretHash does not match for the client: " + f.secret.ID},
		{"ID token as refresh token", userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: pub.IDToken}, userpool.ErrNotAuthorized, "Invalid Refresh Token."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pool.RefreshTokens(ctx, tc.in)
			wantAuthErr(t, "RefreshTokens", err, tc.want, tc.msg)
		})
	}
	if _, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.secret.ID, RefreshToken: sec.RefreshToken, SecretHash: hash}); err != nil {
		t.Errorf("good SECRET_HASH: %v", err)
	}
	// The sub works as the user name too.
	if _, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.secret.ID, RefreshToken: sec.RefreshToken, SecretHash: userpool.SecretHash(f.sub, f.secret.ID, f.secret.Secret)}); err != nil {
		t.Errorf("SECRET_HASH with the sub: %v", err)
	}
	f.clock.Advance(30 * 24 * time.Hour)
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: pub.RefreshToken})
	wantAuthErr(t, "expired refresh token", err, userpool.ErrNotAuthorized, "Refresh Token has expired")
}

func TestRefreshBoundToDevice(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	res, err := userpool.IssueTokensForTest(ctx, f.pool, f.sub, f.public.ID, "us-east-1_0d0a7b5e-0000-4000-8000-000000000001")
	if err != nil {
		t.Fatal(err)
	}
	if payload(t, res.AccessToken)["device_key"] != "us-east-1_0d0a7b5e-0000-4000-8000-000000000001" {
		t.Errorf("device_key claim missing")
	}
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
	wantAuthErr(t, "refresh without DEVICE_KEY", err, userpool.ErrNotAuthorized, "Invalid Refresh Token.")
	// No device record backs this key (the tokens were issued directly),
	// which is what a forgotten device leaves: its refresh tokens stop
	// working even with the right DEVICE_KEY. The device tests cover the
	// refresh of a confirmed device.
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken, DeviceKey: "us-east-1_0d0a7b5e-0000-4000-8000-000000000001"})
	wantAuthErr(t, "refresh for a device that does not exist", err, userpool.ErrNotAuthorized, "Invalid Refresh Token.")
}

func TestRevokeToken(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	v := f.pool.Verifier()
	a := f.signIn(t, f.public.ID)
	b := f.signIn(t, f.public.ID) // another session of the same user
	refreshed, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: a.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.pool.RevokeToken(ctx, a.RefreshToken, f.public.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: a.RefreshToken})
	wantAuthErr(t, "refresh after RevokeToken", err, userpool.ErrNotAuthorized, "Refresh Token has been revoked")
	for name, tok := range map[string]string{"access": a.AccessToken, "refreshed access": refreshed.AccessToken} {
		_, err := v.Verify(ctx, tok, userpool.TokenUseAccess)
		wantAuthErr(t, name+" token after RevokeToken", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	}
	_, err = v.Verify(ctx, a.IDToken, userpool.TokenUseID)
	wantAuthErr(t, "ID token after RevokeToken", err, userpool.ErrNotAuthorized, "ID Token has been revoked")
	if _, err := v.Verify(ctx, b.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("the other session must survive: %v", err)
	}
	// A second instance sharing the store sees the revocation.
	p2, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p2.Verifier().Verify(ctx, a.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "second instance", err, userpool.ErrNotAuthorized, "Access Token has been revoked")

	sec := f.signIn(t, f.secret.ID)
	wantAuthErr(t, "wrong secret", f.pool.RevokeToken(ctx, sec.RefreshToken, f.secret.ID, "wrong"), userpool.ErrUnauthorized, "")
	wantAuthErr(t, "another client", f.pool.RevokeToken(ctx, sec.RefreshToken, f.public.ID, ""), userpool.ErrUnauthorized, "")
	wantAuthErr(t, "unknown client", f.pool.RevokeToken(ctx, sec.RefreshToken, "nope", ""), userpool.ErrUnauthorized, "")
	wantAuthErr(t, "an access token", f.pool.RevokeToken(ctx, sec.AccessToken, f.secret.ID, f.secret.Secret), userpool.ErrUnsupportedTokenType, "")
	if err := f.pool.RevokeToken(ctx, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", f.public.ID, ""); err != nil {
		t.Errorf("unknown token: %v, want success (RFC 7009)", err)
	}
	if err := f.pool.RevokeToken(ctx, sec.RefreshToken, f.secret.ID, f.secret.Secret); err != nil {
		t.Errorf("RevokeToken with the secret: %v", err)
	}
}

func TestGlobalSignOut(t *testing.T) {
	for _, admin := range []bool{false, true} {
		name := "GlobalSignOut"
		if admin {
			name = "AdminUserGlobalSignOut"
		}
		t.Run(name, func(t *testing.T) {
			f := newTokenFixture(t)
			ctx := context.Background()
			v := f.pool.Verifier()
			a := f.signIn(t, f.public.ID)
			f.clock.Advance(5 * time.Second)
			b := f.signIn(t, f.secret.ID)
			var err error
			if admin {
				err = f.pool.AdminUserGlobalSignOut(ctx, fixtureUser)
			} else {
				err = f.pool.GlobalSignOut(ctx, b.AccessToken)
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range []userpool.AuthenticationResult{a, b} {
				_, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
				wantAuthErr(t, "access token", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
			}
			_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: a.RefreshToken})
			wantAuthErr(t, "refresh after sign-out", err, userpool.ErrNotAuthorized, "Refresh Token has been revoked")
			wantAuthErr(t, "sign out again with the revoked token", f.pool.GlobalSignOut(ctx, b.AccessToken), userpool.ErrNotAuthorized, "Access Token has been revoked")
			// Signing in again in the same second gives working tokens.
			f.clock.Advance(time.Millisecond)
			c := f.signIn(t, f.public.ID)
			if _, err := v.Verify(ctx, c.AccessToken, userpool.TokenUseAccess); err != nil {
				t.Errorf("new sign-in in the second of the sign-out: %v", err)
			}
			if _, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: c.RefreshToken}); err != nil {
				t.Errorf("refresh of the new sign-in: %v", err)
			}
		})
	}
	f := newTokenFixture(t)
	wantAuthErr(t, "unknown user", f.pool.AdminUserGlobalSignOut(context.Background(), "nobody"), userpool.ErrUserNotFound, "User does not exist.")
	wantAuthErr(t, "garbage token", f.pool.GlobalSignOut(context.Background(), "x"), userpool.ErrNotAuthorized, "Invalid Access Token")
}

// TestSecondSignOutInOneSecond signs out, signs in and signs out again
// within one second. Tokens of the sign-in between carry the next second
// as iat (they must outlive the first sign-out), so the second sign-out
// must reach past that second, or they would outlive it.
func TestSecondSignOutInOneSecond(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	v := f.pool.Verifier()
	f.signIn(t, f.public.ID)
	if err := f.pool.AdminUserGlobalSignOut(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Millisecond)
	between := f.signIn(t, f.public.ID)
	if _, err := v.Verify(ctx, between.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatalf("a sign-in after the first sign-out: %v", err)
	}
	f.clock.Advance(time.Millisecond)
	if err := f.pool.AdminUserGlobalSignOut(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(ctx, between.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "access token of the sign-in between two sign-outs", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	f.clock.Advance(time.Millisecond)
	after := f.signIn(t, f.public.ID)
	if _, err := v.Verify(ctx, after.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("a sign-in after the second sign-out: %v", err)
	}
}

func TestSignOutSeenByOtherInstanceWithinTTL(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	p2, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256))
	if err != nil {
		t.Fatal(err)
	}
	res := f.signIn(t, f.public.ID)
	v2 := p2.Verifier()
	if _, err := v2.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.AdminUserGlobalSignOut(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	// Within the TTL the other instance may still accept it; past it, not.
	f.clock.Advance(userpool.DefaultCacheTTL)
	_, err = v2.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "other instance after the TTL", err, userpool.ErrNotAuthorized, "Access Token has been revoked")

	// With a zero TTL there is no window at all.
	p3, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256), userpool.WithCacheTTL(0))
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Second)
	fresh := f.signIn(t, f.public.ID)
	v3 := p3.Verifier()
	if _, err := v3.Verify(ctx, fresh.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.RevokeToken(ctx, fresh.RefreshToken, f.public.ID, ""); err != nil {
		t.Fatal(err)
	}
	_, err = v3.Verify(ctx, fresh.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "zero-TTL instance right after RevokeToken", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
}

func TestDisabledOrDeletedUserTokensRevoked(t *testing.T) {
	f := newTokenFixture(t, userpool.WithCacheTTL(0))
	ctx := context.Background()
	res := f.signIn(t, f.public.ID)
	u, err := f.store.GetUser(ctx, f.pool.ID(), f.sub)
	if err != nil {
		t.Fatal(err)
	}
	u.Enabled = false
	if err := f.store.UpdateUsers(ctx, u); err != nil {
		t.Fatal(err)
	}
	_, err = f.pool.Verifier().Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "disabled user", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
	wantAuthErr(t, "refresh of a disabled user", err, userpool.ErrNotAuthorized, "User is disabled.")
	if err := f.store.DeleteUser(ctx, f.pool.ID(), f.sub); err != nil {
		t.Fatal(err)
	}
	_, err = f.pool.Verifier().Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "deleted user", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
}

func TestRefreshRotationReuseRevokesFamily(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	c, err := f.pool.CreateClient(ctx, userpool.ClientConfig{Name: "rotating", RefreshTokenRotation: true})
	if err != nil {
		t.Fatal(err)
	}
	first := f.signIn(t, c.ID)
	second, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: c.ID, RefreshToken: first.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	if second.RefreshToken == "" || second.RefreshToken == first.RefreshToken {
		t.Fatalf("rotation: got refresh token %q", second.RefreshToken)
	}
	third, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: c.ID, RefreshToken: second.RefreshToken})
	if err != nil {
		t.Fatal(err)
	}
	// The first token comes back: someone kept a copy.
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: c.ID, RefreshToken: first.RefreshToken})
	wantAuthErr(t, "reuse", err, userpool.ErrRefreshTokenReuse, "")
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: c.ID, RefreshToken: third.RefreshToken})
	wantAuthErr(t, "the family's newest token after reuse", err, userpool.ErrNotAuthorized, "Refresh Token has been revoked")
	for _, tok := range []string{first.AccessToken, second.AccessToken, third.AccessToken} {
		_, err := f.pool.Verifier().Verify(ctx, tok, userpool.TokenUseAccess)
		wantAuthErr(t, "access token of the family", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	}
}

func TestRefreshRotationConcurrentUseOneWins(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	c, err := f.pool.CreateClient(ctx, userpool.ClientConfig{Name: "rotating", RefreshTokenRotation: true})
	if err != nil {
		t.Fatal(err)
	}
	first := f.signIn(t, c.ID)
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 20 {
		wg.Go(func() {
			_, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: c.ID, RefreshToken: first.RefreshToken})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins > 1 {
		t.Errorf("%d concurrent refreshes with one rotating token succeeded, want at most 1", wins)
	}
}

// TestRevokeRacingRefresh checks the promise that a revocation racing a
// refresh leaves nothing usable minted after it.
func TestRevokeRacingRefresh(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	for range 20 {
		res := f.signIn(t, f.public.ID)
		var wg sync.WaitGroup
		minted := make(chan string, 50)
		for range 10 {
			wg.Go(func() {
				out, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
				if err == nil {
					minted <- out.AccessToken
				}
			})
		}
		if err := f.pool.RevokeToken(ctx, res.RefreshToken, f.public.ID, ""); err != nil {
			t.Fatal(err)
		}
		wg.Wait()
		close(minted)
		for tok := range minted {
			_, err := f.pool.Verifier().Verify(ctx, tok, userpool.TokenUseAccess)
			wantAuthErr(t, "token minted by a refresh racing RevokeToken", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
		}
		f.clock.Advance(time.Second)
	}
}

func TestAdminDisableRevokesAtOnce(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	v := f.pool.Verifier()
	res := f.signIn(t, f.public.ID)
	if _, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.AdminDisableUser(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	_, err := v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "disabled, same instance, within the TTL", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	if err := f.pool.AdminEnableUser(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "enabled again: old tokens stay revoked", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
	wantAuthErr(t, "enabled again: old refresh token", err, userpool.ErrNotAuthorized, "Refresh Token has been revoked")
	f.clock.Advance(time.Millisecond)
	fresh := f.signIn(t, f.public.ID)
	if _, err := v.Verify(ctx, fresh.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Errorf("new sign-in after enabling: %v", err)
	}
	if err := f.pool.AdminDeleteUser(ctx, fixtureUser); err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(ctx, fresh.AccessToken, userpool.TokenUseAccess)
	wantAuthErr(t, "deleted, same instance, within the TTL", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
}

// TestRefreshWithClientSecret: a client with a secret may authenticate a
// refresh with the secret itself (GetTokensFromRefreshToken's way) instead
// of a SECRET_HASH; a wrong one is refused.
func TestRefreshWithClientSecret(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	res := f.signIn(t, f.secret.ID)
	for _, tc := range []struct {
		name, secret string
		err          *userpool.Error
	}{
		{"wrong secret", "not-the-secret", userpool.ErrNotAuthorized},
		{"the secret", f.secret.Secret, nil},
	} {
		_, err := f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.secret.ID, RefreshToken: res.RefreshToken, ClientSecret: tc.secret})
		if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
			t.Errorf("%s: %v", tc.name, err)
		}
	}
}
