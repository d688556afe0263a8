package userpool_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

// FuzzInitiateAuth feeds arbitrary flows, user names and passwords to
// InitiateAuth. Whatever the input, it returns a pool error or, for the
// one right password of the one user, tokens; it never panics and never
// leaves a session behind an error.
func FuzzInitiateAuth(f *testing.F) {
	e := newAuthEnv(f)
	e.user(f, "ana", nil)
	for _, seed := range []struct{ flow, user, password string }{
		{"USER_PASSWORD_AUTH", "ana", authPassword},
		{"USER_PASSWORD_AUTH", "ANA", "wrong"},
		{"ADMIN_NO_SRP_AUTH", "ana", authPassword},
		{"CUSTOM_AUTH", "ana", ""},
		{"REFRESH_TOKEN_AUTH", "", ""},
		{"USER_PASSWORD_AUTH", "a\x00na", "pass\u200bword"},
		{"USER_PASSWORD_AUTH", strings.Repeat("x", 200), strings.Repeat("é", 300)},
	} {
		f.Add(seed.flow, seed.user, seed.password)
	}
	f.Fuzz(func(t *testing.T, flow, user, password string) {
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: flow, ClientID: e.prevent.ID,
			AuthParameters: map[string]string{"USERNAME": user, "PASSWORD": password, "REFRESH_TOKEN": password},
		})
		if err != nil {
			var pe *userpool.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got %T %v, want a *userpool.Error", err, err)
			}
			if out.Session != "" || out.AuthenticationResult != nil {
				t.Fatalf("error %v came with %+v", err, out)
			}
			return
		}
		if out.AuthenticationResult != nil && password != authPassword {
			t.Fatalf("tokens for user %q with password %q", user, password)
		}
	})
}

// FuzzRespondToAuthChallenge feeds arbitrary sessions, challenge names and
// responses to RespondToAuthChallenge: only a session the pool issued
// can go anywhere, so every input here must end in a pool error.
func FuzzRespondToAuthChallenge(f *testing.F) {
	e := newAuthEnv(f)
	e.tempUser(f, "tmp", nil)
	out, err := e.signIn("tmp", tempPassword)
	if err != nil {
		f.Fatal(err)
	}
	// A real session, spent, and variants of it.
	_, _ = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: out.ChallengeName, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "weak"}})
	for _, s := range []string{out.Session, out.Session[:len(out.Session)-1] + "A", "", "short", strings.Repeat("A", 54), strings.Repeat("/", 3000)} {
		f.Add(s, "NEW_PASSWORD_REQUIRED", "tmp", "userAttributes.name")
		f.Add(s, "CUSTOM_CHALLENGE", "tmp", "ANSWER")
	}
	f.Fuzz(func(t *testing.T, session, challenge, user, key string) {
		if session == out.Session {
			return // the real one may still be usable: it is not garbage
		}
		res, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.app.ID, ChallengeName: challenge, Session: session,
			ChallengeResponses: map[string]string{"USERNAME": user, key: "value", "NEW_PASSWORD": "New-horse-77"},
		})
		var pe *userpool.Error
		if err == nil || !errors.As(err, &pe) {
			t.Fatalf("got %+v, %v, want a pool error", res, err)
		}
		if !errors.Is(err, userpool.ErrNotAuthorized) && !errors.Is(err, userpool.ErrInvalidParameter) {
			t.Fatalf("got %v, want NotAuthorized or InvalidParameter", err)
		}
	})
}
