package userpool

import (
	"context"
	"errors"

	"github.com/userpool/userpool/storage"
)

// ConfirmSignUpInput is the request of [Pool.ConfirmSignUp].
type ConfirmSignUpInput struct {
	ClientID   string
	SecretHash string
	// Username names the user: the user name or any alias that works for
	// sign-in.
	Username         string
	ConfirmationCode string
	// ForceAliasCreation takes the confirmed email or phone alias from
	// another user who holds it verified, instead of failing with
	// AliasExists.
	ForceAliasCreation bool
	ClientMetadata     map[string]string
}

// ConfirmSignUpOutput is the result of [Pool.ConfirmSignUp].
type ConfirmSignUpOutput struct {
	// Session, when the request named an app client allowed choice-based
	// sign-in (FlowUserAuth), signs the user in without a password:
	// InitiateAuth with AuthUser, USERNAME and this Session, within the
	// client's AuthSessionValidity, once. It is Cognito's auto sign-in:
	// the code just proved the user holds the address.
	Session string
}

// ConfirmSignUp confirms a user with the code SignUp sent, mirroring
// Cognito's ConfirmSignUp. The user becomes CONFIRMED and the address the
// code went to is marked verified (unless it changed since).
//
// Errors: UserNotFound; NotAuthorized "User cannot be confirmed. Current
// status is CONFIRMED" for a user that is not UNCONFIRMED; CodeMismatch for
// a wrong code; ExpiredCode for a code that expired, was used, was never
// sent or was replaced by a newer one; TooManyFailedAttempts once the
// user's guesses are spent (the code is then void; see codeGuessRule);
// AliasExists when the newly verified address is another user's verified
// alias and ForceAliasCreation is false (the code stays valid, so the call
// can be repeated with ForceAliasCreation).
//
// A code is single use: of concurrent calls with the right code exactly
// one succeeds and the others get ExpiredCode. PostConfirmation then runs;
// its error is returned but the confirmation stands.
func (p *Pool) ConfirmSignUp(ctx context.Context, in ConfirmSignUpInput) (ConfirmSignUpOutput, error) {
	client, err := p.optionalClient(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return ConfirmSignUpOutput{}, err
	}
	u, err := p.confirmSignUp(ctx, in)
	if err != nil {
		return ConfirmSignUpOutput{}, err
	}
	if client.ID == "" || !client.Allows(FlowUserAuth) {
		return ConfirmSignUpOutput{}, nil
	}
	out, err := p.autoSignInSession(ctx, client, u, in.Username)
	if err != nil {
		// The user is confirmed; only the shortcut is lost, and they sign
		// in as usual. An error here would say the confirmation failed.
		p.log.Error("userpool: keep the auto sign-in session", "err", err)
		return ConfirmSignUpOutput{}, nil
	}
	return out, nil
}

// confirmSignUp is ConfirmSignUp but for the client and the session.
func (p *Pool) confirmSignUp(ctx context.Context, in ConfirmSignUpInput) (storage.User, error) {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return storage.User{}, err
	}
	if err := cannotConfirm(u); err != nil {
		return storage.User{}, err
	}
	c, err := p.checkCode(ctx, u.Sub, purposeSignUp, in.ConfirmationCode)
	if err != nil {
		return storage.User{}, err
	}
	d := decodeCodeData(c)
	confirm := func(u *storage.User) ([]storage.User, error) {
		if err := cannotConfirm(*u); err != nil {
			return nil, err
		}
		u.Status = string(StatusConfirmed)
		if d.Attribute != "" && u.Attributes[d.Attribute] == d.Value {
			u.Attributes[d.Attribute+"_verified"] = "true"
		}
		others, _, err := p.claimLogins(ctx, u, in.ForceAliasCreation, nil)
		return others, err
	}
	// Try the change before using the code up, so an alias conflict
	// leaves the code for another try.
	trial := cloneUser(u)
	if _, err := confirm(&trial); err != nil {
		return storage.User{}, err
	}
	if err := p.consumeCode(ctx, c); err != nil {
		return storage.User{}, err
	}
	u, err = p.modifyUser(ctx, u.Sub, confirm)
	if err != nil {
		return storage.User{}, err
	}
	return u, p.postConfirmation(ctx, u, in.ClientID, in.ClientMetadata)
}

// cannotConfirm refuses to confirm a user who is not UNCONFIRMED.
func cannotConfirm(u storage.User) error {
	if u.Status != string(StatusUnconfirmed) {
		return ErrNotAuthorized.With("User cannot be confirmed. Current status is %s", u.Status)
	}
	return nil
}

// AdminConfirmSignUpInput is the request of [Pool.AdminConfirmSignUp].
type AdminConfirmSignUpInput struct {
	Username       string
	ClientMetadata map[string]string
}

// AdminConfirmSignUp confirms an UNCONFIRMED user without a code,
// mirroring Cognito's AdminConfirmSignUp. It verifies no attribute, voids
// the user's confirmation code and fires PostConfirmation (whose error is
// returned; the confirmation stands). Errors: UserNotFound; NotAuthorized
// for a user that is not UNCONFIRMED.
func (p *Pool) AdminConfirmSignUp(ctx context.Context, in AdminConfirmSignUpInput) error {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return err
	}
	u, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if err := cannotConfirm(*u); err != nil {
			return nil, err
		}
		u.Status = string(StatusConfirmed)
		return nil, nil
	})
	if err != nil {
		return err
	}
	if err := p.store.DeleteCode(ctx, p.id, u.Sub, purposeSignUp); err != nil {
		p.log.Warn("userpool: void a confirmation code", "err", err)
	}
	return p.postConfirmation(ctx, u, "", in.ClientMetadata)
}

// postConfirmation runs the PostConfirmation trigger after a sign-up is
// confirmed.
func (p *Pool) postConfirmation(ctx context.Context, u storage.User, clientID string, metadata map[string]string) error {
	fn := p.triggers.PostConfirmation
	if fn == nil {
		return nil
	}
	ev := &PostConfirmationEvent{TriggerRequest: p.triggerRequest("PostConfirmation_ConfirmSignUp", clientID, u, metadata)}
	return callTrigger(ctx, "PostConfirmation", func(ctx context.Context) error { return fn(ctx, ev) })
}

// ResendConfirmationCodeInput is the request of
// [Pool.ResendConfirmationCode].
type ResendConfirmationCodeInput struct {
	ClientID       string
	SecretHash     string
	Username       string
	ClientMetadata map[string]string
}

// ResendConfirmationCode sends an UNCONFIRMED user a new confirmation code,
// which replaces the previous one, mirroring Cognito's
// ResendConfirmationCode. It returns where the code went.
//
// Errors: UserNotFound "Username/client id combination not found.";
// InvalidParameter "User is already confirmed." (and when the pool
// auto-verifies no address the user has); LimitExceeded after five
// requests in an hour; CodeDeliveryFailure when the Sender fails, in which
// case the previous code stays valid. A new code does not reset the
// user's guess budget.
func (p *Pool) ResendConfirmationCode(ctx context.Context, in ResendConfirmationCodeInput) (CodeDeliveryDetails, error) {
	c, err := p.optionalClient(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	u, err := p.lookup(ctx, in.Username)
	// With existence errors prevented, an unknown or disabled user gets
	// a plausible delivery and nothing is sent (see simulatedDelivery).
	if c.PreventUserExistenceErrors && (errors.Is(err, ErrUserNotFound) || err == nil && !u.Enabled) {
		return p.simulatedDelivery(in.Username), nil
	}
	if errors.Is(err, ErrUserNotFound) {
		return CodeDeliveryDetails{}, ErrUserNotFound.With("Username/client id combination not found.")
	}
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	if u.Status != string(StatusUnconfirmed) {
		return CodeDeliveryDetails{}, ErrInvalidParameter.With("User is already confirmed.")
	}
	to, ok := p.signUpDestination(u.Attributes)
	if !ok {
		return CodeDeliveryDetails{}, ErrInvalidParameter.With("Cannot resend codes. Auto verification not turned on.")
	}
	if err := p.takeSend(ctx, "resend", u.Sub); err != nil {
		return CodeDeliveryDetails{}, err
	}
	code, rec, err := p.issueCode(u.Sub, purposeSignUp, codeData{Attribute: to.attribute, Value: to.value}, signUpCodeLifetime)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	// Send first, store after: a failed delivery leaves the old code in
	// place.
	m := outgoing{event: eventResendCode, to: to, code: code, user: u, signInName: in.Username, clientID: in.ClientID, metadata: in.ClientMetadata}
	if err := p.send(ctx, m); err != nil {
		return CodeDeliveryDetails{}, err
	}
	if err := p.putCode(ctx, rec); err != nil {
		return CodeDeliveryDetails{}, err
	}
	return *to.details(), nil
}
