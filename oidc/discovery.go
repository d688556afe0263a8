package oidc

import (
	"encoding/json"
	"net/http"
	"slices"
)

// Discovery is the OpenID Provider metadata of a pool (OpenID Connect
// Discovery 1.0 §3), served at <issuer>/.well-known/openid-configuration.
// Issuer equals the iss claim of the pool's tokens.
type Discovery struct {
	Issuer                            string   `json:"issuer"`
	AuthorizationEndpoint             string   `json:"authorization_endpoint"`
	TokenEndpoint                     string   `json:"token_endpoint"`
	UserInfoEndpoint                  string   `json:"userinfo_endpoint"`
	JWKSURI                           string   `json:"jwks_uri"`
	RevocationEndpoint                string   `json:"revocation_endpoint"`
	EndSessionEndpoint                string   `json:"end_session_endpoint"`
	ScopesSupported                   []string `json:"scopes_supported"`
	ResponseTypesSupported            []string `json:"response_types_supported"`
	ResponseModesSupported            []string `json:"response_modes_supported"`
	GrantTypesSupported               []string `json:"grant_types_supported"`
	SubjectTypesSupported             []string `json:"subject_types_supported"`
	IDTokenSigningAlgValuesSupported  []string `json:"id_token_signing_alg_values_supported"`
	TokenEndpointAuthMethodsSupported []string `json:"token_endpoint_auth_methods_supported"`
	CodeChallengeMethodsSupported     []string `json:"code_challenge_methods_supported"`
	ClaimsSupported                   []string `json:"claims_supported"`
}

func (h *Handler) discovery(w http.ResponseWriter, r *http.Request, s *site) {
	keys, err := s.pool.JWKS(r.Context())
	if err != nil {
		h.internal(w, "read the signing keys", err)
		return
	}
	algs := []string{}
	for _, k := range keys.Keys {
		if k.Algorithm != "" && !slices.Contains(algs, k.Algorithm) {
			algs = append(algs, k.Algorithm)
		}
	}
	scopes, err := s.pool.OAuthScopes(r.Context())
	if err != nil {
		h.internal(w, "read the resource servers", err)
		return
	}
	d := Discovery{
		Issuer:                            s.issuer,
		AuthorizationEndpoint:             s.url(pathAuthorize),
		TokenEndpoint:                     s.url(pathToken),
		UserInfoEndpoint:                  s.url(pathUserInfo),
		JWKSURI:                           s.url(pathJWKS),
		RevocationEndpoint:                s.url(pathRevoke),
		EndSessionEndpoint:                s.url(pathLogout),
		ScopesSupported:                   scopes,
		ResponseTypesSupported:            []string{"code"},
		ResponseModesSupported:            []string{"query"},
		GrantTypesSupported:               []string{"authorization_code", "refresh_token", "client_credentials"},
		SubjectTypesSupported:             []string{"public"},
		IDTokenSigningAlgValuesSupported:  algs,
		TokenEndpointAuthMethodsSupported: []string{"client_secret_basic", "client_secret_post", "none"},
		CodeChallengeMethodsSupported:     []string{"S256"},
		ClaimsSupported: []string{
			"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "token_use",
			"cognito:username", "cognito:groups", "email", "email_verified", "phone_number",
			"phone_number_verified", "name", "given_name", "family_name", "preferred_username",
		},
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, d)
}

func (h *Handler) jwks(w http.ResponseWriter, r *http.Request, s *site) {
	keys, err := s.pool.JWKS(r.Context())
	if err != nil {
		h.internal(w, "read the signing keys", err)
		return
	}
	// Short caching: a rotated key must reach verifiers before tokens
	// signed with it do (see userpool.Pool.RotateSigningKey).
	w.Header().Set("Cache-Control", "public, max-age=300")
	writeJSON(w, http.StatusOK, keys)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (h *Handler) internal(w http.ResponseWriter, what string, err error) {
	h.log.Error("oidc: "+what, "err", err)
	writeJSON(w, http.StatusInternalServerError, oauthError{Error: "server_error", Description: "internal error"})
}
