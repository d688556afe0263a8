package userpool_test

import (
	"slices"
	"testing"

	"github.com/userpool/userpool"
)

// choiceClients adds app clients allowed USER_AUTH, one of them
// preventing user-existence errors.
func (e *authEnv) choiceClients(t *testing.T) (open, prevent userpool.Client) {
	t.Helper()
	flows := []userpool.AuthFlow{userpool.FlowUserAuth, userpool.FlowRefreshToken}
	return e.client(t, userpool.ClientConfig{Name: "choice", AuthFlows: flows}),
		e.client(t, userpool.ClientConfig{Name: "choice-prevent", AuthFlows: flows, PreventUserExistenceErrors: true})
}

func (e *authEnv) userAuth(c userpool.Client, params map[string]string) (userpool.AuthOutput, error) {
	return e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUser, ClientID: c.ID, AuthParameters: params})
}

func (e *authEnv) selectChallenge(c userpool.Client, out userpool.AuthOutput, name string, responses map[string]string) (userpool.AuthOutput, error) {
	r := map[string]string{"USERNAME": name}
	for k, v := range responses {
		r[k] = v
	}
	return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: c.ID, ChallengeName: userpool.ChallengeSelectChallenge, Session: out.Session, ChallengeResponses: r,
	})
}

// srpThroughSelect answers SELECT_CHALLENGE with PASSWORD_SRP, then the
// PASSWORD_VERIFIER that follows, proving password.
func (e *authEnv) srpThroughSelect(t *testing.T, c userpool.Client, out userpool.AuthOutput, name, password string) (userpool.AuthOutput, error) {
	t.Helper()
	s := &srpSignIn{e: e, client: c, cl: userpool.NewSRPClientForTest(srpRandom(3))}
	verifier, err := e.selectChallenge(c, out, name, map[string]string{"ANSWER": userpool.FirstFactorPasswordSRP, "SRP_A": s.cl.A()})
	if err != nil || verifier.ChallengeName != userpool.ChallengePasswordVerifier {
		t.Fatalf("SELECT_CHALLENGE PASSWORD_SRP: %+v, %v", verifier, err)
	}
	s.out = verifier
	return s.answer(s.responses(password, nil))
}

func TestUserAuthPreferredFactor(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com"})
	open, _ := e.choiceClients(t)

	out, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": authPassword})
	e.wantTokens(t, "USER_AUTH with PASSWORD", out, err, "ana")
	_, err = e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Wrong-horse-9"})
	wantAuthErr(t, "wrong password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")

	s := &srpSignIn{e: e, client: open, cl: userpool.NewSRPClientForTest(srpRandom(5))}
	s.out, err = e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": s.cl.A()})
	if err != nil || s.out.ChallengeName != userpool.ChallengePasswordVerifier {
		t.Fatalf("USER_AUTH with PASSWORD_SRP: %+v, %v", s.out, err)
	}
	out, err = s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "USER_AUTH with PASSWORD_SRP", out, err, "ana")

	// The flow needs the client's ALLOW_USER_AUTH; and the other flows
	// need theirs.
	_, err = e.userAuth(e.app, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": authPassword})
	wantAuthErr(t, "client without ALLOW_USER_AUTH", err, userpool.ErrInvalidParameter, "USER_AUTH flow not enabled for this client")
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: open.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}})
	wantAuthErr(t, "USER_PASSWORD_AUTH on a USER_AUTH client", err, userpool.ErrInvalidParameter, "USER_PASSWORD_AUTH flow not enabled for this client")
}

func TestUserAuthSelectChallenge(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", map[string]string{"email": "ana@example.com"})
	open, prevent := e.choiceClients(t)
	start := func(c userpool.Client, name string, params map[string]string) userpool.AuthOutput {
		t.Helper()
		in := map[string]string{"USERNAME": name}
		for k, v := range params {
			in[k] = v
		}
		out, err := e.userAuth(c, in)
		if err != nil || out.ChallengeName != userpool.ChallengeSelectChallenge || out.Session == "" {
			t.Fatalf("USER_AUTH %s: %+v, %v", name, out, err)
		}
		if want := []string{"PASSWORD", "PASSWORD_SRP"}; !slices.Equal(out.AvailableChallenges, want) {
			t.Fatalf("AvailableChallenges %v, want %v", out.AvailableChallenges, want)
		}
		return out
	}

	// No preference, or one without its input, gives the choice.
	out, err := e.selectChallenge(open, start(open, "ana", nil), "ana", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": authPassword})
	e.wantTokens(t, "SELECT_CHALLENGE PASSWORD", out, err, "ana")
	out, err = e.srpThroughSelect(t, open, start(open, "ana", map[string]string{"PREFERRED_CHALLENGE": "PASSWORD_SRP"}), "ana", authPassword)
	e.wantTokens(t, "SELECT_CHALLENGE PASSWORD_SRP", out, err, "ana")

	// An answer refused for its form keeps the session; a wrong password
	// ends it.
	sel := start(open, "ana", map[string]string{"PREFERRED_CHALLENGE": "WEB_AUTHN"})
	for _, tc := range []struct {
		name      string
		responses map[string]string
		err       *userpool.Error
		msg       string
	}{
		{"factor not offered", map[string]string{"ANSWER": "WEB_AUTHN"}, userpool.ErrInvalidParameter, `Invalid ANSWER: "WEB_AUTHN" is not one of the available challenges.`},
		{"no password", map[string]string{"ANSWER": "PASSWORD"}, userpool.ErrInvalidParameter, "Missing required parameter PASSWORD"},
		{"wrong password", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": "Wrong-horse-9"}, userpool.ErrNotAuthorized, "Incorrect username or password."},
		{"session used", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": authPassword}, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once."},
	} {
		_, err := e.selectChallenge(open, sel, "ana", tc.responses)
		wantAuthErr(t, tc.name, err, tc.err, tc.msg)
	}

	// Unknown users: UserNotFound at once, or with existence errors
	// prevented, the same choice and a failure like a wrong password.
	_, err = e.userAuth(open, map[string]string{"USERNAME": "nobody"})
	wantAuthErr(t, "unknown user", err, userpool.ErrUserNotFound, "User does not exist.")
	_, err = e.selectChallenge(prevent, start(prevent, "nobody", nil), "nobody", map[string]string{"ANSWER": "PASSWORD", "PASSWORD": authPassword})
	wantAuthErr(t, "unknown user, prevented", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
}

// TestUserAuthThenMFA: the steps after a password (here MFA) follow a
// choice-based sign-in as they follow any other.
func TestUserAuthThenMFA(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors)
	e.user(t, "ana", map[string]string{"email": "ana@example.com"})
	e.enable(t, "ana", true, userpool.FactorEmail)
	open, _ := e.choiceClients(t)
	out, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": authPassword})
	if err != nil || out.ChallengeName != userpool.ChallengeEmailOTP {
		t.Fatalf("USER_AUTH with email MFA: %+v, %v", out, err)
	}
}
