package userpool_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// newAttrEnv is an email-alias pool that auto-verifies email and keeps
// original values (the default), with ana confirmed at ana@example.com.
func newAttrEnv(t *testing.T, opts ...userpool.Option) *lcEnv {
	t.Helper()
	base := []userpool.Option{
		userpool.WithAliasAttributes("email", "preferred_username"),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString)),
	}
	e := newLCEnv(t, append(base, opts...)...)
	e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
	return e
}

func (e *lcEnv) finds(t *testing.T, alias, want string) {
	t.Helper()
	u, err := e.pool.AdminGetUser(e.ctx, alias)
	switch {
	case want == "" && !errors.Is(err, userpool.ErrUserNotFound):
		t.Fatalf("%s finds %v (%v), want nobody", alias, u.Username, err)
	case want != "" && (err != nil || u.Username != want):
		t.Fatalf("%s finds %q (%v), want %q", alias, u.Username, err, want)
	}
}

func TestAdminUpdateUserAttributes(t *testing.T) {
	tests := []struct {
		name   string
		opts   []userpool.Option
		before func(t *testing.T, e *lcEnv)
		user   string
		attrs  map[string]string
		want   error
		msg    string
		codes  int
		check  func(t *testing.T, e *lcEnv)
	}{
		{name: "sets a name and a custom attribute", attrs: map[string]string{"name": "Ana", "custom:tier": "gold"},
			check: func(t *testing.T, e *lcEnv) {
				if u := e.get(t, "ana"); u.Attributes["name"] != "Ana" || u.Attributes["custom:tier"] != "gold" {
					t.Fatalf("got %v", u.Attributes)
				}
			}},
		{name: "deletes with an empty value", before: func(t *testing.T, e *lcEnv) { e.update(t, "ana", map[string]string{"name": "Ana"}) },
			attrs: map[string]string{"name": ""},
			check: func(t *testing.T, e *lcEnv) {
				if _, ok := e.get(t, "ana").Attributes["name"]; ok {
					t.Fatalf("name not deleted")
				}
			}},
		{name: "new email waits for verification, the old one keeps working", attrs: map[string]string{"email": "new@example.com"}, codes: 1,
			check: func(t *testing.T, e *lcEnv) {
				u := e.get(t, "ana")
				if u.Attributes["email"] != "ana@example.com" || u.Attributes["email_verified"] != "true" {
					t.Fatalf("got %v, want the old verified email", u.Attributes)
				}
				s, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), u.Sub)
				if s.PendingAttributes["email"] != "new@example.com" {
					t.Fatalf("pending %v", s.PendingAttributes)
				}
				e.finds(t, "ana@example.com", "ana")
				e.finds(t, "new@example.com", "")
				if m := e.sent.last(t, "new@example.com"); m.Event != "UpdateUserAttribute" {
					t.Fatalf("got event %q", m.Event)
				}
			}},
		{name: "new email verified by the administrator", attrs: map[string]string{"email": "new@example.com", "email_verified": "true"},
			check: func(t *testing.T, e *lcEnv) {
				e.finds(t, "new@example.com", "ana")
				e.finds(t, "ana@example.com", "")
			}},
		{name: "new email without keeping the original", opts: []userpool.Option{userpool.WithKeepOriginalAttributes()},
			attrs: map[string]string{"email": "new@example.com"}, codes: 1,
			check: func(t *testing.T, e *lcEnv) {
				if u := e.get(t, "ana"); u.Attributes["email"] != "new@example.com" || u.Attributes["email_verified"] != "false" {
					t.Fatalf("got %v", u.Attributes)
				}
				e.finds(t, "ana@example.com", "")
				e.finds(t, "new@example.com", "")
			}},
		{name: "new phone, not auto-verified: no code", attrs: map[string]string{"phone_number": "+12065550100"},
			check: func(t *testing.T, e *lcEnv) {
				if u := e.get(t, "ana"); u.Attributes["phone_number"] != "+12065550100" || u.Attributes["phone_number_verified"] != "false" {
					t.Fatalf("got %v", u.Attributes)
				}
			}},
		{name: "the same email again", attrs: map[string]string{"email": "ana@example.com"},
			check: func(t *testing.T, e *lcEnv) { e.finds(t, "ana@example.com", "ana") }},
		{name: "a pending email dropped by going back", before: func(t *testing.T, e *lcEnv) { e.update(t, "ana", map[string]string{"email": "new@example.com"}) },
			attrs: map[string]string{"email": "ana@example.com"},
			check: func(t *testing.T, e *lcEnv) {
				s, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), e.get(t, "ana").Sub)
				if len(s.PendingAttributes) != 0 {
					t.Fatalf("pending %v", s.PendingAttributes)
				}
			}},
		{name: "email verified on another user", before: func(t *testing.T, e *lcEnv) { e.verifiedUser(t, "bob", "bob@example.com") },
			attrs: map[string]string{"email": "BOB@example.com", "email_verified": "true"},
			want:  userpool.ErrAliasExists, msg: "An account with the email already exists."},
		{name: "preferred_username of another user", before: func(t *testing.T, e *lcEnv) {
			e.verifiedUser(t, "bob", "bob@example.com")
			e.update(t, "bob", map[string]string{"preferred_username": "star"})
		}, attrs: map[string]string{"preferred_username": "Star"}, want: userpool.ErrAliasExists},
		{name: "preferred_username equal to another's user name", before: func(t *testing.T, e *lcEnv) { e.signUp(t, "bob", nil) },
			attrs: map[string]string{"preferred_username": "bob"}, want: userpool.ErrAliasExists},
		{name: "email user names: taken address", opts: []userpool.Option{userpool.WithUsernameAttributes("email")}, user: "ana@example.com",
			before: func(t *testing.T, e *lcEnv) { e.signUp(t, "bob@example.com", nil) },
			attrs:  map[string]string{"email": "bob@example.com", "email_verified": "true"},
			want:   userpool.ErrAliasExists, msg: "An account with the given email already exists."},
		{name: "immutable attribute", opts: []userpool.Option{userpool.WithImmutableAttributes("nickname")}, attrs: map[string]string{"nickname": "x"},
			want: userpool.ErrInvalidParameter, msg: "non-mutable"},
		{name: "unknown attribute", attrs: map[string]string{"shoe_size": "9"}, want: userpool.ErrInvalidParameter},
		{name: "sub", attrs: map[string]string{"sub": "x"}, want: userpool.ErrInvalidParameter},
		{name: "invalid value", attrs: map[string]string{"phone_number": "555-0100"}, want: userpool.ErrInvalidParameter, msg: "E.164"},
		{name: "required attribute deleted", opts: []userpool.Option{userpool.WithRequiredAttributes("email")}, attrs: map[string]string{"email": ""},
			want: userpool.ErrInvalidParameter, msg: "Required attribute cannot be deleted."},
		{name: "verified flag without the address", attrs: map[string]string{"phone_number_verified": "true"}, want: userpool.ErrInvalidParameter},
		{name: "unknown user", user: "zoe", attrs: map[string]string{"name": "Zoe"}, want: userpool.ErrUserNotFound},
		{name: "sender fails", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("down")) },
			attrs: map[string]string{"email": "new@example.com", "name": "Ana"}, want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var e *lcEnv
			if len(tt.opts) > 0 && tt.user == "ana@example.com" {
				e = newLCEnv(t, append(tt.opts, userpool.WithAutoVerifiedAttributes("email"))...)
				e.confirmed(t, "ana@example.com", nil, "ana@example.com")
			} else {
				e = newAttrEnv(t, tt.opts...)
			}
			if tt.user == "" {
				tt.user = "ana"
			}
			if tt.before != nil {
				tt.before(t, e)
			}
			sent := e.sent.count()
			before, _ := e.pool.AdminGetUser(e.ctx, "ana@example.com")
			out, err := e.pool.AdminUpdateUserAttributes(e.ctx, userpool.AdminUpdateUserAttributesInput{Username: tt.user, UserAttributes: tt.attrs})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				after, _ := e.pool.AdminGetUser(e.ctx, "ana@example.com")
				if !equalAttrs(before.Attributes, after.Attributes) {
					t.Fatalf("a refused update changed %v to %v", before.Attributes, after.Attributes)
				}
				return
			}
			if len(out.CodeDeliveryDetailsList) != tt.codes || e.sent.count()-sent != tt.codes {
				t.Fatalf("got %d delivery details and %d messages, want %d", len(out.CodeDeliveryDetailsList), e.sent.count()-sent, tt.codes)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestAdminUpdateUserAttributesKeepsOriginalWithoutAutoVerify(t *testing.T) {
	e := newLCEnv(t, userpool.WithAliasAttributes("email"))
	e.verifiedUser(t, "ana", "ana@example.com")
	out, err := e.pool.AdminUpdateUserAttributes(e.ctx, userpool.AdminUpdateUserAttributesInput{Username: "ana", UserAttributes: map[string]string{"email": "new@example.com"}})
	lcCheckErr(t, err, nil, "")
	if len(out.CodeDeliveryDetailsList) != 1 || out.CodeDeliveryDetailsList[0].Destination != "n***@e***" {
		t.Fatalf("got %+v, want a code to the new address", out)
	}
	e.finds(t, "ana@example.com", "ana")
	if err := e.pool.VerifyAttribute(e.ctx, "ana", "email", e.sent.last(t, "new@example.com").Code); err != nil {
		t.Fatal(err)
	}
	e.finds(t, "new@example.com", "ana")
	e.finds(t, "ana@example.com", "")
}

func equalAttrs(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func (e *lcEnv) update(t *testing.T, user string, attrs map[string]string) {
	t.Helper()
	if _, err := e.pool.AdminUpdateUserAttributes(e.ctx, userpool.AdminUpdateUserAttributesInput{Username: user, UserAttributes: attrs}); err != nil {
		t.Fatalf("AdminUpdateUserAttributes(%s, %v): %v", user, attrs, err)
	}
}

// verifiedUser creates a confirmed user whose email is verified.
func (e *lcEnv) verifiedUser(t *testing.T, name, email string) {
	t.Helper()
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{Username: name, MessageAction: userpool.MessageSuppress,
		UserAttributes: map[string]string{"email": email, "email_verified": "true"}})
	if err != nil {
		t.Fatal(err)
	}
}

func TestVerifyAttribute(t *testing.T) {
	tests := []struct {
		name string
		// run changes ana's email to new@example.com and returns the
		// user name, attribute and code to submit.
		run  func(t *testing.T, e *lcEnv, code string) (user, attr, submit string)
		want error
		msg  string
	}{
		{name: "right code", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) { return "ana", "email", code }},
		{name: "by the old alias", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			return "ana@example.com", "email", code
		}},
		{name: "wrong code", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			return "ana", "email", otherCode(code)
		},
			want: userpool.ErrCodeMismatch, msg: "Invalid verification code provided, please try again."},
		{name: "code of another user", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			e.verifiedUser(t, "bob", "bob@example.com")
			e.update(t, "bob", map[string]string{"email": "bob2@example.com"})
			return "ana", "email", e.sent.last(t, "bob2@example.com").Code
		}, want: userpool.ErrCodeMismatch},
		{name: "expired code", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			e.clock.Advance(24 * time.Hour)
			return "ana", "email", code
		}, want: userpool.ErrExpiredCode},
		{name: "code used twice", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			if err := e.pool.VerifyAttribute(e.ctx, "ana", "email", code); err != nil {
				t.Fatal(err)
			}
			return "ana", "email", code
		}, want: userpool.ErrExpiredCode, msg: "Invalid code provided, please request a code again."},
		{name: "a newer code replaces it", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			e.update(t, "ana", map[string]string{"email": "newer@example.com"})
			return "ana", "email", code
		}, want: userpool.ErrCodeMismatch},
		{name: "address changed since the code", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			e.update(t, "ana", map[string]string{"email": "newer@example.com", "email_verified": "true"})
			return "ana", "email", code
		}, want: userpool.ErrExpiredCode},
		{name: "address verified on another user meanwhile", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) {
			e.verifiedUser(t, "bob", "new@example.com")
			return "ana", "email", code
		}, want: userpool.ErrAliasExists},
		{name: "code for the other attribute", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) { return "ana", "phone_number", code },
			want: userpool.ErrExpiredCode},
		{name: "attribute that cannot be verified", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) { return "ana", "name", code },
			want: userpool.ErrInvalidParameter, msg: "Invalid attribute name. Only phone_number and email can be verified."},
		{name: "unknown user", run: func(t *testing.T, e *lcEnv, code string) (string, string, string) { return "zoe", "email", code },
			want: userpool.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAttrEnv(t)
			e.update(t, "ana", map[string]string{"email": "new@example.com"})
			user, attr, code := tt.run(t, e, e.sent.last(t, "new@example.com").Code)
			err := e.pool.VerifyAttribute(e.ctx, user, attr, code)
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if errors.Is(tt.want, userpool.ErrCodeMismatch) || errors.Is(tt.want, userpool.ErrAliasExists) {
					e.finds(t, "ana@example.com", "ana")
				}
				return
			}
			u := e.get(t, "ana")
			if u.Attributes["email"] != "new@example.com" || u.Attributes["email_verified"] != "true" {
				t.Fatalf("got %v", u.Attributes)
			}
			e.finds(t, "new@example.com", "ana")
			e.finds(t, "ana@example.com", "")
		})
	}
}

func TestVerifyAttributeConcurrent(t *testing.T) {
	e := newAttrEnv(t)
	e.update(t, "ana", map[string]string{"email": "new@example.com"})
	code := e.sent.last(t, "new@example.com").Code
	const n = 50
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = e.pool.VerifyAttribute(e.ctx, "ana", "email", code) })
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, userpool.ErrExpiredCode), errors.Is(err, userpool.ErrTooManyFailedAttempts):
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d verifications succeeded, want 1", wins)
	}
}

func TestRequestAttributeVerification(t *testing.T) {
	tests := []struct {
		name   string
		before func(t *testing.T, e *lcEnv)
		user   string
		attr   string
		want   error
		msg    string
		to     string
	}{
		{name: "the current email", user: "ana", attr: "email", to: "ana@example.com"},
		{name: "the pending email", before: func(t *testing.T, e *lcEnv) { e.update(t, "ana", map[string]string{"email": "new@example.com"}) },
			user: "ana", attr: "email", to: "new@example.com"},
		{name: "an unverified phone", before: func(t *testing.T, e *lcEnv) { e.update(t, "ana", map[string]string{"phone_number": "+12065550100"}) },
			user: "ana", attr: "phone_number", to: "+12065550100"},
		{name: "no phone", user: "ana", attr: "phone_number", want: userpool.ErrInvalidParameter, msg: "phone_number is missing"},
		{name: "not verifiable", user: "ana", attr: "name", want: userpool.ErrInvalidParameter, msg: "Only phone_number and email can be verified."},
		{name: "unknown user", user: "zoe", attr: "email", want: userpool.ErrUserNotFound},
		{name: "sixth request in an hour", user: "ana", attr: "email", before: func(t *testing.T, e *lcEnv) {
			for range 5 {
				if _, err := e.pool.RequestAttributeVerification(e.ctx, "ana", "email"); err != nil {
					t.Fatal(err)
				}
			}
		}, want: userpool.ErrLimitExceeded, msg: "Attempt limit exceeded, please try after some time."},
		{name: "sender fails", user: "ana", attr: "email", before: func(t *testing.T, e *lcEnv) { e.sent.failWith(errors.New("down")) },
			want: userpool.ErrCodeDeliveryFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAttrEnv(t)
			if tt.before != nil {
				tt.before(t, e)
			}
			got, err := e.pool.RequestAttributeVerification(e.ctx, tt.user, tt.attr)
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				return
			}
			if got.AttributeName != tt.attr || got.Destination == "" {
				t.Fatalf("got %+v", got)
			}
			m := e.sent.last(t, tt.to)
			if m.Event != "VerifyUserAttribute" {
				t.Fatalf("got event %q", m.Event)
			}
			if err := e.pool.VerifyAttribute(e.ctx, "ana", tt.attr, m.Code); err != nil {
				t.Fatal(err)
			}
			if u := e.get(t, "ana"); u.Attributes[tt.attr] != tt.to || u.Attributes[tt.attr+"_verified"] != "true" {
				t.Fatalf("got %v", u.Attributes)
			}
		})
	}
}

func TestRequestAttributeVerificationSenderFailsKeepsCode(t *testing.T) {
	e := newAttrEnv(t)
	e.update(t, "ana", map[string]string{"email": "new@example.com"})
	code := e.sent.last(t, "new@example.com").Code
	e.sent.failWith(errors.New("down"))
	_, err := e.pool.RequestAttributeVerification(e.ctx, "ana", "email")
	lcCheckErr(t, err, userpool.ErrCodeDeliveryFailure, "n***@e***")
	if err := e.pool.VerifyAttribute(e.ctx, "ana", "email", code); err != nil {
		t.Fatalf("the code sent before the failure: %v", err)
	}
}

func TestAdminDeleteUserAttributes(t *testing.T) {
	tests := []struct {
		name  string
		opts  []userpool.Option
		user  string
		names []string
		want  error
		msg   string
		check func(t *testing.T, e *lcEnv)
	}{
		{name: "a name", names: []string{"name"}},
		{name: "the email with its flag, alias and pending value", names: []string{"email"},
			check: func(t *testing.T, e *lcEnv) {
				u := e.get(t, "ana")
				if _, ok := u.Attributes["email"]; ok {
					t.Fatalf("got %v", u.Attributes)
				}
				if _, ok := u.Attributes["email_verified"]; ok {
					t.Fatalf("got %v", u.Attributes)
				}
				e.finds(t, "ana@example.com", "")
			}},
		{name: "required", opts: []userpool.Option{userpool.WithRequiredAttributes("email")}, names: []string{"email"},
			want: userpool.ErrInvalidParameter, msg: "Required attribute cannot be deleted."},
		{name: "immutable", opts: []userpool.Option{userpool.WithImmutableAttributes("nickname")}, names: []string{"nickname"}, want: userpool.ErrInvalidParameter},
		{name: "sub", names: []string{"sub"}, want: userpool.ErrInvalidParameter},
		{name: "unknown", names: []string{"shoe_size"}, want: userpool.ErrInvalidParameter},
		{name: "unknown user", user: "zoe", names: []string{"name"}, want: userpool.ErrUserNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAttrEnv(t, tt.opts...)
			e.update(t, "ana", map[string]string{"email": "new@example.com", "name": "Ana"})
			if tt.user == "" {
				tt.user = "ana"
			}
			err := e.pool.AdminDeleteUserAttributes(e.ctx, userpool.AdminDeleteUserAttributesInput{Username: tt.user, UserAttributeNames: tt.names})
			lcCheckErr(t, err, tt.want, tt.msg)
			if tt.want != nil {
				if e.get(t, "ana").Attributes["name"] != "Ana" {
					t.Fatalf("a refused deletion changed the user")
				}
				return
			}
			u := e.get(t, "ana")
			for _, n := range tt.names {
				if _, ok := u.Attributes[n]; ok {
					t.Fatalf("%s not deleted: %v", n, u.Attributes)
				}
			}
			s, _ := e.pool.Store().GetUser(e.ctx, e.pool.ID(), u.Sub)
			if tt.names[0] == "email" && len(s.PendingAttributes) != 0 {
				t.Fatalf("pending %v", s.PendingAttributes)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestAdminDeleteUserAttributesUsernameAttribute(t *testing.T) {
	e := newLCEnv(t, userpool.WithUsernameAttributes("email"))
	e.signUp(t, "ana@example.com", nil)
	err := e.pool.AdminDeleteUserAttributes(e.ctx, userpool.AdminDeleteUserAttributesInput{Username: "ana@example.com", UserAttributeNames: []string{"email"}})
	lcCheckErr(t, err, userpool.ErrInvalidParameter, "cannot be deleted")
}
