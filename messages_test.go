package userpool_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

// customize is a CustomMessage trigger that records events and replaces
// the texts with its own, which keep the placeholders.
func customize(events *[]userpool.CustomMessageEvent) func(context.Context, *userpool.CustomMessageEvent) error {
	return func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
		*events = append(*events, *ev)
		ev.EmailSubject = "Hello from " + ev.TriggerSource
		ev.EmailMessage = "Code " + ev.CodeParameter + " " + ev.UsernameParameter
		ev.SMSMessage = "SMS " + ev.CodeParameter + " " + ev.UsernameParameter
		return nil
	}
}

func TestCustomMessageEvents(t *testing.T) {
	tests := []struct {
		name    string
		run     func(t *testing.T, e *lcEnv)
		to      string
		source  string
		subject string
		body    func(code string) string
	}{
		{name: "sign-up", run: func(t *testing.T, e *lcEnv) { e.signUp(t, "bob", map[string]string{"email": "bob@example.com"}) },
			to: "bob@example.com", source: "CustomMessage_SignUp", body: func(c string) string { return "Code " + c + " " }},
		{name: "resend", run: func(t *testing.T, e *lcEnv) {
			e.signUp(t, "bob", map[string]string{"email": "bob@example.com"})
			if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "bob"}); err != nil {
				t.Fatal(err)
			}
		}, to: "bob@example.com", source: "CustomMessage_ResendCode", body: func(c string) string { return "Code " + c + " " }},
		{name: "invitation", run: func(t *testing.T, e *lcEnv) {
			if _, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "bob", UserAttributes: map[string]string{"phone_number": "+12065550199"}}); err != nil {
				t.Fatal(err)
			}
		}, to: "+12065550199", source: "CustomMessage_AdminCreateUser", body: func(c string) string { return "SMS " + c + " bob" }},
		{name: "attribute update", run: func(t *testing.T, e *lcEnv) { e.update(t, "ana", map[string]string{"email": "new@example.com"}) },
			to: "new@example.com", source: "CustomMessage_UpdateUserAttribute", body: func(c string) string { return "Code " + c + " " }},
		{name: "verification request", run: func(t *testing.T, e *lcEnv) {
			if _, err := e.pool.RequestAttributeVerification(e.ctx, "ana", "email"); err != nil {
				t.Fatal(err)
			}
		}, to: "ana@example.com", source: "CustomMessage_VerifyUserAttribute", body: func(c string) string { return "Code " + c + " " }},
		{name: "password reset", run: func(t *testing.T, e *lcEnv) {
			if _, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
		}, to: "ana@example.com", source: "CustomMessage_ForgotPassword", body: func(c string) string { return "Code " + c + " " }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var events []userpool.CustomMessageEvent
			e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithTriggers(userpool.Triggers{CustomMessage: customize(&events)}))
			e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
			events = nil
			tt.run(t, e)
			ev := events[len(events)-1]
			if ev.TriggerSource != tt.source || ev.CodeParameter != "{####}" || ev.PoolID != e.pool.ID() || ev.UserAttributes["sub"] == "" {
				t.Fatalf("got event %+v", ev)
			}
			if wantUser := tt.source == "CustomMessage_AdminCreateUser"; (ev.UsernameParameter == "{username}") != wantUser {
				t.Fatalf("UsernameParameter %q", ev.UsernameParameter)
			}
			m := e.sent.last(t, tt.to)
			if m.Body != tt.body(m.Code) {
				t.Fatalf("got body %q, want %q", m.Body, tt.body(m.Code))
			}
			if m.Channel == userpool.ChannelEmail && m.Subject != "Hello from "+tt.source {
				t.Fatalf("got subject %q", m.Subject)
			}
		})
	}
}

func TestCustomMessageRefused(t *testing.T) {
	tests := []struct {
		name    string
		trigger func(context.Context, *userpool.CustomMessageEvent) error
		invite  bool
		want    error
		msg     string
	}{
		{name: "drops the code", trigger: func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
			ev.EmailMessage = "Welcome!"
			return nil
		}, want: userpool.ErrInvalidLambdaResponse, msg: "{####}"},
		{name: "drops the user name from an invitation", invite: true, trigger: func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
			ev.EmailMessage = "Your password: {####}"
			return nil
		}, want: userpool.ErrInvalidLambdaResponse, msg: "{username}"},
		{name: "subject too long", trigger: func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
			ev.EmailSubject = strings.Repeat("s", 141)
			return nil
		}, want: userpool.ErrInvalidLambdaResponse},
		{name: "fails", trigger: func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
			return errors.New("template store down")
		},
			want: userpool.ErrUserLambdaValidation, msg: "CustomMessage failed with error template store down."},
		{name: "changes nothing", trigger: func(ctx context.Context, ev *userpool.CustomMessageEvent) error { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithTriggers(userpool.Triggers{CustomMessage: tt.trigger}))
			var err error
			if tt.invite {
				_, err = e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"email": "ana@example.com"}})
			} else {
				_, err = e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}})
			}
			lcCheckErr(t, err, tt.want, tt.msg)
			n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID())
			if tt.want != nil && (n != 0 || e.sent.count() != 0) {
				t.Fatalf("a refused message left %d users and sent %d messages", n, e.sent.count())
			}
			if tt.want == nil {
				if m := e.sent.last(t, "ana@example.com"); m.Body != "Your verification code is "+m.Code+". " {
					t.Fatalf("got %q, want the pool's template", m.Body)
				}
			}
		})
	}
}

func TestVerificationByLink(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithEmailFrom("no-reply@example.com", "help@example.com"),
		userpool.WithVerificationMessage(userpool.VerificationMessage{DefaultEmailOption: userpool.ConfirmWithLink, LinkBaseURL: "https://auth.example.com/"}))
	_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: "web+1", Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}})
	lcCheckErr(t, err, nil, "")
	m := e.sent.last(t, "ana@example.com")
	want := `Please click the link below to verify your email address. <a href="https://auth.example.com/confirmUser?client_id=web%2B1&amp;confirmation_code=` + m.Code + `&amp;user_name=ana">Verify Email</a> `
	if m.Body != want || m.Subject != "Your verification link" || m.From != "no-reply@example.com" || m.ReplyTo != "help@example.com" {
		t.Fatalf("got %+v\nwant body %q", m, want)
	}
}
