package cognitoapi

import (
	"context"

	"github.com/userpool/userpool"
)

// The operations authorised by an access token in the body: the pool is
// the token's issuer, and the pool verifies the token. ChangePassword,
// GetUser, UpdateUserAttributes, DeleteUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute, DeleteUser,
// GlobalSignOut. RevokeToken, which carries a refresh token and a client
// id, is here too.

type accessTokenInput struct {
	AccessToken string
}

func (in *accessTokenInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""))
}

type getUserOutput struct {
	Username            string
	UserAttributes      []attributeType
	MFAOptions          []mfaOptionType `json:",omitempty"`
	PreferredMfaSetting string          `json:",omitempty"`
	UserMFASettingList  []string        `json:",omitempty"`
}

func getUser(ctx context.Context, h *Handler, in *accessTokenInput) (*getUserOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	u, err := p.GetUser(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	out := &getUserOutput{Username: u.Username, UserAttributes: attributesOut(u.UserAttributes),
		PreferredMfaSetting: u.PreferredMFASetting, UserMFASettingList: u.UserMFASettingList}
	for _, f := range u.UserMFASettingList {
		if f == string(userpool.FactorSMS) {
			out.MFAOptions = []mfaOptionType{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
		}
	}
	return out, nil
}

func deleteUser(ctx context.Context, h *Handler, in *accessTokenInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteUser(ctx, in.AccessToken)
}

func globalSignOut(ctx context.Context, h *Handler, in *accessTokenInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.GlobalSignOut(ctx, in.AccessToken)
}

type changePasswordInput struct {
	AccessToken      string
	PreviousPassword string
	ProposedPassword string
}

func (in *changePasswordInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("ProposedPassword", in.ProposedPassword != ""))
}

func changePassword(ctx context.Context, h *Handler, in *changePasswordInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.ChangePassword(ctx, userpool.ChangePasswordInput{AccessToken: in.AccessToken,
		PreviousPassword: in.PreviousPassword, ProposedPassword: in.ProposedPassword})
}

type updateUserAttributesInput struct {
	AccessToken    string
	UserAttributes []attributeType
	ClientMetadata map[string]string
}

func (in *updateUserAttributesInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("UserAttributes", in.UserAttributes != nil))
}

type deliveryListOutput struct {
	CodeDeliveryDetailsList []codeDeliveryDetailsType
}

func deliveryListOut(ds []userpool.CodeDeliveryDetails) *deliveryListOutput {
	out := &deliveryListOutput{CodeDeliveryDetailsList: []codeDeliveryDetailsType{}}
	for _, d := range ds {
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, deliveryOut(d))
	}
	return out
}

func updateUserAttributes(ctx context.Context, h *Handler, in *updateUserAttributesInput) (*deliveryListOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	out, err := p.UpdateUserAttributes(ctx, userpool.UpdateUserAttributesInput{AccessToken: in.AccessToken,
		UserAttributes: attributesIn(in.UserAttributes), ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return deliveryListOut(out.CodeDeliveryDetailsList), nil
}

type deleteUserAttributesInput struct {
	AccessToken        string
	UserAttributeNames []string
}

func (in *deleteUserAttributesInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("UserAttributeNames", in.UserAttributeNames != nil))
}

func deleteUserAttributes(ctx context.Context, h *Handler, in *deleteUserAttributesInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteUserAttributes(ctx, userpool.DeleteUserAttributesInput{AccessToken: in.AccessToken,
		UserAttributeNames: in.UserAttributeNames})
}

type getUserAttributeVerificationCodeInput struct {
	AccessToken    string
	AttributeName  string
	ClientMetadata map[string]string
}

func (in *getUserAttributeVerificationCodeInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("AttributeName", in.AttributeName != ""))
}

func getUserAttributeVerificationCode(ctx context.Context, h *Handler, in *getUserAttributeVerificationCodeInput) (*deliveryOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	d, err := p.GetUserAttributeVerificationCode(ctx, userpool.GetUserAttributeVerificationCodeInput{
		AccessToken: in.AccessToken, AttributeName: in.AttributeName, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{CodeDeliveryDetails: deliveryOut(d)}, nil
}

type verifyUserAttributeInput struct {
	AccessToken   string
	AttributeName string
	Code          string
}

func (in *verifyUserAttributeInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("AttributeName", in.AttributeName != ""),
		need("Code", in.Code != ""))
}

func verifyUserAttribute(ctx context.Context, h *Handler, in *verifyUserAttributeInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.VerifyUserAttribute(ctx, userpool.VerifyUserAttributeInput{AccessToken: in.AccessToken,
		AttributeName: in.AttributeName, Code: in.Code})
}

type revokeTokenInput struct {
	Token        string
	ClientId     string
	ClientSecret string
}

func (in *revokeTokenInput) check() error {
	return required(need("Token", in.Token != ""), need("ClientId", in.ClientId != ""))
}

func revokeToken(ctx context.Context, h *Handler, in *revokeTokenInput) (*empty, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return nil, p.RevokeToken(ctx, in.Token, in.ClientId, in.ClientSecret)
}

// getTokensFromRefreshTokenInput is the request of
// GetTokensFromRefreshToken, Cognito's newer refresh, which rotates the
// refresh token when the client does (RefreshTokenRotation) and takes
// the client secret itself.
type getTokensFromRefreshTokenInput struct {
	RefreshToken   string
	ClientId       string
	ClientSecret   string
	DeviceKey      string
	ClientMetadata map[string]string
}

func (in *getTokensFromRefreshTokenInput) check() error {
	return required(need("RefreshToken", in.RefreshToken != ""), need("ClientId", in.ClientId != ""))
}

type getTokensFromRefreshTokenOutput struct {
	AuthenticationResult *authenticationResultType
}

func getTokensFromRefreshToken(ctx context.Context, h *Handler, in *getTokensFromRefreshTokenInput) (*getTokensFromRefreshTokenOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	res, err := p.RefreshTokens(ctx, userpool.RefreshInput{ClientID: in.ClientId, RefreshToken: in.RefreshToken,
		ClientSecret: in.ClientSecret, DeviceKey: in.DeviceKey, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &getTokensFromRefreshTokenOutput{AuthenticationResult: resultOut(&res)}, nil
}
