package userpool

// TEMPORARY: stand-ins for the tokens branch (app clients, SECRET_HASH,
// issueTokens, refresh, authorize), with its names and signatures, so the
// sign-in state machine compiles before that branch lands. This file is
// deleted when `tokens` is merged.

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

type Client struct {
	ClientConfig
	PoolID string
	Secret string
}

func (c Client) Allows(flow AuthFlow) bool { return slices.Contains(c.AuthFlows, flow) }

func (p *Pool) loadClient(ctx context.Context, clientID string) (Client, error) {
	for _, c := range p.cfg.Clients {
		if c.ID == clientID || (c.ID == "" && c.Name == clientID) {
			c.ID = clientID
			if len(c.AuthFlows) == 0 {
				c.AuthFlows = []AuthFlow{FlowRefreshToken, FlowUserSRP, FlowCustom}
			}
			c.AuthSessionValidity = cmp.Or(c.AuthSessionValidity, 3*time.Minute)
			c.AccessTokenValidity = cmp.Or(c.AccessTokenValidity, time.Hour)
			cl := Client{ClientConfig: c, PoolID: p.id}
			if c.GenerateSecret {
				cl.Secret = "secret-" + c.Name
			}
			return cl, nil
		}
	}
	return Client{}, ErrResourceNotFound.With("User pool client %s does not exist.", clientID)
}

func SecretHash(username, clientID, clientSecret string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username))
	m.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func checkSecretHash(c Client, hash string, names ...string) error {
	if c.Secret == "" {
		return nil
	}
	if hash == "" {
		return ErrNotAuthorized.With("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
	}
	for _, n := range names {
		if hmac.Equal([]byte(SecretHash(n, c.ID, c.Secret)), []byte(hash)) {
			return nil
		}
	}
	return ErrNotAuthorized.With("Unable to verify secret hash for client %s", c.ID)
}

type AuthenticationResult struct {
	AccessToken       string
	IDToken           string
	RefreshToken      string
	ExpiresIn         int
	TokenType         string
	NewDeviceMetadata *NewDeviceMetadata
}

type NewDeviceMetadata struct {
	DeviceKey      string
	DeviceGroupKey string
}

const (
	TokenGenerationAuthentication       = "TokenGeneration_Authentication"
	TokenGenerationNewPasswordChallenge = "TokenGeneration_NewPasswordChallenge"
	TokenGenerationRefreshTokens        = "TokenGeneration_RefreshTokens"
)

type tokenContext struct {
	Source         string
	ClientMetadata map[string]string
}

func (p *Pool) issueTokens(ctx context.Context, u storage.User, c Client, authTime time.Time, deviceKey string, tc tokenContext) (AuthenticationResult, error) {
	return AuthenticationResult{AccessToken: "access:" + u.Sub, IDToken: "id:" + u.Sub, RefreshToken: "refresh:" + u.Sub, ExpiresIn: 3600, TokenType: "Bearer"}, nil
}

type RefreshInput struct {
	ClientID       string
	RefreshToken   string
	SecretHash     string
	DeviceKey      string
	ClientMetadata map[string]string
}

func (p *Pool) refresh(ctx context.Context, in RefreshInput) (AuthenticationResult, error) {
	return AuthenticationResult{}, ErrNotAuthorized.With("Invalid Refresh Token.")
}

type Claims struct {
	Subject  string
	ClientID string
	Username string
}

func (p *Pool) authorize(ctx context.Context, accessToken string) (*Claims, error) {
	return nil, ErrNotAuthorized.With("Invalid Access Token")
}

func (p *Pool) signOut(ctx context.Context, sub string) error { return nil }

func readable(c Client, name string) bool {
	if name == "sub" {
		return false
	}
	if len(c.ReadAttributes) == 0 {
		return isStandardAttribute(name)
	}
	return slices.Contains(c.ReadAttributes, name)
}
