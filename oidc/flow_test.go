package oidc_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"github.com/userpool/userpool"
)

// TestSignInWithStandardClients signs a user in to a Go web app that uses
// golang.org/x/oauth2 and go-oidc: discovery, the authorize redirect, the
// sign-in page posted with a cookie jar, the code exchange with PKCE, the
// ID token verified against the discovery document's keys with its nonce
// and at_hash; then userInfo and a refresh through the same clients.
func TestSignInWithStandardClients(t *testing.T) {
	app := &rp{}
	e := newEnv(t, app)
	app.connect(t, e, e.public.ID, "", gooidc.ScopeOpenID, "email", "profile")
	e.user("ana", "ana@example.com")

	b := newBrowser(t)
	login := b.get(e.app.URL + "/login")
	if login.status != http.StatusOK || !strings.Contains(login.body, "Sign in") {
		t.Fatalf("login page: %d %s", login.status, login.body)
	}
	if got := login.url.Path; got != "/"+e.pool.ID()+"/login" {
		t.Errorf("sign-in page at %s", got)
	}
	done := b.submit(login, map[string]string{"username": "ana", "password": password})
	if done.status != http.StatusOK {
		t.Fatalf("callback: %d %s", done.status, done.body)
	}
	var claims map[string]any
	if err := json.Unmarshal([]byte(done.body), &claims); err != nil {
		t.Fatal(err)
	}
	if claims["email"] != "ana@example.com" || claims["cognito:username"] != "ana" || claims["token_use"] != "id" || claims["iss"] != e.issuer {
		t.Errorf("ID token claims: %v", claims)
	}

	app.mu.Lock()
	tok, provider, cfg := app.token, app.provider, app.cfg
	app.mu.Unlock()
	if tok.RefreshToken == "" || tok.TokenType != "Bearer" {
		t.Errorf("token response: %+v", tok)
	}
	// The access token carries the granted scopes and verifies with the pool.
	ac, err := e.pool.Verifier().Verify(e.ctx, tok.AccessToken, userpool.TokenUseAccess)
	if err != nil {
		t.Fatal(err)
	}
	if ac.Scope != "openid email profile" {
		t.Errorf("access token scope %q", ac.Scope)
	}

	info, err := provider.UserInfo(e.ctx, oauth2.StaticTokenSource(tok))
	if err != nil {
		t.Fatalf("userInfo: %v", err)
	}
	if info.Email != "ana@example.com" || !info.EmailVerified || info.Subject != ac.Subject {
		t.Errorf("userInfo: %+v", info)
	}

	// A refresh keeps the scopes and returns a new ID token.
	e.clock.Advance(2 * time.Hour)
	expired := &oauth2.Token{RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Hour)}
	fresh, err := cfg.TokenSource(e.ctx, expired).Token()
	if err != nil {
		t.Fatalf("refresh: %v", err)
	}
	raw, _ := fresh.Extra("id_token").(string)
	app.mu.Lock()
	verifier := app.verifier
	app.mu.Unlock()
	idt, err := verifier.Verify(e.ctx, raw)
	if err != nil {
		t.Fatalf("refreshed ID token: %v", err)
	}
	if idt.Subject != ac.Subject {
		t.Errorf("refreshed sub %q, want %q", idt.Subject, ac.Subject)
	}
	rc, err := e.pool.Verifier().Verify(e.ctx, fresh.AccessToken, userpool.TokenUseAccess)
	if err != nil || rc.Scope != "openid email profile" {
		t.Errorf("refreshed access token: scope %q, err %v", rc.Scope, err)
	}
}

// TestNonceMismatch: the ID token carries the nonce the authorization
// request had, so an app whose request was tampered with on the way
// refuses the sign-in.
func TestNonceMismatch(t *testing.T) {
	app := &rp{}
	e := newEnv(t, app)
	app.connect(t, e, e.public.ID, "", gooidc.ScopeOpenID)
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.issuer + "/oauth2/authorize"
	res := b.get(e.app.URL + "/login")
	u, err := url.Parse(res.location)
	if err != nil || res.status != http.StatusFound {
		t.Fatalf("app login: %d %q", res.status, res.location)
	}
	q := u.Query()
	q.Set("nonce", "attacker-chosen")
	u.RawQuery = q.Encode()
	b.stopAt = ""
	login := b.get(u.String())
	done := b.submit(login, map[string]string{"username": "ana", "password": password})
	if done.status != http.StatusUnauthorized || !strings.Contains(done.body, "nonce mismatch") {
		t.Fatalf("got %d %q, want the app to refuse the nonce", done.status, done.body)
	}
}

// TestDiscovery checks the discovery document against what go-oidc and
// the tokens need.
func TestDiscovery(t *testing.T) {
	e := newEnv(t, nil)
	res, err := http.Get(e.issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var d map[string]any
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"issuer":                 e.issuer,
		"authorization_endpoint": e.issuer + "/oauth2/authorize",
		"token_endpoint":         e.issuer + "/oauth2/token",
		"userinfo_endpoint":      e.issuer + "/oauth2/userInfo",
		"jwks_uri":               e.issuer + "/.well-known/jwks.json",
		"revocation_endpoint":    e.issuer + "/oauth2/revoke",
		"end_session_endpoint":   e.issuer + "/logout",
	}
	for k, v := range want {
		if d[k] != v {
			t.Errorf("%s = %v, want %v", k, d[k], v)
		}
	}
	list := func(k string) string {
		var parts []string
		for _, v := range d[k].([]any) {
			parts = append(parts, v.(string))
		}
		return strings.Join(parts, " ")
	}
	for k, v := range map[string]string{
		"response_types_supported":              "code",
		"code_challenge_methods_supported":      "S256",
		"id_token_signing_alg_values_supported": "RS256",
		"scopes_supported":                      "openid email phone profile aws.cognito.signin.user.admin https://api.example.com/read https://api.example.com/write",
		"token_endpoint_auth_methods_supported": "client_secret_basic client_secret_post none",
		"grant_types_supported":                 "authorization_code refresh_token client_credentials",
	} {
		if got := list(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	keys, err := e.pool.JWKS(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	res, err = http.Get(d["jwks_uri"].(string))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var jwks struct {
		Keys []struct {
			Kid string `json:"kid"`
		} `json:"keys"`
	}
	if err := json.NewDecoder(res.Body).Decode(&jwks); err != nil || len(jwks.Keys) != len(keys.Keys) || jwks.Keys[0].Kid != keys.Keys[0].KeyID {
		t.Errorf("jwks: %+v (%v), want the pool's %d keys", jwks, err, len(keys.Keys))
	}
	// Another pool id is not served.
	res, err = http.Get(e.srv.URL + "/us-east-1_Nope12345/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown pool: %d", res.StatusCode)
	}
}
