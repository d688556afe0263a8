package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"

	"github.com/userpool/userpool/storage"
)

// ForgotPasswordInput is the request of [Pool.ForgotPassword], named as
// Cognito's.
type ForgotPasswordInput struct {
	ClientID   string
	SecretHash string
	// Username names the user: the user name or an alias that works for
	// sign-in.
	Username       string
	ClientMetadata map[string]string
}

// ForgotPassword sends a user a code to set a new password with
// [Pool.ConfirmForgotPassword], mirroring Cognito's ForgotPassword. The
// code goes to the first channel of the pool's AccountRecovery order the
// user has verified (a phone number does not qualify while it is the
// user's SMS MFA factor, nor an email while it is the email MFA factor),
// lives one hour and replaces any earlier reset code. The user's status
// and password do not change: until the code is used the old password
// still works. An unknown user runs the UserMigration trigger
// (UserMigration_ForgotPassword) when one is set.
//
// Errors: NotAuthorized "Contact administrator to reset password." when
// the pool recovers by administrator only, "User password cannot be reset
// in the current state." for a user in FORCE_CHANGE_PASSWORD (only an
// administrator can help) and "User is disabled."; UserNotFound
// "Username/client id combination not found."; InvalidParameter "Cannot
// reset password for the user as there is no registered/verified email or
// phone_number"; LimitExceeded after five requests in an hour;
// CodeDeliveryFailure when the Sender fails (an earlier code stays valid).
//
// With the client's PreventUserExistenceErrors, an unknown or disabled
// user, or one without a verified address, gets a plausible
// CodeDeliveryDetails (derived from the name, the same at every call) and
// nothing is sent, as Cognito documents. The delivery to a real user
// happens on the request path, so the time taken can still differ.
func (p *Pool) ForgotPassword(ctx context.Context, in ForgotPasswordInput) (CodeDeliveryDetails, error) {
	c, err := p.optionalClient(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	if slices.Contains(p.cfg.AccountRecovery, RecoveryAdminOnly) {
		return CodeDeliveryDetails{}, ErrNotAuthorized.With("Contact administrator to reset password.")
	}
	hide := c.PreventUserExistenceErrors
	u, err := p.lookup(ctx, in.Username)
	if errors.Is(err, ErrUserNotFound) && p.triggers.UserMigration != nil {
		u, _, err = p.migrateUser(ctx, migrationForgot, c, in.Username, "", in.ClientMetadata)
	}
	switch {
	case errors.Is(err, ErrUserNotFound) && hide:
		return p.simulatedDelivery(in.Username), nil
	case errors.Is(err, ErrUserNotFound):
		return CodeDeliveryDetails{}, errUnknownClientUser
	case err != nil:
		return CodeDeliveryDetails{}, err
	case !u.Enabled && hide:
		return p.simulatedDelivery(in.Username), nil
	case !u.Enabled:
		return CodeDeliveryDetails{}, ErrNotAuthorized.With("User is disabled.")
	}
	if err := cannotReset(u); err != nil {
		return CodeDeliveryDetails{}, err
	}
	to, ok := p.recoveryDestination(u)
	if !ok {
		if hide {
			return p.simulatedDelivery(in.Username), nil
		}
		return CodeDeliveryDetails{}, ErrInvalidParameter.With("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	if err := p.takeSend(ctx, "forgot", u.Sub); err != nil {
		return CodeDeliveryDetails{}, err
	}
	code, rec, err := p.issueCode(u.Sub, purposeReset, codeData{Attribute: to.attribute, Value: to.value}, resetCodeLifetime)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	// Send first, store after: a failed delivery leaves the old code.
	m := outgoing{event: eventForgotPassword, to: to, code: code, user: u, signInName: in.Username, clientID: c.ID, metadata: in.ClientMetadata}
	if err := p.send(ctx, m); err != nil {
		return CodeDeliveryDetails{}, err
	}
	if err := p.putCode(ctx, rec); err != nil {
		return CodeDeliveryDetails{}, err
	}
	return *to.details(), nil
}

var errUnknownClientUser = ErrUserNotFound.With("Username/client id combination not found.")

// simulatedDelivery is the CodeDeliveryDetails shown for a user that gets
// no code, with existence errors prevented: an address shaped like the
// name when it is an email address or phone number, else one of the
// pool's first recovery channel made up from a keyed hash of the name, so
// the same name always shows the same destination.
func (p *Pool) simulatedDelivery(name string) CodeDeliveryDetails {
	switch {
	case looksLike("email", name):
		return *destination{attribute: "email", value: name, channel: ChannelEmail}.details()
	case looksLike("phone_number", name):
		return *destination{attribute: "phone_number", value: name, channel: ChannelSMS}.details()
	}
	m := hmac.New(sha256.New, p.derivedKey("simulated code delivery"))
	m.Write([]byte(name))
	sum := m.Sum(nil)
	if len(p.cfg.AccountRecovery) > 0 && p.cfg.AccountRecovery[0] == RecoveryVerifiedPhone {
		n := (uint32(sum[0])<<16 | uint32(sum[1])<<8 | uint32(sum[2])) % 10000
		return *destination{attribute: "phone_number", value: fmt.Sprintf("+1555555%04d", n), channel: ChannelSMS}.details()
	}
	const letters = "abcdefghijklmnopqrstuvwxyz"
	fake := string(letters[sum[0]%26]) + "@" + string(letters[sum[1]%26])
	return *destination{attribute: "email", value: fake, channel: ChannelEmail}.details()
}

// ConfirmForgotPasswordInput is the request of
// [Pool.ConfirmForgotPassword], named as Cognito's.
type ConfirmForgotPasswordInput struct {
	ClientID         string
	SecretHash       string
	Username         string
	ConfirmationCode string
	// Password is the new password.
	Password       string
	ClientMetadata map[string]string
}

// ConfirmForgotPassword sets a new password with the code ForgotPassword
// or AdminResetUserPassword sent, mirroring Cognito's
// ConfirmForgotPassword. The password must meet the policy, pass the
// compromised-password check and differ from the last HistorySize
// passwords. The user becomes CONFIRMED (this is how a RESET_REQUIRED user
// recovers), the failed-password counter starts over, and the
// PostConfirmation trigger runs with source
// PostConfirmation_ConfirmForgotPassword (its error is returned; the new
// password stands).
//
// Unlike Cognito, which keeps existing sessions, every refresh token of
// the user is revoked and every ID and access token issued before the
// reset stops verifying (as after GlobalSignOut): a reset usually follows
// a lost or stolen password, and sessions opened with it should not
// outlive it.
//
// Errors: CodeMismatch for a wrong code; ExpiredCode for a code that
// expired, was used, replaced or never sent; TooManyFailedAttempts once the
// guesses are spent; InvalidParameter, InvalidPassword or
// PasswordHistoryPolicyViolation for the password (the code then stays
// valid); UserNotFound "Username/client id combination not found." and
// NotAuthorized "User is disabled.", which with PreventUserExistenceErrors
// become CodeMismatch. A code is single use: of concurrent calls with the
// right code exactly one succeeds.
func (p *Pool) ConfirmForgotPassword(ctx context.Context, in ConfirmForgotPasswordInput) error {
	c, err := p.optionalClient(ctx, in.ClientID, in.Username, in.SecretHash)
	if err != nil {
		return err
	}
	if in.Password == "" {
		return missing("Password")
	}
	hide := c.PreventUserExistenceErrors
	u, err := p.lookup(ctx, in.Username)
	switch {
	case errors.Is(err, ErrUserNotFound) && hide:
		return errCodeMismatch
	case errors.Is(err, ErrUserNotFound):
		return errUnknownClientUser
	case err != nil:
		return err
	case !u.Enabled && hide:
		return errCodeMismatch
	case !u.Enabled:
		return ErrNotAuthorized.With("User is disabled.")
	}
	code, err := p.checkCode(ctx, u.Sub, purposeReset, in.ConfirmationCode)
	if err != nil {
		return err
	}
	if err := p.checkNewPassword(ctx, &u, in.Password); err != nil {
		return err
	}
	hash, srp, err := p.newPasswordRecords(ctx, u.Username, in.Password)
	if err != nil {
		return err
	}
	if err := p.consumeCode(ctx, code); err != nil {
		return err
	}
	u, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		p.setPassword(u, hash, false, p.now())
		u.SRP = srp
		u.Status = string(StatusConfirmed)
		return nil, nil
	})
	if err != nil {
		return err
	}
	p.passwordSucceeded(ctx, u.Sub)
	if err := p.signOut(ctx, u.Sub); err != nil {
		return err
	}
	if fn := p.triggers.PostConfirmation; fn != nil {
		ev := &PostConfirmationEvent{TriggerRequest: p.triggerRequest("PostConfirmation_ConfirmForgotPassword", c.ID, u, in.ClientMetadata)}
		return callTrigger(ctx, "PostConfirmation", func(ctx context.Context) error { return fn(ctx, ev) })
	}
	return nil
}
