package userpool_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestPasswordSignIn(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	hash := userpool.SecretHash("ana", e.secret.ID, e.secret.Secret)
	tests := []struct {
		name  string
		admin bool
		in    userpool.InitiateAuthInput
	}{
		{"USER_PASSWORD_AUTH", false, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}},
		{"user name in another case", false, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "ANA", "PASSWORD": authPassword}}},
		{"with SECRET_HASH", false, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.secret.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword, "SECRET_HASH": hash}}},
		{"ADMIN_USER_PASSWORD_AUTH", true, userpool.InitiateAuthInput{AuthFlow: "ADMIN_USER_PASSWORD_AUTH", ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}},
		{"ADMIN_NO_SRP_AUTH", true, userpool.InitiateAuthInput{AuthFlow: "ADMIN_NO_SRP_AUTH", ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}},
		{"USER_PASSWORD_AUTH through AdminInitiateAuth", true, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			initiate := e.pool.InitiateAuth
			if tt.admin {
				initiate = e.pool.AdminInitiateAuth
			}
			out, err := initiate(e.ctx, tt.in)
			e.wantTokens(t, tt.name, out, err, "ana")
			res := out.AuthenticationResult
			if res.RefreshToken == "" || res.IDToken == "" || res.TokenType != "Bearer" || res.ExpiresIn != 3600 {
				t.Errorf("got %+v, want every token, Bearer, 3600", res)
			}
		})
	}
}

func TestPasswordSignInRefused(t *testing.T) {
	e := newAuthEnv(t)
	// An expired temporary password first, then the clock moves past
	// its seven days.
	e.tempUser(t, "old", nil)
	e.clock.Advance(7*24*time.Hour + time.Second)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	e.user(t, "dis", nil)
	if err := e.pool.AdminDisableUser(e.ctx, "dis"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: e.app.ID, Username: "unc", Password: authPassword}); err != nil {
		t.Fatal(err)
	}
	e.user(t, "rst", map[string]string{"email": "rst@example.com", "email_verified": "true"})
	if _, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "rst"}); err != nil {
		t.Fatal(err)
	}
	params := func(user, password string) map[string]string {
		return map[string]string{"USERNAME": user, "PASSWORD": password}
	}
	const wrong = "Wrong-horse-9"
	tests := []struct {
		name   string
		admin  bool
		flow   string
		client string
		params map[string]string
		want   *userpool.Error
		msg    string
	}{
		{"wrong password", false, "USER_PASSWORD_AUTH", e.app.ID, params("ana", wrong), userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"unknown user", false, "USER_PASSWORD_AUTH", e.app.ID, params("nobody", authPassword), userpool.ErrUserNotFound, "User does not exist."},
		{"unknown user, existence errors prevented", false, "USER_PASSWORD_AUTH", e.prevent.ID, params("nobody", authPassword), userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"disabled user", false, "USER_PASSWORD_AUTH", e.app.ID, params("dis", authPassword), userpool.ErrNotAuthorized, "User is disabled."},
		{"disabled user, wrong password", false, "USER_PASSWORD_AUTH", e.app.ID, params("dis", wrong), userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"unconfirmed user", false, "USER_PASSWORD_AUTH", e.app.ID, params("unc", authPassword), userpool.ErrUserNotConfirmed, "User is not confirmed."},
		{"unconfirmed user, wrong password", false, "USER_PASSWORD_AUTH", e.app.ID, params("unc", wrong), userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"reset required", false, "USER_PASSWORD_AUTH", e.app.ID, params("rst", authPassword), userpool.ErrPasswordResetRequired, "Password reset required for the user"},
		{"reset required, wrong password", false, "USER_PASSWORD_AUTH", e.app.ID, params("rst", wrong), userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"temporary password expired", false, "USER_PASSWORD_AUTH", e.app.ID, params("old", tempPassword), userpool.ErrNotAuthorized, "Temporary password has expired and must be reset by an administrator."},
		{"missing SECRET_HASH", false, "USER_PASSWORD_AUTH", e.secret.ID, params("ana", authPassword), userpool.ErrNotAuthorized, "Client " + e.secret.ID + " is configured with secret but SECRET_HASH was not received"},
		{"bad SECRET_HASH", false, "USER_PASSWORD_AUTH", e.secret.ID,
			map[string]string{"USERNAME": "ana", "PASSWORD": authPassword, "SECRET_HASH": userpool.SecretHash("ana", e.secret.ID, "not-the-secret")},
			userpool.ErrNotAuthorized, "Unable to verify secret hash for client " + e.secret.ID},
		{"bad SECRET_HASH, unknown user", false, "USER_PASSWORD_AUTH", e.secret.ID,
			map[string]string{"USERNAME": "nobody", "PASSWORD": authPassword, "SECRET_HASH": "AAAA"},
			userpool.ErrNotAuthorized, "Unable to verify secret hash for client " + e.secret.ID},
		{"flow not enabled", false, "USER_PASSWORD_AUTH", e.srp.ID, params("ana", authPassword), userpool.ErrInvalidParameter, "USER_PASSWORD_AUTH flow not enabled for this client"},
		{"admin flow not enabled", true, "ADMIN_USER_PASSWORD_AUTH", e.srp.ID, params("ana", authPassword), userpool.ErrInvalidParameter, "ADMIN_USER_PASSWORD_AUTH flow not enabled for this client"},
		{"admin flow sent to InitiateAuth", false, "ADMIN_USER_PASSWORD_AUTH", e.app.ID, params("ana", authPassword), userpool.ErrInvalidParameter, "Initiate Auth method not supported."},
		{"legacy admin flow sent to InitiateAuth", false, "ADMIN_NO_SRP_AUTH", e.app.ID, params("ana", authPassword), userpool.ErrInvalidParameter, "Initiate Auth method not supported."},
		{"USER_AUTH", false, "USER_AUTH", e.app.ID, params("ana", authPassword), userpool.ErrInvalidParameter, "USER_AUTH flow not enabled for this client"},
		{"unknown flow", false, "PASSWORD_PLEASE", e.app.ID, params("ana", authPassword), userpool.ErrInvalidParameter, ""},
		{"unknown client", false, "USER_PASSWORD_AUTH", "nosuchclient", params("ana", authPassword), userpool.ErrResourceNotFound, "User pool client nosuchclient does not exist."},
		{"missing USERNAME", false, "USER_PASSWORD_AUTH", e.app.ID, map[string]string{"PASSWORD": authPassword}, userpool.ErrInvalidParameter, "Missing required parameter USERNAME"},
		{"missing PASSWORD", false, "USER_PASSWORD_AUTH", e.app.ID, map[string]string{"USERNAME": "ana"}, userpool.ErrInvalidParameter, "Missing required parameter PASSWORD"},
		{"password too long", false, "USER_PASSWORD_AUTH", e.app.ID, params("ana", string(make([]byte, 300))), userpool.ErrInvalidParameter, ""},
		{"missing REFRESH_TOKEN", false, "REFRESH_TOKEN_AUTH", e.app.ID, map[string]string{}, userpool.ErrInvalidParameter, "Missing required parameter REFRESH_TOKEN"},
		{"garbage REFRESH_TOKEN", false, "REFRESH_TOKEN_AUTH", e.app.ID, map[string]string{"REFRESH_TOKEN": "garbage"}, userpool.ErrNotAuthorized, "Invalid Refresh Token."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			initiate := e.pool.InitiateAuth
			if tt.admin {
				initiate = e.pool.AdminInitiateAuth
			}
			out, err := initiate(e.ctx, userpool.InitiateAuthInput{AuthFlow: tt.flow, ClientID: tt.client, AuthParameters: tt.params})
			wantAuthErr(t, tt.name, err, tt.want, tt.msg)
			if out.AuthenticationResult != nil || out.Session != "" {
				t.Errorf("got %+v with the error, want nothing", out)
			}
		})
	}
}

func TestRefreshTokenAuth(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", nil)
	first := e.tokens(t, "ana", authPassword)
	for _, flow := range []string{"REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"} {
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: flow, ClientID: e.app.ID, AuthParameters: map[string]string{"REFRESH_TOKEN": first.RefreshToken},
		})
		e.wantTokens(t, flow, out, err, "ana")
		if out.AuthenticationResult.RefreshToken != "" {
			t.Errorf("%s returned a refresh token; clients keep the one they have", flow)
		}
	}
	_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
		AuthFlow: "REFRESH_TOKEN_AUTH", ClientID: e.prevent.ID, AuthParameters: map[string]string{"REFRESH_TOKEN": first.RefreshToken},
	})
	wantAuthErr(t, "refresh with another client", err, userpool.ErrNotAuthorized, "Invalid Refresh Token.")
}

// TestLockoutSchedule follows the documented schedule: five free
// attempts, then locks of 1 s, 2 s, 4 s ... up to 15 minutes, refused
// attempts (even with the right password) not extending them, and the
// count starting over after a right password or 15 idle minutes.
func TestLockoutSchedule(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", nil)
	const wrong = "Wrong-horse-9"
	try := func(password string) error { _, err := e.signIn("ana", password); return err }
	for i := 1; i <= 5; i++ {
		wantAuthErr(t, "wrong attempt", try(wrong), userpool.ErrNotAuthorized, "Incorrect username or password.")
	}
	wantAuthErr(t, "right password during the lock", try(authPassword), userpool.ErrNotAuthorized, "Password attempts exceeded")
	e.clock.Advance(999 * time.Millisecond)
	wantAuthErr(t, "just before the lock ends", try(authPassword), userpool.ErrNotAuthorized, "Password attempts exceeded")
	e.clock.Advance(time.Millisecond)
	wantAuthErr(t, "6th attempt, after the 1 s lock", try(wrong), userpool.ErrNotAuthorized, "Incorrect username or password.")
	e.clock.Advance(time.Second)
	wantAuthErr(t, "1 s into the 2 s lock", try(authPassword), userpool.ErrNotAuthorized, "Password attempts exceeded")
	e.clock.Advance(time.Second)
	if _, err := e.signIn("ana", authPassword); err != nil {
		t.Fatalf("right password after the lock: %v", err)
	}
	// A success starts the count over: four wrong attempts lock nothing.
	for i := 1; i <= 4; i++ {
		wantAuthErr(t, "wrong attempt after success", try(wrong), userpool.ErrNotAuthorized, "Incorrect username or password.")
	}
	if _, err := e.signIn("ana", authPassword); err != nil {
		t.Fatalf("5th attempt after a success: %v", err)
	}

	// Lock lengths, read from the store: the n-th attempt locks for
	// 2^(n-5) s, capped at 15 minutes (reached by the 15th; the attempt
	// after a 15-minute lock finds the count idle that long and starts
	// over).
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= 15; n++ {
		want := time.Duration(0)
		if n >= 5 {
			want = min(time.Second<<(n-5), 15*time.Minute)
		}
		if err := try(wrong); err == nil {
			t.Fatal("wrong password accepted")
		}
		c, err := e.store.GetAttempts(e.ctx, e.pool.ID(), "password:"+u.Sub)
		if err != nil {
			t.Fatal(err)
		}
		got := time.Duration(0)
		if !c.LockedUntil.IsZero() {
			got = c.LockedUntil.Sub(e.clock.Now())
		}
		if got != want {
			t.Fatalf("attempt %d: lock %v, want %v", n, got, want)
		}
		e.clock.Advance(got)
	}
	// Fifteen idle minutes after the last lock starts the count over.
	e.clock.Advance(15 * time.Minute)
	for i := 1; i <= 4; i++ {
		wantAuthErr(t, "wrong attempt after 15 idle minutes", try(wrong), userpool.ErrNotAuthorized, "Incorrect username or password.")
	}
	if _, err := e.signIn("ana", authPassword); err != nil {
		t.Fatalf("right password after the reset: %v", err)
	}
}

// TestLockoutParallel: 200 wrong attempts at once reach the password hash
// at most 6 times; the rest are refused by the lock before any hashing.
func TestLockoutParallel(t *testing.T) {
	for _, tc := range []struct {
		name   string
		client func(e *authEnv) string
		user   string
	}{
		{"known user", func(e *authEnv) string { return e.app.ID }, "ana"},
		{"unknown user, existence errors prevented", func(e *authEnv) string { return e.prevent.ID }, "nobody"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newAuthEnv(t)
			e.user(t, "ana", nil)
			before := userpool.PasswordChecksForTest(e.pool)
			const n = 200
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() {
					_, errs[i] = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
						AuthFlow: "USER_PASSWORD_AUTH", ClientID: tc.client(e),
						AuthParameters: map[string]string{"USERNAME": tc.user, "PASSWORD": "Wrong-horse-9"},
					})
				})
			}
			wg.Wait()
			checks := userpool.PasswordChecksForTest(e.pool) - before
			if checks > 6 {
				t.Errorf("%d password checks, want at most 6", checks)
			}
			locked := 0
			for _, err := range errs {
				var ue *userpool.Error
				if !errors.As(err, &ue) || !errors.Is(err, userpool.ErrNotAuthorized) {
					t.Fatalf("got %v, want NotAuthorized", err)
				}
				if ue.Message == "Password attempts exceeded" {
					locked++
				}
			}
			if int64(locked) != n-checks {
				t.Errorf("%d attempts refused by the lock and %d checked, want them to add up to %d", locked, checks, n)
			}
		})
	}
}

// TestUnknownUserLooksLikeWrongPassword: with PreventUserExistenceErrors
// an unknown user and a wrong password give the same error and message,
// cost one hash each, and lock out alike.
func TestUnknownUserLooksLikeWrongPassword(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", nil)
	try := func(name string) (error, int64) {
		before := userpool.PasswordChecksForTest(e.pool)
		_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.prevent.ID,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": "Wrong-horse-9"},
		})
		return err, userpool.PasswordChecksForTest(e.pool) - before
	}
	for i := 1; i <= 6; i++ {
		errKnown, hashesKnown := try("ana")
		errUnknown, hashesUnknown := try("nobody")
		var a, b *userpool.Error
		if !errors.As(errKnown, &a) || !errors.As(errUnknown, &b) {
			t.Fatalf("attempt %d: got %v and %v, want pool errors", i, errKnown, errUnknown)
		}
		if a.Code != b.Code || a.Message != b.Message {
			t.Fatalf("attempt %d: wrong password gives %s %q, unknown user %s %q", i, a.Code, a.Message, b.Code, b.Message)
		}
		if hashesKnown != hashesUnknown {
			t.Fatalf("attempt %d: wrong password cost %d hashes, unknown user %d", i, hashesKnown, hashesUnknown)
		}
		want := "Incorrect username or password."
		if i == 6 {
			want = "Password attempts exceeded"
		}
		if a.Message != want {
			t.Fatalf("attempt %d: got %q, want %q", i, a.Message, want)
		}
	}
}

func TestPasswordRehash(t *testing.T) {
	// A hash of other parameters is replaced at the next good sign-in.
	e := newAuthEnv(t)
	e.user(t, "ana", nil)
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	stored, err := e.store.GetUser(e.ctx, e.pool.ID(), u.Sub)
	if err != nil {
		t.Fatal(err)
	}
	// $argon2id$v=19$m=64,t=1,p=1 is the cheap profile; a pool with
	// another profile (t=2) must replace it.
	p2, err := userpool.New(e.ctx, "signin", userpool.WithStore(e.store), userpool.WithClock(e.clock.Now),
		userpool.WithPasswordHashing(userpool.PasswordHashing{Memory: 64, Time: 2, Threads: 1}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = p2.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}})
	if err != nil {
		t.Fatal(err)
	}
	after, err := e.store.GetUser(e.ctx, e.pool.ID(), u.Sub)
	if err != nil {
		t.Fatal(err)
	}
	if after.PasswordHash == stored.PasswordHash {
		t.Fatalf("hash %s not replaced", after.PasswordHash)
	}
	if _, err := p2.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}); err != nil {
		t.Fatalf("sign-in with the new hash: %v", err)
	}
}
