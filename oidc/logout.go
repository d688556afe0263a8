package oidc

import (
	"errors"
	"net/http"
	"slices"

	"github.com/userpool/userpool"
)

// logout serves /logout as Cognito's: with client_id and logout_uri (one
// of the client's LogoutURLs, compared exactly) it sends the browser
// there; with client_id, redirect_uri and response_type instead it starts
// a new sign-in (the redirect URI checked as by /oauth2/authorize). The
// pages keep no sign-in of their own, so there is nothing else to end;
// the client's tokens are ended with /oauth2/revoke.
func (h *Handler) logout(w http.ResponseWriter, r *http.Request, s *site) {
	q := r.URL.Query()
	fail := func(msg string) {
		h.render(w, r, s, http.StatusBadRequest, "error", &page{Title: "Sign-out failed", Error: msg})
	}
	id := q.Get("client_id")
	if id == "" {
		fail("The sign-out request names no client.")
		return
	}
	c, err := s.pool.DescribeClient(r.Context(), id)
	if errors.Is(err, userpool.ErrResourceNotFound) || errors.Is(err, userpool.ErrInvalidParameter) {
		fail("The sign-out request names an unknown client.")
		return
	}
	if err != nil {
		h.log.Error("oidc: read a client", "err", err)
		fail("Something went wrong. Please try again.")
		return
	}
	// The CSRF cookie goes with the sign-out.
	http.SetCookie(w, s.cookie(csrfCookie, "", -1))
	if uri := q.Get("logout_uri"); uri != "" {
		if !slices.Contains(c.LogoutURLs, uri) {
			fail("The sign-out request's logout_uri is not a sign-out URL of the client.")
			return
		}
		http.Redirect(w, r, uri, http.StatusFound)
		return
	}
	if q.Get("redirect_uri") != "" {
		a, aerr := parseAuthz(r.Context(), s.pool, q)
		if aerr != nil {
			h.authzFailed(w, r, s, a, aerr)
			return
		}
		http.Redirect(w, r, s.local(pathLogin, a.query()), http.StatusFound)
		return
	}
	h.render(w, r, s, http.StatusOK, "signedout", &page{Title: "Signed out"})
}
