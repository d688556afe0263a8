package cognitoapi

import (
	"context"
	"encoding/json"
)

// The passkey operations, by access token: StartWebAuthnRegistration,
// CompleteWebAuthnRegistration, ListWebAuthnCredentials,
// DeleteWebAuthnCredential. The pool needs userpool.WithPasskeys (see
// WithPoolOptions); without it they answer WebAuthnNotEnabledException.

type startWebAuthnRegistrationOutput struct {
	CredentialCreationOptions json.RawMessage
}

func startWebAuthnRegistration(ctx context.Context, h *Handler, in *accessTokenInput) (*startWebAuthnRegistrationOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	options, err := p.StartWebAuthnRegistration(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return &startWebAuthnRegistrationOutput{CredentialCreationOptions: options}, nil
}

type completeWebAuthnRegistrationInput struct {
	AccessToken string
	Credential  json.RawMessage
}

func (in *completeWebAuthnRegistrationInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("Credential", len(in.Credential) > 0 && string(in.Credential) != "null"))
}

func completeWebAuthnRegistration(ctx context.Context, h *Handler, in *completeWebAuthnRegistrationInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.CompleteWebAuthnRegistration(ctx, in.AccessToken, in.Credential)
}

type webAuthnCredentialDescription struct {
	CredentialId           string
	FriendlyCredentialName string
	RelyingPartyId         string `json:",omitempty"`
	CreatedAt              epochSeconds
}

type listWebAuthnCredentialsOutput struct {
	Credentials []webAuthnCredentialDescription
}

// listWebAuthnCredentials answers with every credential at once: a user
// has at most 20, under the largest page Cognito allows.
func listWebAuthnCredentials(ctx context.Context, h *Handler, in *accessTokenInput) (*listWebAuthnCredentialsOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	creds, err := p.ListWebAuthnCredentials(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	out := &listWebAuthnCredentialsOutput{Credentials: []webAuthnCredentialDescription{}}
	for _, c := range creds {
		out.Credentials = append(out.Credentials, webAuthnCredentialDescription{CredentialId: c.CredentialID,
			FriendlyCredentialName: c.FriendlyCredentialName, CreatedAt: epoch(c.CreatedAt)})
	}
	return out, nil
}

type deleteWebAuthnCredentialInput struct {
	AccessToken  string
	CredentialId string
}

func (in *deleteWebAuthnCredentialInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("CredentialId", in.CredentialId != ""))
}

func deleteWebAuthnCredential(ctx context.Context, h *Handler, in *deleteWebAuthnCredentialInput) (*empty, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteWebAuthnCredential(ctx, in.AccessToken, in.CredentialId)
}

type getUserAuthFactorsOutput struct {
	Username                  string
	PreferredMfaSetting       string   `json:",omitempty"`
	UserMFASettingList        []string `json:",omitempty"`
	ConfiguredUserAuthFactors []string
}

// getUserAuthFactors lists the token owner's sign-in factors.
func getUserAuthFactors(ctx context.Context, h *Handler, in *accessTokenInput) (*getUserAuthFactorsOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	f, err := p.GetUserAuthFactors(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	return &getUserAuthFactorsOutput{Username: f.Username, PreferredMfaSetting: string(f.PreferredMFA),
		UserMFASettingList: factorNames(f.MFAMethods), ConfiguredUserAuthFactors: f.ConfiguredUserAuthFactors}, nil
}
