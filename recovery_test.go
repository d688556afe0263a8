package userpool_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

func TestForgotPassword(t *testing.T) {
	var mu sync.Mutex
	var confirmed []string
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{
		PostConfirmation: func(_ context.Context, ev *userpool.PostConfirmationEvent) error {
			mu.Lock()
			defer mu.Unlock()
			confirmed = append(confirmed, ev.TriggerSource)
			return nil
		},
	}))
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	before := e.tokens(t, "ana", authPassword)

	d, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	want := userpool.CodeDeliveryDetails{Destination: "a***@e***", DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}
	if d != want {
		t.Errorf("delivery %+v, want %+v", d, want)
	}
	code := e.sent.code(t, "ana@example.com")
	// Until the code is used the old password still works.
	e.tokens(t, "ana", authPassword)

	confirm := func(code, password string) error {
		return e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "ana", ConfirmationCode: code, Password: password})
	}
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	wantAuthErr(t, "wrong code", confirm(wrong, "New-horse-77"), userpool.ErrCodeMismatch, "Invalid verification code provided, please try again.")
	wantAuthErr(t, "weak password", confirm(code, "weak"), userpool.ErrInvalidPassword, "")
	wantAuthErr(t, "no password", confirm(code, ""), userpool.ErrInvalidParameter, "")
	if err := confirm(code, "New-horse-77"); err != nil {
		t.Fatalf("right code after refusals: %v", err)
	}
	wantAuthErr(t, "code used twice", confirm(code, "Other-horse-77"), userpool.ErrExpiredCode, "Invalid code provided, please request a code again.")
	_, err = e.signIn("ana", authPassword)
	wantAuthErr(t, "old password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	after := e.tokens(t, "ana", "New-horse-77")

	// Sessions from before the reset are over; the new one works.
	_, err = e.pool.GetUser(e.ctx, before.AccessToken)
	wantAuthErr(t, "access token from before the reset", err, userpool.ErrNotAuthorized, "")
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "REFRESH_TOKEN_AUTH", ClientID: e.app.ID, AuthParameters: map[string]string{"REFRESH_TOKEN": before.RefreshToken}})
	wantAuthErr(t, "refresh token from before the reset", err, userpool.ErrNotAuthorized, "")
	if _, err := e.pool.GetUser(e.ctx, after.AccessToken); err != nil {
		t.Errorf("access token from after the reset: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(confirmed) != 1 || confirmed[0] != "PostConfirmation_ConfirmForgotPassword" {
		t.Errorf("PostConfirmation sources %v, want [PostConfirmation_ConfirmForgotPassword]", confirmed)
	}
}

func TestForgotPasswordRecoversResetRequired(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	if _, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	_, err := e.signIn("ana", authPassword)
	wantAuthErr(t, "sign-in after the reset", err, userpool.ErrPasswordResetRequired, "")
	code := e.sent.code(t, "ana@example.com")
	if err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "ana", ConfirmationCode: code, Password: "New-horse-77"}); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.pool.AdminGetUser(e.ctx, "ana"); u.Status != userpool.StatusConfirmed {
		t.Errorf("status %s, want CONFIRMED", u.Status)
	}
	e.tokens(t, "ana", "New-horse-77")
}

func TestForgotPasswordRefused(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	e.user(t, "nomail", nil)
	e.user(t, "unverified", map[string]string{"email": "unverified@example.com"})
	e.user(t, "dis", map[string]string{"email": "dis@example.com", "email_verified": "true"})
	if err := e.pool.AdminDisableUser(e.ctx, "dis"); err != nil {
		t.Fatal(err)
	}
	e.tempUser(t, "tmp", map[string]string{"email": "tmp@example.com", "email_verified": "true"})
	tests := []struct {
		name   string
		client userpool.Client
		user   string
		want   *userpool.Error
		msg    string
		// simulated is the delivery shown instead of an error.
		simulated userpool.CodeDeliveryDetails
	}{
		{"unknown user", e.app, "nobody", userpool.ErrUserNotFound, "Username/client id combination not found.", userpool.CodeDeliveryDetails{}},
		{"disabled user", e.app, "dis", userpool.ErrNotAuthorized, "User is disabled.", userpool.CodeDeliveryDetails{}},
		{"no address", e.app, "nomail", userpool.ErrInvalidParameter, "Cannot reset password for the user as there is no registered/verified email or phone_number", userpool.CodeDeliveryDetails{}},
		{"unverified address", e.app, "unverified", userpool.ErrInvalidParameter, "Cannot reset password for the user as there is no registered/verified email or phone_number", userpool.CodeDeliveryDetails{}},
		{"temporary password", e.app, "tmp", userpool.ErrNotAuthorized, "User password cannot be reset in the current state.", userpool.CodeDeliveryDetails{}},
		{"temporary password, existence errors prevented", e.prevent, "tmp", userpool.ErrNotAuthorized, "User password cannot be reset in the current state.", userpool.CodeDeliveryDetails{}},
		{"unknown email, existence errors prevented", e.prevent, "who@example.org", nil, "",
			userpool.CodeDeliveryDetails{Destination: "w***@e***", DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}},
		{"unknown phone, existence errors prevented", e.prevent, "+15550123", nil, "",
			userpool.CodeDeliveryDetails{Destination: "+****0123", DeliveryMedium: userpool.ChannelSMS, AttributeName: "phone_number"}},
		{"disabled user, existence errors prevented", e.prevent, "dis", nil, "", userpool.CodeDeliveryDetails{DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}},
		{"no address, existence errors prevented", e.prevent, "nomail", nil, "", userpool.CodeDeliveryDetails{DeliveryMedium: userpool.ChannelEmail, AttributeName: "email"}},
		{"unknown client", userpool.Client{ClientConfig: userpool.ClientConfig{ID: "nope"}}, "ana", userpool.ErrResourceNotFound, "", userpool.CodeDeliveryDetails{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sent := e.sent.count()
			d, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: tt.client.ID, Username: tt.user})
			if tt.want != nil {
				wantAuthErr(t, tt.name, err, tt.want, tt.msg)
			} else {
				if err != nil {
					t.Fatalf("got %v, want a simulated delivery", err)
				}
				if tt.simulated.Destination != "" && d != tt.simulated {
					t.Errorf("got %+v, want %+v", d, tt.simulated)
				}
				if d.DeliveryMedium != tt.simulated.DeliveryMedium || d.AttributeName != tt.simulated.AttributeName || d.Destination == "" {
					t.Errorf("got %+v, want a plausible %s delivery", d, tt.simulated.DeliveryMedium)
				}
				again, _ := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: tt.client.ID, Username: tt.user})
				if again != d {
					t.Errorf("second simulated delivery %+v differs from the first %+v", again, d)
				}
			}
			if n := e.sent.count(); n != sent {
				t.Errorf("%d messages sent, want none", n-sent)
			}
		})
	}
	t.Run("quota", func(t *testing.T) {
		for i := 1; i <= 5; i++ {
			if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
				t.Fatalf("request %d: %v", i, err)
			}
		}
		_, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"})
		wantAuthErr(t, "6th request in an hour", err, userpool.ErrLimitExceeded, "Attempt limit exceeded, please try after some time.")
	})
}

func TestForgotPasswordAdminOnly(t *testing.T) {
	e := newAuthEnv(t, userpool.WithAccountRecovery(userpool.RecoveryAdminOnly))
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	for _, c := range []userpool.Client{e.app, e.prevent} {
		_, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: c.ID, Username: "ana"})
		wantAuthErr(t, "self-service reset in an admin-only pool", err, userpool.ErrNotAuthorized, "Contact administrator to reset password.")
	}
}

func TestForgotPasswordChannel(t *testing.T) {
	both := map[string]string{"email": "ana@example.com", "email_verified": "true", "phone_number": "+15550100", "phone_number_verified": "true"}
	tests := []struct {
		name     string
		recovery []userpool.RecoveryMechanism
		smsMFA   bool
		want     userpool.Channel
	}{
		{"email first", []userpool.RecoveryMechanism{userpool.RecoveryVerifiedEmail, userpool.RecoveryVerifiedPhone}, false, userpool.ChannelEmail},
		{"phone first", []userpool.RecoveryMechanism{userpool.RecoveryVerifiedPhone, userpool.RecoveryVerifiedEmail}, false, userpool.ChannelSMS},
		{"phone first, but it is the SMS MFA factor", []userpool.RecoveryMechanism{userpool.RecoveryVerifiedPhone, userpool.RecoveryVerifiedEmail}, true, userpool.ChannelEmail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAuthEnv(t, userpool.WithAccountRecovery(tt.recovery...))
			e.user(t, "ana", both)
			if tt.smsMFA {
				u, _ := e.pool.AdminGetUser(e.ctx, "ana")
				setUser(t, e, u.Sub, func(u *storage.User) { u.MFA.Enabled = []string{"SMS_MFA"} })
			}
			d, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"})
			if err != nil {
				t.Fatal(err)
			}
			if d.DeliveryMedium != tt.want {
				t.Errorf("delivered by %s, want %s", d.DeliveryMedium, tt.want)
			}
		})
	}
}

// setUser changes a stored user directly, for state the public API
// cannot reach yet.
func setUser(t *testing.T, e *authEnv, sub string, change func(*storage.User)) {
	t.Helper()
	u, err := e.store.GetUser(e.ctx, e.pool.ID(), sub)
	if err != nil {
		t.Fatal(err)
	}
	change(&u)
	if err := e.store.UpdateUsers(e.ctx, u); err != nil {
		t.Fatal(err)
	}
}

func TestConfirmForgotPasswordRefused(t *testing.T) {
	e := newAuthEnv(t, userpool.WithPasswordPolicy(func() userpool.PasswordPolicy {
		p := userpool.DefaultPasswordPolicy()
		p.HistorySize = 2
		return p
	}()))
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	e.user(t, "dis", map[string]string{"email": "dis@example.com", "email_verified": "true"})
	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "dis"}); err != nil {
		t.Fatal(err)
	}
	disCode := e.sent.code(t, "dis@example.com")
	if err := e.pool.AdminDisableUser(e.ctx, "dis"); err != nil {
		t.Fatal(err)
	}
	confirm := func(c userpool.Client, user, code, password string) error {
		return e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: c.ID, Username: user, ConfirmationCode: code, Password: password})
	}
	wantAuthErr(t, "no code requested", confirm(e.app, "ana", "123456", "New-horse-77"), userpool.ErrExpiredCode, "")
	wantAuthErr(t, "unknown user", confirm(e.app, "nobody", "123456", "New-horse-77"), userpool.ErrUserNotFound, "Username/client id combination not found.")
	wantAuthErr(t, "unknown user, existence errors prevented", confirm(e.prevent, "nobody", "123456", "New-horse-77"), userpool.ErrCodeMismatch, "")
	wantAuthErr(t, "disabled user", confirm(e.app, "dis", disCode, "New-horse-77"), userpool.ErrNotAuthorized, "User is disabled.")
	wantAuthErr(t, "disabled user, existence errors prevented", confirm(e.prevent, "dis", disCode, "New-horse-77"), userpool.ErrCodeMismatch, "")

	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	code := e.sent.code(t, "ana@example.com")
	wantAuthErr(t, "current password again", confirm(e.app, "ana", code, authPassword), userpool.ErrPasswordHistoryPolicyViolation, "")
	e.clock.Advance(time.Hour)
	wantAuthErr(t, "code an hour old", confirm(e.app, "ana", code, "New-horse-77"), userpool.ErrExpiredCode, "")

	// Codes share the guess bound: five wrong codes void the code.
	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	code = e.sent.code(t, "ana@example.com")
	wrong := "000000"
	if code == wrong {
		wrong = "111111"
	}
	var err error
	for i := 1; i <= 5; i++ {
		err = confirm(e.app, "ana", wrong, "New-horse-77")
	}
	wantAuthErr(t, "fifth wrong code", err, userpool.ErrTooManyFailedAttempts, "")
	err = confirm(e.app, "ana", code, "New-horse-77")
	if !errors.Is(err, userpool.ErrTooManyFailedAttempts) && !errors.Is(err, userpool.ErrExpiredCode) {
		t.Errorf("right code after the budget is spent: got %v, want it refused", err)
	}
}

func TestConfirmForgotPasswordConcurrent(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	code := e.sent.code(t, "ana@example.com")
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 50 {
		wg.Go(func() {
			err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "ana", ConfirmationCode: code, Password: "New-horse-77"})
			if err == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Errorf("%d confirmations succeeded, want exactly 1", wins)
	}
}

func TestResetClearsLockout(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true"})
	for range 6 {
		_, _ = e.signIn("ana", "Wrong-horse-9")
	}
	_, err := e.signIn("ana", authPassword)
	wantAuthErr(t, "locked", err, userpool.ErrNotAuthorized, "Password attempts exceeded")
	if _, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	code := e.sent.code(t, "ana@example.com")
	if err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "ana", ConfirmationCode: code, Password: "New-horse-77"}); err != nil {
		t.Fatal(err)
	}
	e.tokens(t, "ana", "New-horse-77")
}

func TestResendConfirmationCodePrevented(t *testing.T) {
	e := newAuthEnv(t, userpool.WithAutoVerifiedAttributes("email"))
	if _, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: e.app.ID, Username: "dis", Password: authPassword,
		UserAttributes: map[string]string{"email": "dis@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.AdminDisableUser(e.ctx, "dis"); err != nil {
		t.Fatal(err)
	}
	_, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{ClientID: e.app.ID, Username: "nobody"})
	wantAuthErr(t, "unknown user, legacy client", err, userpool.ErrUserNotFound, "Username/client id combination not found.")
	for _, name := range []string{"nobody", "dis", "who@example.org"} {
		sent := e.sent.count()
		d, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{ClientID: e.prevent.ID, Username: name})
		if err != nil || d.Destination == "" {
			t.Fatalf("%s: got %+v, %v, want a simulated delivery", name, d, err)
		}
		if e.sent.count() != sent {
			t.Errorf("%s: a message was sent", name)
		}
	}
}
