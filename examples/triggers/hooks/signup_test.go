package hooks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/triggers/hooks"
)

const refused = "PreSignUp failed with error only example.com email addresses may sign up."

func TestAllowDomainSignUp(t *testing.T) {
	for _, tc := range []struct {
		name, email string
		admitted    bool
	}{
		{"in the domain", "ana@example.com", true},
		{"domain in capitals", "bob@EXAMPLE.com", true},
		{"other domain", "eve@evil.test", false},
		{"subdomain", "eve@mail.example.com", false},
		{"domain as a prefix", "eve@example.com.evil.test", false},
		{"domain as a suffix", "eve@notexample.com", false},
		{"no email", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pool := newPool(t, &outbox{})
			attrs := map[string]string{}
			if tc.email != "" {
				attrs["email"] = tc.email
			}
			_, err := pool.SignUp(t.Context(), userpool.SignUpInput{ClientID: clientID, Username: "user", Password: "Correct-horse-9", UserAttributes: attrs})
			if tc.admitted {
				if err != nil {
					t.Fatalf("SignUp with %q: %v", tc.email, err)
				}
				return
			}
			wantRefused(t, err)
			// A refused sign-up leaves no user behind.
			if _, err := pool.AdminGetUser(t.Context(), "user"); !errors.Is(err, userpool.ErrUserNotFound) {
				t.Errorf("AdminGetUser after a refused sign-up: got %v, want UserNotFoundException", err)
			}
		})
	}
}

func TestAllowDomainAdminCreateUser(t *testing.T) {
	pool := newPool(t, &outbox{})
	_, err := pool.AdminCreateUser(t.Context(), userpool.AdminCreateUserInput{
		Username:       "eve",
		UserAttributes: map[string]string{"email": "eve@evil.test"},
		MessageAction:  userpool.MessageSuppress,
	})
	wantRefused(t, err)
}

// wantRefused checks err is the error Cognito gives for a PreSignUp
// trigger's refusal, with the trigger's message.
func wantRefused(t *testing.T, err error) {
	t.Helper()
	var e *userpool.Error
	if !errors.Is(err, userpool.ErrUserLambdaValidation) || !errors.As(err, &e) {
		t.Fatalf("got error %v, want UserLambdaValidationException", err)
	}
	if e.Message != refused {
		t.Errorf("message: got %q, want %q", e.Message, refused)
	}
}

// The trigger alone, without a pool: what it does with the event.
func TestAllowDomainEvent(t *testing.T) {
	allow := hooks.AllowDomain("example.com")
	ev := &userpool.PreSignUpEvent{TriggerRequest: userpool.TriggerRequest{
		TriggerSource:  "PreSignUp_SignUp",
		UserAttributes: map[string]string{"email": "ana@example.com"},
	}}
	if err := allow(context.Background(), ev); err != nil {
		t.Fatalf("ana@example.com: %v", err)
	}
	if ev.AutoConfirmUser || ev.AutoVerifyEmail {
		t.Error("AllowDomain confirmed the user; it should only admit or refuse")
	}
}
