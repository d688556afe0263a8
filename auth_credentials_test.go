package userpool_test

import (
	"bytes"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// TestPasswordChangesRenewSRPVerifier: every way a user sets a password
// stores a fresh SRP verifier with it, so USER_SRP_AUTH follows the
// password the user set last.
func TestPasswordChangesRenewSRPVerifier(t *testing.T) {
	const next = "New-horse-77"
	tests := []struct {
		name string
		// temporary starts the user with a temporary password.
		temporary bool
		change    func(t *testing.T, e *authEnv)
	}{
		{"NEW_PASSWORD_REQUIRED", true, func(t *testing.T, e *authEnv) {
			out, err := e.signIn("ana", tempPassword)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: out.ChallengeName, Session: out.Session,
				ChallengeResponses: map[string]string{"USERNAME": "ana", "NEW_PASSWORD": next}})
			if err != nil {
				t.Fatal(err)
			}
		}},
		{"ChangePassword", false, func(t *testing.T, e *authEnv) {
			tok := e.tokens(t, "ana", authPassword)
			if err := e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: tok.AccessToken, PreviousPassword: authPassword, ProposedPassword: next}); err != nil {
				t.Fatal(err)
			}
		}},
		{"ConfirmForgotPassword", false, func(t *testing.T, e *authEnv) {
			if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
				t.Fatal(err)
			}
			code := e.sent.code(t, "ana@example.com")
			if err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "ana", ConfirmationCode: code, Password: next}); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAuthEnv(t)
			attrs := map[string]string{"email": "ana@example.com", "email_verified": "true"}
			if tt.temporary {
				e.tempUser(t, "ana", attrs)
			} else {
				e.user(t, "ana", attrs)
			}
			u, err := e.pool.AdminGetUser(e.ctx, "ana")
			if err != nil {
				t.Fatal(err)
			}
			before := stored(t, e, u.Sub)
			tt.change(t, e)
			wantNewVerifier(t, before, stored(t, e, u.Sub))
		})
	}
}

func stored(t *testing.T, e *authEnv, sub string) storage.User {
	t.Helper()
	u, err := e.store.GetUser(e.ctx, e.pool.ID(), sub)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func wantNewVerifier(t *testing.T, before, after storage.User) {
	t.Helper()
	if len(after.SRP.Salt) == 0 || len(after.SRP.Verifier) == 0 {
		t.Fatalf("no SRP verifier stored with the new password")
	}
	if bytes.Equal(before.SRP.Salt, after.SRP.Salt) {
		t.Fatalf("SRP salt unchanged by the new password")
	}
}
