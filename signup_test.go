package userpool_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

func TestSignUp(t *testing.T) {
	autoEmail := userpool.WithAutoVerifiedAttributes("email")
	tests := []struct {
		name  string
		opts  []userpool.Option
		in    userpool.SignUpInput
		want  error
		msg   string
		check func(t *testing.T, e *lcEnv, out userpool.SignUpOutput)
	}{
		{name: "no auto-verified attribute: unconfirmed, no code",
			in: userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}},
			check: func(t *testing.T, e *lcEnv, out userpool.SignUpOutput) {
				if out.UserConfirmed || out.CodeDeliveryDetails != nil || e.sent.count() != 0 {
					t.Fatalf("got %+v and %d messages, want unconfirmed and no code", out, e.sent.count())
				}
				u := e.get(t, "ana")
				if u.Status != userpool.StatusUnconfirmed || u.Sub != out.UserSub || !u.Enabled || u.Attributes["email"] != "ana@example.com" {
					t.Fatalf("got user %+v", u)
				}
			}},
		{name: "email auto-verified: code by email, masked",
			opts: []userpool.Option{autoEmail},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}},
			check: func(t *testing.T, e *lcEnv, out userpool.SignUpOutput) {
				want := userpool.CodeDeliveryDetails{Destination: "a***@e***", DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}
				if out.CodeDeliveryDetails == nil || *out.CodeDeliveryDetails != want {
					t.Fatalf("got delivery %+v, want %+v", out.CodeDeliveryDetails, want)
				}
				m := e.sent.last(t, "ana@example.com")
				if !regexp.MustCompile(`^[0-9]{6}$`).MatchString(m.Code) || !strings.Contains(m.Body, m.Code) ||
					m.Event != "SignUp" || m.Channel != userpool.ChannelEmail || m.Subject != "Your verification code" || m.Username != "ana" || m.PoolID != e.pool.ID() {
					t.Fatalf("got message %+v", m)
				}
			}},
		{name: "email and phone auto-verified: the phone wins",
			opts: []userpool.Option{userpool.WithAutoVerifiedAttributes("email", "phone_number")},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com", "phone_number": "+12065550100"}},
			check: func(t *testing.T, e *lcEnv, out userpool.SignUpOutput) {
				want := userpool.CodeDeliveryDetails{Destination: "+*******0100", DeliveryMedium: userpool.ChannelSMS, AttributeName: "phone_number"}
				if out.CodeDeliveryDetails == nil || *out.CodeDeliveryDetails != want {
					t.Fatalf("got delivery %+v, want %+v", out.CodeDeliveryDetails, want)
				}
				if m := e.sent.last(t, "+12065550100"); m.Subject != "" || m.Body != "Your verification code is "+m.Code+". " {
					t.Fatalf("got SMS %+v", m)
				}
			}},
		{name: "administrators only", opts: []userpool.Option{userpool.WithAdminCreateUserOnly()},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword},
			want: userpool.ErrNotAuthorized, msg: "SignUp is not permitted for this user pool"},
		{name: "password against the policy",
			in:   userpool.SignUpInput{Username: "ana", Password: "Sh0rt!"},
			want: userpool.ErrInvalidPassword, msg: "Password did not conform with policy: Password not long enough"},
		{name: "empty password",
			in:   userpool.SignUpInput{Username: "ana"},
			want: userpool.ErrInvalidParameter},
		{name: "required attribute missing", opts: []userpool.Option{userpool.WithRequiredAttributes("name")},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "Invalid attributes given, name is missing"},
		{name: "unknown attribute",
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"shoe_size": "9"}},
			want: userpool.ErrInvalidParameter, msg: "Attribute does not exist in the schema: shoe_size"},
		{name: "invalid email",
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "not an address"}},
			want: userpool.ErrInvalidParameter, msg: "Invalid value for attribute email"},
		{name: "verified flag set by the user",
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"}},
			want: userpool.ErrInvalidParameter, msg: "email_verified"},
		{name: "sub given",
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"sub": "x"}},
			want: userpool.ErrInvalidParameter, msg: "sub"},
		{name: "empty user name", in: userpool.SignUpInput{Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "greater than or equal to 1"},
		{name: "user name of 129 characters", in: userpool.SignUpInput{Username: strings.Repeat("a", 129), Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "less than or equal to 128"},
		{name: "user name with a space", in: userpool.SignUpInput{Username: "ana maria", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "regular expression pattern"},
		{name: "user name with a zero-width joiner", in: userpool.SignUpInput{Username: "an\u200da", Password: lcPassword},
			want: userpool.ErrInvalidParameter},
		{name: "user name with a NUL", in: userpool.SignUpInput{Username: "ana\x00", Password: lcPassword},
			want: userpool.ErrInvalidParameter},
		{name: "user name not UTF-8", in: userpool.SignUpInput{Username: "ana\xff", Password: lcPassword},
			want: userpool.ErrInvalidParameter},
		{name: "email-format user name in an email-alias pool", opts: []userpool.Option{userpool.WithAliasAttributes("email")},
			in:   userpool.SignUpInput{Username: "ana@example.com", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "Username cannot be of email format, since user pool is configured for email alias."},
		{name: "phone-format user name in a phone-alias pool", opts: []userpool.Option{userpool.WithAliasAttributes("phone_number")},
			in:   userpool.SignUpInput{Username: "+12065550100", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "Username cannot be of phone number format"},
		{name: "preferred_username alias at sign-up", opts: []userpool.Option{userpool.WithAliasAttributes("preferred_username")},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"preferred_username": "anita"}},
			want: userpool.ErrInvalidParameter, msg: "preferred_username"},
		{name: "plain user name where user names are addresses", opts: []userpool.Option{userpool.WithUsernameAttributes("email", "phone_number")},
			in:   userpool.SignUpInput{Username: "ana", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "Username should be either an email or a phone number."},
		{name: "phone user name where only emails are", opts: []userpool.Option{userpool.WithUsernameAttributes("email")},
			in:   userpool.SignUpInput{Username: "+12065550100", Password: lcPassword},
			want: userpool.ErrInvalidParameter, msg: "Username should be either an email or a phone number."},
		{name: "email attribute differing from the email user name", opts: []userpool.Option{userpool.WithUsernameAttributes("email")},
			in:   userpool.SignUpInput{Username: "ana@example.com", Password: lcPassword, UserAttributes: map[string]string{"email": "bob@example.com"}},
			want: userpool.ErrInvalidParameter},
		{name: "email user name", opts: []userpool.Option{userpool.WithUsernameAttributes("email"), autoEmail},
			in: userpool.SignUpInput{Username: "Ana@Example.com", Password: lcPassword},
			check: func(t *testing.T, e *lcEnv, out userpool.SignUpOutput) {
				u := e.get(t, "ana@example.com")
				if u.Username != out.UserSub || u.Attributes["email"] != "Ana@Example.com" {
					t.Fatalf("got user %+v, want the user name to be the sub %s and the email kept as typed", u, out.UserSub)
				}
				if m := e.sent.last(t, "Ana@Example.com"); m.Username != out.UserSub {
					t.Fatalf("got message for %q, want %q", m.Username, out.UserSub)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, tt.opts...)
			out, err := e.pool.SignUp(e.ctx, tt.in)
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID()); n != 0 || e.sent.count() != 0 {
					t.Fatalf("a refused sign-up left %d users and sent %d messages", n, e.sent.count())
				}
				return
			}
			if tt.check != nil {
				tt.check(t, e, out)
			}
		})
	}
}

func TestSignUpDuplicates(t *testing.T) {
	tests := []struct {
		name          string
		opts          []userpool.Option
		first, second string
		attrs         map[string]string
		want          error
		msg           string
	}{
		{name: "same name", first: "ana", second: "ana", want: userpool.ErrUsernameExists, msg: "User already exists"},
		{name: "other case, case-insensitive pool", first: "ana", second: "ANA", want: userpool.ErrUsernameExists},
		{name: "fullwidth spelling", first: "ana", second: "ａｎａ", want: userpool.ErrUsernameExists},
		{name: "final sigma folds like sigma", first: "ΟΔΟΣ", second: "οδοσ", want: userpool.ErrUsernameExists},
		{name: "other case, case-sensitive pool", opts: []userpool.Option{userpool.WithCaseSensitiveUsernames()}, first: "ana", second: "ANA"},
		{name: "fullwidth spelling, case-sensitive pool", opts: []userpool.Option{userpool.WithCaseSensitiveUsernames()}, first: "ana", second: "ａｎａ", want: userpool.ErrUsernameExists},
		{name: "Cyrillic look-alike is another user", first: "ana", second: "аna"},
		{name: "email user names compare without case", opts: []userpool.Option{userpool.WithUsernameAttributes("email")},
			first: "ana@example.com", second: "ANA@example.com", want: userpool.ErrUsernameExists, msg: "An account with the given email already exists."},
		{name: "phone user names", opts: []userpool.Option{userpool.WithUsernameAttributes("phone_number")},
			first: "+12065550100", second: "+12065550100", want: userpool.ErrUsernameExists, msg: "An account with the given phone_number already exists."},
		{name: "unverified email aliases may repeat", opts: []userpool.Option{userpool.WithAliasAttributes("email")},
			first: "ana", second: "bob", attrs: map[string]string{"email": "same@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLCEnv(t, tt.opts...)
			first := e.signUp(t, tt.first, tt.attrs)
			_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: tt.second, Password: lcPassword, UserAttributes: tt.attrs})
			lcCheckErr(t, err, tt.want, tt.msg)
			n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID())
			if want := map[bool]int{true: 1, false: 2}[tt.want != nil]; n != want {
				t.Fatalf("got %d users, want %d", n, want)
			}
			if tt.want == nil && len(tt.opts) == 0 {
				if u := e.get(t, tt.second); u.Sub == first.UserSub {
					t.Fatalf("%q found the user %q", tt.second, tt.first)
				}
			}
		})
	}
}

func TestSignUpPreSignUp(t *testing.T) {
	tests := []struct {
		name      string
		opts      []userpool.Option
		attrs     map[string]string
		trigger   func(ctx context.Context, ev *userpool.PreSignUpEvent) error
		want      error
		msg       string
		confirmed bool
		verified  map[string]string
	}{
		{name: "rejects", trigger: func(ctx context.Context, ev *userpool.PreSignUpEvent) error { return errors.New("Invalid domain") },
			want: userpool.ErrUserLambdaValidation, msg: "PreSignUp failed with error Invalid domain."},
		{name: "panics", trigger: func(ctx context.Context, ev *userpool.PreSignUpEvent) error { panic("boom") },
			want: userpool.ErrUnexpectedLambda},
		{name: "auto-confirms", opts: []userpool.Option{userpool.WithAutoVerifiedAttributes("email")}, attrs: map[string]string{"email": "ana@example.com"},
			trigger:   func(ctx context.Context, ev *userpool.PreSignUpEvent) error { ev.AutoConfirmUser = true; return nil },
			confirmed: true, verified: map[string]string{"email_verified": ""}},
		{name: "auto-verifies email and phone", attrs: map[string]string{"email": "ana@example.com", "phone_number": "+12065550100"},
			trigger: func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
				ev.AutoConfirmUser, ev.AutoVerifyEmail, ev.AutoVerifyPhone = true, true, true
				return nil
			},
			confirmed: true, verified: map[string]string{"email_verified": "true", "phone_number_verified": "true"}},
		{name: "verifies without confirming", attrs: map[string]string{"email": "ana@example.com"},
			trigger: func(ctx context.Context, ev *userpool.PreSignUpEvent) error { ev.AutoVerifyEmail = true; return nil },
			want:    userpool.ErrInvalidLambdaResponse},
		{name: "verifies a missing email",
			trigger: func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
				ev.AutoConfirmUser, ev.AutoVerifyEmail = true, true
				return nil
			},
			want: userpool.ErrInvalidLambdaResponse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var posted []string
			trig := userpool.Triggers{
				PreSignUp: tt.trigger,
				PostConfirmation: func(ctx context.Context, ev *userpool.PostConfirmationEvent) error {
					posted = append(posted, ev.TriggerSource+" "+ev.Username+" "+ev.UserAttributes["cognito:user_status"])
					return nil
				},
			}
			e := newLCEnv(t, append(tt.opts, userpool.WithTriggers(trig))...)
			out, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: tt.attrs})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if _, err := e.pool.AdminGetUser(e.ctx, "ana"); !errors.Is(err, userpool.ErrUserNotFound) {
					t.Fatalf("a rejected sign-up left a user: %v", err)
				}
				return
			}
			u := e.get(t, "ana")
			if out.UserConfirmed != tt.confirmed || (u.Status == userpool.StatusConfirmed) != tt.confirmed {
				t.Fatalf("got confirmed %v and status %s, want %v", out.UserConfirmed, u.Status, tt.confirmed)
			}
			if tt.confirmed && (out.CodeDeliveryDetails != nil || e.sent.count() != 0) {
				t.Fatalf("an auto-confirmed user was sent a code")
			}
			for k, v := range tt.verified {
				if u.Attributes[k] != v {
					t.Errorf("got %s=%q, want %q", k, u.Attributes[k], v)
				}
			}
			if want := []string{"PostConfirmation_ConfirmSignUp ana CONFIRMED"}; tt.confirmed && (len(posted) != 1 || posted[0] != want[0]) {
				t.Fatalf("PostConfirmation calls %q, want %q", posted, want)
			}
		})
	}
}

func TestSignUpPreSignUpEvent(t *testing.T) {
	var got *userpool.PreSignUpEvent
	e := newLCEnv(t, userpool.WithTriggers(userpool.Triggers{PreSignUp: func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
		got = ev
		ev.UserAttributes["email"] = "changed@example.com" // must not reach the user
		return nil
	}}))
	_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: "web", Username: "ana", Password: lcPassword,
		UserAttributes: map[string]string{"email": "ana@example.com"},
		ValidationData: map[string]string{"captcha": "ok"}, ClientMetadata: map[string]string{"lang": "pt"}})
	lcCheckErr(t, err, nil, "")
	if got.TriggerSource != "PreSignUp_SignUp" || got.ClientID != "web" || got.Username != "ana" || got.PoolID != e.pool.ID() ||
		got.ValidationData["captcha"] != "ok" || got.ClientMetadata["lang"] != "pt" || got.UserAttributes["cognito:user_status"] != "UNCONFIRMED" {
		t.Fatalf("got event %+v", got)
	}
	if _, ok := got.UserAttributes["sub"]; ok {
		t.Fatalf("PreSignUp saw a sub: %v", got.UserAttributes)
	}
	if u := e.get(t, "ana"); u.Attributes["email"] != "ana@example.com" {
		t.Fatalf("the trigger changed the user's email to %q", u.Attributes["email"])
	}
}

func TestSignUpAutoVerifyTakesAlias(t *testing.T) {
	autoVerify := func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
		ev.AutoConfirmUser, ev.AutoVerifyEmail = true, ev.Username == "bob"
		return nil
	}
	e := newLCEnv(t, userpool.WithAliasAttributes("email"), userpool.WithTriggers(userpool.Triggers{PreSignUp: autoVerify}))
	e.signUp(t, "ana", nil)
	_, err := e.pool.AdminUpdateUserAttributes(e.ctx, userpool.AdminUpdateUserAttributesInput{Username: "ana",
		UserAttributes: map[string]string{"email": "shared@example.com", "email_verified": "true"}})
	lcCheckErr(t, err, nil, "")
	if u := e.get(t, "shared@example.com"); u.Username != "ana" {
		t.Fatalf("the alias finds %s, want ana", u.Username)
	}
	e.signUp(t, "bob", map[string]string{"email": "Shared@Example.com"})
	if u := e.get(t, "shared@example.com"); u.Username != "bob" {
		t.Fatalf("after bob's auto-verified sign-up the alias finds %s, want bob", u.Username)
	}
	if u := e.get(t, "ana"); u.Attributes["email_verified"] != "false" {
		t.Fatalf("ana's email_verified is %q, want false", u.Attributes["email_verified"])
	}
}

func TestSignUpSenderFails(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"))
	e.sent.failWith(errors.New("smtp: connection refused"))
	_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}})
	lcCheckErr(t, err, userpool.ErrCodeDeliveryFailure, "a***@e***")
	if cause := errors.Unwrap(err); cause == nil || !strings.Contains(cause.Error(), "smtp") {
		t.Fatalf("the sender's error is not the cause: %v", err)
	}
	if n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID()); n != 0 {
		t.Fatalf("a sign-up whose code was not delivered left %d users", n)
	}
	e.sent.failWith(nil)
	e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
}

func TestSignUpStoresNoPlainCode(t *testing.T) {
	e := newLCEnv(t, userpool.WithAutoVerifiedAttributes("email"))
	out := e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
	code := e.sent.last(t, "ana@example.com").Code
	c, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), out.UserSub, "confirm_sign_up")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(c.Hash), code) || strings.Contains(string(c.Data), code) || len(c.Hash) != 32 {
		t.Fatalf("the stored code %+v reveals the code %s", c, code)
	}
	if got, want := c.ExpiresAt.Sub(c.CreatedAt).Hours(), 24.0; got != want {
		t.Fatalf("the code lives %v hours, want %v", got, want)
	}
}

// lcChecker is a compromised-password check that knows one password and
// can fail (for every password but the one test users sign up with).
type lcChecker struct {
	bad string
	err error
}

func (c lcChecker) Compromised(ctx context.Context, password string) (bool, error) {
	if password == lcPassword {
		return false, nil
	}
	return password == c.bad, c.err
}

func TestCompromisedPasswords(t *testing.T) {
	const leaked = "Password-123"
	ops := map[string]func(e *lcEnv, password string) error{
		"SignUp": func(e *lcEnv, password string) error {
			_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "bob", Password: password})
			return err
		},
		"AdminCreateUser": func(e *lcEnv, password string) error {
			_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: "bob", TemporaryPassword: password})
			return err
		},
		"AdminSetUserPassword": func(e *lcEnv, password string) error {
			return e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: password, Permanent: true})
		},
	}
	tests := []struct {
		name     string
		checker  lcChecker
		password string
		want     error
	}{
		{name: "clean password", checker: lcChecker{bad: leaked}, password: "Clean-pass-42"},
		{name: "leaked password", checker: lcChecker{bad: leaked}, password: leaked, want: userpool.ErrInvalidPassword},
		{name: "the check fails", checker: lcChecker{err: errors.New("breach service down")}, password: "Clean-pass-42", want: userpool.ErrInvalidPassword},
	}
	for opName, op := range ops {
		for _, tt := range tests {
			t.Run(opName+"/"+tt.name, func(t *testing.T) {
				e := newLCEnv(t, userpool.WithCompromisedPasswordCheck(tt.checker))
				e.signUp(t, "ana", nil)
				err := op(e, tt.password)
				lcCheckErr(t, err, tt.want, map[bool]string{true: "Provided password cannot be used for security reasons.", false: ""}[tt.want != nil])
			})
		}
	}
}
