package userpool

import (
	"context"
	"slices"

	jose "github.com/go-jose/go-jose/v4"
)

// JWKS returns the pool's public keys as a JSON Web Key Set, as Cognito
// publishes at <issuer>/.well-known/jwks.json: the active key and the
// retired keys whose tokens may still be unexpired. Each key has kid, alg
// and use "sig"; marshal the result with encoding/json to serve it.
func (p *Pool) JWKS(ctx context.Context) (jose.JSONWebKeySet, error) {
	if _, err := p.activeKey(ctx); err != nil {
		return jose.JSONWebKeySet{}, err
	}
	return jose.JSONWebKeySet{Keys: slices.Clone(p.tokens.ring.Load().jwks.Keys)}, nil
}

// Issuer returns the iss claim of the pool's tokens: the base URL set with
// [WithIssuer] (Cognito's regional URL by default), a slash and the pool
// id.
func (p *Pool) Issuer() string {
	base := p.cfg.Issuer
	if base == "" {
		base = "https://cognito-idp." + p.cfg.Region + ".amazonaws.com"
	}
	return base + "/" + p.id
}
