package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"slices"

	"github.com/userpool/userpool/storage"
)

// Choice-based sign-in (USER_AUTH), Cognito's newer flow: the client
// names the first factor it prefers (PREFERRED_CHALLENGE) with that
// factor's input, or gets SELECT_CHALLENGE with the factors it may use
// (AuthOutput.AvailableChallenges) and answers with ANSWER and the chosen
// factor's input. PASSWORD is USER_PASSWORD_AUTH's check and PASSWORD_SRP
// USER_SRP_AUTH's exchange, with everything they do after the password
// (new password, devices, MFA); the client's ALLOW_USER_AUTH allows both
// inside this flow, as in Cognito. EMAIL_OTP and SMS_OTP, codes instead of
// the password, are in auth_passwordless.go; WEB_AUTHN, passkeys, in
// auth_passkey.go.

// FlowUserAuth allows choice-based sign-in (USER_AUTH).
const FlowUserAuth AuthFlow = "ALLOW_USER_AUTH"

// ChallengeSelectChallenge asks a USER_AUTH sign-in to choose its first
// factor among AuthOutput.AvailableChallenges.
const ChallengeSelectChallenge = "SELECT_CHALLENGE"

// The first factors of choice-based sign-in, as PREFERRED_CHALLENGE,
// AvailableChallenges and the ANSWER to SELECT_CHALLENGE name them.
const (
	FirstFactorPassword    = "PASSWORD"
	FirstFactorPasswordSRP = "PASSWORD_SRP"
)

func init() {
	registerFlow(AuthUser, flowSpec{gate: FlowUserAuth, handler: (*Pool).userAuthFlow})
	registerChallenge(ChallengeSelectChallenge, challengeSpec{handler: (*Pool).answerSelectChallenge})
}

// firstFactors returns the first factors the pool offers, in the order
// AvailableChallenges lists them. The passwordless ones are those user can
// receive, or all the pool allows when user is nil (not looked up).
func (p *Pool) firstFactors(user *storage.User) []string {
	out := []string{FirstFactorPassword}
	if p.cfg.SRP {
		out = append(out, FirstFactorPasswordSRP)
	}
	return append(out, p.passwordlessFactors(user)...)
}

// userAuthFlow is USER_AUTH: the preferred factor at once when the
// request carries its input, SELECT_CHALLENGE otherwise. Before the
// choice, an unknown user gives UserNotFound, unless the client prevents
// user-existence errors: then every name gets the same choice (the pool's
// factors, not the user's), and the chosen factor fails as it would for an
// unknown user.
func (p *Pool) userAuthFlow(ctx context.Context, req *authRequest) (AuthOutput, error) {
	if req.Session != "" {
		return p.autoSignIn(ctx, req)
	}
	name := req.param("USERNAME")
	if name == "" {
		return AuthOutput{}, missing("USERNAME")
	}
	preferred := req.param("PREFERRED_CHALLENGE")
	if preferred != "" && slices.Contains(p.firstFactors(nil), preferred) {
		switch {
		case preferred == FirstFactorPassword && req.param("PASSWORD") != "":
			return p.passwordFlow(ctx, req)
		case preferred == FirstFactorPasswordSRP && req.param("SRP_A") != "":
			return p.srpFlow(ctx, req)
		case preferred == FirstFactorEmailOTP || preferred == FirstFactorSMSOTP:
			return p.startPasswordless(ctx, req, preferred)
		case preferred == FirstFactorWebAuthn:
			return p.startPasskey(ctx, req)
		}
	}
	c := req.client
	names := []string{name} // the names SECRET_HASH may be computed with
	var user *storage.User
	if !c.PreventUserExistenceErrors {
		u, err := p.lookup(ctx, name)
		switch {
		case errors.Is(err, ErrUserNotFound):
			if err := checkSecretHash(c, req.param("SECRET_HASH"), name); err != nil {
				return AuthOutput{}, err
			}
			return AuthOutput{}, err
		case err != nil:
			return AuthOutput{}, err
		}
		names = append(names, u.Username)
		user = &u
	}
	if err := checkSecretHash(c, req.param("SECRET_HASH"), names...); err != nil {
		return AuthOutput{}, err
	}
	out, err := p.challengeOutput(ctx, p.newUserAuthState(req), c, ChallengeSelectChallenge, nil)
	if err != nil {
		return AuthOutput{}, err
	}
	out.AvailableChallenges = p.firstFactors(user)
	return out, nil
}

// answerSelectChallenge takes the factor chosen in ANSWER, with its input
// in the same responses (PASSWORD, or SRP_A), and goes on as USER_AUTH
// with that factor preferred would have. An answer naming no factor on
// offer, or without its input, keeps the session for another try.
func (p *Pool) answerSelectChallenge(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st := req.state
	answer := req.response("ANSWER")
	if !slices.Contains(p.firstFactors(nil), answer) {
		return AuthOutput{}, retryable(ErrInvalidParameter.With("Invalid ANSWER: %q is not one of the available challenges.", answer))
	}
	params := map[string]string{"USERNAME": st.LoginName, "PREFERRED_CHALLENGE": answer}
	// The password factors need their input; a code factor needs none.
	if input := map[string]string{FirstFactorPassword: "PASSWORD", FirstFactorPasswordSRP: "SRP_A"}[answer]; input != "" {
		if req.response(input) == "" {
			return AuthOutput{}, retryable(missing(input))
		}
		params[input] = req.response(input)
	}
	for _, k := range []string{"SECRET_HASH", "DEVICE_KEY"} {
		if v := req.response(k); v != "" {
			params[k] = v
		}
	}
	if params["DEVICE_KEY"] == "" && st.PresentedDevice != "" {
		params["DEVICE_KEY"] = st.PresentedDevice
	}
	return p.userAuthFlow(ctx, &authRequest{
		InitiateAuthInput: InitiateAuthInput{AuthFlow: AuthUser, ClientID: req.client.ID, AuthParameters: params, ClientMetadata: req.ClientMetadata},
		admin:             st.Admin,
		client:            req.client,
	})
}

// UserAuthFactors is what [Pool.GetUserAuthFactors] returns.
type UserAuthFactors struct {
	Username string
	// PreferredMFA and MFAMethods are the user's MFA, as GetUser's.
	PreferredMFA Factor
	MFAMethods   []Factor
	// ConfiguredUserAuthFactors are the first factors the user can sign in
	// with now: PASSWORD when the user has one, and those of EMAIL_OTP,
	// SMS_OTP and WEB_AUTHN the pool allows and the user can use.
	ConfiguredUserAuthFactors []string
}

// GetUserAuthFactors returns the token owner's sign-in factors, mirroring
// Cognito's GetUserAuthFactors; the access-token errors of [Pool.GetUser].
func (p *Pool) GetUserAuthFactors(ctx context.Context, accessToken string) (UserAuthFactors, error) {
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return UserAuthFactors{}, err
	}
	pub := publicUser(u)
	out := UserAuthFactors{Username: u.Username, PreferredMFA: pub.PreferredMFA, MFAMethods: pub.MFAMethods,
		ConfiguredUserAuthFactors: []string{}}
	if u.PasswordHash != "" {
		out.ConfiguredUserAuthFactors = append(out.ConfiguredUserAuthFactors, FirstFactorPassword)
	}
	out.ConfiguredUserAuthFactors = append(out.ConfiguredUserAuthFactors, p.passwordlessFactors(&u)...)
	return out, nil
}

// newUserAuthState is the state of a USER_AUTH sign-in for the name req
// gives, before the user is looked up.
func (p *Pool) newUserAuthState(req *authRequest) *authState {
	name := req.param("USERNAME")
	return &authState{
		Flow: req.AuthFlow, Admin: req.admin, ClientID: req.client.ID,
		Username: name, LoginName: name, AuthTime: p.now().Unix(),
		PresentedDevice: req.param("DEVICE_KEY"),
	}
}

// passwordFreeStart is how a first factor without a password (a code, a
// passkey) begins: signInUser's opening, then the checks of the factor.
// It returns the user and, in refusal, why the
// factor cannot go on: the user is unknown, may not sign in, or cannot
// use the factor (usable says whether a user can). A client that
// prevents user-existence errors gets no refusal but decoy set instead,
// for the caller to answer with a challenge that cannot succeed: no proof
// has been given yet, so the answer must not differ from a stranger's.
func (p *Pool) passwordFreeStart(ctx context.Context, req *authRequest, st *authState, usable func(storage.User) error) (u storage.User, decoy bool, err error) {
	if u, err = p.signInUser(ctx, req, st); err != nil {
		return u, false, err
	}
	if st.UserNotFound {
		return u, true, nil
	}
	refusal := customStatus(u)
	if refusal == nil {
		refusal = usable(u)
	}
	if refusal != nil {
		if req.client.PreventUserExistenceErrors {
			return u, true, nil
		}
		return u, false, refusal
	}
	return u, false, nil
}

// decoyKey is the key a decoy's values derive from for a login name: its
// normalised form, so that spellings of one name get the same decoy.
func (p *Pool) decoyKey(name string) string {
	if key, err := p.loginKey(name); err == nil {
		return key
	}
	return name
}

// markDecoy marks st as a sign-in that cannot succeed and returns its
// decoy key. An unknown user gets, as USER_ID_FOR_SRP, the id an SRP decoy
// shows for the name; a known one keeps its own.
func (p *Pool) markDecoy(st *authState) string {
	key := p.decoyKey(st.LoginName)
	if st.Sub == "" {
		st.Username = decoyUserID(p.derivedKey("srp decoy"), key)
	}
	st.UserNotFound = true
	return key
}

// decoyBytes derives a decoy's values for purpose from its key, with the
// pool's secret: stable across tries and instances, unguessable without it.
func (p *Pool) decoyBytes(purpose, key string) []byte {
	mac := hmac.New(sha256.New, p.derivedKey(purpose))
	mac.Write([]byte(key))
	return mac.Sum(nil)
}
