package userpool

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
)

type claimsKey struct{}

// ClaimsFromContext returns the claims Middleware verified for the
// request.
func ClaimsFromContext(ctx context.Context) (*Claims, bool) {
	c, ok := ctx.Value(claimsKey{}).(*Claims)
	return c, ok
}

// Middleware lets through requests with a valid access token in an
// "Authorization: Bearer <token>" header, with the verified claims in the
// request's context (see [ClaimsFromContext]). Other requests get 401 with
// a WWW-Authenticate header as RFC 6750 describes: without error for a
// request with no token, with error="invalid_token" and Cognito's message
// as error_description for a refused one. A failure to check revocation
// (the store is down) answers 503, so a failed check never lets a request
// through.
func (v *Verifier) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", "Bearer")
			http.Error(w, "missing bearer token", http.StatusUnauthorized)
			return
		}
		c, err := v.Verify(r.Context(), token, TokenUseAccess)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrNotAuthorized) {
				http.Error(w, "cannot verify the token now", http.StatusServiceUnavailable)
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description=`+strconv.Quote(e.Message))
			http.Error(w, e.Message, http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), claimsKey{}, c)))
	})
}

// bearer extracts the token of an Authorization header; the scheme is
// case-insensitive (RFC 9110).
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}
