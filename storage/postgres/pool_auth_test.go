package postgres_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/fakeclock"
)

// The tests below sign users in across two instances sharing a database:
// what one instance starts or revokes, the other continues or refuses.

// signInPools returns two instances of one pool on a shared clock, an app
// client allowing password sign-in, and a confirmed user "ana" with
// password pw.
func signInPools(t *testing.T) (a, b *userpool.Pool, clientID string, clock *fakeclock.Clock) {
	t.Helper()
	ctx := context.Background()
	s := instances(t, 2)
	clock = fakeclock.New(t0)
	a, err := newPool(t, s[0], userpool.WithClock(clock.Now))
	must(t, err)
	b, err = newPool(t, s[1], userpool.WithClock(clock.Now))
	must(t, err)
	c, err := a.CreateClient(ctx, userpool.ClientConfig{Name: "app", AuthFlows: []userpool.AuthFlow{
		userpool.FlowUserPassword, userpool.FlowRefreshToken}})
	must(t, err)
	_, err = a.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: "ana", TemporaryPassword: "Temp-pass-42", MessageAction: userpool.MessageSuppress})
	must(t, err)
	return a, b, c.ID, clock
}

const pw = "Correct-horse-9"

func passwordSignIn(p *userpool.Pool, clientID, password string) (userpool.AuthOutput, error) {
	return p.InitiateAuth(context.Background(), userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: clientID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": password}})
}

// TestPoolsShareSignInSessions starts a sign-in on one instance (the
// temporary password's NEW_PASSWORD_REQUIRED) and answers it on the other.
func TestPoolsShareSignInSessions(t *testing.T) {
	a, b, clientID, _ := signInPools(t)
	out, err := passwordSignIn(a, clientID, "Temp-pass-42")
	must(t, err)
	if out.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("got challenge %q, want NEW_PASSWORD_REQUIRED", out.ChallengeName)
	}
	in := userpool.RespondInput{ClientID: clientID, ChallengeName: out.ChallengeName, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": out.ChallengeParameters["USER_ID_FOR_SRP"], "NEW_PASSWORD": pw}}
	done, err := b.RespondToAuthChallenge(context.Background(), in)
	must(t, err)
	if done.AuthenticationResult == nil {
		t.Fatalf("the other instance answered %+v, want tokens", done)
	}
	// The session is single use across instances too.
	if _, err := a.RespondToAuthChallenge(context.Background(), in); !errors.Is(err, userpool.ErrNotAuthorized) {
		t.Errorf("reusing the session on the first instance: got %v, want NotAuthorized", err)
	}
}

// confirmedSignIn gives ana a permanent password and signs her in on p.
func confirmedSignIn(t *testing.T, p *userpool.Pool, clientID string) *userpool.AuthenticationResult {
	t.Helper()
	must(t, p.AdminSetUserPassword(context.Background(), userpool.AdminSetUserPasswordInput{Username: "ana", Password: pw, Permanent: true}))
	out, err := passwordSignIn(p, clientID, pw)
	must(t, err)
	if out.AuthenticationResult == nil {
		t.Fatalf("sign-in gave %+v, want tokens", out)
	}
	return out.AuthenticationResult
}

// TestPoolsLockoutCountsAcrossInstances spends ana's five free password
// attempts on both instances in turn: the sixth is refused on either, even
// with the right password.
func TestPoolsLockoutCountsAcrossInstances(t *testing.T) {
	a, b, clientID, _ := signInPools(t)
	must(t, a.AdminSetUserPassword(context.Background(), userpool.AdminSetUserPasswordInput{Username: "ana", Password: pw, Permanent: true}))
	pools := []*userpool.Pool{a, b}
	for i := range 5 {
		_, err := passwordSignIn(pools[i%2], clientID, "Wrong-horse-9")
		if !errors.Is(err, userpool.ErrNotAuthorized) || !strings.Contains(err.Error(), "Incorrect username or password.") {
			t.Fatalf("wrong password %d: got %v", i+1, err)
		}
	}
	for _, p := range pools {
		_, err := passwordSignIn(p, clientID, pw)
		if !errors.Is(err, userpool.ErrNotAuthorized) || !strings.Contains(err.Error(), "Password attempts exceeded") {
			t.Errorf("right password during the lock: got %v, want Password attempts exceeded", err)
		}
	}
}

// TestPoolsShareRevocation revokes a refresh token on one instance and
// signs out globally on the other: each instance refuses what the other
// revoked (access tokens once its revocation cache has been refreshed,
// which the verifier does within its cache lifetime of 30 s).
func TestPoolsShareRevocation(t *testing.T) {
	ctx := context.Background()
	a, b, clientID, clock := signInPools(t)
	first := confirmedSignIn(t, a, clientID)
	must(t, b.RevokeToken(ctx, first.RefreshToken, clientID, ""))
	_, err := a.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthRefreshToken, ClientID: clientID,
		AuthParameters: map[string]string{"REFRESH_TOKEN": first.RefreshToken}})
	if !errors.Is(err, userpool.ErrNotAuthorized) {
		t.Errorf("refresh on one instance after RevokeToken on the other: got %v, want NotAuthorized", err)
	}

	clock.Advance(time.Second)
	second, err := passwordSignIn(a, clientID, pw)
	must(t, err)
	tokens := second.AuthenticationResult
	if _, err := b.Verifier().Verify(ctx, tokens.AccessToken, userpool.TokenUseAccess); err != nil {
		t.Fatalf("the other instance refuses a fresh access token: %v", err)
	}
	clock.Advance(time.Second)
	must(t, a.GlobalSignOut(ctx, tokens.AccessToken))
	_, err = b.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthRefreshToken, ClientID: clientID,
		AuthParameters: map[string]string{"REFRESH_TOKEN": tokens.RefreshToken}})
	if !errors.Is(err, userpool.ErrNotAuthorized) {
		t.Errorf("refresh on the other instance after a global sign-out: got %v, want NotAuthorized", err)
	}
	clock.Advance(31 * time.Second)
	if _, err := b.Verifier().Verify(ctx, tokens.AccessToken, userpool.TokenUseAccess); !errors.Is(err, userpool.ErrNotAuthorized) {
		t.Errorf("access token on the other instance after a global sign-out: got %v, want NotAuthorized", err)
	}
}

// TestPoolsShareSigningKeys rotates the signing key on one instance: tokens
// the other signs afterwards, and tokens signed before, verify on both.
func TestPoolsShareSigningKeys(t *testing.T) {
	ctx := context.Background()
	a, b, clientID, clock := signInPools(t)
	before := confirmedSignIn(t, a, clientID)
	kid, err := b.RotateSigningKey(ctx)
	must(t, err)
	clock.Advance(31 * time.Second) // past the key cache of the first instance
	after, err := passwordSignIn(a, clientID, pw)
	must(t, err)
	if got := headerKID(t, after.AuthenticationResult.IDToken); got != kid {
		t.Errorf("the first instance signs with %s after the other rotated to %s", got, kid)
	}
	for name, p := range map[string]*userpool.Pool{"first": a, "second": b} {
		for _, tok := range []string{before.IDToken, after.AuthenticationResult.IDToken} {
			if _, err := p.Verifier().Verify(ctx, tok, userpool.TokenUseID); err != nil {
				t.Errorf("%s instance: %v", name, err)
			}
		}
	}
	keys, err := a.JWKS(ctx)
	must(t, err)
	if len(keys.Key(kid)) != 1 {
		t.Errorf("the first instance does not publish the key %s rotated in on the other", kid)
	}
}

// headerKID returns the kid of a JWT's header.
func headerKID(t *testing.T, token string) string {
	t.Helper()
	head, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(head)
	must(t, err)
	var h struct {
		KID string `json:"kid"`
	}
	must(t, json.Unmarshal(raw, &h))
	return h.KID
}
