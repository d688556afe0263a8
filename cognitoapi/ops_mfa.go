package cognitoapi

import (
	"context"
	"errors"

	"github.com/userpool/userpool"
)

// The user MFA operations: AssociateSoftwareToken, VerifySoftwareToken
// and SetUserMFAPreference (by access token, or for the first two by the
// Session of an MFA_SETUP challenge), AdminSetUserMFAPreference (signed).

// poolForTokenOrSession finds the pool of a call that carries an access
// token or a sign-in session, and returns the library's session (see
// wrapSession).
func (h *Handler) poolForTokenOrSession(ctx context.Context, accessToken, session string) (*userpool.Pool, string, error) {
	switch {
	case accessToken != "" && session != "":
		return nil, "", userpool.ErrInvalidParameter.With("Only one of AccessToken and Session may be given.")
	case accessToken != "":
		p, err := h.poolForToken(ctx, accessToken)
		return p, "", err
	case session != "":
		id, inner, ok := unwrapSession(session)
		if !ok {
			return nil, "", userpool.ErrNotAuthorized.With("Invalid session for the user.")
		}
		p, err := h.pool(ctx, id)
		if errors.Is(err, userpool.ErrResourceNotFound) {
			return nil, "", userpool.ErrNotAuthorized.With("Invalid session for the user.")
		}
		return p, inner, err
	default:
		return nil, "", userpool.ErrInvalidParameter.With("Either AccessToken or Session must be given.")
	}
}

type associateSoftwareTokenInput struct {
	AccessToken string
	Session     string
}

type associateSoftwareTokenOutput struct {
	SecretCode string
	Session    string `json:",omitempty"`
}

func associateSoftwareToken(ctx context.Context, h *Handler, in *associateSoftwareTokenInput) (*associateSoftwareTokenOutput, error) {
	p, session, err := h.poolForTokenOrSession(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	out, err := p.AssociateSoftwareToken(ctx, userpool.AssociateSoftwareTokenInput{AccessToken: in.AccessToken, Session: session})
	if err != nil {
		return nil, err
	}
	return &associateSoftwareTokenOutput{SecretCode: out.SecretCode, Session: wrapSession(p.ID(), out.Session)}, nil
}

type verifySoftwareTokenInput struct {
	AccessToken        string
	Session            string
	UserCode           string
	FriendlyDeviceName string
}

func (in *verifySoftwareTokenInput) check() error {
	return required(need("UserCode", in.UserCode != ""))
}

type verifySoftwareTokenOutput struct {
	Status  string
	Session string `json:",omitempty"`
}

func verifySoftwareToken(ctx context.Context, h *Handler, in *verifySoftwareTokenInput) (*verifySoftwareTokenOutput, error) {
	p, session, err := h.poolForTokenOrSession(ctx, in.AccessToken, in.Session)
	if err != nil {
		return nil, err
	}
	out, err := p.VerifySoftwareToken(ctx, userpool.VerifySoftwareTokenInput{AccessToken: in.AccessToken, Session: session,
		UserCode: in.UserCode, FriendlyDeviceName: in.FriendlyDeviceName})
	if err != nil {
		return nil, err
	}
	return &verifySoftwareTokenOutput{Status: out.Status, Session: wrapSession(p.ID(), out.Session)}, nil
}

type mfaSettingsType struct {
	Enabled      bool
	PreferredMfa bool
}

func (s *mfaSettingsType) lib() *userpool.MFASettings {
	if s == nil {
		return nil
	}
	return &userpool.MFASettings{Enabled: s.Enabled, PreferredMfa: s.PreferredMfa}
}

type mfaPreferenceInput struct {
	AccessToken              string
	UserPoolId               string
	Username                 string
	SMSMfaSettings           *mfaSettingsType
	SoftwareTokenMfaSettings *mfaSettingsType
	EmailMfaSettings         *mfaSettingsType
}

func (in *mfaPreferenceInput) lib() userpool.SetUserMFAPreferenceInput {
	return userpool.SetUserMFAPreferenceInput{AccessToken: in.AccessToken, Username: in.Username,
		SMSMfaSettings: in.SMSMfaSettings.lib(), SoftwareTokenMfaSettings: in.SoftwareTokenMfaSettings.lib(),
		EmailMfaSettings: in.EmailMfaSettings.lib()}
}

func setUserMFAPreference(ctx context.Context, h *Handler, in *mfaPreferenceInput) (*empty, error) {
	if err := required(need("AccessToken", in.AccessToken != "")); err != nil {
		return nil, err
	}
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	in.Username = ""
	return nil, p.SetUserMFAPreference(ctx, in.lib())
}

func adminSetUserMFAPreference(ctx context.Context, h *Handler, in *mfaPreferenceInput) (*empty, error) {
	if err := required(need("Username", in.Username != ""), need("UserPoolId", in.UserPoolId != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	in.AccessToken = ""
	return nil, p.AdminSetUserMFAPreference(ctx, in.lib())
}

type userSettingsInput struct {
	AccessToken string
	UserPoolId  string
	Username    string
	MFAOptions  []mfaOptionType
}

func (in *userSettingsInput) lib() userpool.SetUserSettingsInput {
	out := userpool.SetUserSettingsInput{AccessToken: in.AccessToken, Username: in.Username,
		MFAOptions: make([]userpool.MFAOption, len(in.MFAOptions))}
	for i, o := range in.MFAOptions {
		out.MFAOptions[i] = userpool.MFAOption{DeliveryMedium: o.DeliveryMedium, AttributeName: o.AttributeName}
	}
	return out
}

// setUserSettings is the legacy SMS-only MFA switch, which
// amazon-cognito-identity-js's enableMFA and disableMFA call.
func setUserSettings(ctx context.Context, h *Handler, in *userSettingsInput) (*empty, error) {
	if err := required(need("AccessToken", in.AccessToken != ""), need("MFAOptions", in.MFAOptions != nil)); err != nil {
		return nil, err
	}
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	in.Username = ""
	return nil, p.SetUserSettings(ctx, in.lib())
}

func adminSetUserSettings(ctx context.Context, h *Handler, in *userSettingsInput) (*empty, error) {
	if err := required(need("Username", in.Username != ""), need("UserPoolId", in.UserPoolId != ""), need("MFAOptions", in.MFAOptions != nil)); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	in.AccessToken = ""
	return nil, p.AdminSetUserSettings(ctx, in.lib())
}
