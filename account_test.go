package userpool_test

import (
	"errors"
	"testing"

	"github.com/userpool/userpool"
)

// accountEnv is a pool with user ana (email verified), a custom
// attribute, and an access token of ana for each of three clients: app
// (default permissions), narrow (reads email only, writes name only) and
// custom (may read and write custom:tier).
type accountEnv struct {
	*authEnv
	app, narrow, custom string // access tokens
}

func newAccountEnv(t *testing.T, opts ...userpool.Option) *accountEnv {
	t.Helper()
	opts = append([]userpool.Option{
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString)),
		userpool.WithAutoVerifiedAttributes("email"),
	}, opts...)
	e := &accountEnv{authEnv: newAuthEnv(t, opts...)}
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true", "custom:tier": "gold", "name": "Ana"})
	narrow := e.client(t, userpool.ClientConfig{Name: "narrow", AuthFlows: passwordFlows, ReadAttributes: []string{"email"}, WriteAttributes: []string{"name"}})
	custom := e.client(t, userpool.ClientConfig{Name: "custom", AuthFlows: passwordFlows,
		ReadAttributes: []string{"email", "name", "custom:tier"}, WriteAttributes: []string{"name", "custom:tier"}})
	e.app = e.tokens(t, "ana", authPassword).AccessToken
	e.narrow = e.clientToken(t, narrow.ID)
	e.custom = e.clientToken(t, custom.ID)
	return e
}

func (e *accountEnv) clientToken(t *testing.T, clientID string) string {
	t.Helper()
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: clientID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}})
	if err != nil || out.AuthenticationResult == nil {
		t.Fatalf("sign-in: %+v, %v", out, err)
	}
	return out.AuthenticationResult.AccessToken
}

func TestGetUser(t *testing.T) {
	e := newAccountEnv(t)
	tests := []struct {
		name    string
		token   string
		want    []string
		notWant []string
	}{
		{"default permissions", e.app, []string{"sub", "email", "email_verified", "name"}, []string{"custom:tier"}},
		{"reads email only", e.narrow, []string{"sub", "email"}, []string{"name", "email_verified", "custom:tier"}},
		{"reads a custom attribute", e.custom, []string{"sub", "email", "name", "custom:tier"}, []string{"email_verified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := e.pool.GetUser(e.ctx, tt.token)
			if err != nil {
				t.Fatal(err)
			}
			if out.Username != "ana" {
				t.Errorf("Username %q, want ana", out.Username)
			}
			for _, a := range tt.want {
				if out.UserAttributes[a] == "" {
					t.Errorf("missing %s in %v", a, out.UserAttributes)
				}
			}
			for _, a := range tt.notWant {
				if _, ok := out.UserAttributes[a]; ok {
					t.Errorf("%s present in %v", a, out.UserAttributes)
				}
			}
		})
	}
	bad := []struct {
		name  string
		token string
		msg   string
	}{
		{"garbage", "not-a-token", ""},
		{"an ID token", e.tokensOf(t).IDToken, ""},
	}
	for _, tt := range bad {
		_, err := e.pool.GetUser(e.ctx, tt.token)
		wantAuthErr(t, tt.name, err, userpool.ErrNotAuthorized, tt.msg)
	}
	if err := e.pool.GlobalSignOut(e.ctx, e.app); err != nil {
		t.Fatal(err)
	}
	_, err := e.pool.GetUser(e.ctx, e.narrow)
	wantAuthErr(t, "after GlobalSignOut", err, userpool.ErrNotAuthorized, "Access Token has been revoked")
}

func (e *accountEnv) tokensOf(t *testing.T) *userpool.AuthenticationResult {
	t.Helper()
	return e.tokens(t, "ana", authPassword)
}

func TestUpdateUserAttributes(t *testing.T) {
	e := newAccountEnv(t)
	tests := []struct {
		name  string
		token string
		attrs map[string]string
		want  *userpool.Error
		msg   string
	}{
		{"standard attribute", e.app, map[string]string{"family_name": "Smith"}, nil, ""},
		{"verified flag", e.app, map[string]string{"email_verified": "false"}, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute"},
		{"sub", e.app, map[string]string{"sub": "x"}, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute"},
		{"custom attribute without permission", e.app, map[string]string{"custom:tier": "silver"}, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute"},
		{"custom attribute with permission", e.custom, map[string]string{"custom:tier": "silver"}, nil, ""},
		{"outside the client's write list", e.narrow, map[string]string{"family_name": "Jones"}, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute"},
		{"inside the client's write list", e.narrow, map[string]string{"name": "Anna"}, nil, ""},
		{"unknown attribute", e.app, map[string]string{"shoe_size": "9"}, userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.pool.UpdateUserAttributes(e.ctx, userpool.UpdateUserAttributesInput{AccessToken: tt.token, UserAttributes: tt.attrs})
			if tt.want != nil {
				wantAuthErr(t, tt.name, err, tt.want, tt.msg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			u, _ := e.pool.AdminGetUser(e.ctx, "ana")
			for k, v := range tt.attrs {
				if u.Attributes[k] != v {
					t.Errorf("%s = %q, want %q", k, u.Attributes[k], v)
				}
			}
		})
	}
	t.Run("new email is verified with a code", func(t *testing.T) {
		out, err := e.pool.UpdateUserAttributes(e.ctx, userpool.UpdateUserAttributesInput{AccessToken: e.app, UserAttributes: map[string]string{"email": "new@example.com"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.CodeDeliveryDetailsList) != 1 || out.CodeDeliveryDetailsList[0].AttributeName != "email" {
			t.Fatalf("got %+v, want a code to the new email", out)
		}
		code := e.sent.code(t, "new@example.com")
		err = e.pool.VerifyUserAttribute(e.ctx, userpool.VerifyUserAttributeInput{AccessToken: e.app, AttributeName: "email", Code: "x" + code})
		wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "")
		if err := e.pool.VerifyUserAttribute(e.ctx, userpool.VerifyUserAttributeInput{AccessToken: e.app, AttributeName: "email", Code: code}); err != nil {
			t.Fatal(err)
		}
		u, _ := e.pool.AdminGetUser(e.ctx, "ana")
		if u.Attributes["email"] != "new@example.com" || u.Attributes["email_verified"] != "true" {
			t.Errorf("after verification: %v", u.Attributes)
		}
	})
}

func TestDeleteUserAttributes(t *testing.T) {
	e := newAccountEnv(t, userpool.WithRequiredAttributes("name"))
	err := e.pool.DeleteUserAttributes(e.ctx, userpool.DeleteUserAttributesInput{AccessToken: e.app, UserAttributeNames: []string{"name"}})
	wantAuthErr(t, "required attribute", err, userpool.ErrInvalidParameter, "Invalid user attributes: name: Required attribute cannot be deleted.")
	err = e.pool.DeleteUserAttributes(e.ctx, userpool.DeleteUserAttributesInput{AccessToken: e.app, UserAttributeNames: []string{"custom:tier"}})
	wantAuthErr(t, "custom attribute without permission", err, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute")
	if err := e.pool.DeleteUserAttributes(e.ctx, userpool.DeleteUserAttributesInput{AccessToken: e.custom, UserAttributeNames: []string{"custom:tier"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.DeleteUserAttributes(e.ctx, userpool.DeleteUserAttributesInput{AccessToken: e.app, UserAttributeNames: []string{"email"}}); err != nil {
		t.Fatal(err)
	}
	u, _ := e.pool.AdminGetUser(e.ctx, "ana")
	for _, a := range []string{"custom:tier", "email", "email_verified"} {
		if _, ok := u.Attributes[a]; ok {
			t.Errorf("%s still set: %v", a, u.Attributes)
		}
	}
}

func TestGetUserAttributeVerificationCode(t *testing.T) {
	e := newAccountEnv(t)
	d, err := e.pool.GetUserAttributeVerificationCode(e.ctx, userpool.GetUserAttributeVerificationCodeInput{AccessToken: e.app, AttributeName: "email"})
	if err != nil {
		t.Fatal(err)
	}
	if d.Destination != "a***@e***" {
		t.Errorf("destination %q", d.Destination)
	}
	code := e.sent.code(t, "ana@example.com")
	if err := e.pool.VerifyUserAttribute(e.ctx, userpool.VerifyUserAttributeInput{AccessToken: e.app, AttributeName: "email", Code: code}); err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.GetUserAttributeVerificationCode(e.ctx, userpool.GetUserAttributeVerificationCodeInput{AccessToken: e.app, AttributeName: "name"})
	wantAuthErr(t, "not verifiable", err, userpool.ErrInvalidParameter, "Invalid attribute name. Only phone_number and email can be verified.")
	_, err = e.pool.GetUserAttributeVerificationCode(e.ctx, userpool.GetUserAttributeVerificationCodeInput{AccessToken: e.app, AttributeName: "phone_number"})
	wantAuthErr(t, "no phone number", err, userpool.ErrInvalidParameter, "")
	_, err = e.pool.GetUserAttributeVerificationCode(e.ctx, userpool.GetUserAttributeVerificationCodeInput{AccessToken: "junk", AttributeName: "email"})
	wantAuthErr(t, "bad token", err, userpool.ErrNotAuthorized, "")
}

func TestChangePassword(t *testing.T) {
	e := newAccountEnv(t)
	change := func(prev, next string) error {
		return e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: e.app, PreviousPassword: prev, ProposedPassword: next})
	}
	wantAuthErr(t, "wrong previous password", change("Wrong-horse-9", "New-horse-77"), userpool.ErrNotAuthorized, "Incorrect username or password.")
	wantAuthErr(t, "weak proposed password", change(authPassword, "weak"), userpool.ErrInvalidPassword, "")
	wantAuthErr(t, "no previous password", change("", "New-horse-77"), userpool.ErrInvalidParameter, "")
	if err := change(authPassword, "New-horse-77"); err != nil {
		t.Fatal(err)
	}
	_, err := e.signIn("ana", authPassword)
	wantAuthErr(t, "old password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	e.tokens(t, "ana", "New-horse-77")
	if _, err := e.pool.GetUser(e.ctx, e.app); err != nil {
		t.Errorf("the token survives a password change, as in Cognito: %v", err)
	}
	// Calls 4 and 5 of the hour; the malformed one did not count.
	if err := change("New-horse-77", "Newer-horse-77"); err != nil {
		t.Fatal(err)
	}
	if err := change("Newer-horse-77", "Newest-horse-77"); err != nil {
		t.Fatal(err)
	}
	wantAuthErr(t, "sixth call in an hour", change("Newest-horse-77", "Last-horse-77"), userpool.ErrLimitExceeded, "")
}

func TestChangePasswordSharesLockout(t *testing.T) {
	e := newAccountEnv(t)
	for range 5 {
		_, _ = e.signIn("ana", "Wrong-horse-9")
	}
	err := e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: e.app, PreviousPassword: authPassword, ProposedPassword: "New-horse-77"})
	wantAuthErr(t, "locked out by wrong sign-ins", err, userpool.ErrNotAuthorized, "Password attempts exceeded")
}

func TestChangePasswordVoidsResetCode(t *testing.T) {
	e := newAccountEnv(t)
	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.authEnv.app.ID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	code := e.sent.code(t, "ana@example.com")
	if err := e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: e.app, PreviousPassword: authPassword, ProposedPassword: "New-horse-77"}); err != nil {
		t.Fatal(err)
	}
	err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.authEnv.app.ID, Username: "ana", ConfirmationCode: code, Password: "Other-horse-77"})
	wantAuthErr(t, "reset code from before the change", err, userpool.ErrExpiredCode, "")
}

func TestDeleteUser(t *testing.T) {
	e := newAccountEnv(t)
	if err := e.pool.DeleteUser(e.ctx, e.app); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.GetUser(e.ctx, e.narrow); !errors.Is(err, userpool.ErrNotAuthorized) && !errors.Is(err, userpool.ErrUserNotFound) {
		t.Errorf("token of a deleted user: got %v, want it refused", err)
	}
	_, err := e.signIn("ana", authPassword)
	wantAuthErr(t, "sign-in of a deleted user", err, userpool.ErrUserNotFound, "User does not exist.")
}

func TestAccountUserState(t *testing.T) {
	e := newAccountEnv(t)
	if _, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.pool.GetUser(e.ctx, e.app)
	wantAuthErr(t, "token of a user awaiting a reset", err, userpool.ErrPasswordResetRequired, "")
	if err := e.pool.AdminDisableUser(e.ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.GetUser(e.ctx, e.app)
	wantAuthErr(t, "token of a disabled user", err, userpool.ErrNotAuthorized, "")
}
