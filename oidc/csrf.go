package oidc

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

// CSRF protection is a signed double submit: a random value in an
// HttpOnly cookie, and in every form the HMAC of that value under a key of
// the pool (the same on every instance). A cross-site form cannot read the
// cookie to copy it, and a cookie planted from a sibling domain is useless
// without a token only the pool can compute for it. SameSite=Lax keeps
// the cookie off cross-site POSTs in the first place.

const (
	csrfCookie = "userpool-csrf"
	csrfField  = "csrf_token"
	csrfBytes  = 32
)

// csrfToken returns the form token for this browser, setting its cookie
// first if it has none.
func csrfToken(w http.ResponseWriter, r *http.Request, s *site) string {
	value := ""
	if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == base64.RawURLEncoding.EncodedLen(csrfBytes) {
		value = c.Value
	} else {
		b := make([]byte, csrfBytes)
		_, _ = rand.Read(b) // crypto/rand never fails (Go 1.24+)
		value = base64.RawURLEncoding.EncodeToString(b)
		http.SetCookie(w, s.cookie(csrfCookie, value, 0))
	}
	return csrfMAC(s, value)
}

func csrfMAC(s *site, value string) string {
	m := hmac.New(sha256.New, s.pool.ManagedLoginKey("csrf"))
	m.Write([]byte(value))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrfOK checks a posted form's token against the browser's cookie.
func csrfOK(r *http.Request, s *site) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil || c.Value == "" {
		return false
	}
	want := csrfMAC(s, c.Value)
	return hmac.Equal([]byte(want), []byte(r.PostFormValue(csrfField)))
}

// cookie returns a cookie of the pool's pages: HttpOnly, SameSite=Lax,
// Secure behind TLS, scoped to the pool's path. maxAge 0 makes a session
// cookie, below 0 deletes it.
func (s *site) cookie(name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name:     name,
		Value:    value,
		Path:     s.cookiePath,
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   s.secure,
		SameSite: http.SameSiteLaxMode,
	}
}
