package userpool_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/userpool/userpool"
)

// migration is a UserMigration trigger backed by a tiny legacy directory.
type migration struct {
	calls  atomic.Int32
	mu     sync.Mutex
	events []userpool.UserMigrationEvent
}

func (m *migration) trigger(_ context.Context, ev *userpool.UserMigrationEvent) error {
	m.calls.Add(1)
	m.mu.Lock()
	m.events = append(m.events, *ev)
	m.mu.Unlock()
	switch ev.Username {
	case "legacy":
		if ev.TriggerSource == "UserMigration_Authentication" && ev.Password != "Old-pass-123" {
			return errors.New("bad password")
		}
		ev.UserAttributes = map[string]string{"email": "legacy@example.com", "email_verified": "true"}
		ev.FinalUserStatus = "CONFIRMED"
		ev.MessageAction = "SUPPRESS"
	case "resetme":
		ev.UserAttributes = map[string]string{"email": "resetme@example.com", "email_verified": "true"}
	case "weird":
		ev.UserAttributes = map[string]string{}
		ev.FinalUserStatus = "UNCONFIRMED"
	}
	return nil
}

func TestUserMigrationSignIn(t *testing.T) {
	m := &migration{}
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{UserMigration: m.trigger}))
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "legacy", "PASSWORD": "Old-pass-123"},
		ClientMetadata: map[string]string{"k": "v"}})
	e.wantTokens(t, "migrating sign-in", out, err, "legacy")
	u, err := e.pool.AdminGetUser(e.ctx, "legacy")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != userpool.StatusConfirmed || u.Attributes["email"] != "legacy@example.com" {
		t.Errorf("migrated user %+v, want CONFIRMED with the email", u)
	}
	ev := m.events[0]
	if ev.TriggerSource != "UserMigration_Authentication" || ev.ClientMetadata["k"] != "v" || ev.ValidationData["k"] != "v" || ev.ClientID != e.app.ID {
		t.Errorf("event %+v", ev)
	}
	// The password is now the pool's: the trigger is not asked again,
	// and a password the old system did not take (the policy is not
	// applied to migrated passwords) works.
	e.tokens(t, "legacy", "Old-pass-123")
	if n := m.calls.Load(); n != 1 {
		t.Errorf("trigger ran %d times, want 1", n)
	}

	_, err = e.signIn("legacy2", "whatever-1A!")
	wantAuthErr(t, "unknown to the trigger too", err, userpool.ErrUserNotFound, "User does not exist.")
	_, err = e.signIn("resetme", "Whatever-1!")
	wantAuthErr(t, "migrated to RESET_REQUIRED", err, userpool.ErrPasswordResetRequired, "Password reset required for the user")
	if u, err := e.pool.AdminGetUser(e.ctx, "resetme"); err != nil || u.Status != userpool.StatusResetRequired {
		t.Errorf("resetme: %+v, %v, want RESET_REQUIRED", u, err)
	}
	_, err = e.signIn("weird", "Whatever-1!")
	wantAuthErr(t, "bad final status", err, userpool.ErrInvalidLambdaResponse, "")
	if _, err := e.pool.AdminGetUser(e.ctx, "weird"); !errors.Is(err, userpool.ErrUserNotFound) {
		t.Errorf("a refused migration created a user: %v", err)
	}
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.prevent.ID,
		AuthParameters: map[string]string{"USERNAME": "legacy3", "PASSWORD": "whatever-1A!"}})
	wantAuthErr(t, "unknown everywhere, existence errors prevented", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
}

func TestUserMigrationForgotPassword(t *testing.T) {
	m := &migration{}
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{UserMigration: m.trigger}))
	d, err := e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "resetme"})
	if err != nil {
		t.Fatal(err)
	}
	if d.DeliveryMedium != userpool.ChannelEmail || d.Destination != "r***@e***" {
		t.Errorf("delivery %+v, want email r***@e***", d)
	}
	if ev := m.events[0]; ev.TriggerSource != "UserMigration_ForgotPassword" || ev.Password != "" {
		t.Errorf("event %+v, want source UserMigration_ForgotPassword without a password", ev)
	}
	code := e.sent.code(t, "resetme@example.com")
	if err := e.pool.ConfirmForgotPassword(e.ctx, userpool.ConfirmForgotPasswordInput{ClientID: e.app.ID, Username: "resetme", ConfirmationCode: code, Password: "New-horse-77"}); err != nil {
		t.Fatal(err)
	}
	e.tokens(t, "resetme", "New-horse-77")
}

func TestPreAuthentication(t *testing.T) {
	var mu sync.Mutex
	var events []userpool.PreAuthenticationEvent
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{
		PreAuthentication: func(_ context.Context, ev *userpool.PreAuthenticationEvent) error {
			mu.Lock()
			events = append(events, *ev)
			mu.Unlock()
			if ev.Username == "blocked" {
				return errors.New("not today")
			}
			return nil
		},
	}))
	e.user(t, "ana", nil)
	e.user(t, "blocked", nil)
	before := userpool.PasswordChecksForTest(e.pool)
	_, err := e.signIn("blocked", authPassword)
	wantAuthErr(t, "refused by PreAuthentication", err, userpool.ErrUserLambdaValidation, "PreAuthentication failed with error not today.")
	if n := userpool.PasswordChecksForTest(e.pool) - before; n != 0 {
		t.Errorf("%d password checks for a refused sign-in, want 0", n)
	}
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}, ClientMetadata: map[string]string{"ip": "192.0.2.1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.prevent.ID,
		AuthParameters: map[string]string{"USERNAME": "ghost", "PASSWORD": authPassword}})
	wantAuthErr(t, "unknown user", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	_, err = e.signIn("ghost", authPassword)
	wantAuthErr(t, "unknown user, legacy client", err, userpool.ErrUserNotFound, "")

	mu.Lock()
	defer mu.Unlock()
	if len(events) != 3 {
		t.Fatalf("PreAuthentication ran %d times, want 3 (not for an unknown user of a legacy client)", len(events))
	}
	ana := events[1]
	if ana.TriggerSource != "PreAuthentication_Authentication" || ana.ValidationData["ip"] != "192.0.2.1" || ana.UserAttributes["cognito:user_status"] != "CONFIRMED" || ana.UserNotFound {
		t.Errorf("event for ana %+v", ana)
	}
	if ghost := events[2]; !ghost.UserNotFound || ghost.Username != "ghost" {
		t.Errorf("event for an unknown user %+v, want UserNotFound", ghost)
	}
}

func TestPostAuthentication(t *testing.T) {
	var seen atomic.Int32
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{
		PostAuthentication: func(_ context.Context, ev *userpool.PostAuthenticationEvent) error {
			seen.Add(1)
			if ev.TriggerSource != "PostAuthentication_Authentication" {
				return errors.New("wrong source " + ev.TriggerSource)
			}
			if ev.Username == "blocked" {
				return errors.New("no tokens for you")
			}
			return nil
		},
	}))
	e.user(t, "ana", nil)
	e.user(t, "blocked", nil)
	e.tokens(t, "ana", authPassword)
	_, err := e.signIn("blocked", authPassword)
	wantAuthErr(t, "refused by PostAuthentication", err, userpool.ErrUserLambdaValidation, "PostAuthentication failed with error no tokens for you.")
	_, err = e.signIn("ana", "Wrong-horse-9")
	wantAuthErr(t, "wrong password", err, userpool.ErrNotAuthorized, "")
	if n := seen.Load(); n != 2 {
		t.Errorf("PostAuthentication ran %d times, want 2 (not after a failure)", n)
	}
}
