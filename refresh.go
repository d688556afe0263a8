package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/userpool/userpool/storage"
)

// Refresh tokens are opaque: 32 random bytes in base64url (43
// characters). The store keeps only their SHA-256, so a copy of the store
// cannot be replayed; the token's entropy makes a plain hash enough.
const (
	refreshTokenBytes = 32
	refreshTokenLen   = 43
)

// refreshData is the part of a refresh token's record only userpool reads.
type refreshData struct {
	// AuthTime is the auth_time of the sign-in, kept by every refresh.
	AuthTime int64 `json:"authTime"`
	// Scope is the scope of a refresh token of the OAuth 2.0 endpoints;
	// "" for the native API's.
	Scope string `json:"scope,omitempty"`
}

// newRefreshToken returns a new refresh token and its hash.
func (p *Pool) newRefreshToken() (token, hash string, err error) {
	var b [refreshTokenBytes]byte
	if _, err := io.ReadFull(p.random, b[:]); err != nil {
		return "", "", err
	}
	token = base64.RawURLEncoding.EncodeToString(b[:])
	return token, hashRefreshToken(token), nil
}

func hashRefreshToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// parseRefreshToken returns the hash of a token a caller presents, or false
// if it cannot be one of the pool's refresh tokens.
func parseRefreshToken(token string) (string, bool) {
	if len(token) != refreshTokenLen {
		return "", false
	}
	if _, err := base64.RawURLEncoding.Strict().DecodeString(token); err != nil {
		return "", false
	}
	return hashRefreshToken(token), true
}

func isNotFound(err error) bool { return errors.Is(err, storage.ErrNotFound) }

// RefreshInput is a REFRESH_TOKEN_AUTH request.
type RefreshInput struct {
	ClientID     string
	RefreshToken string
	// SecretHash is the SECRET_HASH of a client with a secret, computed
	// with the user's real user name (not an alias).
	SecretHash string
	// ClientSecret is the client's secret itself, which
	// GetTokensFromRefreshToken sends instead of a SECRET_HASH.
	ClientSecret string
	// DeviceKey must be the device the refresh token is bound to, if any.
	DeviceKey      string
	ClientMetadata map[string]string
}

var errInvalidRefresh = ErrNotAuthorized.With("Invalid Refresh Token.")

// RefreshTokens issues new ID and access tokens for a refresh token,
// mirroring InitiateAuth with AuthFlow REFRESH_TOKEN_AUTH. The tokens keep
// the sign-in's origin_jti and auth_time, carry the user's current
// attributes and groups, and pass through PreTokenGeneration
// (TokenGeneration_RefreshTokens). No refresh token comes back, unless the
// client rotates them (ClientConfig.RefreshTokenRotation): then the
// result carries a new one with the old one's expiry, the old one stops
// working, and presenting it again revokes the whole family (every token
// rotated from the same sign-in, and their ID and access tokens) and
// fails with RefreshTokenReuse.
//
// Errors, all NotAuthorized unless noted: "Invalid Refresh Token." (unknown,
// malformed, another client's, or bound to another device), "Refresh
// Token has been revoked" (RevokeToken, global sign-out), "Refresh Token
// has expired", "User is disabled.", a wrong SECRET_HASH,
// ResourceNotFound for an unknown client, InvalidParameter when the client
// does not allow REFRESH_TOKEN_AUTH.
func (p *Pool) RefreshTokens(ctx context.Context, in RefreshInput) (AuthenticationResult, error) {
	return p.refresh(ctx, in)
}

// refresh is REFRESH_TOKEN_AUTH, for RefreshTokens and InitiateAuth.
func (p *Pool) refresh(ctx context.Context, in RefreshInput) (AuthenticationResult, error) {
	// The clock is read before the store: a global sign-out reads its
	// clock after revoking, so tokens minted from a read that missed the
	// revocation have an iat at or before the sign-out and fail
	// verification (see signOut and revokeOrigin).
	now := p.now()
	c, err := p.loadClient(ctx, in.ClientID)
	if err != nil {
		return AuthenticationResult{}, err
	}
	if !c.Allows(FlowRefreshToken) {
		return AuthenticationResult{}, ErrInvalidParameter.With("REFRESH_TOKEN_AUTH flow not enabled for this client")
	}
	hash, ok := parseRefreshToken(in.RefreshToken)
	if !ok {
		return AuthenticationResult{}, errInvalidRefresh
	}
	rec, err := p.store.GetRefreshToken(ctx, p.id, hash)
	if isNotFound(err) {
		return AuthenticationResult{}, errInvalidRefresh
	}
	if err != nil {
		return AuthenticationResult{}, p.internal("read a refresh token", err)
	}
	if rec.ClientID != c.ID {
		return AuthenticationResult{}, errInvalidRefresh
	}
	u, err := p.store.GetUser(ctx, p.id, rec.Sub)
	if isNotFound(err) {
		return AuthenticationResult{}, errInvalidRefresh
	}
	if err != nil {
		return AuthenticationResult{}, p.internal("read a user", err)
	}
	if c.Secret != "" {
		switch {
		case in.ClientSecret != "":
			if checkClientSecret(c, in.ClientSecret) != nil {
				return AuthenticationResult{}, ErrNotAuthorized.With("Client secret does not match for the client: %s", c.ID)
			}
		case in.SecretHash == "":
			return AuthenticationResult{}, ErrNotAuthorized.With("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
		case !secretHashMatches(c, in.SecretHash, u.Username, u.Sub):
			return AuthenticationResult{}, ErrNotAuthorized.With("SecretHash does not match for the client: %s", c.ID)
		}
	}
	if rec.ReplacedBy != "" && rec.RevokedAt.IsZero() {
		return AuthenticationResult{}, p.refreshReused(ctx, rec)
	}
	if err := refreshUsable(rec, u, now); err != nil {
		return AuthenticationResult{}, err
	}
	if rec.DeviceKey != "" {
		if in.DeviceKey != rec.DeviceKey {
			return AuthenticationResult{}, errInvalidRefresh
		}
		// A forgotten device takes its refresh tokens with it: whoever
		// forgot it (the user, or an administrator after a loss) means
		// that device to stop signing in.
		_, err := p.store.GetDevice(ctx, p.id, rec.DeviceKey)
		if isNotFound(err) {
			return AuthenticationResult{}, errInvalidRefresh
		}
		if err != nil {
			return AuthenticationResult{}, p.internal("read a device", err)
		}
	}
	if !u.Enabled {
		return AuthenticationResult{}, ErrNotAuthorized.With("User is disabled.")
	}
	var data refreshData
	if err := json.Unmarshal(rec.Data, &data); err != nil {
		return AuthenticationResult{}, p.internal("read a refresh token", err)
	}
	req := mintRequest{
		user: u, client: c, authTime: time.Unix(data.AuthTime, 0), deviceKey: rec.DeviceKey,
		tokenContext: tokenContext{Source: TokenGenerationRefreshTokens, ClientMetadata: in.ClientMetadata, OAuth: refreshGrant(data.Scope)},
	}
	if c.RevocationEnabled() {
		req.originJTI = rec.OriginJTI
	}
	access, id, err := p.mintTokens(ctx, req, now)
	if err != nil {
		return AuthenticationResult{}, err
	}
	out := AuthenticationResult{
		AccessToken: access, IDToken: id,
		ExpiresIn: int(c.AccessTokenValidity / time.Second), TokenType: "Bearer",
	}
	if c.RefreshTokenRotation {
		if out.RefreshToken, err = p.rotateRefresh(ctx, rec, now); err != nil {
			return AuthenticationResult{}, err
		}
	}
	return out, nil
}

// refreshUsable checks a refresh token's revocation and expiry.
func refreshUsable(rec storage.RefreshToken, u storage.User, now time.Time) error {
	// A token issued before (or at the very instant of) the user's last
	// global sign-out or disable is revoked even if its own record missed
	// the revocation: a sign-in racing the sign-out, or AdminDisableUser,
	// which only sets TokensValidAfter.
	revoked := !rec.RevokedAt.IsZero() || (!u.TokensValidAfter.IsZero() && !rec.IssuedAt.After(u.TokensValidAfter))
	switch {
	case revoked:
		return ErrNotAuthorized.With("Refresh Token has been revoked")
	case !now.Before(rec.ExpiresAt):
		return ErrNotAuthorized.With("Refresh Token has expired")
	}
	return nil
}

// rotateRefresh replaces rec by a new token of the same family and expiry.
// The store's compare-and-swap lets exactly one of concurrent refreshes
// with the same token rotate it; the others count as reuse.
func (p *Pool) rotateRefresh(ctx context.Context, rec storage.RefreshToken, now time.Time) (string, error) {
	token, hash, err := p.newRefreshToken()
	if err != nil {
		return "", p.internal("rotate a refresh token", err)
	}
	next := rec
	next.Hash, next.IssuedAt, next.RevokedAt, next.ReplacedBy = hash, now, time.Time{}, ""
	err = p.store.RotateRefreshToken(ctx, rec.Hash, next)
	switch {
	case err == nil:
		return token, nil
	case isNotFound(err):
		return "", errInvalidRefresh
	case errors.Is(err, storage.ErrConflict):
		cur, gerr := p.store.GetRefreshToken(ctx, p.id, rec.Hash)
		if gerr == nil && cur.ReplacedBy != "" && cur.RevokedAt.IsZero() {
			return "", p.refreshReused(ctx, cur)
		}
		return "", ErrNotAuthorized.With("Refresh Token has been revoked")
	}
	return "", p.internal("rotate a refresh token", err)
}

// refreshReused answers the reuse of a rotated refresh token: someone
// holds a copy, so the whole family and its tokens are revoked.
func (p *Pool) refreshReused(ctx context.Context, rec storage.RefreshToken) error {
	p.log.Warn("userpool: rotated refresh token reused; revoking its family", "sub", rec.Sub, "client", rec.ClientID)
	if err := p.store.RevokeRefreshFamily(ctx, p.id, rec.FamilyID, p.now()); err != nil {
		return p.internal("revoke a refresh token family", err)
	}
	if err := p.revokeOrigin(ctx, rec.OriginJTI, rec.Sub); err != nil {
		return err
	}
	return ErrRefreshTokenReuse.With("Refresh Token has already been used")
}

// RevokeToken revokes a refresh token and every ID and access token minted
// from it (they share its origin_jti), mirroring RevokeToken. Other
// sessions of the user are untouched. clientSecret is the client's secret
// itself (not a SECRET_HASH) for a client that has one. As RFC 7009 asks, a
// token the pool does not know is not an error.
//
// Errors: Unauthorized when the client is unknown, the secret is wrong or
// the token belongs to another client; UnsupportedOperation when the
// client has token revocation off; UnsupportedTokenType when given a JWT
// (an ID or access token).
func (p *Pool) RevokeToken(ctx context.Context, token, clientID, clientSecret string) error {
	c, err := p.loadClient(ctx, clientID)
	if errors.Is(err, ErrResourceNotFound) {
		return ErrUnauthorized.With("Client authentication failed.")
	}
	if err != nil {
		return err
	}
	if c.Secret != "" && !hmac.Equal([]byte(c.Secret), []byte(clientSecret)) {
		return ErrUnauthorized.With("Client authentication failed.")
	}
	if !c.RevocationEnabled() {
		return ErrUnsupportedOperation.With("Token revocation is not enabled for this client.")
	}
	hash, ok := parseRefreshToken(token)
	if !ok {
		if strings.Count(token, ".") == 2 {
			return ErrUnsupportedTokenType.With("Unsupported token type.")
		}
		return nil
	}
	rec, err := p.store.GetRefreshToken(ctx, p.id, hash)
	if isNotFound(err) {
		return nil
	}
	if err != nil {
		return p.internal("read a refresh token", err)
	}
	if rec.ClientID != c.ID {
		return ErrUnauthorized.With("Client authentication failed.")
	}
	// The family: a rotated token's successors go with it.
	if err := p.store.RevokeRefreshFamily(ctx, p.id, rec.FamilyID, p.now()); err != nil {
		return p.internal("revoke a refresh token", err)
	}
	return p.revokeOrigin(ctx, rec.OriginJTI, rec.Sub)
}
