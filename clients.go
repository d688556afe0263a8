package userpool

import (
	"slices"
	"time"
	"unicode/utf8"
)

// ClientConfig is an app client: an application allowed to sign users in.
// Zero fields take Cognito's defaults when the client is created.
type ClientConfig struct {
	// Name is the client's name, 1 to 128 characters.
	Name string `json:"name"`
	// ID is the client id; generated (26 lower-case alphanumerics) if empty.
	ID string `json:"id,omitempty"`
	// GenerateSecret gives the client a secret; requests must then carry
	// SECRET_HASH.
	GenerateSecret bool `json:"generateSecret"`
	// AuthFlows are the flows the client may use. Empty means
	// ALLOW_USER_SRP_AUTH, ALLOW_CUSTOM_AUTH and ALLOW_REFRESH_TOKEN_AUTH.
	AuthFlows []AuthFlow `json:"authFlows,omitempty"`
	// AccessTokenValidity and IDTokenValidity: 5 minutes to 1 day, 1 hour
	// by default. RefreshTokenValidity: 1 hour to 3650 days, 30 days by
	// default. AuthSessionValidity (the lifetime of challenge sessions):
	// 3 to 15 minutes, 3 by default.
	AccessTokenValidity  time.Duration `json:"accessTokenValidity,omitempty"`
	IDTokenValidity      time.Duration `json:"idTokenValidity,omitempty"`
	RefreshTokenValidity time.Duration `json:"refreshTokenValidity,omitempty"`
	AuthSessionValidity  time.Duration `json:"authSessionValidity,omitempty"`
	// ReadAttributes and WriteAttributes limit what the client may read
	// and write with an access token. Empty means every standard
	// attribute (and, for reading, the verified flags).
	ReadAttributes  []string `json:"readAttributes,omitempty"`
	WriteAttributes []string `json:"writeAttributes,omitempty"`
	// PreventUserExistenceErrors answers an unknown user as a wrong
	// password, so callers cannot probe which users exist.
	PreventUserExistenceErrors bool `json:"preventUserExistenceErrors"`
	// EnableTokenRevocation allows RevokeToken and makes revoked refresh
	// tokens' access tokens fail verification. On by default.
	EnableTokenRevocation *bool `json:"enableTokenRevocation,omitempty"`
	// RefreshTokenRotation issues a new refresh token on every refresh and
	// revokes the family when an old one is reused.
	RefreshTokenRotation bool `json:"refreshTokenRotation"`

	// OAuth settings, used by the managed login pages.
	CallbackURLs       []string `json:"callbackUrls,omitempty"`
	LogoutURLs         []string `json:"logoutUrls,omitempty"`
	DefaultRedirectURI string   `json:"defaultRedirectUri,omitempty"`
	AllowedOAuthFlows  []string `json:"allowedOAuthFlows,omitempty"`
	AllowedOAuthScopes []string `json:"allowedOAuthScopes,omitempty"`
}

var validFlows = []AuthFlow{FlowUserSRP, FlowUserPassword, FlowAdminUserPassword, FlowCustom, FlowRefreshToken}

// client checks one app client's settings against Cognito's limits.
func (v *validator) client(field string, index int, c ClientConfig) {
	if n := utf8.RuneCountInString(c.Name); n < 1 || n > 128 {
		v.fail(field, "client name must be 1 to 128 characters")
	}
	for _, other := range v.o.cfg.Clients[:index] {
		if other.Name == c.Name {
			v.fail(field, "two clients are named %q", c.Name)
		}
	}
	for _, f := range c.AuthFlows {
		if !slices.Contains(validFlows, f) {
			v.fail(field+".AuthFlows", "%q is not an auth flow", f)
		}
	}
	if len(c.AuthFlows) > 0 && !slices.Contains(c.AuthFlows, FlowRefreshToken) {
		v.fail(field+".AuthFlows", "REFRESH_TOKEN_AUTH should always be allowed.")
	}
	within := func(name string, d, min, max time.Duration) {
		if d != 0 && (d < min || d > max) {
			v.fail(field+"."+name, "%s is outside %s to %s", d, min, max)
		}
	}
	within("AccessTokenValidity", c.AccessTokenValidity, 5*time.Minute, 24*time.Hour)
	within("IDTokenValidity", c.IDTokenValidity, 5*time.Minute, 24*time.Hour)
	within("RefreshTokenValidity", c.RefreshTokenValidity, time.Hour, 3650*24*time.Hour)
	within("AuthSessionValidity", c.AuthSessionValidity, 3*time.Minute, 15*time.Minute)
	known := newSchema(v.o.cfg.Attributes)
	for _, a := range c.ReadAttributes {
		if _, ok := known[a]; !ok {
			v.fail(field+".ReadAttributes", "%q is not an attribute of the pool", a)
		}
	}
	for _, a := range c.WriteAttributes {
		if _, ok := known[a]; !ok || a == "sub" || isVerifiedFlag(a) {
			v.fail(field+".WriteAttributes", "Invalid write attributes specified while creating a client: %s", a)
		}
	}
	if len(c.WriteAttributes) > 0 {
		for _, a := range v.o.cfg.Attributes {
			if a.Required && a.Name != "sub" && !slices.Contains(c.WriteAttributes, a.Name) {
				v.fail(field+".WriteAttributes", "required attribute %s must be writable", a.Name)
			}
		}
	}
}
