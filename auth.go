package userpool

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// AuthFlow is an authentication flow an app client may use, named as
// Cognito's ExplicitAuthFlows values.
type AuthFlow string

// The auth flows.
const (
	FlowUserSRP           AuthFlow = "ALLOW_USER_SRP_AUTH"
	FlowUserPassword      AuthFlow = "ALLOW_USER_PASSWORD_AUTH"
	FlowAdminUserPassword AuthFlow = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	FlowCustom            AuthFlow = "ALLOW_CUSTOM_AUTH"
	FlowRefreshToken      AuthFlow = "ALLOW_REFRESH_TOKEN_AUTH"
)

// The AuthFlow values of InitiateAuth requests (Cognito's AuthFlowType).
const (
	AuthUserPassword      = "USER_PASSWORD_AUTH"
	AuthAdminUserPassword = "ADMIN_USER_PASSWORD_AUTH"
	// AuthAdminNoSRP is the legacy name of AuthAdminUserPassword.
	AuthAdminNoSRP   = "ADMIN_NO_SRP_AUTH"
	AuthRefreshToken = "REFRESH_TOKEN_AUTH"
	// AuthRefreshTokenLegacy is the legacy name of AuthRefreshToken.
	AuthRefreshTokenLegacy = "REFRESH_TOKEN"
	AuthCustom             = "CUSTOM_AUTH"
	AuthUserSRP            = "USER_SRP_AUTH"
	AuthUser               = "USER_AUTH"
)

// The challenge names of sign-in (Cognito's ChallengeNameType).
const (
	ChallengeNewPasswordRequired    = "NEW_PASSWORD_REQUIRED"
	ChallengeCustom                 = "CUSTOM_CHALLENGE"
	ChallengePasswordVerifier       = "PASSWORD_VERIFIER"
	ChallengeSMSMFA                 = "SMS_MFA"
	ChallengeSoftwareTokenMFA       = "SOFTWARE_TOKEN_MFA"
	ChallengeEmailOTP               = "EMAIL_OTP"
	ChallengeSelectMFAType          = "SELECT_MFA_TYPE"
	ChallengeMFASetup               = "MFA_SETUP"
	ChallengeDeviceSRPAuth          = "DEVICE_SRP_AUTH"
	ChallengeDevicePasswordVerifier = "DEVICE_PASSWORD_VERIFIER"
)

// InitiateAuthInput is the request of [Pool.InitiateAuth] and
// [Pool.AdminInitiateAuth], named as Cognito's.
type InitiateAuthInput struct {
	// AuthFlow is the flow: AuthUserPassword, AuthRefreshToken,
	// AuthCustom, AuthUserSRP, AuthUser, or (AdminInitiateAuth only)
	// AuthAdminUserPassword.
	AuthFlow string
	ClientID string
	// AuthParameters are the flow's inputs with Cognito's names: USERNAME,
	// PASSWORD, SECRET_HASH, REFRESH_TOKEN, DEVICE_KEY, SRP_A,
	// CHALLENGE_NAME, PREFERRED_CHALLENGE.
	AuthParameters map[string]string
	// ClientMetadata is passed to the PreAuthentication and UserMigration
	// triggers. As in Cognito, the custom-auth, post-authentication and
	// token triggers do not receive it from InitiateAuth.
	ClientMetadata map[string]string
	// Session is ConfirmSignUp's, for AuthUser: it signs the user who
	// just confirmed in without a factor (see ConfirmSignUpOutput).
	Session string
}

// RespondInput is the request of [Pool.RespondToAuthChallenge] and
// [Pool.AdminRespondToAuthChallenge], named as Cognito's.
type RespondInput struct {
	ClientID string
	// ChallengeName must be the challenge the session was issued for.
	ChallengeName string
	// Session is the opaque string of the previous step.
	Session string
	// ChallengeResponses are the answers with Cognito's names: USERNAME
	// (always), SECRET_HASH, NEW_PASSWORD, userAttributes.<name>, ANSWER,
	// and those of the MFA and SRP challenges.
	ChallengeResponses map[string]string
	ClientMetadata     map[string]string
}

// AuthOutput is the result of every sign-in step: either a challenge
// (ChallengeName, Session, ChallengeParameters) or, when the sign-in is
// complete, AuthenticationResult with the tokens.
type AuthOutput struct {
	ChallengeName string
	// Session is the opaque string to send back with the answer. It is
	// single use and lives for the client's AuthSessionValidity.
	Session             string
	ChallengeParameters map[string]string
	// AvailableChallenges are the first factors a USER_AUTH sign-in may
	// choose from, with ChallengeSelectChallenge.
	AvailableChallenges []string
	// AuthenticationResult is set when the sign-in is complete.
	AuthenticationResult *AuthenticationResult
}

// InitiateAuth starts a sign-in, mirroring Cognito's InitiateAuth. The
// result is the tokens or the first challenge; answer challenges with
// [Pool.RespondToAuthChallenge] until the tokens come.
//
// Checks run in Cognito's order: the request's flow (an ADMIN_* flow gives
// InvalidParameter "Initiate Auth method not supported."), the client
// (ResourceNotFound), the client's allowed flows (InvalidParameter
// "<FLOW> flow not enabled for this client"), SECRET_HASH (NotAuthorized),
// then the flow's own checks; see the flow constants for what each
// reports. A password flow checks, in order: the user (UserNotFound "User
// does not exist.", or with PreventUserExistenceErrors NotAuthorized
// "Incorrect username or password." after a hash of the same cost),
// PreAuthentication, the lockout (NotAuthorized "Password attempts
// exceeded"), the password ("Incorrect username or password."), whether
// the user is enabled ("User is disabled."), and its status
// (UserNotConfirmed, PasswordResetRequired, NEW_PASSWORD_REQUIRED or
// "Temporary password has expired and must be reset by an
// administrator.").
func (p *Pool) InitiateAuth(ctx context.Context, in InitiateAuthInput) (AuthOutput, error) {
	return p.initiate(ctx, in, false)
}

// AdminInitiateAuth starts a sign-in on behalf of a trusted server,
// mirroring Cognito's AdminInitiateAuth: as [Pool.InitiateAuth], and it
// also accepts ADMIN_USER_PASSWORD_AUTH (and its legacy name
// ADMIN_NO_SRP_AUTH), gated by the client's
// ALLOW_ADMIN_USER_PASSWORD_AUTH.
func (p *Pool) AdminInitiateAuth(ctx context.Context, in InitiateAuthInput) (AuthOutput, error) {
	return p.initiate(ctx, in, true)
}

// RespondToAuthChallenge answers a challenge, mirroring Cognito's
// RespondToAuthChallenge, and returns the next challenge or the tokens.
//
// The session must be the one the challenge came with, for the same
// client, not older than the client's AuthSessionValidity (NotAuthorized
// "Invalid session for the user, session is expired.") and not used
// before (NotAuthorized "Invalid session for the user, session can only be
// used once."): every answer consumes its session, and of concurrent
// answers with one session exactly one proceeds. An answer refused for its
// form (a new password against the policy, a missing attribute) leaves the
// session usable for another try, a few times.
func (p *Pool) RespondToAuthChallenge(ctx context.Context, in RespondInput) (AuthOutput, error) {
	return p.respond(ctx, in, false)
}

// AdminRespondToAuthChallenge answers a challenge on behalf of a trusted
// server, mirroring Cognito's AdminRespondToAuthChallenge; see
// [Pool.RespondToAuthChallenge].
func (p *Pool) AdminRespondToAuthChallenge(ctx context.Context, in RespondInput) (AuthOutput, error) {
	return p.respond(ctx, in, true)
}

// flowHandler starts a sign-in of one AuthFlow. The client is loaded and
// allowed the flow, but SECRET_HASH is not checked yet: the handler knows
// which user names it may be computed with.
type flowHandler func(p *Pool, ctx context.Context, req *authRequest) (AuthOutput, error)

// flowSpec describes one AuthFlow value.
type flowSpec struct {
	gate      AuthFlow // the client's ExplicitAuthFlows value that allows it
	adminOnly bool     // AdminInitiateAuth only
	handler   flowHandler
}

// challengeHandler answers one challenge. st is the state the session
// carried (already bound to the request's client and challenge) and u the
// user, read afresh. It returns the next step, usually through
// p.continueAuth. An error marked with retryable keeps the session for
// another try.
type challengeHandler func(p *Pool, ctx context.Context, req *respondRequest) (AuthOutput, error)

// The registries of the sign-in state machine. Each flow and challenge
// registers itself from the file that implements it (see registerFlow and
// registerChallenge in init functions), so a new one plugs in without
// editing the dispatch.
//
// This is the seam of the SRP and MFA work:
//
//   - USER_SRP_AUTH registers a flowHandler (gate FlowUserSRP) that emits
//     PASSWORD_VERIFIER, and a challengeHandler for PASSWORD_VERIFIER that
//     checks the proof with p.checkLockout / p.passwordSucceeded around
//     it and then calls p.continueAuth(ctx, st, u, client, metadata)
//     with st.PasswordVerified set (custom auth: p.customResult).
//   - MFA registers an afterPrimary step with registerAfterPrimary
//     (order stepMFA) that returns the SMS_MFA, SOFTWARE_TOKEN_MFA,
//     EMAIL_OTP, SELECT_MFA_TYPE or MFA_SETUP challenge when the user
//     needs one, and a challengeHandler for each that records success
//     in st.Done (so the step returns no challenge the second time) and
//     calls p.continueAuth. Private data (a code hash, the chosen factor)
//     goes in st.Private, which never leaves the server.
//   - Remembered devices register a step at stepDevice and handlers for
//     DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER the same way.
var (
	flows      = map[string]flowSpec{}
	challenges = map[string]challengeSpec{}
)

// challengeSpec describes one challenge the machine can be answered with.
type challengeSpec struct {
	handler challengeHandler
	// sessionOptional lets an answer come without a Session, as
	// PASSWORD_VERIFIER's does in Cognito: the handler then receives a
	// nil state and must rebuild and bind it itself (from SECRET_BLOCK),
	// USERNAME and SECRET_HASH included.
	sessionOptional bool
}

// registerFlow adds an AuthFlow value to the state machine. It is called
// from init functions only.
func registerFlow(name string, spec flowSpec) { flows[name] = spec }

// registerChallenge adds a challenge the state machine can be answered
// with. It is called from init functions only.
func registerChallenge(name string, spec challengeSpec) { challenges[name] = spec }

// authRequest is an InitiateAuth request being served.
type authRequest struct {
	InitiateAuthInput
	admin  bool
	client Client
}

// param returns an AuthParameters value.
func (r *authRequest) param(name string) string { return r.AuthParameters[name] }

// respondRequest is a RespondToAuthChallenge request being served: the
// request, the state its session carried, the client and the user.
type respondRequest struct {
	RespondInput
	admin  bool
	client Client
	state  *authState
}

// response returns a ChallengeResponses value.
func (r *respondRequest) response(name string) string { return r.ChallengeResponses[name] }

func (p *Pool) initiate(ctx context.Context, in InitiateAuthInput, admin bool) (AuthOutput, error) {
	spec, ok := flows[in.AuthFlow]
	if !ok {
		return AuthOutput{}, ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'authFlow' failed to satisfy constraint: Member must satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]", in.AuthFlow)
	}
	if spec.adminOnly && !admin {
		return AuthOutput{}, ErrInvalidParameter.With("Initiate Auth method not supported.")
	}
	if err := checkAuthMaps(in.AuthParameters, in.ClientMetadata); err != nil {
		return AuthOutput{}, err
	}
	c, err := p.loadClient(ctx, in.ClientID)
	if err != nil {
		return AuthOutput{}, err
	}
	if !c.Allows(spec.gate) && !managedPasswordFlow(ctx, in.AuthFlow) {
		return AuthOutput{}, ErrInvalidParameter.With("%s flow not enabled for this client", in.AuthFlow)
	}
	return spec.handler(p, ctx, &authRequest{InitiateAuthInput: in, admin: admin, client: c})
}

func (p *Pool) respond(ctx context.Context, in RespondInput, admin bool) (AuthOutput, error) {
	spec, ok := challenges[in.ChallengeName]
	if !ok {
		return AuthOutput{}, ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'challengeName' failed to satisfy constraint: Member must satisfy enum value set", in.ChallengeName)
	}
	if err := checkAuthMaps(in.ChallengeResponses, in.ClientMetadata); err != nil {
		return AuthOutput{}, err
	}
	if in.Session == "" && spec.sessionOptional {
		c, err := p.loadClient(ctx, in.ClientID)
		if err != nil {
			return AuthOutput{}, err
		}
		return spec.handler(p, ctx, &respondRequest{RespondInput: in, admin: admin, client: c})
	}
	if err := checkSessionParameter(in.Session); err != nil {
		return AuthOutput{}, err
	}
	c, err := p.loadClient(ctx, in.ClientID)
	if err != nil {
		return AuthOutput{}, err
	}
	name := in.ChallengeResponses["USERNAME"]
	if name == "" {
		return AuthOutput{}, ErrInvalidParameter.With("Missing required parameter USERNAME")
	}
	// SECRET_HASH is computed with the USERNAME the response carries,
	// and checked before the session is consumed: a client's mistake
	// does not cost the user the sign-in.
	if err := checkSecretHash(c, in.ChallengeResponses["SECRET_HASH"], name); err != nil {
		return AuthOutput{}, err
	}
	st, err := p.takeSession(ctx, in.Session)
	if err != nil {
		return AuthOutput{}, err
	}
	// A session answers exactly its challenge, for its client.
	if st.ClientID != c.ID || st.Challenge != in.ChallengeName {
		return AuthOutput{}, errSessionInvalid
	}
	// The response names the session's user: by the real user name
	// (USER_ID_FOR_SRP) or by the name the sign-in started with.
	if name != st.Username && name != st.LoginName {
		return AuthOutput{}, errSessionInvalid
	}
	req := &respondRequest{RespondInput: in, admin: admin, client: c, state: st}
	out, err := spec.handler(p, ctx, req)
	if err != nil && isRetryable(err) {
		p.restoreSession(ctx, in.Session, st)
	}
	return out, unwrapRetryable(err)
}

// Bounds of the maps of an auth request, as Cognito's API model has none
// but a server must: a caller cannot make the pool copy megabytes into a
// session or a trigger event.
const (
	maxAuthMapEntries = 64
	maxAuthMapValue   = 4096
)

// checkAuthMaps bounds AuthParameters / ChallengeResponses and
// ClientMetadata.
func checkAuthMaps(ms ...map[string]string) error {
	for _, m := range ms {
		if len(m) > maxAuthMapEntries {
			return ErrInvalidParameter.With("Too many parameters: at most %d are accepted.", maxAuthMapEntries)
		}
		for k, v := range m {
			if len(k) > maxAuthMapValue || len(v) > maxAuthMapValue {
				return ErrInvalidParameter.With("The parameter %.64s is longer than %d bytes.", k, maxAuthMapValue)
			}
		}
	}
	return nil
}

// challengeOutput issues a challenge: it stores st (with Challenge set to
// name) in a new session and returns the challenge with params.
// USER_ID_FOR_SRP (the real user name) is added to params unless present,
// since Amplify and identity-js read the canonical user name from it.
func (p *Pool) challengeOutput(ctx context.Context, st *authState, c Client, name string, params map[string]string) (AuthOutput, error) {
	st.Challenge = name
	session, err := p.newSession(ctx, st, c)
	if err != nil {
		return AuthOutput{}, err
	}
	out := maps.Clone(params)
	if out == nil {
		out = map[string]string{}
	}
	if _, ok := out["USER_ID_FOR_SRP"]; !ok {
		out["USER_ID_FOR_SRP"] = st.Username
	}
	return AuthOutput{ChallengeName: name, Session: session, ChallengeParameters: out}, nil
}

// Orders of the steps after the first factor (see registerAfterPrimary).
const (
	stepNewPassword = 10
	stepDevice      = 20
	stepMFA         = 30
)

// afterPrimaryStep is one check between a proven first factor and the
// tokens. It returns a challenge to issue (name and parameters), or "" to
// go on. It must return "" once its challenge has been answered, which it
// learns from st (st.Done, or the user's state).
type afterPrimaryStep func(p *Pool, ctx context.Context, st *authState, u storage.User, c Client) (challenge string, params map[string]string, err error)

type orderedStep struct {
	order int
	name  string
	step  afterPrimaryStep
}

var afterPrimarySteps []orderedStep

// registerAfterPrimary adds a step run after the first factor, in order
// (stepNewPassword, stepDevice, stepMFA). It is called from init functions
// only.
func registerAfterPrimary(order int, name string, step afterPrimaryStep) {
	afterPrimarySteps = append(afterPrimarySteps, orderedStep{order, name, step})
	slices.SortStableFunc(afterPrimarySteps, func(a, b orderedStep) int { return a.order - b.order })
}

// continueAuth moves a sign-in on after a step succeeded: a custom flow
// asks DefineAuthChallenge (see customNext); any other flow runs the
// steps after the first factor and, when none has a challenge, ends with
// the tokens.
func (p *Pool) continueAuth(ctx context.Context, st *authState, u storage.User, c Client, metadata map[string]string) (AuthOutput, error) {
	if st.Flow == AuthCustom && !st.CustomDone {
		return p.customNext(ctx, st, u, c, metadata)
	}
	return p.afterPrimaryAuth(ctx, st, u, c, metadata)
}

// afterPrimaryAuth runs the registered steps in order and issues the
// first challenge one of them asks for; when none asks, the sign-in
// succeeds: PostAuthentication runs and the tokens are issued.
func (p *Pool) afterPrimaryAuth(ctx context.Context, st *authState, u storage.User, c Client, metadata map[string]string) (AuthOutput, error) {
	for _, s := range afterPrimarySteps {
		name, params, err := s.step(p, ctx, st, u, c)
		if err != nil {
			return AuthOutput{}, err
		}
		if name != "" {
			return p.challengeOutput(ctx, st, c, name, params)
		}
	}
	return p.finishAuth(ctx, st, u, c, metadata)
}

// finishAuth ends a successful sign-in: the PostAuthentication trigger
// (whose error fails the sign-in), then the tokens.
func (p *Pool) finishAuth(ctx context.Context, st *authState, u storage.User, c Client, metadata map[string]string) (AuthOutput, error) {
	if fn := p.triggers.PostAuthentication; fn != nil {
		ev := &PostAuthenticationEvent{TriggerRequest: p.triggerRequest("PostAuthentication_Authentication", c.ID, u, metadata)}
		if err := callTrigger(ctx, "PostAuthentication", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
			return AuthOutput{}, err
		}
	}
	if m := managedLoginFrom(ctx); m != nil {
		return m.signedIn(st, u), nil
	}
	source := st.TokenSource
	if source == "" {
		source = TokenGenerationAuthentication
	}
	deviceKey, newDevice, err := p.signInDevice(st, u)
	if err != nil {
		return AuthOutput{}, err
	}
	res, err := p.issueTokens(ctx, u, c, time.Unix(st.AuthTime, 0), deviceKey, tokenContext{Source: source, ClientMetadata: metadata})
	if err != nil {
		return AuthOutput{}, err
	}
	res.NewDeviceMetadata = newDevice
	return AuthOutput{AuthenticationResult: &res}, nil
}
