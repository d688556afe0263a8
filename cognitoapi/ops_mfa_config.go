package cognitoapi

import (
	"context"
	"slices"

	"github.com/userpool/userpool"
)

// SetUserPoolMfaConfig and GetUserPoolMfaConfig (signed), over the pool's
// Config.MFA, and GetSigningCertificate.

type smsMfaConfigType struct {
	SmsAuthenticationMessage string                `json:",omitempty"`
	SmsConfiguration         *smsConfigurationType `json:",omitempty"`
}

type softwareTokenMfaConfigType struct {
	Enabled bool
}

type emailMfaConfigType struct {
	Message string `json:",omitempty"`
	Subject string `json:",omitempty"`
}

// webAuthnConfigurationType is the pool's passkey relying party.
type webAuthnConfigurationType struct {
	RelyingPartyId   string `json:",omitempty"`
	UserVerification string `json:",omitempty"`
}

type mfaConfigMembers struct {
	SmsMfaConfiguration           *smsMfaConfigType           `json:",omitempty"`
	SoftwareTokenMfaConfiguration *softwareTokenMfaConfigType `json:",omitempty"`
	EmailMfaConfiguration         *emailMfaConfigType         `json:",omitempty"`
	WebAuthnConfiguration         *webAuthnConfigurationType  `json:",omitempty"`
	MfaConfiguration              string                      `json:",omitempty"`
}

type setUserPoolMfaConfigInput struct {
	UserPoolId string
	mfaConfigMembers
}

func (in *setUserPoolMfaConfigInput) check() error {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return err
	}
	return oneOf("MfaConfiguration", in.MfaConfiguration, "OFF", "ON", "OPTIONAL")
}

// setUserPoolMfaConfig mirrors SetUserPoolMfaConfig: the factors are those
// the request configures (TOTP when enabled, SMS and email when their
// configuration is given), the mode is the request's or stays.
func setUserPoolMfaConfig(ctx context.Context, h *Handler, in *setUserPoolMfaConfigInput) (*mfaConfigMembers, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	cfg := p.Config()
	mfa := cfg.MFA
	if in.MfaConfiguration != "" {
		mfa.Mode = userpool.MFAMode(in.MfaConfiguration)
	}
	mfa.Factors = nil
	if s := in.SmsMfaConfiguration; s != nil {
		mfa.Factors = append(mfa.Factors, userpool.FactorSMS)
		setIf(&mfa.SMSMessage, s.SmsAuthenticationMessage)
	}
	if t := in.SoftwareTokenMfaConfiguration; t != nil && t.Enabled {
		mfa.Factors = append(mfa.Factors, userpool.FactorTOTP)
	}
	if e := in.EmailMfaConfiguration; e != nil {
		mfa.Factors = append(mfa.Factors, userpool.FactorEmail)
		setIf(&mfa.EmailMessage, e.Message)
		setIf(&mfa.EmailSubject, e.Subject)
	}
	if mfa.Mode != userpool.MFAOff && len(mfa.Factors) == 0 {
		return nil, userpool.ErrInvalidParameter.With("At least one MFA method must be enabled when MFA is ON or OPTIONAL.")
	}
	cfg.MFA = mfa
	// Passkeys' relying party is set independently of MFA, as in Cognito.
	if w := in.WebAuthnConfiguration; w != nil {
		cfg.WebAuthn = userpool.WebAuthnConfig{RelyingPartyID: w.RelyingPartyId, UserVerification: w.UserVerification}
	}
	h.pools.forget(p.ID())
	updated, err := userpool.New(ctx, cfg.Name, h.poolOptions(userpool.WithConfig(cfg), userpool.WithPoolID(p.ID()))...)
	if err != nil {
		return nil, err
	}
	h.remember(ctx, updated)
	out := mfaConfigOut(updated.Config())
	return &out, nil
}

func mfaConfigOut(c userpool.Config) mfaConfigMembers {
	m := c.MFA
	out := mfaConfigMembers{MfaConfiguration: string(cmpMode(m.Mode))}
	if w := c.WebAuthn; w != (userpool.WebAuthnConfig{}) {
		out.WebAuthnConfiguration = &webAuthnConfigurationType{RelyingPartyId: w.RelyingPartyID, UserVerification: w.UserVerification}
	}
	if slices.Contains(m.Factors, userpool.FactorSMS) {
		out.SmsMfaConfiguration = &smsMfaConfigType{SmsAuthenticationMessage: m.SMSMessage}
	}
	out.SoftwareTokenMfaConfiguration = &softwareTokenMfaConfigType{Enabled: slices.Contains(m.Factors, userpool.FactorTOTP)}
	if slices.Contains(m.Factors, userpool.FactorEmail) {
		out.EmailMfaConfiguration = &emailMfaConfigType{Message: m.EmailMessage, Subject: m.EmailSubject}
	}
	return out
}

func cmpMode(m userpool.MFAMode) userpool.MFAMode {
	if m == "" {
		return userpool.MFAOff
	}
	return m
}

type poolIDInput struct {
	UserPoolId string
}

func (in *poolIDInput) check() error { return required(need("UserPoolId", in.UserPoolId != "")) }

func getUserPoolMfaConfig(ctx context.Context, h *Handler, in *poolIDInput) (*mfaConfigMembers, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	out := mfaConfigOut(p.Config())
	return &out, nil
}

// getSigningCertificate answers GetSigningCertificate. Cognito's
// certificate signs SAML requests to identity providers; pools here have
// no SAML federation and so no certificate. Tokens are verified with the
// pool's JWKS (/<poolId>/.well-known/jwks.json) instead.
func getSigningCertificate(ctx context.Context, h *Handler, in *poolIDInput) (*empty, error) {
	if _, err := h.pool(ctx, in.UserPoolId); err != nil {
		return nil, err
	}
	return nil, userpool.ErrUnsupportedOperation.With("GetSigningCertificate is not supported: pools have no SAML signing certificate; verify tokens with the pool's JWKS at /%s/.well-known/jwks.json.", in.UserPoolId)
}
