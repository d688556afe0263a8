package oidc_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/oidc"
	"github.com/userpool/userpool/storage/memory"
)

func TestClientCredentials(t *testing.T) {
	e := newEnv(t, nil)
	token := e.issuer + "/oauth2/token"
	grant := func(scope string) url.Values {
		f := url.Values{"grant_type": {"client_credentials"}}
		if scope != "" {
			f.Set("scope", scope)
		}
		return f
	}
	t.Run("AllScopes", func(t *testing.T) {
		status, body, _ := postForm(t, token, grant(""), e.secret.ID, e.secret.Secret)
		if status != 200 || body["scope"] != "https://api.example.com/read https://api.example.com/write" || body["refresh_token"] != nil || body["id_token"] != nil {
			t.Fatalf("got %d %v", status, body)
		}
		claims, err := e.pool.Verifier(userpool.WithClientIDs(e.secret.ID)).Verify(e.ctx, body["access_token"].(string), userpool.TokenUseAccess)
		if err != nil {
			t.Fatal(err)
		}
		if claims.Subject != e.secret.ID || claims.Username != "" || claims.Scope != "https://api.example.com/read https://api.example.com/write" {
			t.Errorf("claims %+v", claims)
		}
	})
	t.Run("OneScopeByPost", func(t *testing.T) {
		f := grant("https://api.example.com/read")
		f.Set("client_id", e.secret.ID)
		f.Set("client_secret", e.secret.Secret)
		status, body, _ := postForm(t, token, f, "", "")
		if status != 200 || body["scope"] != "https://api.example.com/read" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	cases := []struct {
		name, scope, id, secret string
		status                  int
		err                     string
	}{
		{"WrongSecret", "", e.secret.ID, "wrong", 401, "invalid_client"},
		{"PublicClient", "", e.public.ID, "", 401, "invalid_client"},
		{"OpenIDScope", "openid", e.secret.ID, e.secret.Secret, 400, "invalid_scope"},
		{"UnknownScope", "https://api.example.com/admin", e.secret.ID, e.secret.Secret, 400, "invalid_scope"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, body, _ := postForm(t, token, grant(tc.scope), tc.id, tc.secret)
			if status != tc.status || body["error"] != tc.err {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.err)
			}
		})
	}
	t.Run("GrantNotAllowed", func(t *testing.T) {
		c := e.client(userpool.ClientConfig{Name: "codeonly", GenerateSecret: true, AllowedOAuthFlows: []string{"code"},
			CallbackURLs: []string{e.app.URL + "/callback"}, AllowedOAuthScopes: []string{"https://api.example.com/read"}})
		status, body, _ := postForm(t, token, grant(""), c.ID, c.Secret)
		if status != 400 || body["error"] != "unauthorized_client" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("UnsupportedGrant", func(t *testing.T) {
		f := url.Values{"grant_type": {"password"}, "username": {"ana"}, "password": {password}}
		status, body, _ := postForm(t, token, f, e.secret.ID, e.secret.Secret)
		if status != 400 || body["error"] != "unsupported_grant_type" {
			t.Fatalf("got %d %v", status, body)
		}
	})
}

// tokens runs a code flow of the public client and returns the token
// response.
func (e *env) tokens(scope string) map[string]any {
	e.t.Helper()
	q := e.signIn(e.authorizeURL(e.public, map[string]string{"scope": scope}))
	status, body := e.exchange(e.public, "", url.Values{"code": {q.Get("code")}, "redirect_uri": {e.app.URL + "/callback"}, "code_verifier": {verifier}})
	if status != 200 {
		e.t.Fatalf("exchange: %d %v", status, body)
	}
	return body
}

func userInfo(t *testing.T, e *env, token string) (int, map[string]any, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.issuer+"/oauth2/userInfo", nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	_ = json.NewDecoder(res.Body).Decode(&body)
	return res.StatusCode, body, res.Header
}

func TestUserInfoScopes(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	cases := []struct {
		scope      string
		has, lacks []string
	}{
		{"openid", []string{"sub", "username", "email", "given_name"}, nil},
		{"openid email", []string{"sub", "email", "email_verified"}, []string{"given_name"}},
		{"openid profile", []string{"sub", "given_name"}, []string{"email"}},
		{"openid aws.cognito.signin.user.admin", []string{"email", "given_name"}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.scope, func(t *testing.T) {
			body := e.tokens(tc.scope)
			status, info, _ := userInfo(t, e, body["access_token"].(string))
			if status != 200 {
				t.Fatalf("got %d %v", status, info)
			}
			for _, k := range tc.has {
				if _, ok := info[k]; !ok {
					t.Errorf("lacks %s: %v", k, info)
				}
			}
			for _, k := range tc.lacks {
				if _, ok := info[k]; ok {
					t.Errorf("has %s: %v", k, info)
				}
			}
		})
	}
	t.Run("NativeAccessToken", func(t *testing.T) {
		// The native API's tokens have no openid scope.
		out, err := e.pool.AdminInitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthAdminUserPassword, ClientID: e.native(t).ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": password}})
		if err != nil {
			t.Fatal(err)
		}
		status, body, hdr := userInfo(t, e, out.AuthenticationResult.AccessToken)
		if status != 401 || body["error"] != "invalid_token" || !strings.Contains(hdr.Get("WWW-Authenticate"), "invalid_token") {
			t.Errorf("got %d %v %v", status, body, hdr)
		}
	})
	t.Run("NoToken", func(t *testing.T) {
		if status, _, _ := userInfo(t, e, ""); status != 401 {
			t.Errorf("got %d", status)
		}
	})
	t.Run("IDToken", func(t *testing.T) {
		body := e.tokens("openid")
		if status, _, _ := userInfo(t, e, body["id_token"].(string)); status != 401 {
			t.Errorf("got %d", status)
		}
	})
}

// native is a client of the native API's admin password flow.
func (e *env) native(t *testing.T) userpool.Client {
	return e.client(userpool.ClientConfig{Name: "native-" + strings.ReplaceAll(t.Name(), "/", "-"),
		AuthFlows: []userpool.AuthFlow{userpool.FlowAdminUserPassword, userpool.FlowRefreshToken}})
}

func TestRevoke(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	body := e.tokens("openid email")
	refresh := func() (int, map[string]any) {
		f := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {body["refresh_token"].(string)}, "client_id": {e.public.ID}}
		status, res, _ := postForm(t, e.issuer+"/oauth2/token", f, "", "")
		return status, res
	}
	if status, res := refresh(); status != 200 || res["id_token"] == nil || res["access_token"] == nil {
		t.Fatalf("refresh: %d %v", status, res)
	}
	revoke := func(token, id, secret string) (int, map[string]any) {
		status, res, _ := postForm(t, e.issuer+"/oauth2/revoke", url.Values{"token": {token}, "client_id": {id}, "client_secret": {secret}}, "", "")
		return status, res
	}
	if status, res := revoke(body["refresh_token"].(string), e.secret.ID, e.secret.Secret); status != 401 || res["error"] != "invalid_client" {
		t.Errorf("another client's revocation: %d %v", status, res)
	}
	if status, res := revoke(body["access_token"].(string), e.public.ID, ""); status != 400 || res["error"] != "unsupported_token_type" {
		t.Errorf("revoking an access token: %d %v", status, res)
	}
	if status, _ := revoke(body["refresh_token"].(string), e.public.ID, ""); status != 200 {
		t.Fatalf("revoke: %d", status)
	}
	if status, res := refresh(); status != 400 || res["error"] != "invalid_grant" {
		t.Errorf("refresh after revoke: %d %v", status, res)
	}
	if status, _, _ := userInfo(t, e, body["access_token"].(string)); status != 401 {
		t.Errorf("userInfo after revoke: %d", status)
	}
	if status, _ := revoke("unknown-token", e.public.ID, ""); status != 200 {
		t.Errorf("revoking an unknown token: %d", status)
	}
}

func TestLogout(t *testing.T) {
	e := newEnv(t, nil)
	b := newBrowser(t)
	b.stopAt = e.app.URL
	logout := func(q url.Values) response { return b.get(e.issuer + "/logout?" + q.Encode()) }
	res := logout(url.Values{"client_id": {e.public.ID}, "logout_uri": {e.app.URL + "/bye"}})
	if res.status != http.StatusFound || res.location != e.app.URL+"/bye" {
		t.Errorf("logout: %d %q", res.status, res.location)
	}
	for name, q := range map[string]url.Values{
		"UnlistedURI":   {"client_id": {e.public.ID}, "logout_uri": {"https://evil.example/bye"}},
		"PrefixOfURI":   {"client_id": {e.public.ID}, "logout_uri": {e.app.URL + "/by"}},
		"UnknownClient": {"client_id": {"nosuchclient"}, "logout_uri": {e.app.URL + "/bye"}},
		"NoClient":      {"logout_uri": {e.app.URL + "/bye"}},
	} {
		if res := logout(q); res.status != http.StatusBadRequest || res.location != "" {
			t.Errorf("%s: %d %q", name, res.status, res.location)
		}
	}
	// With a redirect_uri instead, a new sign-in starts.
	res = logout(url.Values{"client_id": {e.public.ID}, "redirect_uri": {e.app.URL + "/callback"}, "response_type": {"code"},
		"code_challenge": {challengeOf(verifier)}, "code_challenge_method": {"S256"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Sign in") {
		t.Errorf("logout to sign-in: %d %q", res.status, res.location)
	}
}

// TestForPools serves two pools of one store from one handler, each under
// its id, each with its own issuer, keys and clients.
func TestForPools(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()
	pools := map[string]*userpool.Pool{}
	for _, name := range []string{"one", "two"} {
		p, err := userpool.New(ctx, name, userpool.WithStore(store), userpool.WithIssuer(srv.URL),
			userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), userpool.WithLogger(slog.New(slog.DiscardHandler)))
		if err != nil {
			t.Fatal(err)
		}
		pools[p.ID()] = p
	}
	var err error
	h, err = oidc.New(oidc.ForPools(func(ctx context.Context, id string) (*userpool.Pool, error) {
		if p, ok := pools[id]; ok {
			return p, nil
		}
		return nil, userpool.ErrResourceNotFound.With("User pool %s does not exist.", id)
	}))
	if err != nil {
		t.Fatal(err)
	}
	for id, p := range pools {
		res, err := http.Get(srv.URL + "/" + id + "/.well-known/openid-configuration")
		if err != nil {
			t.Fatal(err)
		}
		var d oidc.Discovery
		err = json.NewDecoder(res.Body).Decode(&d)
		res.Body.Close()
		if err != nil || d.Issuer != p.Issuer() || d.TokenEndpoint != p.Issuer()+"/oauth2/token" {
			t.Errorf("pool %s: %+v %v", id, d, err)
		}
	}
	res, err := http.Get(srv.URL + "/us-east-1_Nope12345/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown pool: %d", res.StatusCode)
	}
	if _, err := oidc.New(); err == nil {
		t.Error("New without pools succeeded")
	}
}
