package oidc

import (
	"crypto/hmac"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// oauthError is an OAuth 2.0 error response (RFC 6749 §5.2).
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description,omitempty"`
	status      int
}

func oauthFail(status int, code, desc string) *oauthError {
	return &oauthError{Error: code, Description: desc, status: status}
}

// tokenResponse is a successful token response (RFC 6749 §5.1).
type tokenResponse struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	TokenType    string `json:"token_type"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope,omitempty"`
}

// clientAuth is how a token or revocation request names its client.
type clientAuth struct {
	id, secret string
	basic      bool // client_secret_basic, answered with WWW-Authenticate
}

// readClientAuth reads client_secret_basic (RFC 6749 §2.3.1: the id and
// secret form-encoded, then in Basic) or client_secret_post / a public
// client's client_id. Both at once is refused.
func readClientAuth(r *http.Request) (clientAuth, *oauthError) {
	id, secret, basic := r.BasicAuth()
	if basic {
		if r.PostForm.Get("client_secret") != "" {
			return clientAuth{}, oauthFail(http.StatusBadRequest, "invalid_request", "more than one client authentication method")
		}
		var err1, err2 error
		id, err1 = url.QueryUnescape(id)
		secret, err2 = url.QueryUnescape(secret)
		if err1 != nil || err2 != nil {
			return clientAuth{}, oauthFail(http.StatusUnauthorized, "invalid_client", "malformed client credentials")
		}
		if formID := r.PostForm.Get("client_id"); formID != "" && formID != id {
			return clientAuth{}, oauthFail(http.StatusBadRequest, "invalid_request", "client_id differs from the authenticated client")
		}
		return clientAuth{id: id, secret: secret, basic: true}, nil
	}
	ca := clientAuth{id: r.PostForm.Get("client_id"), secret: r.PostForm.Get("client_secret")}
	if ca.id == "" {
		return clientAuth{}, oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication is missing")
	}
	return ca, nil
}

// authenticate finds the client and checks its secret: a confidential
// client must present its secret, a public client none.
func authenticate(r *http.Request, s *site, ca clientAuth) (userpool.Client, *oauthError) {
	c, err := s.pool.DescribeClient(r.Context(), ca.id)
	if err != nil {
		if errors.Is(err, userpool.ErrResourceNotFound) || errors.Is(err, userpool.ErrInvalidParameter) {
			return userpool.Client{}, oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication failed")
		}
		return userpool.Client{}, oauthFail(http.StatusInternalServerError, "server_error", "the client could not be read")
	}
	if !hmac.Equal([]byte(c.Secret), []byte(ca.secret)) {
		return userpool.Client{}, oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	}
	return c, nil
}

// token serves /oauth2/token.
func (h *Handler) token(w http.ResponseWriter, r *http.Request, s *site) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.tokenError(w, clientAuth{}, oauthFail(http.StatusBadRequest, "invalid_request", "the form could not be read"))
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		h.tokenError(w, clientAuth{}, oauthFail(http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded"))
		return
	}
	ca, oerr := readClientAuth(r)
	if oerr != nil {
		h.tokenError(w, ca, oerr)
		return
	}
	var resp tokenResponse
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		resp, oerr = h.codeGrant(r, s, ca)
	case "refresh_token":
		resp, oerr = h.refreshGrant(r, s, ca)
	case "client_credentials":
		resp, oerr = h.clientCredentialsGrant(r, s, ca)
	case "":
		oerr = oauthFail(http.StatusBadRequest, "invalid_request", "grant_type is missing")
	default:
		oerr = oauthFail(http.StatusBadRequest, "unsupported_grant_type", "grant types: authorization_code, refresh_token, client_credentials")
	}
	if oerr != nil {
		h.tokenError(w, ca, oerr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *Handler) tokenError(w http.ResponseWriter, ca clientAuth, e *oauthError) {
	if e.status == http.StatusUnauthorized && ca.basic {
		w.Header().Set("WWW-Authenticate", `Basic realm="token"`)
	}
	writeJSON(w, e.status, e)
}

// codeGrant redeems an authorization code. The code is consumed whatever
// comes next: a code presented with a wrong verifier or redirect URI is
// void, so it cannot be guessed at.
func (h *Handler) codeGrant(r *http.Request, s *site, ca clientAuth) (tokenResponse, *oauthError) {
	c, oerr := authenticate(r, s, ca)
	if oerr != nil {
		return tokenResponse{}, oerr
	}
	if !slices.Contains(c.AllowedOAuthFlows, "code") {
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "unauthorized_client", "the client may not use the authorization code grant")
	}
	code := r.PostForm.Get("code")
	if code == "" {
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_request", "code is missing")
	}
	g, err := redeemCode(r.Context(), s.pool, code)
	if errors.Is(err, errBadCode) {
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "the code is invalid, expired or used")
	}
	if err != nil {
		h.log.Error("oidc: redeem a code", "err", err)
		return tokenResponse{}, oauthFail(http.StatusInternalServerError, "server_error", "internal error")
	}
	verifier := r.PostForm.Get("code_verifier")
	switch {
	case g.ClientID != c.ID:
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "the code was issued to another client")
	case r.PostForm.Get("redirect_uri") != g.RedirectURI:
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "redirect_uri differs from the authorization request's")
	case g.CodeChallenge != "" && verifier == "":
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "code_verifier is missing")
	case g.CodeChallenge != "" && !pkceMatches(g.CodeChallenge, verifier):
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "code_verifier does not match the code_challenge")
	case g.CodeChallenge == "" && verifier != "":
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_grant", "code_verifier without a code_challenge")
	}
	res, err := s.pool.IssueOAuthTokens(r.Context(), userpool.OAuthTokensInput{
		ClientID: c.ID, Sub: g.Sub, Scopes: g.Scopes, Nonce: g.Nonce, AuthTime: unix(g.AuthTime),
	})
	if err != nil {
		return tokenResponse{}, h.grantError(err)
	}
	return tokenResponse{
		AccessToken: res.AccessToken, IDToken: res.IDToken, RefreshToken: res.RefreshToken,
		TokenType: "Bearer", ExpiresIn: res.ExpiresIn, Scope: strings.Join(g.Scopes, " "),
	}, nil
}

func (h *Handler) refreshGrant(r *http.Request, s *site, ca clientAuth) (tokenResponse, *oauthError) {
	token := r.PostForm.Get("refresh_token")
	if token == "" {
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_request", "refresh_token is missing")
	}
	if _, oerr := authenticate(r, s, ca); oerr != nil {
		return tokenResponse{}, oerr
	}
	res, err := s.pool.RefreshOAuthTokens(r.Context(), ca.id, ca.secret, token)
	if err != nil {
		return tokenResponse{}, h.grantError(err)
	}
	return tokenResponse{
		AccessToken: res.AccessToken, IDToken: res.IDToken, RefreshToken: res.RefreshToken,
		TokenType: "Bearer", ExpiresIn: res.ExpiresIn,
	}, nil
}

func (h *Handler) clientCredentialsGrant(r *http.Request, s *site, ca clientAuth) (tokenResponse, *oauthError) {
	res, err := s.pool.IssueClientCredentials(r.Context(), userpool.ClientCredentialsInput{
		ClientID: ca.id, ClientSecret: ca.secret, Scopes: strings.Fields(r.PostForm.Get("scope")),
	})
	switch {
	case errors.Is(err, userpool.ErrNotAuthorized), errors.Is(err, userpool.ErrResourceNotFound):
		return tokenResponse{}, oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	case errors.Is(err, userpool.ErrUnauthorized):
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "unauthorized_client", "the client may not use the client_credentials grant")
	case errors.Is(err, userpool.ErrInvalidParameter):
		return tokenResponse{}, oauthFail(http.StatusBadRequest, "invalid_scope", h.message(err))
	case err != nil:
		return tokenResponse{}, h.grantError(err)
	}
	return tokenResponse{AccessToken: res.AccessToken, TokenType: "Bearer", ExpiresIn: res.ExpiresIn, Scope: strings.Join(res.Scopes, " ")}, nil
}

// grantError maps a pool's refusal of a grant to OAuth's errors.
func (h *Handler) grantError(err error) *oauthError {
	var ue *userpool.Error
	switch {
	case errors.As(err, &ue) && ue.Message == "Client authentication failed.",
		errors.Is(err, userpool.ErrResourceNotFound):
		return oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication failed")
	case errors.Is(err, userpool.ErrNotAuthorized), errors.Is(err, userpool.ErrUserNotFound),
		errors.Is(err, userpool.ErrRefreshTokenReuse):
		return oauthFail(http.StatusBadRequest, "invalid_grant", h.message(err))
	case errors.Is(err, userpool.ErrInvalidParameter):
		return oauthFail(http.StatusBadRequest, "unauthorized_client", h.message(err))
	case errors.Is(err, userpool.ErrUserLambdaValidation), errors.Is(err, userpool.ErrUnexpectedLambda),
		errors.Is(err, userpool.ErrInvalidLambdaResponse):
		return oauthFail(http.StatusBadRequest, "invalid_request", h.message(err))
	}
	h.log.Error("oidc: issue tokens", "err", err)
	return oauthFail(http.StatusInternalServerError, "server_error", "internal error")
}
