package hooks_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/triggers/hooks"
)

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// TestBrandedSignUp signs up in the allowed domain: the confirmation goes
// out in Acme's words with the real code, which then confirms the user.
func TestBrandedSignUp(t *testing.T) {
	box := &outbox{}
	pool := newPool(t, box)
	ctx := t.Context()
	if _, err := pool.SignUp(ctx, userpool.SignUpInput{
		ClientID: clientID, Username: "ana", Password: "Correct-horse-9",
		UserAttributes: map[string]string{"email": "ana@example.com"},
	}); err != nil {
		t.Fatal(err)
	}
	m := box.last(t)
	if !sixDigits.MatchString(m.Code) {
		t.Fatalf("code %q is not six digits", m.Code)
	}
	wantMessage(t, m, "Welcome to Acme", fmt.Sprintf("Welcome to Acme! Your confirmation code is %s.", m.Code))

	if _, err := pool.ResendConfirmationCode(ctx, userpool.ResendConfirmationCodeInput{ClientID: clientID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	m = box.last(t)
	wantMessage(t, m, "Your Acme confirmation code", fmt.Sprintf("Here is your new Acme confirmation code: %s.", m.Code))

	if _, err := pool.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{ClientID: clientID, Username: "ana", ConfirmationCode: m.Code}); err != nil {
		t.Fatalf("ConfirmSignUp with the code of the branded message: %v", err)
	}
}

// TestBrandedForgotPassword: the reset code goes out in Acme's words too.
func TestBrandedForgotPassword(t *testing.T) {
	box := &outbox{}
	pool := newPool(t, box)
	signUpConfirmed(t, pool, box, "ana", "ana@example.com")
	if _, err := pool.ForgotPassword(t.Context(), userpool.ForgotPasswordInput{ClientID: clientID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	m := box.last(t)
	wantMessage(t, m, "Reset your Acme password",
		fmt.Sprintf("Use the code %s to choose a new Acme password. If you did not ask for it, ignore this message.", m.Code))
}

// TestBrandedInvitation: AdminCreateUser's invitation keeps the user name
// and the temporary password.
func TestBrandedInvitation(t *testing.T) {
	box := &outbox{}
	pool := newPool(t, box)
	if _, err := pool.AdminCreateUser(t.Context(), userpool.AdminCreateUserInput{
		Username:          "bob",
		UserAttributes:    map[string]string{"email": "bob@example.com"},
		TemporaryPassword: "Temporary-pass-1",
	}); err != nil {
		t.Fatal(err)
	}
	wantMessage(t, box.last(t), "Your Acme account",
		"An account on Acme is waiting for you. Sign in as bob with the temporary password Temporary-pass-1.")
}

func wantMessage(t *testing.T, m userpool.Message, subject, body string) {
	t.Helper()
	if m.Subject != subject || m.Body != body {
		t.Errorf("message:\ngot  %q / %q\nwant %q / %q", m.Subject, m.Body, subject, body)
	}
}

// TestBrandedMessagesEvent runs the trigger on every source it knows and
// one it does not, checking what the pool will insist on.
func TestBrandedMessagesEvent(t *testing.T) {
	brand := hooks.BrandedMessages("Acme")
	for _, source := range []string{
		"CustomMessage_SignUp", "CustomMessage_ResendCode", "CustomMessage_AdminCreateUser",
		"CustomMessage_ForgotPassword", "CustomMessage_UpdateUserAttribute",
		"CustomMessage_VerifyUserAttribute", "CustomMessage_Authentication",
	} {
		t.Run(source, func(t *testing.T) {
			ev := newMessageEvent(source)
			if err := brand(context.Background(), ev); err != nil {
				t.Fatal(err)
			}
			for name, text := range map[string]string{"EmailMessage": ev.EmailMessage, "SMSMessage": ev.SMSMessage} {
				if !strings.Contains(text, "{####}") {
					t.Errorf("%s %q lost the code placeholder", name, text)
				}
				if source == "CustomMessage_AdminCreateUser" && !strings.Contains(text, "{username}") {
					t.Errorf("%s %q lost the user name placeholder", name, text)
				}
			}
			if !strings.Contains(ev.EmailSubject, "Acme") {
				t.Errorf("subject %q does not name the product", ev.EmailSubject)
			}
			if n := utf8.RuneCountInString(ev.SMSMessage); n > 140 {
				t.Errorf("SMS of %d characters, the pool allows 140", n)
			}
		})
	}
	t.Run("unknown source", func(t *testing.T) {
		ev := newMessageEvent("CustomMessage_Future")
		want := *ev
		if err := brand(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
		if ev.EmailSubject != want.EmailSubject || ev.EmailMessage != want.EmailMessage || ev.SMSMessage != want.SMSMessage {
			t.Errorf("texts changed for an unknown source: %+v", ev)
		}
	})
}

// newMessageEvent is an event as the pool makes it, carrying the pool's
// own texts.
func newMessageEvent(source string) *userpool.CustomMessageEvent {
	ev := &userpool.CustomMessageEvent{
		TriggerRequest: userpool.TriggerRequest{TriggerSource: source},
		CodeParameter:  "{####}",
		SMSMessage:     "Your code is {####}. ",
		EmailSubject:   "Your code",
		EmailMessage:   "Your code is {####}. ",
	}
	if source == "CustomMessage_AdminCreateUser" {
		ev.UsernameParameter = "{username}"
	}
	return ev
}
