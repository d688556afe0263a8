package userpool

import (
	"context"
	"encoding/base64"
	"slices"

	"github.com/userpool/userpool/storage"
)

// WEB_AUTHN, the passkey first factor of choice-based sign-in: the
// challenge carries the options for navigator.credentials.get
// (CREDENTIAL_REQUEST_OPTIONS); the answer is the browser's assertion
// (CREDENTIAL). A verified assertion signs in, without MFA, as a code does
// (a passkey with user verification is two factors in itself). With user
// existence errors prevented, a name without passkeys (unknown, or a user
// who has none) gets options naming a credential derived from the name,
// and every answer fails.

// privPasskeyState holds, in authState.Private, the ceremony's state.
const privPasskeyState = "passkey.state"

func init() {
	registerChallenge(ChallengeWebAuthn, challengeSpec{handler: (*Pool).answerPasskey})
}

// startPasskey issues WEB_AUTHN for the user named in req.
func (p *Pool) startPasskey(ctx context.Context, req *authRequest) (AuthOutput, error) {
	c, st := req.client, p.newUserAuthState(req)
	u, decoy, err := p.passwordFreeStart(ctx, req, st, func(u storage.User) error {
		if len(u.Passkeys) == 0 {
			return ErrInvalidParameter.With("WEB_AUTHN is not available for this user: no passkey.")
		}
		return nil
	})
	if err != nil {
		return AuthOutput{}, err
	}
	if decoy {
		return p.passkeyDecoy(ctx, st, c)
	}
	return p.passkeyChallenge(ctx, st, c, p.passkeyUserOf(u))
}

// passkeyChallenge begins the assertion for pu and issues WEB_AUTHN.
func (p *Pool) passkeyChallenge(ctx context.Context, st *authState, c Client, pu PasskeyUser) (AuthOutput, error) {
	options, state, err := p.passkeys.BeginLogin(pu)
	if err != nil {
		return AuthOutput{}, p.internal("start a passkey sign-in", err)
	}
	if st.Private == nil {
		st.Private = map[string]string{}
	}
	st.Private[privPasskeyState] = base64.StdEncoding.EncodeToString(state)
	return p.challengeOutput(ctx, st, c, ChallengeWebAuthn, map[string]string{"CREDENTIAL_REQUEST_OPTIONS": string(options)})
}

// passkeyDecoy issues WEB_AUTHN for a sign-in that cannot succeed: the
// options name one credential derived from the name, as stable as a real
// user's, and the user id is the one SRP and code decoys show.
func (p *Pool) passkeyDecoy(ctx context.Context, st *authState, c Client) (AuthOutput, error) {
	id := p.decoyBytes("passkey decoy", p.markDecoy(st))
	decoy := p.passkeyUserOf(storage.User{Username: st.LoginName})
	decoy.ID, decoy.Passkeys = id[:16], []storage.Passkey{{ID: id}}
	return p.passkeyChallenge(ctx, st, c, decoy)
}

// answerPasskey verifies the assertion in CREDENTIAL. A refused one ends
// the sign-in with NotAuthorized "Incorrect username or password.", as a
// wrong password does; the next try needs a new challenge anyway.
func (p *Pool) answerPasskey(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	credential := req.response("CREDENTIAL")
	if credential == "" {
		return AuthOutput{}, retryable(missing("CREDENTIAL"))
	}
	state, err := base64.StdEncoding.DecodeString(st.Private[privPasskeyState])
	if err != nil || len(state) == 0 {
		return AuthOutput{}, errSessionInvalid
	}
	if st.UserNotFound {
		return AuthOutput{}, errIncorrectCredentials
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	used, err := p.passkeys.FinishLogin(p.passkeyUserOf(u), state, []byte(credential))
	if err != nil {
		return AuthOutput{}, ErrNotAuthorized.Wrap(err, incorrectCredentials)
	}
	used.LastUsedAt = p.now()
	u, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		i := slices.IndexFunc(u.Passkeys, func(o storage.Passkey) bool { return string(o.ID) == string(used.ID) })
		if i < 0 {
			// Deleted while the user was signing in with it.
			return nil, ErrNotAuthorized.With(incorrectCredentials)
		}
		u.Passkeys[i].Data, u.Passkeys[i].LastUsedAt = used.Data, used.LastUsedAt
		return nil, nil
	})
	if err != nil {
		return AuthOutput{}, err
	}
	if err := customStatus(u); err != nil {
		return AuthOutput{}, err
	}
	delete(st.Private, privPasskeyState)
	st.markDone(stepNameMFA)
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}
