package userpool

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// Auto sign-in after sign-up, as Cognito does for choice-based sign-in:
// ConfirmSignUp, for a client allowed USER_AUTH, returns a Session; the
// client then calls InitiateAuth with AuthUser, USERNAME and that Session
// instead of a factor. The confirmation code just proved the user holds
// the address, as a sign-in code would. The session is single use and
// lives for the client's AuthSessionValidity; the steps after the first
// factor (devices, MFA) still run.

// sessionAutoSignIn marks a session ConfirmSignUp issued. It is never a
// challenge a client sees: such a session answers only InitiateAuth.
const sessionAutoSignIn = "CONFIRM_SIGN_UP"

// autoSignInSession stores the session ConfirmSignUp returns for u, who
// confirmed with client c under the name loginName.
func (p *Pool) autoSignInSession(ctx context.Context, c Client, u storage.User, loginName string) (ConfirmSignUpOutput, error) {
	st := &authState{
		Flow: AuthUser, ClientID: c.ID, Sub: u.Sub, Username: u.Username, LoginName: loginName,
		AuthTime: p.now().Unix(), Challenge: sessionAutoSignIn,
	}
	session, err := p.newSession(ctx, st, c)
	if err != nil {
		return ConfirmSignUpOutput{}, err
	}
	return ConfirmSignUpOutput{Session: session}, nil
}

// autoSignIn is USER_AUTH with the Session of ConfirmSignUp.
func (p *Pool) autoSignIn(ctx context.Context, req *authRequest) (AuthOutput, error) {
	name, c := req.param("USERNAME"), req.client
	if name == "" {
		return AuthOutput{}, missing("USERNAME")
	}
	if err := checkSessionParameter(req.Session); err != nil {
		return AuthOutput{}, err
	}
	// SECRET_HASH first, so a client's mistake does not use the session up.
	if err := checkSecretHash(c, req.param("SECRET_HASH"), name); err != nil {
		return AuthOutput{}, err
	}
	st, err := p.takeSession(ctx, req.Session)
	if err != nil {
		return AuthOutput{}, err
	}
	if st.Challenge != sessionAutoSignIn || st.ClientID != c.ID || (name != st.Username && name != st.LoginName) {
		return AuthOutput{}, errSessionInvalid
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	if err := customStatus(u); err != nil {
		return AuthOutput{}, err
	}
	st.Challenge = ""
	st.PresentedDevice = req.param("DEVICE_KEY")
	return p.continueAuth(ctx, st, u, c, nil)
}
