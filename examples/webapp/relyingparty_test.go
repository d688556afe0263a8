package main

import (
	"context"
	"html/template"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/userpool/userpool"
)

// startRelyingParty runs a second small web app that signs its users in
// through the pool's OpenID Connect provider (mounted in the webapp at
// /oidc/): the authorization code flow with PKCE, as a public client, and
// the ID token verified with the provider's discovered keys.
func startRelyingParty(t *testing.T, pool *userpool.Pool) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	rp := &relyingParty{verifiers: map[string]string{}}
	srv := httptest.NewServer(rp)
	t.Cleanup(srv.Close)

	client, err := pool.CreateClient(ctx, userpool.ClientConfig{
		Name:               "second-app",
		CallbackURLs:       []string{srv.URL + "/callback"},
		AllowedOAuthFlows:  []string{"code"},
		AllowedOAuthScopes: []string{"openid", "email", "profile"},
	})
	if err != nil {
		t.Fatal(err)
	}
	provider, err := gooidc.NewProvider(ctx, pool.Issuer())
	if err != nil {
		t.Fatal(err)
	}
	rp.conf = oauth2.Config{
		ClientID: client.ID, Endpoint: provider.Endpoint(),
		RedirectURL: srv.URL + "/callback", Scopes: []string{gooidc.ScopeOpenID, "email", "profile"},
	}
	rp.verifier = provider.Verifier(&gooidc.Config{ClientID: client.ID})
	return srv
}

type relyingParty struct {
	conf     oauth2.Config
	verifier *gooidc.IDTokenVerifier

	mu        sync.Mutex
	verifiers map[string]string // PKCE verifiers by state
}

var signedInPage = template.Must(template.New("").Parse(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Second app</title></head>
<body><main><h1>Signed in with the user pool</h1><p>Email: <strong id="email">{{.Email}}</strong></p><p>Name: {{.Name}}</p><p>Subject: <code>{{.Subject}}</code></p></main></body></html>`))

func (rp *relyingParty) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/":
		state, verifier := oauth2.GenerateVerifier(), oauth2.GenerateVerifier()
		rp.mu.Lock()
		rp.verifiers[state] = verifier
		rp.mu.Unlock()
		http.Redirect(w, r, rp.conf.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier)), http.StatusFound)
	case "/callback":
		state := r.URL.Query().Get("state")
		rp.mu.Lock()
		verifier, ok := rp.verifiers[state]
		delete(rp.verifiers, state)
		rp.mu.Unlock()
		if !ok {
			http.Error(w, "unknown state", http.StatusBadRequest)
			return
		}
		tok, err := rp.conf.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		raw, _ := tok.Extra("id_token").(string)
		id, err := rp.verifier.Verify(r.Context(), raw)
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		var claims struct {
			Email, Name string
		}
		if err := id.Claims(&claims); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		signedInPage.Execute(w, struct{ Email, Name, Subject string }{claims.Email, claims.Name, id.Subject})
	default:
		http.NotFound(w, r)
	}
}
