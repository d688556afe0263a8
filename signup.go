package userpool

import (
	"context"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// SignUpInput is the request of [Pool.SignUp], named as Cognito's.
type SignUpInput struct {
	// ClientID is the app client the request comes from; SecretHash is
	// its SECRET_HASH when the client has a secret.
	ClientID   string
	SecretHash string
	// Username is the user name to register; in pools whose user names
	// are email addresses or phone numbers, the address.
	Username string
	// Password may be empty in a pool that lets users sign in without one
	// (WithAllowedFirstAuthFactors with a code or passkey factor): the
	// user then has no password, and signs in with a code, a passkey or
	// ConfirmSignUp's session.
	Password string
	// UserAttributes are the user's attributes by name. Verification
	// flags cannot be set here; the pool's required attributes must be.
	UserAttributes map[string]string
	// ValidationData and ClientMetadata are passed to the triggers.
	ValidationData map[string]string
	ClientMetadata map[string]string
}

// SignUpOutput is the result of [Pool.SignUp].
type SignUpOutput struct {
	// UserConfirmed is true when the PreSignUp trigger confirmed the user.
	UserConfirmed bool
	// UserSub is the new user's sub.
	UserSub string
	// CodeDeliveryDetails says where the confirmation code went, or is
	// nil when none was sent (the user is confirmed, or the pool
	// auto-verifies no attribute the user has).
	CodeDeliveryDetails *CodeDeliveryDetails
}

var errUserExists = ErrUsernameExists.With("User already exists")

// SignUp registers a user, mirroring Cognito's SignUp.
//
// The user name, attributes and password are checked first; a taken user
// name (or, where user names are addresses, a taken address) gives
// UsernameExists, compared by login key so case (in case-insensitive
// pools) and width variants of a name are the same name. The PreSignUp
// trigger then may reject the user (UserLambdaValidation) or confirm it
// and mark its email or phone verified, which takes that alias from any
// other user holding it. Otherwise the user is UNCONFIRMED and a code goes
// to an auto-verified attribute (the phone first), for [Pool.ConfirmSignUp].
//
// If the code cannot be delivered the call fails with CodeDeliveryFailure
// and the user is deleted again: no half-made user stays behind. Pools
// where only administrators create users refuse SignUp with NotAuthorized.
//
// A confirmed user fires PostConfirmation; its error is returned, but the
// user stays created and confirmed, as in Cognito.
func (p *Pool) SignUp(ctx context.Context, in SignUpInput) (SignUpOutput, error) {
	if p.cfg.AdminCreateUserOnly {
		return SignUpOutput{}, ErrNotAuthorized.With("SignUp is not permitted for this user pool")
	}
	if _, err := p.optionalClient(ctx, in.ClientID, in.Username, in.SecretHash); err != nil {
		return SignUpOutput{}, err
	}
	attrs := maps.Clone(in.UserAttributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	sub, err := p.newUUID()
	if err != nil {
		return SignUpOutput{}, p.internal("make a user id", err)
	}
	username, err := p.newUsername(in.Username, sub, attrs)
	if err != nil {
		return SignUpOutput{}, err
	}
	if err := p.schema.validate(attrs, userCreates); err != nil {
		return SignUpOutput{}, err
	}
	if _, ok := attrs["preferred_username"]; ok && slices.Contains(p.cfg.SignIn.AliasAttributes, "preferred_username") {
		// Cognito takes a preferred_username alias only from confirmed
		// users, so sign-up cannot squat on one.
		return SignUpOutput{}, ErrInvalidParameter.With("preferred_username cannot be set at sign-up, since user pool is configured for preferred_username alias.")
	}
	// Without a password, in a pool whose users can sign in without one,
	// the user has none until they set one (ForgotPassword).
	passwordless := in.Password == "" && p.passwordlessSignIn()
	if !passwordless {
		if err := p.checkNewPassword(ctx, nil, in.Password); err != nil {
			return SignUpOutput{}, err
		}
	}
	now := p.now()
	u := storage.User{
		PoolID: p.id, Sub: sub, Username: username, Attributes: attrs,
		Status: string(StatusUnconfirmed), Enabled: true, CreatedAt: now, UpdatedAt: now,
	}
	// A cheap look before the trigger and the hash, so a taken name costs
	// neither; CreateUser decides in the end.
	probe := cloneUser(u)
	if _, _, err := p.claimLogins(ctx, &probe, false, errUserExists); err != nil {
		return SignUpOutput{}, err
	}

	confirmed, err := p.preSignUp(ctx, "PreSignUp_SignUp", in.ClientID, u, in.ValidationData, in.ClientMetadata)
	if err != nil {
		return SignUpOutput{}, err
	}
	if !passwordless {
		hash, srp, err := p.newPasswordRecords(ctx, username, in.Password)
		if err != nil {
			return SignUpOutput{}, err
		}
		p.setPassword(&u, hash, false, now)
		u.SRP = srp
	}

	out := SignUpOutput{UserSub: sub, UserConfirmed: confirmed.user}
	var after func(storage.User) error
	if confirmed.user {
		u.Status = string(StatusConfirmed)
		if confirmed.email {
			attrs["email_verified"] = "true"
		}
		if confirmed.phone {
			attrs["phone_number_verified"] = "true"
		}
	} else if to, ok := p.signUpDestination(attrs); ok {
		code, rec, err := p.issueCode(sub, purposeSignUp, codeData{Attribute: to.attribute, Value: to.value}, signUpCodeLifetime)
		if err != nil {
			return SignUpOutput{}, err
		}
		after = func(u storage.User) error {
			if err := p.putCode(ctx, rec); err != nil {
				return err
			}
			return p.send(ctx, outgoing{event: eventSignUp, to: to, code: code, user: u, signInName: in.Username, clientID: in.ClientID, metadata: in.ClientMetadata})
		}
		out.CodeDeliveryDetails = to.details()
	}
	u, err = p.createUser(ctx, u, confirmed.user, errUserExists, after)
	if err != nil {
		return SignUpOutput{}, err
	}
	if confirmed.user {
		return out, p.postConfirmation(ctx, u, in.ClientID, in.ClientMetadata)
	}
	return out, nil
}

// preSignUpResult is what a PreSignUp trigger decided.
type preSignUpResult struct{ user, email, phone bool }

// preSignUp runs the PreSignUp trigger for the user about to be created.
// Its auto-confirm and auto-verify answers are checked: verifying needs
// confirming too and an address to verify (InvalidLambdaResponse
// otherwise). AdminCreateUser runs it too but ignores the answers, as
// Cognito does.
func (p *Pool) preSignUp(ctx context.Context, source, clientID string, u storage.User, validation, metadata map[string]string) (preSignUpResult, error) {
	fn := p.triggers.PreSignUp
	if fn == nil {
		return preSignUpResult{}, nil
	}
	req := p.triggerRequest(source, clientID, u, metadata)
	// The user does not exist yet: Cognito's event carries no sub.
	delete(req.UserAttributes, "sub")
	ev := &PreSignUpEvent{TriggerRequest: req, ValidationData: cloneMetadata(validation)}
	if err := callTrigger(ctx, "PreSignUp", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
		return preSignUpResult{}, err
	}
	r := preSignUpResult{user: ev.AutoConfirmUser, email: ev.AutoVerifyEmail, phone: ev.AutoVerifyPhone}
	if source != "PreSignUp_SignUp" {
		return preSignUpResult{}, nil
	}
	switch {
	case (r.email || r.phone) && !r.user:
		return preSignUpResult{}, ErrInvalidLambdaResponse.With("Invalid PreSignUp response: AutoVerifyEmail and AutoVerifyPhone need AutoConfirmUser.")
	case r.email && u.Attributes["email"] == "":
		return preSignUpResult{}, ErrInvalidLambdaResponse.With("Invalid PreSignUp response: AutoVerifyEmail needs an email attribute.")
	case r.phone && u.Attributes["phone_number"] == "":
		return preSignUpResult{}, ErrInvalidLambdaResponse.With("Invalid PreSignUp response: AutoVerifyPhone needs a phone_number attribute.")
	}
	return r, nil
}
