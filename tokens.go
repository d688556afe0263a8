package userpool

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/userpool/userpool/storage"
)

// AuthenticationResult is what a completed sign-in or a refresh returns,
// as Cognito's AuthenticationResultType.
type AuthenticationResult struct {
	AccessToken string
	IDToken     string
	// RefreshToken is "" after a refresh, unless the client rotates
	// refresh tokens: clients keep the one they have.
	RefreshToken string
	// ExpiresIn is the access token's lifetime in seconds.
	ExpiresIn int
	// TokenType is "Bearer".
	TokenType string
	// NewDeviceMetadata is set when the sign-in should remember a new
	// device; the client then calls ConfirmDevice.
	NewDeviceMetadata *NewDeviceMetadata
}

// NewDeviceMetadata names a device a sign-in has just met.
type NewDeviceMetadata struct {
	DeviceKey      string
	DeviceGroupKey string
}

// The triggerSource values of PreTokenGeneration.
const (
	TokenGenerationHostedAuth           = "TokenGeneration_HostedAuth"
	TokenGenerationAuthentication       = "TokenGeneration_Authentication"
	TokenGenerationNewPasswordChallenge = "TokenGeneration_NewPasswordChallenge"
	TokenGenerationAuthenticateDevice   = "TokenGeneration_AuthenticateDevice"
	TokenGenerationRefreshTokens        = "TokenGeneration_RefreshTokens"
)

// adminScope is the scope of access tokens from the native API, which
// authorises the user's own operations (GetUser, ChangePassword, ...).
const adminScope = "aws.cognito.signin.user.admin"

// tokenContext is what the caller of issueTokens knows about the sign-in
// besides the user and the client.
type tokenContext struct {
	// Source is the PreTokenGeneration triggerSource
	// (TokenGenerationAuthentication unless set).
	Source         string
	ClientMetadata map[string]string
	// OAuth is set for tokens of the OAuth 2.0 endpoints (see oauth.go):
	// their scopes, nonce and at_hash.
	OAuth *oauthGrant
}

// mintRequest is everything the two tokens of one issuance are built from.
type mintRequest struct {
	user      storage.User
	client    Client
	authTime  time.Time
	originJTI string // "" when the client does not revoke tokens
	deviceKey string
	tokenContext
}

// issueTokens ends a successful sign-in: it mints the ID and access tokens
// of user u for client c and a new refresh token (bound to c and, when not
// "", to deviceKey), stores the refresh token's hash, and returns all
// three. authTime is when the user proved who they are (now when zero).
// The auth state machine calls it once every challenge is answered; the
// caller has already checked that the user may sign in.
func (p *Pool) issueTokens(ctx context.Context, u storage.User, c Client, authTime time.Time, deviceKey string, tc tokenContext) (AuthenticationResult, error) {
	now := p.now()
	if authTime.IsZero() {
		authTime = now
	}
	origin, err := p.newUUID()
	if err != nil {
		return AuthenticationResult{}, p.internal("issue tokens", err)
	}
	refresh, hash, err := p.newRefreshToken()
	if err != nil {
		return AuthenticationResult{}, p.internal("issue tokens", err)
	}
	req := mintRequest{user: u, client: c, authTime: authTime, deviceKey: deviceKey, tokenContext: tc}
	if c.RevocationEnabled() {
		req.originJTI = origin
	}
	access, id, err := p.mintTokens(ctx, req, now)
	if err != nil {
		return AuthenticationResult{}, err
	}
	data, err := json.Marshal(refreshData{AuthTime: authTime.Unix(), Scope: tc.OAuth.scope()})
	if err != nil {
		return AuthenticationResult{}, p.internal("issue tokens", err)
	}
	// The tokens are returned only once the refresh token is stored, so a
	// failure here leaves no usable token behind.
	err = p.store.PutRefreshToken(ctx, storage.RefreshToken{
		PoolID: p.id, Hash: hash, Sub: u.Sub, ClientID: c.ID, DeviceKey: deviceKey,
		FamilyID: origin, OriginJTI: origin, Data: data,
		IssuedAt: now, ExpiresAt: now.Add(c.RefreshTokenValidity),
	})
	if err != nil {
		if isNotFound(err) {
			return AuthenticationResult{}, ErrUserNotFound.With("User does not exist.")
		}
		return AuthenticationResult{}, p.internal("store a refresh token", err)
	}
	return AuthenticationResult{
		AccessToken: access, IDToken: id, RefreshToken: refresh,
		ExpiresIn: int(c.AccessTokenValidity / time.Second), TokenType: "Bearer",
	}, nil
}

// mintTokens builds, passes through PreTokenGeneration and signs the
// access and ID tokens of one issuance.
func (p *Pool) mintTokens(ctx context.Context, req mintRequest, now time.Time) (access, id string, err error) {
	key, err := p.activeKey(ctx)
	if err != nil {
		return "", "", err
	}
	u, c := req.user, req.client
	// A token must be issued after the user's last global sign-out to be
	// valid, and iat has whole seconds: a token issued in the second of
	// the sign-out is stamped with the next one (at most a second ahead,
	// within any verifier's leeway).
	iat := now.Unix()
	if va := u.TokensValidAfter; !va.IsZero() && iat <= va.Unix() {
		iat = va.Unix() + 1
	}
	groups, err := p.groupsOf(ctx, u.Sub)
	if err != nil {
		return "", "", err
	}
	gc := groupConfiguration(groups)
	var ids [3]string // event_id, access jti, id jti
	for i := range ids {
		if ids[i], err = p.newUUID(); err != nil {
			return "", "", p.internal("issue tokens", err)
		}
	}
	iss := p.Issuer()
	ac := map[string]any{
		"sub":       u.Sub,
		"iss":       iss,
		"client_id": c.ID,
		"event_id":  ids[0],
		"token_use": string(TokenUseAccess),
		"scope":     adminScope,
		"auth_time": req.authTime.Unix(),
		"iat":       iat,
		"exp":       iat + int64(c.AccessTokenValidity/time.Second),
		"jti":       ids[1],
		"username":  u.Username,
		"version":   2,
	}
	ic := map[string]any{
		"sub":              u.Sub,
		"iss":              iss,
		"aud":              c.ID,
		"event_id":         ids[0],
		"token_use":        string(TokenUseID),
		"auth_time":        req.authTime.Unix(),
		"iat":              iat,
		"exp":              iat + int64(c.IDTokenValidity/time.Second),
		"jti":              ids[2],
		"cognito:username": u.Username,
	}
	if req.originJTI != "" {
		ac["origin_jti"], ic["origin_jti"] = req.originJTI, req.originJTI
	}
	if req.deviceKey != "" {
		ac["device_key"] = req.deviceKey
	}
	for name, value := range u.Attributes {
		if value != "" && readable(c, name) {
			ic[name] = attributeClaim(name, value)
		}
	}
	if p.triggers.PreTokenGeneration != nil {
		if err := p.preTokenGeneration(ctx, req, &gc, ac, ic); err != nil {
			return "", "", err
		}
	}
	setGroupClaims(ac, ic, gc)
	req.OAuth.apply(ac, ic)
	if access, err = key.sign(ac); err != nil {
		return "", "", p.internal("sign a token", err)
	}
	req.OAuth.bindAccessToken(ic, access, key.alg)
	if id, err = key.sign(ic); err != nil {
		return "", "", p.internal("sign a token", err)
	}
	return access, id, nil
}

// sign signs claims as a compact JWS.
func (k *signingKey) sign(claims map[string]any) (string, error) {
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := k.signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// readable reports whether client c may read attribute name (the ID token
// carries exactly those). A client without ReadAttributes reads every
// standard attribute, the verified flags included, and no custom one.
func readable(c Client, name string) bool {
	if name == "sub" {
		return false // always present as the sub claim
	}
	if len(c.ReadAttributes) == 0 {
		return isStandardAttribute(name)
	}
	return slices.Contains(c.ReadAttributes, name)
}

// attributeClaim renders an attribute as Cognito's ID tokens do: the
// verified flags as booleans, updated_at as a number, address as an
// object with "formatted", everything else (custom attributes included)
// as a string.
func attributeClaim(name, value string) any {
	switch name {
	case "email_verified", "phone_number_verified":
		return value == "true"
	case "updated_at":
		if n, err := strconv.ParseInt(value, 10, 64); err == nil {
			return n
		}
	case "address":
		return map[string]string{"formatted": value}
	}
	return value
}

// groupConfiguration returns the groups (in token order), roles and
// preferred role a token carries.
func groupConfiguration(groups []storage.Group) GroupConfiguration {
	var gc GroupConfiguration
	for _, g := range groups {
		gc.GroupsToOverride = append(gc.GroupsToOverride, g.Name)
		if g.RoleARN != "" && !slices.Contains(gc.IAMRolesToOverride, g.RoleARN) {
			gc.IAMRolesToOverride = append(gc.IAMRolesToOverride, g.RoleARN)
		}
	}
	gc.PreferredRole = preferredRole(groups)
	return gc
}

// setGroupClaims writes the group claims: cognito:groups in both tokens,
// cognito:roles and cognito:preferred_role in the ID token, each only when
// not empty.
func setGroupClaims(ac, ic map[string]any, gc GroupConfiguration) {
	if len(gc.GroupsToOverride) > 0 {
		ac["cognito:groups"] = slices.Clone(gc.GroupsToOverride)
		ic["cognito:groups"] = slices.Clone(gc.GroupsToOverride)
	}
	if len(gc.IAMRolesToOverride) > 0 {
		ic["cognito:roles"] = slices.Clone(gc.IAMRolesToOverride)
	}
	if gc.PreferredRole != "" {
		ic["cognito:preferred_role"] = gc.PreferredRole
	}
}

// reservedClaims identify a token or its session; PreTokenGeneration can
// neither change nor suppress them (groups change through GroupOverride).
var reservedClaims = map[string]bool{
	"acr": true, "amr": true, "aud": true, "at_hash": true, "auth_time": true, "azp": true,
	"cognito:username": true, "exp": true, "iat": true, "identities": true, "iss": true,
	"jti": true, "nbf": true, "nonce": true, "origin_jti": true, "sub": true, "token_use": true,
	"event_id": true, "cognito:groups": true, "cognito:roles": true, "cognito:preferred_role": true,
}

// reservedAccessClaims are reserved in access tokens as well: scopes change
// through the event's Scopes.
var reservedAccessClaims = map[string]bool{
	"client_id": true, "scope": true, "username": true, "version": true, "device_key": true,
}

// scalarIDClaims may be overridden in ID tokens only with a string,
// number or boolean.
var scalarIDClaims = map[string]bool{
	"email_verified": true, "phone_number_verified": true, "updated_at": true, "address": true,
}

// preTokenGeneration runs the trigger and applies its answer to the claims
// and the group configuration: group override first, then claims added or
// overridden, then claims suppressed (suppression wins, as in Cognito). A
// reserved claim, or a value that is not JSON, is an
// InvalidLambdaResponse error.
func (p *Pool) preTokenGeneration(ctx context.Context, req mintRequest, gc *GroupConfiguration, ac, ic map[string]any) error {
	attrs := make(map[string]string, len(req.user.Attributes)+2)
	for k, v := range req.user.Attributes {
		attrs[k] = v
	}
	attrs["sub"] = req.user.Sub
	attrs["cognito:user_status"] = req.user.Status
	ev := &PreTokenGenerationEvent{
		TriggerRequest: TriggerRequest{
			TriggerSource:  cmp.Or(req.Source, TokenGenerationAuthentication),
			PoolID:         p.id,
			ClientID:       req.client.ID,
			Username:       req.user.Username,
			UserAttributes: attrs,
			ClientMetadata: req.ClientMetadata,
		},
		GroupConfiguration: GroupConfiguration{
			GroupsToOverride:   slices.Clone(gc.GroupsToOverride),
			IAMRolesToOverride: slices.Clone(gc.IAMRolesToOverride),
			PreferredRole:      gc.PreferredRole,
		},
		Scopes: []string{adminScope},
	}
	if err := callTrigger(ctx, "PreTokenGeneration", func(ctx context.Context) error {
		return p.triggers.PreTokenGeneration(ctx, ev)
	}); err != nil {
		return err
	}
	if ev.GroupOverride != nil {
		*gc = GroupConfiguration{
			GroupsToOverride:   slices.Clone(ev.GroupOverride.GroupsToOverride),
			IAMRolesToOverride: slices.Clone(ev.GroupOverride.IAMRolesToOverride),
			PreferredRole:      ev.GroupOverride.PreferredRole,
		}
	}
	bad := func(format string, args ...any) error {
		return ErrInvalidLambdaResponse.With("PreTokenGeneration: "+format, args...)
	}
	apply := func(claims map[string]any, add map[string]any, suppress []string, access bool) error {
		reserved := func(name string) bool { return reservedClaims[name] || (access && reservedAccessClaims[name]) }
		for name, value := range add {
			if reserved(name) || name == "" {
				return bad("the claim %q cannot be changed", name)
			}
			if _, err := json.Marshal(value); err != nil {
				return bad("the value of claim %q is not JSON", name)
			}
			if !access && scalarIDClaims[name] && !scalar(value) {
				return bad("the claim %q takes a string, number or boolean", name)
			}
			claims[name] = value
		}
		for _, name := range suppress {
			if reserved(name) {
				return bad("the claim %q cannot be suppressed", name)
			}
			delete(claims, name)
		}
		return nil
	}
	if err := apply(ic, ev.ClaimsToAddOrOverride, ev.ClaimsToSuppress, false); err != nil {
		return err
	}
	if err := apply(ac, ev.AccessTokenClaimsToAddOrOverride, ev.AccessTokenClaimsToSuppress, true); err != nil {
		return err
	}
	scopes := slices.DeleteFunc(slices.Clone(ev.Scopes), func(s string) bool { return s == "" || strings.ContainsAny(s, " \t\n") })
	if len(scopes) == 0 {
		delete(ac, "scope")
	} else {
		ac["scope"] = strings.Join(scopes, " ")
	}
	return nil
}

func scalar(v any) bool {
	switch v.(type) {
	case string, bool, float64, float32, int, int64, int32, uint, uint64, uint32, json.Number:
		return true
	}
	return false
}
