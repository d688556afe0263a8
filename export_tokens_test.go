package userpool

import (
	"context"
	"encoding/json"
	"time"

	jose "github.com/go-jose/go-jose/v4"
)

// IssueTokensForTest issues tokens as a completed sign-in would, until the
// auth state machine exposes a public way to sign in.
func IssueTokensForTest(ctx context.Context, p *Pool, sub, clientID, deviceKey string) (AuthenticationResult, error) {
	u, err := p.store.GetUser(ctx, p.id, sub)
	if err != nil {
		return AuthenticationResult{}, err
	}
	c, err := p.loadClient(ctx, clientID)
	if err != nil {
		return AuthenticationResult{}, err
	}
	return p.issueTokens(ctx, u, c, time.Time{}, deviceKey, tokenContext{})
}

// SignForTest signs arbitrary claims with the pool's active key, to forge
// tokens the pool would never issue (no exp, no token_use, ...).
func SignForTest(ctx context.Context, p *Pool, claims map[string]any) (string, error) {
	k, err := p.activeKey(ctx)
	if err != nil {
		return "", err
	}
	return k.sign(claims)
}

// CheckClientForTest exposes the SECRET_HASH seam.
func CheckClientForTest(ctx context.Context, p *Pool, clientID, username, secretHash string) error {
	return p.checkClient(ctx, clientID, username, secretHash)
}

// SignWithHeadersForTest signs claims with the pool's active key and extra
// protected headers (jku, x5u, crit, ...); embedJWK adds a jwk header.
func SignWithHeadersForTest(ctx context.Context, p *Pool, claims map[string]any, extra map[string]any, embedJWK bool) (string, error) {
	k, err := p.activeKey(ctx)
	if err != nil {
		return "", err
	}
	opts := &jose.SignerOptions{EmbedJWK: embedJWK}
	for name, v := range extra {
		opts = opts.WithHeader(jose.HeaderKey(name), v)
	}
	key := any(jose.JSONWebKey{Key: k.priv, KeyID: k.kid})
	if embedJWK {
		key = k.priv
		opts = opts.WithHeader("kid", k.kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(k.alg), Key: key}, opts)
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
