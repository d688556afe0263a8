package cognitoapi

import (
	"context"

	"github.com/userpool/userpool"
)

// The public operations: authorised by an app client id, unsigned.
// SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth,
// RespondToAuthChallenge, ForgotPassword, ConfirmForgotPassword.

type signUpInput struct {
	ClientId       string
	SecretHash     string
	Username       string
	Password       string
	UserAttributes []attributeType
	ValidationData []attributeType
	ClientMetadata map[string]string
}

func (in *signUpInput) check() error {
	return required(need("ClientId", in.ClientId != ""), need("Username", in.Username != ""))
}

type signUpOutput struct {
	UserConfirmed       bool
	UserSub             string
	CodeDeliveryDetails *codeDeliveryDetailsType `json:",omitempty"`
}

func signUp(ctx context.Context, h *Handler, in *signUpInput) (*signUpOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := p.SignUp(ctx, userpool.SignUpInput{ClientID: in.ClientId, SecretHash: in.SecretHash, Username: in.Username,
		Password: in.Password, UserAttributes: attributesIn(in.UserAttributes), ValidationData: attributesIn(in.ValidationData),
		ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &signUpOutput{UserConfirmed: out.UserConfirmed, UserSub: out.UserSub, CodeDeliveryDetails: deliveryPtr(out.CodeDeliveryDetails)}, nil
}

type confirmSignUpInput struct {
	ClientId           string
	SecretHash         string
	Username           string
	ConfirmationCode   string
	ForceAliasCreation bool
	ClientMetadata     map[string]string
}

func (in *confirmSignUpInput) check() error {
	return required(need("ClientId", in.ClientId != ""), need("Username", in.Username != ""),
		need("ConfirmationCode", in.ConfirmationCode != ""))
}

type confirmSignUpOutput struct {
	Session string `json:",omitempty"`
}

func confirmSignUp(ctx context.Context, h *Handler, in *confirmSignUpInput) (*confirmSignUpOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := p.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{ClientID: in.ClientId, SecretHash: in.SecretHash,
		Username: in.Username, ConfirmationCode: in.ConfirmationCode, ForceAliasCreation: in.ForceAliasCreation,
		ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &confirmSignUpOutput{Session: wrapSession(p.ID(), out.Session)}, nil
}

// userByClientInput is the request of ResendConfirmationCode and
// ForgotPassword.
type userByClientInput struct {
	ClientId       string
	SecretHash     string
	Username       string
	ClientMetadata map[string]string
}

func (in *userByClientInput) check() error {
	return required(need("ClientId", in.ClientId != ""), need("Username", in.Username != ""))
}

type deliveryOutput struct {
	CodeDeliveryDetails codeDeliveryDetailsType
}

func resendConfirmationCode(ctx context.Context, h *Handler, in *userByClientInput) (*deliveryOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	d, err := p.ResendConfirmationCode(ctx, userpool.ResendConfirmationCodeInput{ClientID: in.ClientId,
		SecretHash: in.SecretHash, Username: in.Username, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{CodeDeliveryDetails: deliveryOut(d)}, nil
}

func forgotPassword(ctx context.Context, h *Handler, in *userByClientInput) (*deliveryOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	d, err := p.ForgotPassword(ctx, userpool.ForgotPasswordInput{ClientID: in.ClientId,
		SecretHash: in.SecretHash, Username: in.Username, ClientMetadata: in.ClientMetadata})
	if err != nil {
		return nil, err
	}
	return &deliveryOutput{CodeDeliveryDetails: deliveryOut(d)}, nil
}

type confirmForgotPasswordInput struct {
	ClientId         string
	SecretHash       string
	Username         string
	ConfirmationCode string
	Password         string
	ClientMetadata   map[string]string
}

func (in *confirmForgotPasswordInput) check() error {
	return required(need("ClientId", in.ClientId != ""), need("Username", in.Username != ""),
		need("ConfirmationCode", in.ConfirmationCode != ""), need("Password", in.Password != ""))
}

func confirmForgotPassword(ctx context.Context, h *Handler, in *confirmForgotPasswordInput) (*empty, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return nil, p.ConfirmForgotPassword(ctx, userpool.ConfirmForgotPasswordInput{ClientID: in.ClientId,
		SecretHash: in.SecretHash, Username: in.Username, ConfirmationCode: in.ConfirmationCode,
		Password: in.Password, ClientMetadata: in.ClientMetadata})
}

// initiateAuthInput is the request of InitiateAuth and (with UserPoolId)
// AdminInitiateAuth.
type initiateAuthInput struct {
	UserPoolId     string
	ClientId       string
	AuthFlow       string
	AuthParameters map[string]string
	ClientMetadata map[string]string
	// Session is ConfirmSignUp's, for USER_AUTH's auto sign-in.
	Session string
}

func (in *initiateAuthInput) check() error {
	return required(need("AuthFlow", in.AuthFlow != ""), need("ClientId", in.ClientId != ""))
}

func (in *initiateAuthInput) lib() userpool.InitiateAuthInput {
	_, session, _ := unwrapSession(in.Session)
	return userpool.InitiateAuthInput{AuthFlow: in.AuthFlow, ClientID: in.ClientId,
		AuthParameters: in.AuthParameters, ClientMetadata: in.ClientMetadata, Session: session}
}

func initiateAuth(ctx context.Context, h *Handler, in *initiateAuthInput) (*authOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := p.InitiateAuth(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return h.authOut(p, out), nil
}

func adminInitiateAuth(ctx context.Context, h *Handler, in *initiateAuthInput) (*authOutput, error) {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	out, err := p.AdminInitiateAuth(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return h.authOut(p, out), nil
}

// respondInput is the request of RespondToAuthChallenge and (with
// UserPoolId) AdminRespondToAuthChallenge.
type respondInput struct {
	UserPoolId         string
	ClientId           string
	ChallengeName      string
	Session            string
	ChallengeResponses map[string]string
	ClientMetadata     map[string]string
}

func (in *respondInput) check() error {
	return required(need("ClientId", in.ClientId != ""), need("ChallengeName", in.ChallengeName != ""))
}

// lib is the library's request; the session loses the pool prefix the
// Handler gave it (see wrapSession).
func (in *respondInput) lib() userpool.RespondInput {
	_, session, _ := unwrapSession(in.Session)
	return userpool.RespondInput{ClientID: in.ClientId, ChallengeName: in.ChallengeName, Session: session,
		ChallengeResponses: in.ChallengeResponses, ClientMetadata: in.ClientMetadata}
}

func respondToAuthChallenge(ctx context.Context, h *Handler, in *respondInput) (*authOutput, error) {
	p, err := h.poolForClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	out, err := p.RespondToAuthChallenge(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return h.authOut(p, out), nil
}

func adminRespondToAuthChallenge(ctx context.Context, h *Handler, in *respondInput) (*authOutput, error) {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	out, err := p.AdminRespondToAuthChallenge(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return h.authOut(p, out), nil
}
