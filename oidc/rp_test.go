package oidc_test

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// rp is a relying party: a web app that signs users in with the standard
// clients, golang.org/x/oauth2 for the code flow with PKCE and
// github.com/coreos/go-oidc for discovery and ID token verification, as
// any Go web app would.
type rp struct {
	mu       sync.Mutex
	cfg      oauth2.Config
	provider *gooidc.Provider
	verifier *gooidc.IDTokenVerifier
	pending  map[string]pendingLogin // by state
	token    *oauth2.Token
	idToken  *gooidc.IDToken
}

type pendingLogin struct{ nonce, verifier string }

// connect points the app at the provider through its discovery document.
func (a *rp) connect(t *testing.T, e *env, clientID, secret string, scopes ...string) {
	t.Helper()
	ctx := gooidc.ClientContext(e.ctx, http.DefaultClient)
	provider, err := gooidc.NewProvider(ctx, e.issuer)
	if err != nil {
		t.Fatalf("discovery: %v", err)
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	a.provider = provider
	a.verifier = provider.Verifier(&gooidc.Config{ClientID: clientID, Now: e.clock.Now})
	a.cfg = oauth2.Config{
		ClientID: clientID, ClientSecret: secret, Endpoint: provider.Endpoint(),
		RedirectURL: e.app.URL + "/callback", Scopes: scopes,
	}
	a.pending = map[string]pendingLogin{}
}

func (a *rp) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/login":
		state, nonce := rand.Text(), rand.Text()
		verifier := oauth2.GenerateVerifier()
		a.mu.Lock()
		a.pending[state] = pendingLogin{nonce: nonce, verifier: verifier}
		u := a.cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier), gooidc.Nonce(nonce))
		a.mu.Unlock()
		http.Redirect(w, r, u, http.StatusFound)
	case "/callback":
		a.mu.Lock()
		p, ok := a.pending[r.URL.Query().Get("state")]
		delete(a.pending, r.URL.Query().Get("state"))
		cfg, verifier := a.cfg, a.verifier
		a.mu.Unlock()
		if !ok {
			http.Error(w, "unknown state", http.StatusBadRequest)
			return
		}
		if e := r.URL.Query().Get("error"); e != "" {
			http.Error(w, "provider error: "+e, http.StatusBadRequest)
			return
		}
		tok, err := cfg.Exchange(r.Context(), r.URL.Query().Get("code"), oauth2.VerifierOption(p.verifier))
		if err != nil {
			http.Error(w, "exchange: "+err.Error(), http.StatusBadGateway)
			return
		}
		raw, _ := tok.Extra("id_token").(string)
		idt, err := verifier.Verify(r.Context(), raw)
		if err != nil {
			http.Error(w, "verify: "+err.Error(), http.StatusUnauthorized)
			return
		}
		if idt.Nonce != p.nonce {
			http.Error(w, "nonce mismatch", http.StatusUnauthorized)
			return
		}
		if err := idt.VerifyAccessToken(tok.AccessToken); err != nil {
			http.Error(w, "at_hash: "+err.Error(), http.StatusUnauthorized)
			return
		}
		var claims map[string]any
		_ = idt.Claims(&claims)
		a.mu.Lock()
		a.token, a.idToken = tok, idt
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(claims)
	case "/bye":
		_, _ = w.Write([]byte("signed out"))
	default:
		http.NotFound(w, r)
	}
}
