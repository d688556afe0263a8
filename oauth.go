package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/json"
	"errors"
	"hash"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/storage"
)

// This file is the root package's side of the OAuth 2.0 / OpenID Connect
// endpoints of the managed login (package oidc): sign-in that proves a
// user without issuing the native API's tokens, and the issuance of
// tokens with OAuth scopes and an OpenID nonce. The endpoints themselves
// (HTTP, pages, authorization codes) live in package oidc.

// The OAuth scopes Cognito defines besides those of resource servers.
const (
	ScopeOpenID  = "openid"
	ScopeEmail   = "email"
	ScopePhone   = "phone"
	ScopeProfile = "profile"
	// ScopeAdmin authorises the user's own operations (GetUser,
	// ChangePassword ...) with the access token.
	ScopeAdmin = adminScope
)

// SignedInUser is the user a managed-login sign-in proved.
type SignedInUser struct {
	Sub      string
	Username string
	// AuthTime is when the sign-in started: the tokens' auth_time.
	AuthTime time.Time
}

// managedLogin marks the context of a sign-in run for the managed login
// pages: the state machine runs as for InitiateAuth, but instead of
// issuing the native API's tokens at the end it records the user here.
// Only ManagedInitiateAuth and ManagedRespondToAuthChallenge set it; the
// key is unexported, so no caller of the public operations can.
type managedLogin struct{ user *SignedInUser }

type managedLoginKey struct{}

func managedLoginFrom(ctx context.Context) *managedLogin {
	m, _ := ctx.Value(managedLoginKey{}).(*managedLogin)
	return m
}

// managedPasswordFlow reports whether a sign-in flow is allowed regardless
// of the client's ExplicitAuthFlows: the managed login signs users in with
// their password, or a code when the pool allows it, whatever flows the
// client allows its own code, as Cognito's does.
func managedPasswordFlow(ctx context.Context, flow string) bool {
	return (flow == AuthUserPassword || flow == AuthUser) && managedLoginFrom(ctx) != nil
}

// signedIn ends a managed-login sign-in: it records the user and returns
// an empty output (no challenge, no tokens).
func (m *managedLogin) signedIn(st *authState, u storage.User) AuthOutput {
	m.user = &SignedInUser{Sub: u.Sub, Username: u.Username, AuthTime: time.Unix(st.AuthTime, 0)}
	return AuthOutput{}
}

// ManagedInitiateAuth starts a sign-in for the managed login pages. It is
// [Pool.InitiateAuth], with USER_PASSWORD_AUTH and USER_AUTH (for the
// pool's passwordless first factors) allowed whatever the client's
// ExplicitAuthFlows, except that a completed sign-in issues no
// tokens: it returns the user it proved (PostAuthentication has run), for
// [Pool.IssueOAuthTokens] to issue tokens to later. A challenge comes back
// as from InitiateAuth, to be answered with
// [Pool.ManagedRespondToAuthChallenge].
func (p *Pool) ManagedInitiateAuth(ctx context.Context, in InitiateAuthInput) (AuthOutput, *SignedInUser, error) {
	m := &managedLogin{}
	out, err := p.initiate(context.WithValue(ctx, managedLoginKey{}, m), in, false)
	if err != nil {
		return AuthOutput{}, nil, err
	}
	return out, m.user, nil
}

// ManagedRespondToAuthChallenge answers a challenge of a managed-login
// sign-in, as [Pool.RespondToAuthChallenge] does, with the completed
// sign-in returning the user instead of tokens (see
// [Pool.ManagedInitiateAuth]).
func (p *Pool) ManagedRespondToAuthChallenge(ctx context.Context, in RespondInput) (AuthOutput, *SignedInUser, error) {
	m := &managedLogin{}
	out, err := p.respond(context.WithValue(ctx, managedLoginKey{}, m), in, false)
	if err != nil {
		return AuthOutput{}, nil, err
	}
	return out, m.user, nil
}

// oauthGrant is what tokens of the OAuth 2.0 endpoints carry besides the
// native API's: their scopes, the OpenID nonce, and at_hash.
type oauthGrant struct {
	Scopes []string
	Nonce  string
}

// scope is the access token's scope claim; "" for the native API's.
func (g *oauthGrant) scope() string {
	if g == nil {
		return ""
	}
	return strings.Join(g.Scopes, " ")
}

// refreshGrant is the grant of tokens refreshed from a refresh token
// issued with scope ("" for the native API's, which keep its scope).
func refreshGrant(scope string) *oauthGrant {
	if scope == "" {
		return nil
	}
	return &oauthGrant{Scopes: strings.Fields(scope)}
}

// apply sets the grant's claims on the access and ID token claims.
func (g *oauthGrant) apply(ac, ic map[string]any) {
	if g == nil {
		return
	}
	ac["scope"] = g.scope()
	if g.Nonce != "" {
		ic["nonce"] = g.Nonce
	}
}

// bindAccessToken sets at_hash, the left half of the hash of the access
// token (OpenID Connect Core §3.1.3.6), with the hash of the signing
// algorithm: SHA-256 for RS256 and ES256, SHA-512 for EdDSA.
func (g *oauthGrant) bindAccessToken(ic map[string]any, access string, alg SigningAlgorithm) {
	if g == nil {
		return
	}
	var h hash.Hash = sha256.New()
	if alg == EdDSA {
		h = sha512.New()
	}
	h.Write([]byte(access))
	sum := h.Sum(nil)
	ic["at_hash"] = base64.RawURLEncoding.EncodeToString(sum[:len(sum)/2])
}

// OAuthTokensInput is a request of [Pool.IssueOAuthTokens].
type OAuthTokensInput struct {
	ClientID string
	// Sub is the user's, from the SignedInUser of the sign-in.
	Sub string
	// Scopes are the granted scopes, already checked against the client's
	// AllowedOAuthScopes.
	Scopes []string
	// Nonce is the authorization request's nonce, copied into the ID token.
	Nonce string
	// AuthTime is the sign-in's (SignedInUser.AuthTime).
	AuthTime time.Time
}

// IssueOAuthTokens issues the tokens of an authorization code grant, as
// Cognito's token endpoint does: an access token with the granted scopes,
// an ID token with nonce and at_hash when the scopes include openid, and a
// refresh token whose refreshes keep the scopes. PreTokenGeneration runs
// with TokenGeneration_HostedAuth.
//
// The caller (package oidc) has checked the code, the client's
// credentials and the scopes. Errors: ResourceNotFound for an unknown
// client, NotAuthorized "User is disabled." or UserNotFound when the user
// can no longer sign in.
func (p *Pool) IssueOAuthTokens(ctx context.Context, in OAuthTokensInput) (AuthenticationResult, error) {
	c, err := p.loadClient(ctx, in.ClientID)
	if err != nil {
		return AuthenticationResult{}, err
	}
	u, err := p.store.GetUser(ctx, p.id, in.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return AuthenticationResult{}, ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return AuthenticationResult{}, p.internal("read a user", err)
	}
	if err := p.canSignIn(u); err != nil {
		return AuthenticationResult{}, err
	}
	grant := &oauthGrant{Scopes: slices.Clone(in.Scopes), Nonce: in.Nonce}
	res, err := p.issueTokens(ctx, u, c, in.AuthTime, "", tokenContext{Source: TokenGenerationHostedAuth, OAuth: grant})
	if err != nil {
		return AuthenticationResult{}, err
	}
	if !slices.Contains(in.Scopes, ScopeOpenID) {
		res.IDToken = ""
	}
	return res, nil
}

// checkClientSecret authenticates a client of the OAuth endpoints by its
// secret itself (client_secret_basic or client_secret_post), in constant
// time. A public client must send no secret.
func checkClientSecret(c Client, secret string) error {
	if !hmac.Equal([]byte(c.Secret), []byte(secret)) {
		return ErrNotAuthorized.With("Client authentication failed.")
	}
	return nil
}

// RefreshOAuthTokens serves the token endpoint's refresh_token grant: it
// authenticates the client by its secret ("" for a public client) and
// refreshes as [Pool.RefreshTokens] does, keeping the scopes the refresh
// token was issued with (and giving no ID token when they lack openid).
//
// Errors: NotAuthorized "Client authentication failed." for a wrong
// secret, ResourceNotFound for an unknown client, and those of
// RefreshTokens.
func (p *Pool) RefreshOAuthTokens(ctx context.Context, clientID, clientSecret, refreshToken string) (AuthenticationResult, error) {
	c, err := p.loadClient(ctx, clientID)
	if err != nil {
		return AuthenticationResult{}, err
	}
	if err := checkClientSecret(c, clientSecret); err != nil {
		return AuthenticationResult{}, err
	}
	in := RefreshInput{ClientID: c.ID, RefreshToken: refreshToken}
	var scope string
	if hash, ok := parseRefreshToken(refreshToken); ok {
		rec, err := p.store.GetRefreshToken(ctx, p.id, hash)
		if err != nil && !isNotFound(err) {
			return AuthenticationResult{}, p.internal("read a refresh token", err)
		}
		if err == nil {
			// The client proved its secret; SECRET_HASH is computed for
			// it, with the sub refresh accepts.
			if c.Secret != "" {
				in.SecretHash = SecretHash(rec.Sub, c.ID, c.Secret)
			}
			var data refreshData
			if json.Unmarshal(rec.Data, &data) == nil {
				scope = data.Scope
			}
		}
	}
	res, err := p.refresh(ctx, in)
	if err != nil {
		return AuthenticationResult{}, err
	}
	if scope != "" && !slices.Contains(strings.Fields(scope), ScopeOpenID) {
		res.IDToken = ""
	}
	return res, nil
}

// ClientCredentialsInput is a request of [Pool.IssueClientCredentials].
type ClientCredentialsInput struct {
	ClientID     string
	ClientSecret string
	// Scopes are the requested scopes: resource-server scopes
	// (<identifier>/<scope>) of the client's AllowedOAuthScopes. Empty
	// means all of them.
	Scopes []string
}

// ClientCredentialsResult is an access token of the client_credentials
// grant.
type ClientCredentialsResult struct {
	AccessToken string
	// ExpiresIn is the token's lifetime in seconds.
	ExpiresIn int
	// Scopes are the granted scopes.
	Scopes []string
}

// IssueClientCredentials serves the token endpoint's client_credentials
// grant: a machine client with a secret and client_credentials in its
// AllowedOAuthFlows gets an access token (sub and client_id the client's
// id, no user) with resource-server scopes.
//
// Errors: NotAuthorized "Client authentication failed." for a wrong or
// missing secret, ResourceNotFound for an unknown client, Unauthorized
// when the client may not use the grant, InvalidParameter naming a scope
// the client may not request.
func (p *Pool) IssueClientCredentials(ctx context.Context, in ClientCredentialsInput) (ClientCredentialsResult, error) {
	c, err := p.loadClient(ctx, in.ClientID)
	if err != nil {
		return ClientCredentialsResult{}, err
	}
	if c.Secret == "" || checkClientSecret(c, in.ClientSecret) != nil {
		return ClientCredentialsResult{}, ErrNotAuthorized.With("Client authentication failed.")
	}
	if !slices.Contains(c.AllowedOAuthFlows, "client_credentials") {
		return ClientCredentialsResult{}, ErrUnauthorized.With("Client %s is not allowed the client_credentials grant.", c.ID)
	}
	custom, err := p.customScopes(ctx)
	if err != nil {
		return ClientCredentialsResult{}, err
	}
	allowed := slices.DeleteFunc(slices.Clone(c.AllowedOAuthScopes), func(s string) bool { return !custom[s] })
	scopes := in.Scopes
	if len(scopes) == 0 {
		scopes = allowed
	}
	for _, s := range scopes {
		if !slices.Contains(allowed, s) {
			return ClientCredentialsResult{}, ErrInvalidParameter.With("Invalid scope requested: %s", s)
		}
	}
	if len(scopes) == 0 {
		return ClientCredentialsResult{}, ErrInvalidParameter.With("No scope the client may request.")
	}
	key, err := p.activeKey(ctx)
	if err != nil {
		return ClientCredentialsResult{}, err
	}
	jti, err := p.newUUID()
	if err != nil {
		return ClientCredentialsResult{}, p.internal("issue a token", err)
	}
	now := p.now().Unix()
	claims := map[string]any{
		"sub":       c.ID,
		"client_id": c.ID,
		"iss":       p.Issuer(),
		"token_use": string(TokenUseAccess),
		"scope":     strings.Join(scopes, " "),
		"auth_time": now,
		"iat":       now,
		"exp":       now + int64(c.AccessTokenValidity/time.Second),
		"jti":       jti,
		"version":   2,
	}
	token, err := key.sign(claims)
	if err != nil {
		return ClientCredentialsResult{}, p.internal("sign a token", err)
	}
	return ClientCredentialsResult{AccessToken: token, ExpiresIn: int(c.AccessTokenValidity / time.Second), Scopes: slices.Clone(scopes)}, nil
}

// profileAttributes are the standard attributes of the profile scope.
var profileAttributes = []string{
	"name", "family_name", "given_name", "middle_name", "nickname", "preferred_username",
	"profile", "picture", "website", "gender", "birthdate", "zoneinfo", "locale", "updated_at",
}

// UserInfo returns the claims of the user an access token of the OAuth
// endpoints belongs to, as Cognito's userInfo endpoint: sub, username and
// the attributes the client may read, limited by the token's scopes. With
// openid alone every readable attribute; with profile, email or phone the
// attributes of those scopes (profile includes custom attributes).
// aws.cognito.signin.user.admin changes nothing.
//
// Errors: NotAuthorized for a token that does not verify, is revoked, or
// lacks the openid scope (the native API's tokens have none); UserNotFound
// or NotAuthorized "User is disabled." when the user is gone or disabled.
func (p *Pool) UserInfo(ctx context.Context, accessToken string) (map[string]any, error) {
	claims, err := p.Verifier().Verify(ctx, accessToken, TokenUseAccess)
	if err != nil {
		return nil, err
	}
	scopes := strings.Fields(claims.Scope)
	if !slices.Contains(scopes, ScopeOpenID) {
		return nil, ErrNotAuthorized.With("Access Token does not have required scopes")
	}
	c, err := p.loadClient(ctx, claims.ClientID)
	if errors.Is(err, ErrResourceNotFound) {
		return nil, ErrNotAuthorized.With("Invalid Access Token")
	}
	if err != nil {
		return nil, err
	}
	u, err := p.store.GetUser(ctx, p.id, claims.Subject)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return nil, p.internal("read a user", err)
	}
	if !u.Enabled {
		return nil, ErrNotAuthorized.With("User is disabled.")
	}
	email, phone, profile := slices.Contains(scopes, ScopeEmail), slices.Contains(scopes, ScopePhone), slices.Contains(scopes, ScopeProfile)
	all := !email && !phone && !profile
	out := map[string]any{"sub": u.Sub, "username": u.Username}
	for name, value := range u.Attributes {
		if value == "" || !readable(c, name) {
			continue
		}
		in := all ||
			email && (name == "email" || name == "email_verified") ||
			phone && (name == "phone_number" || name == "phone_number_verified") ||
			profile && (slices.Contains(profileAttributes, name) || strings.HasPrefix(name, "custom:"))
		if in {
			out[name] = attributeClaim(name, value)
		}
	}
	return out, nil
}

// Now returns the pool's current time (see [WithClock]), for code that
// keeps state with the pool's store and must expire it by the same clock
// as the pool's own (the oidc package's authorization codes).
func (p *Pool) Now() time.Time { return p.now() }

// ManagedLoginKey returns a 32-byte key for one purpose of the managed
// login pages (CSRF tokens, say): the same on every instance serving the
// pool, derived from the pool's secret key (or stored secret) and distinct
// from every key the pool uses itself.
func (p *Pool) ManagedLoginKey(purpose string) []byte {
	return p.derivedKey("managed login\x00" + purpose)
}

// machineToken reports whether verified claims are those of a
// client_credentials access token: its subject is the client and it names
// no user. Such a token has no user whose sign-out or deletion revokes it
// and no refresh token to revoke; it lives until it expires.
func machineToken(c *Claims) bool {
	return c.TokenUse == TokenUseAccess && c.Username == "" && c.Subject == c.ClientID
}
