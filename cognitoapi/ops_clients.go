package cognitoapi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/userpool/userpool"
)

// The app-client operations (signed): CreateUserPoolClient,
// DescribeUserPoolClient, UpdateUserPoolClient, ListUserPoolClients,
// DeleteUserPoolClient.

type tokenValidityUnitsType struct {
	AccessToken  string `json:",omitempty"`
	IdToken      string `json:",omitempty"`
	RefreshToken string `json:",omitempty"`
}

type refreshTokenRotationType struct {
	Feature                 string
	RetryGracePeriodSeconds *int `json:",omitempty"`
}

// clientSettings are the members CreateUserPoolClient and
// UpdateUserPoolClient share.
type clientSettings struct {
	UserPoolId                      string
	ClientName                      string
	RefreshTokenValidity            *int64
	AccessTokenValidity             *int64
	IdTokenValidity                 *int64
	TokenValidityUnits              *tokenValidityUnitsType
	ReadAttributes                  []string
	WriteAttributes                 []string
	ExplicitAuthFlows               []string
	SupportedIdentityProviders      []string
	CallbackURLs                    []string
	LogoutURLs                      []string
	DefaultRedirectURI              string
	AllowedOAuthFlows               []string
	AllowedOAuthScopes              []string
	AllowedOAuthFlowsUserPoolClient bool
	PreventUserExistenceErrors      string
	EnableTokenRevocation           *bool
	AuthSessionValidity             *int64
	RefreshTokenRotation            *refreshTokenRotationType
}

// unit is the duration of one unit of TimeUnitsType.
func unit(member, name, dflt string) (time.Duration, error) {
	if name == "" {
		name = dflt
	}
	switch name {
	case "seconds":
		return time.Second, nil
	case "minutes":
		return time.Minute, nil
	case "hours":
		return time.Hour, nil
	case "days":
		return 24 * time.Hour, nil
	}
	return 0, oneOf(member, name, "seconds", "minutes", "hours", "days")
}

// config builds the library's client configuration; zero members take
// the library's (Cognito's) defaults.
func (s *clientSettings) config() (userpool.ClientConfig, error) {
	units := tokenValidityUnitsType{}
	if s.TokenValidityUnits != nil {
		units = *s.TokenValidityUnits
	}
	cfg := userpool.ClientConfig{Name: s.ClientName, ReadAttributes: s.ReadAttributes, WriteAttributes: s.WriteAttributes,
		CallbackURLs: s.CallbackURLs, LogoutURLs: s.LogoutURLs, DefaultRedirectURI: s.DefaultRedirectURI,
		AllowedOAuthFlows: s.AllowedOAuthFlows, AllowedOAuthScopes: s.AllowedOAuthScopes,
		EnableTokenRevocation: s.EnableTokenRevocation}
	validities := []struct {
		member, unitMember, dflt string
		n                        *int64
		dst                      *time.Duration
	}{
		{"AccessTokenValidity", "TokenValidityUnits.AccessToken", "hours", s.AccessTokenValidity, &cfg.AccessTokenValidity},
		{"IdTokenValidity", "TokenValidityUnits.IdToken", "hours", s.IdTokenValidity, &cfg.IDTokenValidity},
		{"RefreshTokenValidity", "TokenValidityUnits.RefreshToken", "days", s.RefreshTokenValidity, &cfg.RefreshTokenValidity},
	}
	unitNames := []string{units.AccessToken, units.IdToken, units.RefreshToken}
	for i, v := range validities {
		u, err := unit(v.unitMember, unitNames[i], v.dflt)
		if err != nil {
			return cfg, err
		}
		if v.n != nil {
			if *v.n < 0 || *v.n > 315360000 {
				return cfg, validationError([]string{fmt.Sprintf("Value '%d' at '%s' failed to satisfy constraint: Member must have value between 0 and 315360000", *v.n, camelPath(v.member))})
			}
			*v.dst = time.Duration(*v.n) * u
		}
	}
	if s.AuthSessionValidity != nil {
		cfg.AuthSessionValidity = time.Duration(*s.AuthSessionValidity) * time.Minute
	}
	if err := oneOf("PreventUserExistenceErrors", s.PreventUserExistenceErrors, "LEGACY", "ENABLED"); err != nil {
		return cfg, err
	}
	cfg.PreventUserExistenceErrors = s.PreventUserExistenceErrors == "ENABLED"
	if r := s.RefreshTokenRotation; r != nil {
		if err := oneOf("RefreshTokenRotation.Feature", r.Feature, "ENABLED", "DISABLED"); err != nil {
			return cfg, err
		}
		cfg.RefreshTokenRotation = r.Feature == "ENABLED"
	}
	flows, err := explicitFlows(s.ExplicitAuthFlows)
	if err != nil {
		return cfg, err
	}
	cfg.AuthFlows = flows
	for _, idp := range s.SupportedIdentityProviders {
		if idp != "COGNITO" {
			return cfg, userpool.ErrInvalidParameter.With("The provider %s does not exist for User Pool %s", idp, s.UserPoolId)
		}
	}
	return cfg, nil
}

// legacyFlows are the ExplicitAuthFlows values of Cognito's first API,
// which clients still send: each allows its flow, and (as in Cognito) SRP
// and refresh stay allowed beside them, except with CUSTOM_AUTH_FLOW_ONLY.
var legacyFlows = map[string][]userpool.AuthFlow{
	"ADMIN_NO_SRP_AUTH":     {userpool.FlowAdminUserPassword, userpool.FlowUserSRP, userpool.FlowRefreshToken},
	"USER_PASSWORD_AUTH":    {userpool.FlowUserPassword, userpool.FlowUserSRP, userpool.FlowRefreshToken},
	"CUSTOM_AUTH_FLOW_ONLY": {userpool.FlowCustom, userpool.FlowRefreshToken},
}

// explicitFlows maps ExplicitAuthFlows to the library's flows. Legacy and
// ALLOW_ values cannot be mixed, as in Cognito.
func explicitFlows(values []string) ([]userpool.AuthFlow, error) {
	var out []userpool.AuthFlow
	legacy, current := false, false
	for _, v := range values {
		if l, ok := legacyFlows[v]; ok {
			legacy = true
			for _, f := range l {
				if !slices.Contains(out, f) {
					out = append(out, f)
				}
			}
			continue
		}
		current = true
		out = append(out, userpool.AuthFlow(v))
	}
	if legacy && current {
		return nil, userpool.ErrInvalidParameter.With("ExplicitAuthFlows can not have both ALLOW_XXX and legacy flows.")
	}
	return out, nil
}

type createUserPoolClientInput struct {
	clientSettings
	GenerateSecret bool
}

func (in *createUserPoolClientInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("ClientName", in.ClientName != ""))
}

// userPoolClientType is a client as the client operations return it.
type userPoolClientType struct {
	UserPoolId                      string
	ClientName                      string
	ClientId                        string
	ClientSecret                    string       `json:",omitempty"`
	LastModifiedDate                epochSeconds `json:",omitzero"`
	CreationDate                    epochSeconds `json:",omitzero"`
	RefreshTokenValidity            int64
	AccessTokenValidity             int64
	IdTokenValidity                 int64
	TokenValidityUnits              tokenValidityUnitsType
	ReadAttributes                  []string `json:",omitempty"`
	WriteAttributes                 []string `json:",omitempty"`
	ExplicitAuthFlows               []string `json:",omitempty"`
	SupportedIdentityProviders      []string `json:",omitempty"`
	CallbackURLs                    []string `json:",omitempty"`
	LogoutURLs                      []string `json:",omitempty"`
	DefaultRedirectURI              string   `json:",omitempty"`
	AllowedOAuthFlows               []string `json:",omitempty"`
	AllowedOAuthScopes              []string `json:",omitempty"`
	AllowedOAuthFlowsUserPoolClient bool
	PreventUserExistenceErrors      string
	EnableTokenRevocation           bool
	AuthSessionValidity             int64
	RefreshTokenRotation            *refreshTokenRotationType `json:",omitempty"`
}

// inUnits expresses d in the largest of the given units that divides it.
func inUnits(d time.Duration, units ...string) (int64, string) {
	for _, u := range units {
		size, _ := unit("", u, "")
		if d%size == 0 {
			return int64(d / size), u
		}
	}
	return int64(d / time.Second), "seconds"
}

func clientOut(c userpool.Client) userPoolClientType {
	out := userPoolClientType{UserPoolId: c.PoolID, ClientName: c.Name, ClientId: c.ID, ClientSecret: c.Secret,
		LastModifiedDate: epoch(c.LastModifiedAt), CreationDate: epoch(c.CreatedAt),
		ReadAttributes: c.ReadAttributes, WriteAttributes: c.WriteAttributes,
		SupportedIdentityProviders: []string{"COGNITO"},
		CallbackURLs:               c.CallbackURLs, LogoutURLs: c.LogoutURLs, DefaultRedirectURI: c.DefaultRedirectURI,
		AllowedOAuthFlows: c.AllowedOAuthFlows, AllowedOAuthScopes: c.AllowedOAuthScopes,
		AllowedOAuthFlowsUserPoolClient: len(c.AllowedOAuthFlows) > 0,
		PreventUserExistenceErrors:      "LEGACY",
		EnableTokenRevocation:           c.EnableTokenRevocation == nil || *c.EnableTokenRevocation,
		AuthSessionValidity:             int64(c.AuthSessionValidity / time.Minute),
	}
	if c.PreventUserExistenceErrors {
		out.PreventUserExistenceErrors = "ENABLED"
	}
	out.AccessTokenValidity, out.TokenValidityUnits.AccessToken = inUnits(c.AccessTokenValidity, "hours", "minutes")
	out.IdTokenValidity, out.TokenValidityUnits.IdToken = inUnits(c.IDTokenValidity, "hours", "minutes")
	out.RefreshTokenValidity, out.TokenValidityUnits.RefreshToken = inUnits(c.RefreshTokenValidity, "days", "hours", "minutes")
	for _, f := range c.AuthFlows {
		out.ExplicitAuthFlows = append(out.ExplicitAuthFlows, string(f))
	}
	if c.RefreshTokenRotation {
		out.RefreshTokenRotation = &refreshTokenRotationType{Feature: "ENABLED"}
	}
	return out
}

type clientOutput struct {
	UserPoolClient userPoolClientType
}

func createUserPoolClient(ctx context.Context, h *Handler, in *createUserPoolClientInput) (*clientOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	cfg, err := in.config()
	if err != nil {
		return nil, err
	}
	cfg.GenerateSecret = in.GenerateSecret
	c, err := p.CreateClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	h.clients.put(c.ID, p.ID())
	return &clientOutput{UserPoolClient: clientOut(c)}, nil
}

type clientIDInput struct {
	UserPoolId string
	ClientId   string
}

func (in *clientIDInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("ClientId", in.ClientId != ""))
}

func describeUserPoolClient(ctx context.Context, h *Handler, in *clientIDInput) (*clientOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	c, err := p.DescribeClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	return &clientOutput{UserPoolClient: clientOut(c)}, nil
}

func deleteUserPoolClient(ctx context.Context, h *Handler, in *clientIDInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteClient(ctx, in.ClientId)
}

type updateUserPoolClientInput struct {
	clientSettings
	ClientId string
}

func (in *updateUserPoolClientInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("ClientId", in.ClientId != ""))
}

// updateUserPoolClient mirrors UpdateUserPoolClient: a full replace, every
// omitted setting back to its default; the name stays when omitted.
func updateUserPoolClient(ctx context.Context, h *Handler, in *updateUserPoolClientInput) (*clientOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	old, err := p.DescribeClient(ctx, in.ClientId)
	if err != nil {
		return nil, err
	}
	if in.ClientName == "" {
		in.ClientName = old.Name
	}
	cfg, err := in.config()
	if err != nil {
		return nil, err
	}
	cfg.ID = in.ClientId
	c, err := p.UpdateClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &clientOutput{UserPoolClient: clientOut(c)}, nil
}

type listUserPoolClientsInput struct {
	UserPoolId string
	MaxResults *int
	NextToken  string
}

func (in *listUserPoolClientsInput) check() error {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return err
	}
	return checkLimit("MaxResults", in.MaxResults, 1, 60)
}

type userPoolClientDescription struct {
	ClientId   string
	UserPoolId string
	ClientName string
}

type listUserPoolClientsOutput struct {
	UserPoolClients []userPoolClientDescription
	NextToken       string `json:",omitempty"`
}

func listUserPoolClients(ctx context.Context, h *Handler, in *listUserPoolClientsInput) (*listUserPoolClientsOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	list, err := p.ListClients(ctx, intOr0(in.MaxResults), in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &listUserPoolClientsOutput{UserPoolClients: []userPoolClientDescription{}, NextToken: list.NextToken}
	for _, c := range list.Clients {
		out.UserPoolClients = append(out.UserPoolClients, userPoolClientDescription{ClientId: c.ID, UserPoolId: c.PoolID, ClientName: c.Name})
	}
	return out, nil
}
