package userpool

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// The operations in this file are a user's own, authorised by an access
// token of the pool (Cognito's "T" operations): the token must verify,
// not be revoked and carry the aws.cognito.signin.user.admin scope; its
// client's read and write permissions apply; and the user must still
// exist (UserNotFound), be enabled (NotAuthorized "User is disabled."),
// confirmed (UserNotConfirmed) and not awaiting a reset
// (PasswordResetRequired).

// tokenUser returns the user and client of an access token.
func (p *Pool) tokenUser(ctx context.Context, accessToken string) (storage.User, Client, error) {
	claims, err := p.authorize(ctx, accessToken)
	if err != nil {
		return storage.User{}, Client{}, err
	}
	c, err := p.loadClient(ctx, claims.ClientID)
	if errors.Is(err, ErrResourceNotFound) {
		return storage.User{}, Client{}, ErrNotAuthorized.With("Invalid Access Token")
	}
	if err != nil {
		return storage.User{}, Client{}, err
	}
	u, err := p.store.GetUser(ctx, p.id, claims.Subject)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, Client{}, ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return storage.User{}, Client{}, p.internal("read a user", err)
	}
	switch {
	case !u.Enabled:
		return storage.User{}, Client{}, ErrNotAuthorized.With("User is disabled.")
	case u.Status == string(StatusUnconfirmed):
		return storage.User{}, Client{}, ErrUserNotConfirmed.With("User is not confirmed.")
	case u.Status == string(StatusResetRequired):
		return storage.User{}, Client{}, errResetRequired
	}
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	return u, c, nil
}

// GetUserOutput is the result of [Pool.GetUser], named as Cognito's.
type GetUserOutput struct {
	Username string
	// UserAttributes are the attributes the client may read, and sub.
	UserAttributes map[string]string
	// PreferredMFASetting and UserMFASettingList are the preferred and the
	// enabled factors.
	PreferredMFASetting string
	UserMFASettingList  []string
}

// GetUser returns the token owner's user name and the attributes the
// token's client may read, mirroring Cognito's GetUser.
func (p *Pool) GetUser(ctx context.Context, accessToken string) (GetUserOutput, error) {
	u, c, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return GetUserOutput{}, err
	}
	attrs := map[string]string{"sub": u.Sub}
	for name, v := range u.Attributes {
		if readable(c, name) {
			attrs[name] = v
		}
	}
	return GetUserOutput{
		Username:            u.Username,
		UserAttributes:      attrs,
		PreferredMFASetting: u.MFA.Preferred,
		UserMFASettingList:  slices.Clone(u.MFA.Enabled),
	}, nil
}

// UpdateUserAttributesInput is the request of
// [Pool.UpdateUserAttributes], named as Cognito's.
type UpdateUserAttributesInput struct {
	AccessToken string
	// UserAttributes are the attributes to set; an empty value deletes
	// the attribute.
	UserAttributes map[string]string
	ClientMetadata map[string]string
}

// UpdateUserAttributes changes the token owner's attributes, mirroring
// Cognito's UpdateUserAttributes: as [Pool.AdminUpdateUserAttributes]
// (a new email or phone number is unverified and gets a code when the pool
// verifies it, possibly staying inactive until verified), limited to the
// attributes the token's client may write. Errors: NotAuthorized "A client
// attempted to write unauthorized attribute" (the verified flags and sub
// included); InvalidParameter for an unknown, immutable or invalid
// attribute; AliasExists; CodeDeliveryFailure (nothing changes).
func (p *Pool) UpdateUserAttributes(ctx context.Context, in UpdateUserAttributesInput) (UpdateUserAttributesOutput, error) {
	u, c, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	if err := p.checkWrites(c, slices.Collect(maps.Keys(in.UserAttributes))); err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	return p.updateAttributes(ctx, u, in.UserAttributes, userUpdates, c.ID, in.ClientMetadata)
}

// checkWrites refuses attributes of the schema the client may not write;
// unknown ones are left for the schema check, which names them.
func (p *Pool) checkWrites(c Client, names []string) error {
	for _, name := range names {
		if _, known := p.schema[name]; (known || isVerifiedFlag(name)) && !writable(c, p.schema, name) {
			return errUnauthorizedWrite
		}
	}
	return nil
}

// DeleteUserAttributesInput is the request of
// [Pool.DeleteUserAttributes], named as Cognito's.
type DeleteUserAttributesInput struct {
	AccessToken        string
	UserAttributeNames []string
}

// DeleteUserAttributes deletes attributes of the token owner, mirroring
// Cognito's DeleteUserAttributes, within the client's write permissions.
// Required attributes cannot be deleted ("Invalid user attributes:
// <name>: Required attribute cannot be deleted."); deleting an email or
// phone number deletes its verified flag too.
func (p *Pool) DeleteUserAttributes(ctx context.Context, in DeleteUserAttributesInput) error {
	u, c, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return err
	}
	attrs := make(map[string]string, len(in.UserAttributeNames))
	for _, name := range in.UserAttributeNames {
		attrs[name] = ""
	}
	// A required attribute is writable but not deletable: the schema
	// check says so in Cognito's words.
	if err := p.checkWrites(c, in.UserAttributeNames); err != nil {
		return err
	}
	_, err = p.updateAttributes(ctx, u, attrs, userUpdates, c.ID, nil)
	return err
}

// GetUserAttributeVerificationCodeInput is the request of
// [Pool.GetUserAttributeVerificationCode], named as Cognito's.
type GetUserAttributeVerificationCodeInput struct {
	AccessToken    string
	AttributeName  string
	ClientMetadata map[string]string
}

// GetUserAttributeVerificationCode sends the token owner a code to verify
// their email or phone number (the new value waiting for verification, if
// any), mirroring Cognito's GetUserAttributeVerificationCode, and returns
// where it went. Errors: InvalidParameter "Invalid attribute name. Only
// phone_number and email can be verified." or for an attribute the user
// lacks; LimitExceeded after five requests in an hour;
// CodeDeliveryFailure.
func (p *Pool) GetUserAttributeVerificationCode(ctx context.Context, in GetUserAttributeVerificationCodeInput) (CodeDeliveryDetails, error) {
	u, c, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	return p.requestVerification(ctx, u, in.AttributeName, c.ID, in.ClientMetadata)
}

// VerifyUserAttributeInput is the request of [Pool.VerifyUserAttribute],
// named as Cognito's.
type VerifyUserAttributeInput struct {
	AccessToken   string
	AttributeName string
	Code          string
}

// VerifyUserAttribute verifies the token owner's email or phone number with
// the code sent for it, mirroring Cognito's VerifyUserAttribute; see
// [Pool.VerifyAttribute] for what it changes and its errors.
func (p *Pool) VerifyUserAttribute(ctx context.Context, in VerifyUserAttributeInput) error {
	u, _, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return err
	}
	return p.verifyAttribute(ctx, u, in.AttributeName, in.Code)
}

// ChangePasswordInput is the request of [Pool.ChangePassword], named as
// Cognito's.
type ChangePasswordInput struct {
	AccessToken string
	// PreviousPassword is the current password; it may be empty only for
	// a user who has none.
	PreviousPassword string
	ProposedPassword string
}

// changePasswordWhat counts ChangePassword calls against Cognito's quota
// (takeSend): five an hour per user, then LimitExceeded.
const changePasswordWhat = "change_password"

// ChangePassword changes the token owner's password, mirroring Cognito's
// ChangePassword. The previous password is checked as a sign-in checks
// it, under the same lockout (a wrong one counts towards "Password
// attempts exceeded"); the new one must meet the policy, pass the
// compromised-password check and differ from the last HistorySize
// passwords. Any pending password-reset code is voided, so a code sent
// before cannot undo the change. Existing tokens stay valid, as in
// Cognito; call GlobalSignOut to end other sessions.
//
// Errors: NotAuthorized "Incorrect username or password." or "Password
// attempts exceeded"; InvalidParameter, InvalidPassword,
// PasswordHistoryPolicyViolation; LimitExceeded after five calls in an
// hour.
func (p *Pool) ChangePassword(ctx context.Context, in ChangePasswordInput) error {
	u, _, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return err
	}
	if in.ProposedPassword == "" {
		return missing("ProposedPassword")
	}
	if in.PreviousPassword == "" && u.PasswordHash != "" {
		return missing("PreviousPassword")
	}
	if err := p.takeSend(ctx, changePasswordWhat, u.Sub); err != nil {
		return err
	}
	if u.PasswordHash != "" {
		if err := p.verifyPassword(ctx, u, in.PreviousPassword); err != nil {
			return err
		}
	}
	if err := p.checkNewPassword(ctx, &u, in.ProposedPassword); err != nil {
		return err
	}
	hash, srp, err := p.newPasswordRecords(ctx, u.Username, in.ProposedPassword)
	if err != nil {
		return err
	}
	if err := p.store.DeleteCode(ctx, p.id, u.Sub, purposeReset); err != nil {
		return p.internal("void a reset code", err)
	}
	old := u.PasswordHash
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if u.PasswordHash != old {
			// Changed since the previous password was checked: that
			// check no longer proves anything.
			return nil, errConcurrent
		}
		p.setPassword(u, hash, false, p.now())
		u.SRP = srp
		return nil, nil
	})
	return err
}

// DeleteUser deletes the token owner, mirroring Cognito's DeleteUser: the
// user, its group memberships, codes, devices and refresh tokens go at
// once, and its ID and access tokens stop verifying.
func (p *Pool) DeleteUser(ctx context.Context, accessToken string) error {
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return err
	}
	return p.deleteUser(ctx, u.Sub)
}
