package userpool_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

func TestAutoSignInAfterSignUp(t *testing.T) {
	e := newAuthEnv(t, userpool.WithSelfSignUp(), userpool.WithAutoVerifiedAttributes("email"))
	open, _ := e.choiceClients(t)
	other := e.client(t, userpool.ClientConfig{Name: "other", AuthFlows: []userpool.AuthFlow{userpool.FlowUserAuth, userpool.FlowRefreshToken}})
	signIn := func(c userpool.Client, name, session string) (userpool.AuthOutput, error) {
		return e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUser, ClientID: c.ID,
			AuthParameters: map[string]string{"USERNAME": name}, Session: session})
	}

	session := e.signUpAndConfirm(t, open, "ana", authPassword)
	if session == "" {
		t.Fatal("no session from ConfirmSignUp for a USER_AUTH client")
	}
	out, err := signIn(open, "ana", session)
	e.wantTokens(t, "auto sign-in", out, err, "ana")
	_, err = signIn(open, "ana", session)
	wantAuthErr(t, "twice", err, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once.")

	// The session answers only its user, with its client, in time.
	for _, tc := range []struct {
		name, user string // the user who confirms
		client     userpool.Client
		as         string // the USERNAME of the sign-in
		wait       time.Duration
		msg        string
	}{
		{"another client", "bo", other, "bo", 0, "Invalid session for the user."},
		{"another user", "cy", open, "ana", 0, "Invalid session for the user."},
		{"too late", "di", open, "di", 4 * time.Minute, "Invalid session for the user, session is expired."},
	} {
		s := e.signUpAndConfirm(t, open, tc.user, authPassword)
		e.clock.Advance(tc.wait)
		_, err := signIn(tc.client, tc.as, s)
		wantAuthErr(t, tc.name, err, userpool.ErrNotAuthorized, tc.msg)
	}

	// A client without choice-based sign-in gets no session.
	if s := e.signUpAndConfirm(t, e.app, "ed", authPassword); s != "" {
		t.Errorf("session %q for a client without USER_AUTH", s)
	}
}

// failingSessions is a store whose sessions cannot be written.
type failingSessions struct{ storage.Store }

func (failingSessions) PutSession(context.Context, storage.Session) error {
	return errors.New("sessions are down")
}

// TestConfirmSignUpWithoutSession: when the auto sign-in session cannot be
// kept, ConfirmSignUp still reports the confirmation it made, without a
// session, rather than an error that would say it failed.
func TestConfirmSignUpWithoutSession(t *testing.T) {
	store := failingSessions{memory.New()}
	e := newAuthEnv(t, userpool.WithStore(store), userpool.WithSelfSignUp(), userpool.WithAutoVerifiedAttributes("email"))
	open, _ := e.choiceClients(t)
	if s := e.signUpAndConfirm(t, open, "ana", authPassword); s != "" {
		t.Errorf("session %q from a store that cannot keep one", s)
	}
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil || u.Status != userpool.StatusConfirmed {
		t.Fatalf("after ConfirmSignUp: %+v, %v", u, err)
	}
}
