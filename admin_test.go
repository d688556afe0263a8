package userpool_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestAdminCreateUser(t *testing.T) {
	withEmail := map[string]string{"email": "ana@example.com"}
	tests := []struct {
		name   string
		opts   []userpool.Option
		before func(t *testing.T, e *lcEnv)
		in     userpool.AdminCreateUserInput
		want   error
		msg    string
		check  func(t *testing.T, e *lcEnv, u userpool.User)
	}{
		{name: "generated password, invitation by email when there is no phone",
			in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: withEmail},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if u.Status != userpool.StatusForceChangePassword || !u.Enabled || u.Username != "ana" || u.Attributes["email"] != "ana@example.com" {
					t.Fatalf("got %+v", u)
				}
				m := e.sent.last(t, "ana@example.com")
				if m.Event != "AdminCreateUser" || m.Subject != "Your temporary password" || m.Body != "Your username is ana and temporary password is "+m.Code+". " {
					t.Fatalf("got invitation %+v", m)
				}
				if err := userpool.DefaultPasswordPolicy().Validate(m.Code); err != nil || len(m.Code) < 12 {
					t.Fatalf("generated password %q: %v", m.Code, err)
				}
				s, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), u.Sub)
				if want := e.clock.Now().Add(7 * 24 * time.Hour); !s.PasswordExpiresAt.Equal(want) || s.PasswordHash == "" || strings.Contains(s.PasswordHash, m.Code) {
					t.Fatalf("stored expiry %v (want %v), hash %q", s.PasswordExpiresAt, want, s.PasswordHash)
				}
			}},
		{name: "given password, SMS by default",
			in: userpool.AdminCreateUserInput{Username: "ana", TemporaryPassword: "Temp-pass-1", UserAttributes: map[string]string{"email": "ana@example.com", "phone_number": "+12065550100"}},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if e.sent.count() != 1 || e.sent.last(t, "+12065550100").Code != "Temp-pass-1" {
					t.Fatalf("want one SMS carrying the given password")
				}
			}},
		{name: "both channels asked for",
			in: userpool.AdminCreateUserInput{Username: "ana", DesiredDeliveryMediums: []userpool.Channel{userpool.ChannelEmail, userpool.ChannelSMS},
				UserAttributes: map[string]string{"email": "ana@example.com", "phone_number": "+12065550100"}},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if e.sent.count() != 2 || e.sent.last(t, "ana@example.com").Code != e.sent.last(t, "+12065550100").Code {
					t.Fatalf("want the same password by email and SMS")
				}
			}},
		{name: "suppressed invitation", in: userpool.AdminCreateUserInput{Username: "ana", MessageAction: userpool.MessageSuppress, UserAttributes: withEmail},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if e.sent.count() != 0 {
					t.Fatalf("a suppressed invitation was sent")
				}
			}},
		{name: "no address, no message", in: userpool.AdminCreateUserInput{Username: "ana"},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if e.sent.count() != 0 {
					t.Fatalf("sent %d messages", e.sent.count())
				}
			}},
		{name: "required attributes may wait", opts: []userpool.Option{userpool.WithRequiredAttributes("name")}, in: userpool.AdminCreateUserInput{Username: "ana"}},
		{name: "verified email is an alias at once", opts: []userpool.Option{userpool.WithAliasAttributes("email")},
			in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if got := e.get(t, "ana@example.com"); got.Sub != u.Sub {
					t.Fatalf("the alias does not find the user")
				}
			}},
		{name: "email user name", opts: []userpool.Option{userpool.WithUsernameAttributes("email")},
			in: userpool.AdminCreateUserInput{Username: "ana@example.com"},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if u.Username != u.Sub || u.Attributes["email"] != "ana@example.com" {
					t.Fatalf("got %+v", u)
				}
				if m := e.sent.last(t, "ana@example.com"); !strings.HasPrefix(m.Body, "Your username is ana@example.com ") {
					t.Fatalf("got invitation %q, want it to name the email", m.Body)
				}
			}},
		{name: "PreSignUp's answers are ignored", opts: []userpool.Option{userpool.WithTriggers(userpool.Triggers{PreSignUp: func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
			if ev.TriggerSource != "PreSignUp_AdminCreateUser" {
				return errors.New("wrong source " + ev.TriggerSource)
			}
			ev.AutoConfirmUser, ev.AutoVerifyEmail = true, true
			return nil
		}})}, in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: withEmail},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if u.Status != userpool.StatusForceChangePassword || u.Attributes["email_verified"] == "true" {
					t.Fatalf("got %+v", u)
				}
			}},
		{name: "PreSignUp rejects", opts: []userpool.Option{userpool.WithTriggers(userpool.Triggers{PreSignUp: func(context.Context, *userpool.PreSignUpEvent) error {
			return errors.New("not on the list")
		}})}, in: userpool.AdminCreateUserInput{Username: "ana"},
			want: userpool.ErrUserLambdaValidation, msg: "PreSignUp failed with error not on the list."},
		{name: "taken user name", before: func(t *testing.T, e *lcEnv) { e.signUp(t, "ana", nil) },
			in: userpool.AdminCreateUserInput{Username: "Ana"}, want: userpool.ErrUsernameExists, msg: "User account already exists"},
		{name: "taken verified alias", opts: []userpool.Option{userpool.WithAliasAttributes("email")},
			before: func(t *testing.T, e *lcEnv) {
				if _, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "bob", MessageAction: userpool.MessageSuppress,
					UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}}); err != nil {
					t.Fatal(err)
				}
			},
			in:   userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}},
			want: userpool.ErrAliasExists, msg: "An account with the email already exists."},
		{name: "taken verified alias, forced", opts: []userpool.Option{userpool.WithAliasAttributes("email")},
			before: func(t *testing.T, e *lcEnv) {
				if _, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "bob", MessageAction: userpool.MessageSuppress,
					UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}}); err != nil {
					t.Fatal(err)
				}
			},
			in: userpool.AdminCreateUserInput{Username: "ana", ForceAliasCreation: true, UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}},
			check: func(t *testing.T, e *lcEnv, u userpool.User) {
				if got := e.get(t, "ana@example.com"); got.Username != "ana" {
					t.Fatalf("the alias finds %s, want ana", got.Username)
				}
				if bob := e.get(t, "bob"); bob.Attributes["email_verified"] != "false" {
					t.Fatalf("bob's email_verified is %q, want false", bob.Attributes["email_verified"])
				}
			}},
		{name: "temporary password against the policy", in: userpool.AdminCreateUserInput{Username: "ana", TemporaryPassword: "password"},
			want: userpool.ErrInvalidPassword},
		{name: "unknown message action", in: userpool.AdminCreateUserInput{Username: "ana", MessageAction: "SEND"}, want: userpool.ErrInvalidParameter, msg: "messageAction"},
		{name: "unknown channel", in: userpool.AdminCreateUserInput{Username: "ana", DesiredDeliveryMediums: []userpool.Channel{"FAX"}}, want: userpool.ErrInvalidParameter},
		{name: "channel without its address", in: userpool.AdminCreateUserInput{Username: "ana", DesiredDeliveryMediums: []userpool.Channel{userpool.ChannelSMS}, UserAttributes: withEmail},
			want: userpool.ErrInvalidParameter, msg: "phone_number"},
		{name: "verified flag without the address", in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"phone_number_verified": "true"}},
			want: userpool.ErrInvalidParameter, msg: "phone_number is missing"},
		{name: "invalid attribute", in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"birthdate": "yesterday"}},
			want: userpool.ErrInvalidParameter, msg: "birthdate"},
		{name: "invalid user name", in: userpool.AdminCreateUserInput{Username: "a\u200db"}, want: userpool.ErrInvalidParameter},
		{name: "sender fails", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("down")) },
			in: userpool.AdminCreateUserInput{Username: "ana", UserAttributes: withEmail}, want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, tt.opts...)
			if tt.before != nil {
				tt.before(t, e)
			}
			users, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID())
			u, err := e.pool.AdminCreateUser(e.ctx, tt.in)
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID()); n != users {
					t.Fatalf("a refused creation changed the number of users from %d to %d", users, n)
				}
				return
			}
			if got := e.get(t, tt.in.Username); got.Sub != u.Sub {
				t.Fatalf("AdminGetUser found %+v, want %+v", got, u)
			}
			if tt.check != nil {
				tt.check(t, e, u)
			}
		})
	}
}

func TestAdminCreateUserResend(t *testing.T) {
	tests := []struct {
		name   string
		user   string
		before func(t *testing.T, e *lcEnv)
		want   error
	}{
		{name: "new password and validity", user: "ana"},
		{name: "unknown user", user: "zoe", want: userpool.ErrUserNotFound},
		{name: "user not in FORCE_CHANGE_PASSWORD", user: "ana", before: func(t *testing.T, e *lcEnv) {
			if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: lcPassword, Permanent: true}); err != nil {
				t.Fatal(err)
			}
		}, want: userpool.ErrUnsupportedUserState},
		{name: "sender fails", user: "ana", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("down")) }, want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t)
			u, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "ana", UserAttributes: map[string]string{"email": "ana@example.com"}})
			if err != nil {
				t.Fatal(err)
			}
			first := e.sent.last(t, "ana@example.com").Code
			e.clock.Advance(3 * 24 * time.Hour)
			if tt.before != nil {
				tt.before(t, e)
			}
			before, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), u.Sub)
			_, err = e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: tt.user, MessageAction: userpool.MessageResend})
			lcCheckErr(t, err, tt.want, "")
			after, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), u.Sub)
			if tt.want != nil {
				if after.PasswordHash != before.PasswordHash || !after.PasswordExpiresAt.Equal(before.PasswordExpiresAt) {
					t.Fatalf("a refused resend changed the password")
				}
				return
			}
			second := e.sent.last(t, "ana@example.com").Code
			if second == first || after.PasswordHash == before.PasswordHash {
				t.Fatalf("the resend kept the password")
			}
			if want := e.clock.Now().Add(7 * 24 * time.Hour); !after.PasswordExpiresAt.Equal(want) {
				t.Fatalf("expiry %v, want %v", after.PasswordExpiresAt, want)
			}
		})
	}
}

func TestAdminGetUser(t *testing.T) {
	e := newLCEnv(t, userpool.WithAliasAttributes("email", "preferred_username"))
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "ana", MessageAction: userpool.MessageSuppress,
		UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true", "preferred_username": "anita", "name": "Ana"}})
	if err != nil {
		t.Fatal(err)
	}
	e.signUp(t, "bob", map[string]string{"email": "bob@example.com"})
	tests := []struct {
		name, user, wantUser string
		want                 error
	}{
		{name: "user name", user: "ana", wantUser: "ana"},
		{name: "user name in upper case", user: "ANA", wantUser: "ana"},
		{name: "verified email", user: "Ana@Example.com", wantUser: "ana"},
		{name: "preferred_username", user: "anita", wantUser: "ana"},
		{name: "unverified email is no alias", user: "bob@example.com", want: userpool.ErrUserNotFound},
		{name: "unknown", user: "zoe", want: userpool.ErrUserNotFound},
		{name: "invisible character", user: "a\u200dna", want: userpool.ErrUserNotFound},
		{name: "empty", user: "", want: userpool.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := e.pool.AdminGetUser(e.ctx, tt.user)
			lcCheckErr(t, err, tt.want, "")
			if tt.want == nil && (u.Username != tt.wantUser || u.Attributes["sub"] != u.Sub || u.CreatedAt.IsZero()) {
				t.Fatalf("got %+v", u)
			}
		})
	}
}

func TestAdminDeleteUser(t *testing.T) {
	tests := []struct {
		name string
		user string
		want error
	}{
		{name: "by user name", user: "ana"},
		{name: "by alias", user: "ana@example.com"},
		{name: "unknown", user: "zoe", want: userpool.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, userpool.WithAliasAttributes("email"), userpool.WithAutoVerifiedAttributes("email"))
			e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
			err := e.pool.AdminDeleteUser(e.ctx, tt.user)
			lcCheckErr(t, err, tt.want, "")
			if tt.want != nil {
				return
			}
			for _, name := range []string{"ana", "ana@example.com"} {
				if _, err := e.pool.AdminGetUser(e.ctx, name); !errors.Is(err, userpool.ErrUserNotFound) {
					t.Fatalf("%s still finds a user: %v", name, err)
				}
			}
			e.signUp(t, "ana", map[string]string{"email": "ana@example.com"}) // the name is free again
		})
	}
}

func TestAdminDisableEnableUser(t *testing.T) {
	e := newLCEnv(t)
	e.signUp(t, "ana", nil)
	sub := e.get(t, "ana").Sub
	steps := []struct {
		name        string
		op          func(context.Context, string) error
		user        string
		want        error
		wantEnabled bool
	}{
		{name: "disable", op: e.pool.AdminDisableUser, user: "ana", wantEnabled: false},
		{name: "disable again", op: e.pool.AdminDisableUser, user: "ana", wantEnabled: false},
		{name: "enable", op: e.pool.AdminEnableUser, user: "ANA", wantEnabled: true},
		{name: "disable unknown", op: e.pool.AdminDisableUser, user: "zoe", want: userpool.ErrUserNotFound, wantEnabled: true},
		{name: "enable unknown", op: e.pool.AdminEnableUser, user: "zoe", want: userpool.ErrUserNotFound, wantEnabled: true},
	}
	for _, s := range steps {
		e.clock.Advance(time.Minute)
		err := s.op(e.ctx, s.user)
		if !errors.Is(err, s.want) && !(err == nil && s.want == nil) {
			t.Fatalf("%s: got %v, want %v", s.name, err, s.want)
		}
		if u := e.get(t, "ana"); u.Enabled != s.wantEnabled {
			t.Fatalf("%s: enabled %v, want %v", s.name, u.Enabled, s.wantEnabled)
		}
	}
	stored, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), sub)
	if stored.TokensValidAfter.IsZero() {
		t.Fatalf("disabling did not revoke tokens")
	}
}

func TestAdminSetUserPassword(t *testing.T) {
	policy := userpool.DefaultPasswordPolicy()
	policy.HistorySize = 2
	tests := []struct {
		name       string
		in         userpool.AdminSetUserPasswordInput
		before     func(t *testing.T, e *lcEnv)
		want       error
		wantStatus userpool.UserStatus
		temporary  bool
	}{
		{name: "permanent confirms an unconfirmed user", in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: "New-password-1", Permanent: true}, wantStatus: userpool.StatusConfirmed},
		{name: "temporary", in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: "New-password-1"}, wantStatus: userpool.StatusForceChangePassword, temporary: true},
		{name: "against the policy", in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: "newpassword", Permanent: true}, want: userpool.ErrInvalidPassword},
		{name: "over-long", in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: "Aa1!" + strings.Repeat("x", 300), Permanent: true}, want: userpool.ErrInvalidParameter},
		{name: "the current password again", in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: lcPassword, Permanent: true}, want: userpool.ErrPasswordHistoryPolicyViolation},
		{name: "the previous password again", before: func(t *testing.T, e *lcEnv) {
			if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: "New-password-1", Permanent: true}); err != nil {
				t.Fatal(err)
			}
		}, in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: lcPassword, Permanent: true}, want: userpool.ErrPasswordHistoryPolicyViolation},
		{name: "an older password is allowed again", before: func(t *testing.T, e *lcEnv) {
			for _, pw := range []string{"New-password-1", "New-password-2"} {
				if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: pw, Permanent: true}); err != nil {
					t.Fatal(err)
				}
			}
		}, in: userpool.AdminSetUserPasswordInput{Username: "ana", Password: lcPassword, Permanent: true}, wantStatus: userpool.StatusConfirmed},
		{name: "unknown user", in: userpool.AdminSetUserPasswordInput{Username: "zoe", Password: "New-password-1"}, want: userpool.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, userpool.WithPasswordPolicy(policy))
			out := e.signUp(t, "ana", nil)
			if tt.before != nil {
				tt.before(t, e)
			}
			before, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), out.UserSub)
			err := e.pool.AdminSetUserPassword(e.ctx, tt.in)
			lcCheckErr(t, err, tt.want, "")
			after, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), out.UserSub)
			if tt.want != nil {
				if after.PasswordHash != before.PasswordHash || after.Status != before.Status {
					t.Fatalf("a refused password changed the user")
				}
				return
			}
			if userpool.UserStatus(after.Status) != tt.wantStatus || after.PasswordHash == before.PasswordHash {
				t.Fatalf("got status %s, want %s and a new hash", after.Status, tt.wantStatus)
			}
			if tt.temporary != !after.PasswordExpiresAt.IsZero() {
				t.Fatalf("expiry %v, temporary %v", after.PasswordExpiresAt, tt.temporary)
			}
			if len(after.PasswordHistory) > policy.HistorySize-1 || len(after.PasswordHistory) > 0 && after.PasswordHistory[0] != before.PasswordHash {
				t.Fatalf("history %q, want the old hash first and at most %d entries", after.PasswordHistory, policy.HistorySize-1)
			}
		})
	}
}

func TestAdminSetUserPasswordVoidsResetCode(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"))
	e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
	if _, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	sub := e.get(t, "ana").Sub
	if _, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), sub, "forgot_password"); err != nil {
		t.Fatalf("no reset code: %v", err)
	}
	if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: "New-password-1", Permanent: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), sub, "forgot_password"); err == nil {
		t.Fatalf("the reset code outlived the new password")
	}
}

func TestAdminResetUserPassword(t *testing.T) {
	tests := []struct {
		name   string
		opts   []userpool.Option
		before func(t *testing.T, e *lcEnv)
		user   string
		want   error
		msg    string
	}{
		{name: "code to the verified email", user: "ana"},
		{name: "by alias", opts: []userpool.Option{userpool.WithAliasAttributes("email")}, user: "ana@example.com"},
		{name: "unknown user", user: "zoe", want: userpool.ErrUserNotFound},
		{name: "only a temporary password", user: "bob", before: func(t *testing.T, e *lcEnv) {
			if _, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "bob", MessageAction: userpool.MessageSuppress,
				UserAttributes: map[string]string{"email": "bob@example.com", "email_verified": "true"}}); err != nil {
				t.Fatal(err)
			}
		}, want: userpool.ErrNotAuthorized, msg: "User password cannot be reset in the current state."},
		{name: "no verified address", user: "carol", before: func(t *testing.T, e *lcEnv) { e.signUp(t, "carol", map[string]string{"phone_number": "+12065550100"}) },
			want: userpool.ErrInvalidParameter, msg: "Cannot reset password for the user as there is no registered/verified email or phone_number"},
		{name: "recovery by administrators only", opts: []userpool.Option{userpool.WithAccountRecovery(userpool.RecoveryAdminOnly)}, user: "ana",
			want: userpool.ErrInvalidParameter},
		{name: "email MFA keeps email out of recovery", user: "ana", before: func(t *testing.T, e *lcEnv) {
			u, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), e.get(t, "ana").Sub)
			u.MFA.Enabled = []string{"EMAIL_OTP"}
			if err := e.pool.Store().UpdateUsers(e.ctx, u); err != nil {
				t.Fatal(err)
			}
		}, want: userpool.ErrInvalidParameter},
		{name: "sender fails", user: "ana", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("down")) }, want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, append([]userpool.Option{userpool.WithAutoVerifiedAttributes("email")}, tt.opts...)...)
			e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
			if tt.before != nil {
				tt.before(t, e)
			}
			sent := e.sent.count()
			got, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: tt.user, ClientMetadata: map[string]string{"k": "v"}})
			lcCheckErr(t, err, tt.want, tt.msg)
			ana := e.get(t, "ana")
			if tt.want != nil {
				if ana.Status != userpool.StatusConfirmed || e.sent.count() != sent {
					t.Fatalf("a refused reset left ana %s and sent %d messages", ana.Status, e.sent.count()-sent)
				}
				return
			}
			if want := (userpool.CodeDeliveryDetails{Destination: "a***@e***", DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}); got != want {
				t.Fatalf("got %+v, want %+v", got, want)
			}
			if ana.Status != userpool.StatusResetRequired {
				t.Fatalf("got status %s, want RESET_REQUIRED", ana.Status)
			}
			m := e.sent.last(t, "ana@example.com")
			c, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), ana.Sub, "forgot_password")
			if err != nil || m.Event != "ForgotPassword" || c.ExpiresAt.Sub(c.CreatedAt) != time.Hour {
				t.Fatalf("got message %+v and code %+v (%v)", m, c, err)
			}
		})
	}
}
