package userpool_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestConfirmSignUp(t *testing.T) {
	tests := []struct {
		name string
		// code returns the user name and code to submit, after whatever
		// the case does first; ana and bob have signed up.
		code func(t *testing.T, e *lcEnv) (username, code string)
		want error
		msg  string
	}{
		{name: "right code", code: func(t *testing.T, e *lcEnv) (string, string) { return "ana", e.sent.last(t, "ana@example.com").Code }},
		{name: "user name in another case", code: func(t *testing.T, e *lcEnv) (string, string) { return "ANA", e.sent.last(t, "ana@example.com").Code }},
		{name: "just before expiry", code: func(t *testing.T, e *lcEnv) (string, string) {
			e.clock.Advance(24*time.Hour - time.Second)
			return "ana", e.sent.last(t, "ana@example.com").Code
		}},
		{name: "wrong code", code: func(t *testing.T, e *lcEnv) (string, string) {
			return "ana", otherCode(e.sent.last(t, "ana@example.com").Code)
		},
			want: userpool.ErrCodeMismatch, msg: "Invalid verification code provided, please try again."},
		{name: "code of another user", code: func(t *testing.T, e *lcEnv) (string, string) { return "ana", e.sent.last(t, "bob@example.com").Code },
			want: userpool.ErrCodeMismatch},
		{name: "expired code", code: func(t *testing.T, e *lcEnv) (string, string) {
			e.clock.Advance(24 * time.Hour)
			return "ana", e.sent.last(t, "ana@example.com").Code
		}, want: userpool.ErrExpiredCode, msg: "Invalid code provided, please request a code again."},
		{name: "code replaced by a resend", code: func(t *testing.T, e *lcEnv) (string, string) {
			old := e.sent.last(t, "ana@example.com").Code
			if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
			if e.sent.last(t, "ana@example.com").Code == old {
				t.Skip("the new code happens to equal the old one")
			}
			return "ana", old
		}, want: userpool.ErrCodeMismatch},
		{name: "code used twice", code: func(t *testing.T, e *lcEnv) (string, string) {
			code := e.sent.last(t, "ana@example.com").Code
			if _, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: code}); err != nil {
				t.Fatal(err)
			}
			return "ana", code
		}, want: userpool.ErrNotAuthorized, msg: "User cannot be confirmed. Current status is CONFIRMED"},
		{name: "confirmed by an administrator", code: func(t *testing.T, e *lcEnv) (string, string) {
			if err := e.pool.AdminConfirmSignUp(e.ctx, userpool.AdminConfirmSignUpInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
			return "ana", e.sent.last(t, "ana@example.com").Code
		}, want: userpool.ErrNotAuthorized, msg: "Current status is CONFIRMED"},
		{name: "no code ever sent", code: func(t *testing.T, e *lcEnv) (string, string) {
			e.signUp(t, "carol", nil)
			return "carol", "123456"
		}, want: userpool.ErrExpiredCode},
		{name: "unknown user", code: func(t *testing.T, e *lcEnv) (string, string) { return "zoe", "123456" },
			want: userpool.ErrUserNotFound, msg: "User does not exist."},
		{name: "empty code", code: func(t *testing.T, e *lcEnv) (string, string) { return "ana", "" }, want: userpool.ErrInvalidParameter},
		{name: "code with a space", code: func(t *testing.T, e *lcEnv) (string, string) { return "ana", "123 456" }, want: userpool.ErrInvalidParameter},
		{name: "not digits", code: func(t *testing.T, e *lcEnv) (string, string) { return "ana", "abcdef" }, want: userpool.ErrCodeMismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"))
			e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
			e.signUp(t, "bob", map[string]string{"email": "bob@example.com"})
			username, code := tt.code(t, e)
			_, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{ClientID: "client", Username: username, ConfirmationCode: code})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want == nil {
				if u := e.get(t, "ana"); u.Status != userpool.StatusConfirmed || u.Attributes["email_verified"] != "true" {
					t.Fatalf("got status %s and email_verified %q, want CONFIRMED and true", u.Status, u.Attributes["email_verified"])
				}
			}
			if errors.Is(tt.want, userpool.ErrCodeMismatch) {
				if u := e.get(t, "ana"); u.Status != userpool.StatusUnconfirmed {
					t.Fatalf("a wrong code changed the status to %s", u.Status)
				}
			}
		})
	}
}

func TestConfirmSignUpGuessBudget(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"))
	e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
	right := e.sent.last(t, "ana@example.com").Code
	confirm := func(code string) error {
		_, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: code})
		return err
	}
	for i := range 4 {
		if err := confirm(otherCode(right)); !errors.Is(err, userpool.ErrCodeMismatch) {
			t.Fatalf("wrong try %d: got %v, want CodeMismatch", i+1, err)
		}
	}
	steps := []struct {
		name    string
		advance time.Duration
		resend  bool
		code    func() string
		want    error
	}{
		{name: "fifth wrong try voids the code", code: func() string { return otherCode(right) }, want: userpool.ErrTooManyFailedAttempts},
		{name: "the right code during the lock", code: func() string { return right }, want: userpool.ErrTooManyFailedAttempts},
		{name: "the voided code after the lock", advance: time.Minute, code: func() string { return right }, want: userpool.ErrExpiredCode},
		{name: "a resend does not reset the budget", resend: true, code: func() string { return e.sent.last(t, "ana@example.com").Code }, want: userpool.ErrTooManyFailedAttempts},
		{name: "the new code after the lock", advance: 2 * time.Minute, code: func() string { return e.sent.last(t, "ana@example.com").Code }},
	}
	for _, s := range steps {
		e.clock.Advance(s.advance)
		if s.resend {
			if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := confirm(s.code()); !errors.Is(err, s.want) && !(s.want == nil && err == nil) {
			t.Fatalf("%s: got %v, want %v", s.name, err, s.want)
		}
	}
}

func TestConfirmSignUpConcurrent(t *testing.T) {
	var posted atomic.Int32
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithTriggers(userpool.Triggers{
		PostConfirmation: func(context.Context, *userpool.PostConfirmationEvent) error { posted.Add(1); return nil },
	}))
	e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
	code := e.sent.last(t, "ana@example.com").Code
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			_, errs[i] = e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: code})
		})
	}
	close(start)
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, userpool.ErrExpiredCode), errors.Is(err, userpool.ErrTooManyFailedAttempts), errors.Is(err, userpool.ErrNotAuthorized):
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 || posted.Load() != 1 {
		t.Fatalf("%d of %d confirmations succeeded and PostConfirmation ran %d times, want exactly one of each", wins, n, posted.Load())
	}
}

func TestConfirmSignUpAlias(t *testing.T) {
	e := newLCEnv(t, userpool.WithAliasAttributes("email"), userpool.WithAutoVerifiedAttributes("email"))
	e.confirmed(t, "ana", map[string]string{"email": "shared@example.com"}, "shared@example.com")
	if u := e.get(t, "SHARED@example.com"); u.Username != "ana" {
		t.Fatalf("the verified alias finds %s", u.Username)
	}
	e.signUp(t, "bob", map[string]string{"email": "shared@example.com"})
	code := e.sent.last(t, "shared@example.com").Code
	_, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "bob", ConfirmationCode: code})
	lcCheckErr(t, err, userpool.ErrAliasExists, "An account with the email already exists.")
	if u := e.get(t, "bob"); u.Status != userpool.StatusUnconfirmed {
		t.Fatalf("bob is %s after AliasExists, want UNCONFIRMED", u.Status)
	}
	_, err = e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "bob", ConfirmationCode: code, ForceAliasCreation: true})
	lcCheckErr(t, err, nil, "")
	if u := e.get(t, "shared@example.com"); u.Username != "bob" {
		t.Fatalf("after ForceAliasCreation the alias finds %s, want bob", u.Username)
	}
	if u := e.get(t, "ana"); u.Attributes["email_verified"] != "false" || u.Attributes["email"] != "shared@example.com" {
		t.Fatalf("ana kept %+v, want the email unverified", u.Attributes)
	}
}

func TestConfirmSignUpPostConfirmationFails(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithTriggers(userpool.Triggers{
		PostConfirmation: func(context.Context, *userpool.PostConfirmationEvent) error { return errors.New("crm down") },
	}))
	e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
	_, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: e.sent.last(t, "ana@example.com").Code})
	lcCheckErr(t, err, userpool.ErrUserLambdaValidation, "PostConfirmation failed with error crm down.")
	if u := e.get(t, "ana"); u.Status != userpool.StatusConfirmed {
		t.Fatalf("got %s, want the confirmation to stand", u.Status)
	}
}

func TestResendConfirmationCode(t *testing.T) {
	tests := []struct {
		name   string
		opts   []userpool.Option
		before func(t *testing.T, e *lcEnv)
		user   string
		want   error
		msg    string
	}{
		{name: "sends a new code", user: "ana"},
		{name: "by alias", opts: []userpool.Option{userpool.WithUsernameAttributes("email")}, user: "ana@example.com"},
		{name: "unknown user", user: "zoe", want: userpool.ErrUserNotFound, msg: "Username/client id combination not found."},
		{name: "confirmed user", user: "ana", before: func(t *testing.T, e *lcEnv) {
			if err := e.pool.AdminConfirmSignUp(e.ctx, userpool.AdminConfirmSignUpInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
		}, want: userpool.ErrInvalidParameter, msg: "User is already confirmed."},
		{name: "no address to verify", user: "bob", before: func(t *testing.T, e *lcEnv) { e.signUp(t, "bob", nil) },
			want: userpool.ErrInvalidParameter, msg: "Auto verification not turned on."},
		{name: "sixth request in an hour", user: "ana", before: func(t *testing.T, e *lcEnv) {
			for range 5 {
				if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "ana"}); err != nil {
					t.Fatal(err)
				}
			}
		}, want: userpool.ErrLimitExceeded, msg: "Attempt limit exceeded, please try after some time."},
		{name: "sixth request an hour later", user: "ana", before: func(t *testing.T, e *lcEnv) {
			for range 5 {
				if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "ana"}); err != nil {
					t.Fatal(err)
				}
			}
			e.clock.Advance(time.Hour)
		}},
		{name: "sender fails", user: "ana", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("sms gateway down")) },
			want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, append([]userpool.Option{userpool.WithAutoVerifiedAttributes("email")}, tt.opts...)...)
			name := "ana"
			if len(tt.opts) > 0 {
				name = "ana@example.com"
			}
			e.signUp(t, name, map[string]string{"email": "ana@example.com"})
			first := e.sent.last(t, "ana@example.com")
			if tt.before != nil {
				tt.before(t, e)
			}
			sent := e.sent.count()
			got, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{ClientID: "client", Username: tt.user})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if e.sent.count() != sent {
					t.Fatalf("a refused resend sent a message")
				}
				if errors.Is(tt.want, userpool.ErrCodeDeliveryFailure) {
					// The code sent before still works.
					e.sent.failWith(nil)
					_, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: first.Code})
					lcCheckErr(t, err, nil, "")
				}
				return
			}
			want := userpool.CodeDeliveryDetails{Destination: "a***@e***", DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}
			if got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			m := e.sent.last(t, "ana@example.com")
			if m.Event != "ResendCode" {
				t.Fatalf("got event %q, want ResendCode", m.Event)
			}
			_, err = e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: tt.user, ConfirmationCode: m.Code})
			lcCheckErr(t, err, nil, "")
		})
	}
}

func TestAdminConfirmSignUp(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		before func(t *testing.T, e *lcEnv)
		want   error
		msg    string
	}{
		{name: "confirms", user: "ana"},
		{name: "unknown user", user: "zoe", want: userpool.ErrUserNotFound},
		{name: "already confirmed", user: "ana", before: func(t *testing.T, e *lcEnv) {
			if err := e.pool.AdminConfirmSignUp(e.ctx, userpool.AdminConfirmSignUpInput{Username: "ana"}); err != nil {
				t.Fatal(err)
			}
		}, want: userpool.ErrNotAuthorized, msg: "User cannot be confirmed. Current status is CONFIRMED"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var sources []string
			e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"), userpool.WithTriggers(userpool.Triggers{
				PostConfirmation: func(ctx context.Context, ev *userpool.PostConfirmationEvent) error {
					sources = append(sources, ev.TriggerSource)
					return nil
				},
			}))
			e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
			if tt.before != nil {
				tt.before(t, e)
			}
			err := e.pool.AdminConfirmSignUp(e.ctx, userpool.AdminConfirmSignUpInput{Username: tt.user})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				return
			}
			u := e.get(t, "ana")
			if u.Status != userpool.StatusConfirmed || u.Attributes["email_verified"] == "true" || len(sources) != 1 {
				t.Fatalf("got %s, email_verified %q, PostConfirmation %v", u.Status, u.Attributes["email_verified"], sources)
			}
			if _, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), u.Sub, "confirm_sign_up"); err == nil {
				t.Fatalf("the confirmation code outlived the confirmation")
			}
		})
	}
}
