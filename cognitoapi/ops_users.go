package cognitoapi

import (
	"context"
	"fmt"

	"github.com/userpool/userpool"
)

// The administrative user operations (signed): AdminCreateUser,
// AdminGetUser, AdminUpdateUserAttributes, AdminDeleteUserAttributes,
// AdminDeleteUser, AdminDisableUser, AdminEnableUser, AdminConfirmSignUp,
// AdminSetUserPassword, AdminResetUserPassword, AdminUserGlobalSignOut,
// ListUsers.

// adminUserInput names one user of one pool, with the members some of the
// operations add.
type adminUserInput struct {
	UserPoolId     string
	Username       string
	ClientMetadata map[string]string
}

func (in *adminUserInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != ""))
}

type adminCreateUserInput struct {
	UserPoolId             string
	Username               string
	UserAttributes         []attributeType
	ValidationData         []attributeType
	TemporaryPassword      string
	ForceAliasCreation     bool
	MessageAction          string
	DesiredDeliveryMediums []string
	ClientMetadata         map[string]string
}

func (in *adminCreateUserInput) check() error {
	if err := required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != "")); err != nil {
		return err
	}
	return oneOf("MessageAction", in.MessageAction, "RESEND", "SUPPRESS")
}

type adminCreateUserOutput struct {
	User userType
}

func adminCreateUser(ctx context.Context, h *Handler, in *adminCreateUserInput) (*adminCreateUserOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	mediums := make([]userpool.Channel, len(in.DesiredDeliveryMediums))
	for i, m := range in.DesiredDeliveryMediums {
		if err := oneOf(fmt.Sprintf("DesiredDeliveryMediums.%d", i+1), m, "SMS", "EMAIL"); err != nil {
			return nil, err
		}
		mediums[i] = userpool.Channel(m)
	}
	u, err := p.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: in.Username,
		UserAttributes: attributesIn(in.UserAttributes), ValidationData: attributesIn(in.ValidationData),
		TemporaryPassword: in.TemporaryPassword, MessageAction: in.MessageAction, DesiredDeliveryMediums: mediums,
		ForceAliasCreation: in.ForceAliasCreation, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &adminCreateUserOutput{User: userOut(u)}, nil
}

type adminGetUserOutput struct {
	Username             string
	UserAttributes       []attributeType
	UserCreateDate       epochSeconds `json:",omitzero"`
	UserLastModifiedDate epochSeconds `json:",omitzero"`
	Enabled              bool
	UserStatus           string
	MFAOptions           []mfaOptionType `json:",omitempty"`
	PreferredMfaSetting  string          `json:",omitempty"`
	UserMFASettingList   []string        `json:",omitempty"`
}

func adminGetUser(ctx context.Context, h *Handler, in *adminUserInput) (*adminGetUserOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	u, err := p.AdminGetUser(ctx, in.Username)
	if err != nil {
		return nil, err
	}
	w := userOut(u)
	return &adminGetUserOutput{Username: w.Username, UserAttributes: w.Attributes, UserCreateDate: w.UserCreateDate,
		UserLastModifiedDate: w.UserLastModifiedDate, Enabled: w.Enabled, UserStatus: w.UserStatus,
		MFAOptions: w.MFAOptions, PreferredMfaSetting: string(u.PreferredMFA), UserMFASettingList: factorNames(u.MFAMethods)}, nil
}

// adminUserOp adapts the operations that take a pool and a user name and
// return nothing.
func adminUserOp(fn func(p *userpool.Pool, ctx context.Context, in *adminUserInput) error) operation {
	return op(signed, func(ctx context.Context, h *Handler, in *adminUserInput) (*empty, error) {
		p, err := h.pool(ctx, in.UserPoolId)
		if err != nil {
			return nil, err
		}
		return nil, fn(p, ctx, in)
	})
}

func adminDeleteUser(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	return p.AdminDeleteUser(ctx, in.Username)
}

func adminDisableUser(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	return p.AdminDisableUser(ctx, in.Username)
}

func adminEnableUser(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	return p.AdminEnableUser(ctx, in.Username)
}

func adminUserGlobalSignOut(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	return p.AdminUserGlobalSignOut(ctx, in.Username)
}

func adminConfirmSignUp(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	return p.AdminConfirmSignUp(ctx, userpool.AdminConfirmSignUpInput{Username: in.Username, ClientMetadata: in.ClientMetadata})
}

func adminResetUserPassword(p *userpool.Pool, ctx context.Context, in *adminUserInput) error {
	_, err := p.AdminResetUserPassword(ctx, userpool.AdminResetUserPasswordInput{Username: in.Username, ClientMetadata: in.ClientMetadata})
	return err
}

type adminSetUserPasswordInput struct {
	UserPoolId string
	Username   string
	Password   string
	Permanent  bool
}

func (in *adminSetUserPasswordInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != ""), need("Password", in.Password != ""))
}

func adminSetUserPassword(ctx context.Context, h *Handler, in *adminSetUserPasswordInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: in.Username, Password: in.Password, Permanent: in.Permanent})
}

type adminUpdateUserAttributesInput struct {
	UserPoolId     string
	Username       string
	UserAttributes []attributeType
	ClientMetadata map[string]string
}

func (in *adminUpdateUserAttributesInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != ""),
		need("UserAttributes", in.UserAttributes != nil))
}

func adminUpdateUserAttributes(ctx context.Context, h *Handler, in *adminUpdateUserAttributesInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	_, err = p.AdminUpdateUserAttributes(ctx, userpool.AdminUpdateUserAttributesInput{Username: in.Username,
		UserAttributes: attributesIn(in.UserAttributes), ClientMetadata: in.ClientMetadata})
	return nil, err
}

type adminDeleteUserAttributesInput struct {
	UserPoolId         string
	Username           string
	UserAttributeNames []string
}

func (in *adminDeleteUserAttributesInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != ""),
		need("UserAttributeNames", in.UserAttributeNames != nil))
}

func adminDeleteUserAttributes(ctx context.Context, h *Handler, in *adminDeleteUserAttributesInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminDeleteUserAttributes(ctx, userpool.AdminDeleteUserAttributesInput{Username: in.Username,
		UserAttributeNames: in.UserAttributeNames})
}

type listUsersInput struct {
	UserPoolId      string
	AttributesToGet []string
	Limit           *int
	PaginationToken string
	Filter          string
}

func (in *listUsersInput) check() error {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return err
	}
	return checkLimit("Limit", in.Limit, 0, 60)
}

// checkLimit checks a page size against the model's range.
func checkLimit(name string, n *int, lo, hi int) error {
	if n == nil || (*n >= lo && *n <= hi) {
		return nil
	}
	return validationError([]string{fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value %s",
		*n, camelPath(name), rangeWords(lo, hi))})
}

func rangeWords(lo, hi int) string {
	if lo == 0 {
		return fmt.Sprintf("less than or equal to %d", hi)
	}
	return fmt.Sprintf("between %d and %d", lo, hi)
}

func intOr0(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

type listUsersOutput struct {
	Users           []userType
	PaginationToken string `json:",omitempty"`
}

func listUsers(ctx context.Context, h *Handler, in *listUsersInput) (*listUsersOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	out, err := p.ListUsers(ctx, userpool.ListUsersInput{Filter: in.Filter, Limit: intOr0(in.Limit),
		PaginationToken: in.PaginationToken, AttributesToGet: in.AttributesToGet})
	if err != nil {
		return nil, err
	}
	return &listUsersOutput{Users: usersOut(out.Users), PaginationToken: out.PaginationToken}, nil
}
