package oidc_test

import (
	"net/http"
	"net/url"
	"testing"
)

// BenchmarkCodeFlow measures one whole sign-in through the pages: the
// authorize redirect, the sign-in page, the posted password (cheap
// hashing profile) and the code exchange for tokens.
func BenchmarkCodeFlow(b *testing.B) {
	e := newEnv(b, nil)
	e.user("ana", "ana@example.com")
	authorize := e.authorizeURL(e.public, nil)
	callback := e.app.URL + "/callback"
	for b.Loop() {
		q := e.signIn(authorize)
		status, body := e.exchange(e.public, "", url.Values{"code": {q.Get("code")}, "redirect_uri": {callback}, "code_verifier": {verifier}})
		if status != http.StatusOK {
			b.Fatalf("exchange: %d %v", status, body)
		}
	}
}

// BenchmarkDiscovery measures the discovery document, which OpenID
// clients fetch at start.
func BenchmarkDiscovery(b *testing.B) {
	e := newEnv(b, nil)
	for b.Loop() {
		res, err := http.Get(e.issuer + "/.well-known/openid-configuration")
		if err != nil || res.StatusCode != 200 {
			b.Fatal(res.StatusCode, err)
		}
		res.Body.Close()
	}
}
