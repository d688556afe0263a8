package userpool

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// AdminSetUserPasswordInput is the request of [Pool.AdminSetUserPassword].
type AdminSetUserPasswordInput struct {
	Username string
	Password string
	// Permanent sets a password the user keeps (status CONFIRMED);
	// otherwise it is temporary (FORCE_CHANGE_PASSWORD) and expires after
	// the policy's TemporaryPasswordValidityDays.
	Permanent bool
}

// AdminSetUserPassword sets a user's password, mirroring Cognito's
// AdminSetUserPassword. A permanent password makes the user CONFIRMED
// (also from UNCONFIRMED, RESET_REQUIRED or EXTERNAL_PROVIDER), a
// temporary one FORCE_CHANGE_PASSWORD with a fresh validity period. Any
// pending password-reset code is voided, so a code sent before cannot
// undo the new password.
//
// Errors: UserNotFound; InvalidParameter or InvalidPassword for a password
// against the policy; PasswordHistoryPolicyViolation for one of the last
// HistorySize passwords.
func (p *Pool) AdminSetUserPassword(ctx context.Context, in AdminSetUserPasswordInput) error {
	u, err := p.lookup(ctx, in.Username)
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
	// Void the reset code first: if the write below fails the old
	// password stands and the user asks for a new code; the other order
	// could leave a new password with an old code still valid.
	if err := p.store.DeleteCode(ctx, p.id, u.Sub, purposeReset); err != nil {
		return p.internal("void a reset code", err)
	}
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		p.setPassword(u, hash, !in.Permanent, p.now())
		u.SRP = srp
		if in.Permanent {
			u.Status = string(StatusConfirmed)
		} else {
			u.Status = string(StatusForceChangePassword)
		}
		return nil, nil
	})
	return err
}

// AdminResetUserPasswordInput is the request of
// [Pool.AdminResetUserPassword].
type AdminResetUserPasswordInput struct {
	Username       string
	ClientMetadata map[string]string
}

// AdminResetUserPassword makes a user reset their password, mirroring
// Cognito's AdminResetUserPassword: the user becomes RESET_REQUIRED (sign-in
// then fails with PasswordResetRequired) and a one-hour reset code goes to
// the first verified address in the pool's AccountRecovery order, to be
// used with ConfirmForgotPassword. It returns where the code went.
//
// Errors: UserNotFound; NotAuthorized "User password cannot be reset in
// the current state." for a user in FORCE_CHANGE_PASSWORD; InvalidParameter
// when the user has no verified address the pool recovers by (or the pool
// recovers by administrator only); CodeDeliveryFailure when the Sender
// fails, in which case the user is left as it was (the code is sent
// before anything is stored).
func (p *Pool) AdminResetUserPassword(ctx context.Context, in AdminResetUserPasswordInput) (CodeDeliveryDetails, error) {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	if err := cannotReset(u); err != nil {
		return CodeDeliveryDetails{}, err
	}
	to, ok := p.recoveryDestination(u)
	if !ok {
		return CodeDeliveryDetails{}, ErrInvalidParameter.With("Cannot reset password for the user as there is no registered/verified email or phone_number")
	}
	code, rec, err := p.issueCode(u.Sub, purposeReset, codeData{Attribute: to.attribute, Value: to.value}, resetCodeLifetime)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	m := outgoing{event: eventForgotPassword, to: to, code: code, user: u, signInName: in.Username, metadata: in.ClientMetadata}
	if err := p.send(ctx, m); err != nil {
		return CodeDeliveryDetails{}, err
	}
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if err := cannotReset(*u); err != nil {
			return nil, err
		}
		u.Status = string(StatusResetRequired)
		return nil, nil
	})
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	if err := p.putCode(ctx, rec); err != nil {
		return CodeDeliveryDetails{}, err
	}
	return *to.details(), nil
}

// cannotReset refuses a password reset for a user who has only a
// temporary password: only an administrator can give them another.
func cannotReset(u storage.User) error {
	if u.Status == string(StatusForceChangePassword) {
		return ErrNotAuthorized.With("User password cannot be reset in the current state.")
	}
	return nil
}
