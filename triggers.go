package userpool

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Triggers are the pool's hooks, one typed func per Cognito Lambda trigger.
// A nil func is not configured and is skipped.
//
// Each func runs synchronously on the request's goroutine, with the
// request's context bounded by [TriggerTimeout]; funcs of different
// requests may run concurrently, so they must be safe for concurrent use.
// A func may change the event's response fields, which the pool then
// honours. A returned error aborts the operation with
// UserLambdaValidationException ("PreSignUp failed with error <message>.");
// a panic or an overrun deadline aborts it with UnexpectedLambdaException.
// Either way the operation changes nothing.
type Triggers struct {
	// PreSignUp runs before a user is created by SignUp or AdminCreateUser
	// and may auto-confirm it, auto-verify its email or phone, or reject it.
	PreSignUp func(ctx context.Context, ev *PreSignUpEvent) error
	// PostConfirmation runs after a sign-up or a forgotten password is
	// confirmed. An error is reported but the confirmation stands, as in
	// Cognito.
	PostConfirmation func(ctx context.Context, ev *PostConfirmationEvent) error
	// PreAuthentication runs before a password or SRP sign-in is checked
	// and may reject it.
	PreAuthentication func(ctx context.Context, ev *PreAuthenticationEvent) error
	// PostAuthentication runs after a successful sign-in, before tokens
	// are returned.
	PostAuthentication func(ctx context.Context, ev *PostAuthenticationEvent) error
	// CustomMessage may replace the subject and body of any message the
	// pool sends.
	CustomMessage func(ctx context.Context, ev *CustomMessageEvent) error
	// DefineAuthChallenge, CreateAuthChallenge and VerifyAuthChallenge
	// drive CUSTOM_AUTH.
	DefineAuthChallenge func(ctx context.Context, ev *DefineAuthChallengeEvent) error
	CreateAuthChallenge func(ctx context.Context, ev *CreateAuthChallengeEvent) error
	VerifyAuthChallenge func(ctx context.Context, ev *VerifyAuthChallengeEvent) error
	// PreTokenGeneration may add, override and suppress claims and groups
	// of the tokens about to be issued.
	PreTokenGeneration func(ctx context.Context, ev *PreTokenGenerationEvent) error
	// UserMigration runs when an unknown user signs in or forgets a
	// password, and may create the user from another system.
	UserMigration func(ctx context.Context, ev *UserMigrationEvent) error
}

// TriggerTimeout bounds each trigger call, as Lambda's 5 seconds bound
// Cognito's.
const TriggerTimeout = 5 * time.Second

// TriggerRequest is what every trigger event carries.
type TriggerRequest struct {
	// TriggerSource says which operation caused the call, with Cognito's
	// value (for example "PreSignUp_SignUp", "PostConfirmation_ConfirmForgotPassword").
	TriggerSource string
	PoolID        string
	// ClientID is the app client of the request, or "" for admin calls.
	ClientID string
	Username string
	// UserAttributes are the user's attributes, including sub and
	// cognito:user_status where the user exists.
	UserAttributes map[string]string
	// ClientMetadata is what the caller passed as ClientMetadata.
	ClientMetadata map[string]string
}

// PreSignUpEvent is the PreSignUp trigger's event.
type PreSignUpEvent struct {
	TriggerRequest
	ValidationData map[string]string
	// AutoConfirmUser confirms the user without a code.
	AutoConfirmUser bool
	// AutoVerifyEmail and AutoVerifyPhone mark those attributes verified
	// (AutoConfirmUser must be set too).
	AutoVerifyEmail bool
	AutoVerifyPhone bool
}

// PostConfirmationEvent is the PostConfirmation trigger's event.
type PostConfirmationEvent struct {
	TriggerRequest
}

// PreAuthenticationEvent is the PreAuthentication trigger's event.
type PreAuthenticationEvent struct {
	TriggerRequest
	ValidationData map[string]string
	UserNotFound   bool
}

// PostAuthenticationEvent is the PostAuthentication trigger's event.
type PostAuthenticationEvent struct {
	TriggerRequest
	NewDeviceUsed bool
}

// CustomMessageEvent is the CustomMessage trigger's event. The trigger
// replaces any of SMSMessage, EmailSubject and EmailMessage; a message must
// still contain CodeParameter where it carries a code.
type CustomMessageEvent struct {
	TriggerRequest
	// CodeParameter is the placeholder "{####}" that the pool replaces by
	// the code after the trigger returns; UsernameParameter likewise
	// "{username}".
	CodeParameter     string
	UsernameParameter string
	SMSMessage        string
	EmailSubject      string
	EmailMessage      string
}

// ChallengeResult is one answered step of a custom sign-in.
type ChallengeResult struct {
	ChallengeName     string
	ChallengeResult   bool
	ChallengeMetadata string
}

// DefineAuthChallengeEvent is the DefineAuthChallenge trigger's event: it
// decides the next step from the steps so far.
type DefineAuthChallengeEvent struct {
	TriggerRequest
	Session      []ChallengeResult
	UserNotFound bool
	// ChallengeName is the next challenge (CUSTOM_CHALLENGE,
	// PASSWORD_VERIFIER, ...); IssueTokens ends in success,
	// FailAuthentication in failure.
	ChallengeName      string
	IssueTokens        bool
	FailAuthentication bool
}

// CreateAuthChallengeEvent is the CreateAuthChallenge trigger's event.
type CreateAuthChallengeEvent struct {
	TriggerRequest
	ChallengeName string
	Session       []ChallengeResult
	UserNotFound  bool
	// PublicChallengeParameters go to the client;
	// PrivateChallengeParameters stay on the server for VerifyAuthChallenge.
	PublicChallengeParameters  map[string]string
	PrivateChallengeParameters map[string]string
	ChallengeMetadata          string
}

// VerifyAuthChallengeEvent is the VerifyAuthChallenge trigger's event.
type VerifyAuthChallengeEvent struct {
	TriggerRequest
	PrivateChallengeParameters map[string]string
	ChallengeAnswer            string
	UserNotFound               bool
	AnswerCorrect              bool
}

// GroupConfiguration is the groups and roles a token will carry.
type GroupConfiguration struct {
	GroupsToOverride   []string
	IAMRolesToOverride []string
	PreferredRole      string
}

// PreTokenGenerationEvent is the PreTokenGeneration trigger's event.
type PreTokenGenerationEvent struct {
	TriggerRequest
	GroupConfiguration GroupConfiguration
	Scopes             []string
	// ClaimsToAddOrOverride and ClaimsToSuppress change the ID token;
	// AccessTokenClaimsToAddOrOverride and AccessTokenClaimsToSuppress the
	// access token. Claims that identify the token (iss, sub, aud,
	// token_use, exp, iat, ...) cannot be changed.
	ClaimsToAddOrOverride            map[string]any
	ClaimsToSuppress                 []string
	AccessTokenClaimsToAddOrOverride map[string]any
	AccessTokenClaimsToSuppress      []string
	// GroupOverride, when not nil, replaces GroupConfiguration in the
	// tokens.
	GroupOverride *GroupConfiguration
}

// UserMigrationEvent is the UserMigration trigger's event. To migrate the
// user, the trigger sets UserAttributes (and FinalUserStatus); leaving
// UserAttributes nil means the user is unknown.
type UserMigrationEvent struct {
	TriggerRequest
	// Password is the password being tried (empty for ForgotPassword).
	Password       string
	ValidationData map[string]string
	// FinalUserStatus is CONFIRMED or RESET_REQUIRED.
	FinalUserStatus string
	// MessageAction "SUPPRESS" sends no welcome message.
	MessageAction      string
	ForceAliasCreation bool
}

// ErrTriggerPanic is the cause of the error a panicking trigger produces.
var errTriggerPanic = errors.New("trigger panicked")

// callTrigger runs one trigger func with a deadline, turning its error,
// panic or overrun into Cognito's errors. name is the trigger's Cognito
// name (PreSignUp, PostConfirmation, ...).
func callTrigger(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, TriggerTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- fmt.Errorf("%w: %v", errTriggerPanic, r)
			}
		}()
		done <- fn(ctx)
	}()
	select {
	case err = <-done:
	case <-ctx.Done():
		return ErrUnexpectedLambda.Wrap(ctx.Err(), "%s failed: the trigger did not finish in time", name)
	}
	switch {
	case err == nil:
		return nil
	case errors.Is(err, errTriggerPanic):
		return ErrUnexpectedLambda.Wrap(err, "%s failed: the trigger panicked", name)
	default:
		return ErrUserLambdaValidation.Wrap(err, "%s failed with error %s.", name, err.Error())
	}
}
