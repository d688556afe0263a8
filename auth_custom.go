package userpool

import (
	"context"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

func init() {
	registerFlow(AuthCustom, flowSpec{gate: FlowCustom, handler: (*Pool).customFlow})
	registerChallenge(ChallengeCustom, challengeSpec{handler: (*Pool).answerCustom})
}

// customIssuer issues a built-in challenge that DefineAuthChallenge asked
// for inside a custom sign-in (PASSWORD_VERIFIER, SMS_MFA, ...). The SRP
// and MFA work registers one per challenge with registerCustomIssuer; its
// answer handler appends the result with p.customResult.
type customIssuer func(p *Pool, ctx context.Context, st *authState, u storage.User, c Client) (AuthOutput, error)

var customIssuers = map[string]customIssuer{}

// registerCustomIssuer lets DefineAuthChallenge choose challenge name. It
// is called from init functions only.
func registerCustomIssuer(name string, issue customIssuer) { customIssuers[name] = issue }

// maxCustomSteps bounds the challenges of one custom sign-in, so a
// DefineAuthChallenge that never decides cannot keep a sign-in (and its
// session records) going forever.
const maxCustomSteps = 16

// customFlow is CUSTOM_AUTH: DefineAuthChallenge decides each step from
// the steps so far, CreateAuthChallenge makes each CUSTOM_CHALLENGE and
// VerifyAuthChallenge judges its answer (cognito.md §8.5).
//
// The user must be enabled and neither UNCONFIRMED nor RESET_REQUIRED
// (checked before any challenge); a FORCE_CHANGE_PASSWORD user gets
// NEW_PASSWORD_REQUIRED once DefineAuthChallenge issues tokens. An
// unknown user gives UserNotFound, or, with PreventUserExistenceErrors,
// runs the triggers with UserNotFound set and can never get tokens.
// AuthParameters CHALLENGE_NAME=SRP_A starts the history with a passed
// SRP_A step, for DefineAuthChallenge to ask for PASSWORD_VERIFIER.
func (p *Pool) customFlow(ctx context.Context, req *authRequest) (AuthOutput, error) {
	name := req.param("USERNAME")
	if name == "" {
		return AuthOutput{}, missing("USERNAME")
	}
	if p.triggers.DefineAuthChallenge == nil {
		return AuthOutput{}, ErrInvalidParameter.With("Custom auth lambda trigger is not configured for the user pool.")
	}
	c := req.client
	st := &authState{
		Flow: req.AuthFlow, Admin: req.admin, ClientID: c.ID,
		Username: name, LoginName: name, AuthTime: p.now().Unix(),
		// identity-js sends its remembered device with a custom sign-in
		// too; once DefineAuthChallenge issues tokens, the device step
		// asks for DEVICE_SRP_AUTH as after a password.
		PresentedDevice: req.param("DEVICE_KEY"),
	}
	u, err := p.signInUser(ctx, req, st)
	if err != nil {
		return AuthOutput{}, err
	}
	if !st.UserNotFound {
		if err := customStatus(u); err != nil {
			return AuthOutput{}, err
		}
	}
	if req.param("CHALLENGE_NAME") == "SRP_A" {
		st.History = []ChallengeResult{{ChallengeName: "SRP_A", ChallengeResult: true}}
		st.Private = map[string]string{"SRP_A": req.param("SRP_A")}
	}
	// As in Cognito, the challenge triggers do not see InitiateAuth's
	// ClientMetadata.
	return p.customNext(ctx, st, u, c, nil)
}

// customStatus refuses a custom sign-in of a user who could not sign in
// with a password either.
func customStatus(u storage.User) error {
	switch {
	case !u.Enabled:
		return ErrNotAuthorized.With("User is disabled.")
	case u.Status == string(StatusUnconfirmed):
		return ErrUserNotConfirmed.With("User is not confirmed.")
	case u.Status == string(StatusResetRequired):
		return errResetRequired
	}
	return nil
}

// customTrigger is the part of the custom triggers' events that the
// session's user decides: the user's, or, for an unknown user, the name
// given and no attributes.
func (p *Pool) customTrigger(source string, st *authState, u storage.User, c Client, metadata map[string]string) TriggerRequest {
	tr := p.triggerRequest(source, c.ID, u, metadata)
	if st.UserNotFound {
		tr.Username = st.LoginName
		tr.UserAttributes = map[string]string{}
	}
	return tr
}

// customNext asks DefineAuthChallenge for the next step and takes it:
// fail (NotAuthorized "Incorrect username or password."), issue tokens
// (through the steps after the first factor), or issue a challenge made
// by CreateAuthChallenge (CUSTOM_CHALLENGE) or by a registered issuer.
func (p *Pool) customNext(ctx context.Context, st *authState, u storage.User, c Client, metadata map[string]string) (AuthOutput, error) {
	if len(st.History) >= maxCustomSteps {
		return AuthOutput{}, errIncorrectCredentials
	}
	define := &DefineAuthChallengeEvent{
		TriggerRequest: p.customTrigger("DefineAuthChallenge_Authentication", st, u, c, metadata),
		Session:        slices.Clone(st.History),
		UserNotFound:   st.UserNotFound,
	}
	fn := p.triggers.DefineAuthChallenge
	if err := callTrigger(ctx, "DefineAuthChallenge", func(ctx context.Context) error { return fn(ctx, define) }); err != nil {
		return AuthOutput{}, err
	}
	switch {
	case define.FailAuthentication:
		return AuthOutput{}, errIncorrectCredentials
	case define.IssueTokens:
		if st.UserNotFound {
			return AuthOutput{}, errIncorrectCredentials
		}
		st.CustomDone = true
		st.Private, st.ChallengeMetadata = nil, ""
		return p.afterPrimaryAuth(ctx, st, u, c, metadata)
	case define.ChallengeName == ChallengeCustom:
		return p.createCustomChallenge(ctx, st, u, c, metadata)
	case define.ChallengeName == "":
		return AuthOutput{}, ErrInvalidLambdaResponse.With("Invalid DefineAuthChallenge response: no challengeName, issueTokens or failAuthentication.")
	}
	issue, ok := customIssuers[define.ChallengeName]
	if !ok {
		return AuthOutput{}, ErrInvalidLambdaResponse.With("Invalid DefineAuthChallenge response: unsupported challengeName %q.", define.ChallengeName)
	}
	return issue(p, ctx, st, u, c)
}

// createCustomChallenge runs CreateAuthChallenge and issues its
// CUSTOM_CHALLENGE: the public parameters (with USERNAME) go to the
// client; the private ones and the metadata stay in the session for
// VerifyAuthChallenge.
func (p *Pool) createCustomChallenge(ctx context.Context, st *authState, u storage.User, c Client, metadata map[string]string) (AuthOutput, error) {
	fn := p.triggers.CreateAuthChallenge
	if fn == nil {
		return AuthOutput{}, ErrInvalidLambdaResponse.With("Invalid DefineAuthChallenge response: CUSTOM_CHALLENGE needs the CreateAuthChallenge trigger.")
	}
	ev := &CreateAuthChallengeEvent{
		TriggerRequest: p.customTrigger("CreateAuthChallenge_Authentication", st, u, c, metadata),
		ChallengeName:  ChallengeCustom,
		Session:        slices.Clone(st.History),
		UserNotFound:   st.UserNotFound,
	}
	if err := callTrigger(ctx, "CreateAuthChallenge", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
		return AuthOutput{}, err
	}
	if err := checkAuthMaps(ev.PublicChallengeParameters, ev.PrivateChallengeParameters); err != nil {
		return AuthOutput{}, ErrInvalidLambdaResponse.With("Invalid CreateAuthChallenge response: %s", errorMessage(err))
	}
	st.Private = maps.Clone(ev.PrivateChallengeParameters)
	st.ChallengeMetadata = ev.ChallengeMetadata
	public := maps.Clone(ev.PublicChallengeParameters)
	if public == nil {
		public = map[string]string{}
	}
	if _, ok := public["USERNAME"]; !ok {
		public["USERNAME"] = st.Username
	}
	return p.challengeOutput(ctx, st, c, ChallengeCustom, public)
}

// answerCustom answers CUSTOM_CHALLENGE: VerifyAuthChallenge judges
// ANSWER against the private parameters, the result joins the history,
// and DefineAuthChallenge decides again.
func (p *Pool) answerCustom(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	answer, ok := req.ChallengeResponses["ANSWER"]
	if !ok {
		return AuthOutput{}, retryable(missing("ANSWER"))
	}
	u := storage.User{Username: st.LoginName}
	if !st.UserNotFound {
		var err error
		if u, err = p.sessionUser(ctx, st); err != nil {
			return AuthOutput{}, err
		}
	}
	fn := p.triggers.VerifyAuthChallenge
	if fn == nil {
		return AuthOutput{}, ErrInvalidLambdaResponse.With("Invalid CreateAuthChallenge response: CUSTOM_CHALLENGE needs the VerifyAuthChallengeResponse trigger.")
	}
	ev := &VerifyAuthChallengeEvent{
		TriggerRequest:             p.customTrigger("VerifyAuthChallengeResponse_Authentication", st, u, c, req.ClientMetadata),
		PrivateChallengeParameters: maps.Clone(st.Private),
		ChallengeAnswer:            answer,
		UserNotFound:               st.UserNotFound,
	}
	if ev.PrivateChallengeParameters == nil {
		ev.PrivateChallengeParameters = map[string]string{}
	}
	if err := callTrigger(ctx, "VerifyAuthChallengeResponse", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
		return AuthOutput{}, err
	}
	return p.customResult(ctx, st, u, c, ChallengeCustom, ev.AnswerCorrect, req.ClientMetadata)
}

// customResult records the outcome of a step of a custom sign-in and asks
// DefineAuthChallenge what comes next. Built-in challenges issued inside
// a custom sign-in (see registerCustomIssuer) call it from their answer
// handlers.
func (p *Pool) customResult(ctx context.Context, st *authState, u storage.User, c Client, challenge string, passed bool, metadata map[string]string) (AuthOutput, error) {
	st.History = append(st.History, ChallengeResult{
		ChallengeName:     challenge,
		ChallengeResult:   passed,
		ChallengeMetadata: st.ChallengeMetadata,
	})
	st.Private, st.ChallengeMetadata = nil, ""
	return p.customNext(ctx, st, u, c, metadata)
}
