package oidc

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/userpool/userpool"
)

// userInfo serves /oauth2/userInfo (OpenID Connect Core §5.3): the claims
// of the access token's user that its scopes allow
// (userpool.Pool.UserInfo). The token comes as a Bearer header, or as the
// access_token form field of a POST (RFC 6750 §2.2).
func (h *Handler) userInfo(w http.ResponseWriter, r *http.Request, s *site) {
	w.Header().Set("Cache-Control", "no-store")
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok && r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		token = r.PostFormValue("access_token")
	}
	token = strings.TrimSpace(token)
	if token == "" {
		w.Header().Set("WWW-Authenticate", `Bearer`)
		writeJSON(w, http.StatusUnauthorized, oauthFail(0, "invalid_request", "the access token is missing"))
		return
	}
	claims, err := s.pool.UserInfo(r.Context(), token)
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, claims)
	case errors.Is(err, userpool.ErrNotAuthorized), errors.Is(err, userpool.ErrUserNotFound):
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, oauthFail(0, "invalid_token", h.message(err)))
	default:
		h.internal(w, "read user info", err)
	}
}

// revoke serves /oauth2/revoke (RFC 7009): the client revokes a refresh
// token it was issued, and with it every token minted from it
// (userpool.Pool.RevokeToken). Unknown tokens succeed, as the RFC asks.
func (h *Handler) revoke(w http.ResponseWriter, r *http.Request, s *site) {
	w.Header().Set("Cache-Control", "no-store")
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		writeJSON(w, http.StatusBadRequest, oauthFail(0, "invalid_request", "the form could not be read"))
		return
	}
	ca, oerr := readClientAuth(r)
	if oerr != nil {
		h.tokenError(w, ca, oerr)
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		writeJSON(w, http.StatusBadRequest, oauthFail(0, "invalid_request", "token is missing"))
		return
	}
	err := s.pool.RevokeToken(r.Context(), token, ca.id, ca.secret)
	switch {
	case err == nil:
		w.WriteHeader(http.StatusOK)
	case errors.Is(err, userpool.ErrUnauthorized):
		h.tokenError(w, ca, oauthFail(http.StatusUnauthorized, "invalid_client", "client authentication failed"))
	case errors.Is(err, userpool.ErrUnsupportedTokenType):
		writeJSON(w, http.StatusBadRequest, oauthFail(0, "unsupported_token_type", "only refresh tokens can be revoked"))
	case errors.Is(err, userpool.ErrUnsupportedOperation):
		writeJSON(w, http.StatusBadRequest, oauthFail(0, "invalid_request", h.message(err)))
	default:
		h.internal(w, "revoke a token", err)
	}
}

func unix(sec int64) time.Time { return time.Unix(sec, 0) }
