package oidc_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// authorizeURL is an authorization request of client c with the test's
// usual parameters, changed by set ("" deletes a parameter).
func (e *env) authorizeURL(c userpool.Client, set map[string]string) string {
	q := url.Values{
		"client_id":             {c.ID},
		"response_type":         {"code"},
		"redirect_uri":          {e.app.URL + "/callback"},
		"scope":                 {"openid email"},
		"state":                 {"st4te"},
		"nonce":                 {"n0nce"},
		"code_challenge":        {challengeOf(verifier)},
		"code_challenge_method": {"S256"},
	}
	for k, v := range set {
		if v == "" {
			q.Del(k)
		} else {
			q.Set(k, v)
		}
	}
	return e.issuer + "/oauth2/authorize?" + q.Encode()
}

const verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more"

func challengeOf(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// signIn runs the browser through the sign-in page of an authorization
// request and returns the redirect to the app's callback.
func (e *env) signIn(authorize string) url.Values {
	e.t.Helper()
	b := newBrowser(e.t)
	b.stopAt = e.app.URL
	login := b.get(authorize)
	if login.status != http.StatusOK {
		e.t.Fatalf("sign-in page: %d %s", login.status, login.body)
	}
	done := b.submit(login, map[string]string{"username": "ana", "password": password})
	if done.status != http.StatusSeeOther || !strings.HasPrefix(done.location, e.app.URL+"/callback?") {
		e.t.Fatalf("sign-in: %d %q %s", done.status, done.location, done.body)
	}
	u, _ := url.Parse(done.location)
	return u.Query()
}

// exchange posts an authorization_code grant; secret "" means a public
// client (client_id in the body).
func (e *env) exchange(c userpool.Client, secret string, form url.Values) (int, map[string]any) {
	e.t.Helper()
	form.Set("grant_type", "authorization_code")
	user := ""
	if secret != "" {
		user = c.ID
	} else {
		form.Set("client_id", c.ID)
	}
	status, body, _ := postForm(e.t, e.issuer+"/oauth2/token", form, user, secret)
	return status, body
}

func TestCodeExchange(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	callback := e.app.URL + "/callback"
	good := func(code string) url.Values {
		return url.Values{"code": {code}, "redirect_uri": {callback}, "code_verifier": {verifier}}
	}

	t.Run("Success", func(t *testing.T) {
		q := e.signIn(e.authorizeURL(e.public, nil))
		if q.Get("state") != "st4te" {
			t.Errorf("state %q", q.Get("state"))
		}
		status, body := e.exchange(e.public, "", good(q.Get("code")))
		if status != http.StatusOK || body["id_token"] == nil || body["refresh_token"] == nil || body["token_type"] != "Bearer" {
			t.Fatalf("got %d %v", status, body)
		}
		claims, err := e.pool.Verifier().Verify(e.ctx, body["id_token"].(string), userpool.TokenUseID)
		if err != nil {
			t.Fatal(err)
		}
		var id struct {
			Nonce  string `json:"nonce"`
			ATHash string `json:"at_hash"`
		}
		if err := claims.Decode(&id); err != nil || id.Nonce != "n0nce" || id.ATHash == "" {
			t.Errorf("nonce %q at_hash %q (%v)", id.Nonce, id.ATHash, err)
		}
	})

	cases := []struct {
		name     string
		form     func(code string) url.Values
		client   userpool.Client
		secret   string
		advance  time.Duration
		status   int
		errorStr string
		keeps    bool // the code was not presented, or the client not authenticated: it still works
	}{
		{"MissingVerifier", func(c string) url.Values { f := good(c); f.Del("code_verifier"); return f }, e.public, "", 0, 400, "invalid_grant", false},
		{"WrongVerifier", func(c string) url.Values {
			f := good(c)
			f.Set("code_verifier", strings.Repeat("a", 43))
			return f
		}, e.public, "", 0, 400, "invalid_grant", false},
		{"WrongRedirectURI", func(c string) url.Values {
			f := good(c)
			f.Set("redirect_uri", callback+"/other")
			return f
		}, e.public, "", 0, 400, "invalid_grant", false},
		{"MissingRedirectURI", func(c string) url.Values { f := good(c); f.Del("redirect_uri"); return f }, e.public, "", 0, 400, "invalid_grant", false},
		{"Expired", good, e.public, "", 5*time.Minute + time.Second, 400, "invalid_grant", false},
		{"UnauthenticatedClient", good, e.secret, "", 0, 401, "invalid_client", true}, // the secret client without its secret
		{"AnotherClient", good, e.secret, e.secret.Secret, 0, 400, "invalid_grant", false},
		{"UnknownCode", func(string) url.Values { return good(strings.Repeat("x", 43)) }, e.public, "", 0, 400, "invalid_grant", true},
		{"MalformedCode", func(string) url.Values { return good("a b") }, e.public, "", 0, 400, "invalid_grant", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			q := e.signIn(e.authorizeURL(e.public, nil))
			e.clock.Advance(tc.advance)
			status, body := e.exchange(tc.client, tc.secret, tc.form(q.Get("code")))
			if status != tc.status || body["error"] != tc.errorStr {
				t.Fatalf("got %d %v, want %d %s", status, body, tc.status, tc.errorStr)
			}
			// The code is void after a failed redemption.
			want := 400
			if tc.keeps {
				want = 200
			}
			if status, body := e.exchange(e.public, "", good(q.Get("code"))); status != want {
				t.Errorf("after the failure: %d %v, want %d", status, body, want)
			}
		})
	}

	t.Run("JustBeforeExpiry", func(t *testing.T) {
		q := e.signIn(e.authorizeURL(e.public, nil))
		e.clock.Advance(5*time.Minute - time.Second)
		if status, body := e.exchange(e.public, "", good(q.Get("code"))); status != 200 {
			t.Fatalf("got %d %v", status, body)
		}
	})

	t.Run("Reuse", func(t *testing.T) {
		q := e.signIn(e.authorizeURL(e.public, nil))
		if status, body := e.exchange(e.public, "", good(q.Get("code"))); status != 200 {
			t.Fatalf("first: %d %v", status, body)
		}
		if status, body := e.exchange(e.public, "", good(q.Get("code"))); status != 400 || body["error"] != "invalid_grant" {
			t.Fatalf("second: %d %v", status, body)
		}
	})

	t.Run("ConcurrentRedemption", func(t *testing.T) {
		q := e.signIn(e.authorizeURL(e.public, nil))
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok := 0
		for range 20 {
			wg.Go(func() {
				form := good(q.Get("code"))
				form.Set("grant_type", "authorization_code")
				form.Set("client_id", e.public.ID)
				status, _, _ := postForm(t, e.issuer+"/oauth2/token", form, "", "")
				if status == 200 {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if ok != 1 {
			t.Errorf("%d redemptions succeeded, want 1", ok)
		}
	})
}

// TestConfidentialClient: a client with a secret authenticates with
// client_secret_basic or client_secret_post; a wrong secret is refused.
func TestConfidentialClient(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	callback := e.app.URL + "/callback"
	code := func() string {
		// A confidential client may skip PKCE.
		return e.signIn(e.authorizeURL(e.secret, map[string]string{"code_challenge": "", "code_challenge_method": ""})).Get("code")
	}
	t.Run("Basic", func(t *testing.T) {
		status, body := e.exchange(e.secret, e.secret.Secret, url.Values{"code": {code()}, "redirect_uri": {callback}})
		if status != 200 || body["access_token"] == nil {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("Post", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {callback},
			"client_id": {e.secret.ID}, "client_secret": {e.secret.Secret}}
		status, body, _ := postForm(t, e.issuer+"/oauth2/token", form, "", "")
		if status != 200 || body["access_token"] == nil {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("WrongSecretBasic", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {callback}}
		status, body, hdr := postForm(t, e.issuer+"/oauth2/token", form, e.secret.ID, e.secret.Secret+"x")
		if status != 401 || body["error"] != "invalid_client" || hdr.Get("WWW-Authenticate") == "" {
			t.Fatalf("got %d %v %v", status, body, hdr)
		}
	})
	t.Run("WrongSecretPost", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {callback},
			"client_id": {e.secret.ID}, "client_secret": {"nope"}}
		status, body, _ := postForm(t, e.issuer+"/oauth2/token", form, "", "")
		if status != 401 || body["error"] != "invalid_client" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("BothMethods", func(t *testing.T) {
		form := url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {callback}, "client_secret": {e.secret.Secret}}
		status, body, _ := postForm(t, e.issuer+"/oauth2/token", form, e.secret.ID, e.secret.Secret)
		if status != 400 || body["error"] != "invalid_request" {
			t.Fatalf("got %d %v", status, body)
		}
	})
	t.Run("PublicClientWithSecret", func(t *testing.T) {
		c := e.signIn(e.authorizeURL(e.public, nil)).Get("code")
		status, body := e.exchange(e.public, "made-up", url.Values{"code": {c}, "redirect_uri": {callback}, "code_verifier": {verifier}})
		if status != 401 || body["error"] != "invalid_client" {
			t.Fatalf("got %d %v", status, body)
		}
	})
}

// TestAuthorizeRefusals: requests that cannot be trusted are shown an
// error and never redirected; the others go back to the client's callback
// with error and state.
func TestAuthorizeRefusals(t *testing.T) {
	e := newEnv(t, nil)
	noFlow := e.client(userpool.ClientConfig{Name: "noflow", CallbackURLs: []string{e.app.URL + "/callback"}, AllowedOAuthScopes: []string{"openid"}})
	shown := []struct {
		name string
		url  string
	}{
		{"WrongRedirectURI", e.authorizeURL(e.public, map[string]string{"redirect_uri": "https://evil.example/callback"})},
		{"RedirectURIPrefix", e.authorizeURL(e.public, map[string]string{"redirect_uri": e.app.URL + "/callback/x"})},
		{"RedirectURICase", e.authorizeURL(e.public, map[string]string{"redirect_uri": e.app.URL + "/Callback"})},
		{"NoRedirectURI", e.authorizeURL(e.public, map[string]string{"redirect_uri": ""})},
		{"UnknownClient", e.authorizeURL(userpool.Client{ClientConfig: userpool.ClientConfig{ID: "nosuchclient"}}, nil)},
		{"NoClient", e.authorizeURL(userpool.Client{}, nil)},
	}
	for _, tc := range shown {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t)
			b.stopAt = "http"
			res := b.get(tc.url)
			if res.status != http.StatusBadRequest || res.location != "" {
				t.Fatalf("got %d location %q", res.status, res.location)
			}
		})
	}
	redirected := []struct {
		name, url, err string
	}{
		{"PublicWithoutPKCE", e.authorizeURL(e.public, map[string]string{"code_challenge": "", "code_challenge_method": ""}), "invalid_request"},
		{"PlainPKCE", e.authorizeURL(e.public, map[string]string{"code_challenge_method": "plain"}), "invalid_request"},
		{"MissingMethod", e.authorizeURL(e.public, map[string]string{"code_challenge_method": ""}), "invalid_request"},
		{"BadChallenge", e.authorizeURL(e.public, map[string]string{"code_challenge": "short"}), "invalid_request"},
		{"Implicit", e.authorizeURL(e.public, map[string]string{"response_type": "token"}), "unsupported_response_type"},
		{"NoResponseType", e.authorizeURL(e.public, map[string]string{"response_type": ""}), "invalid_request"},
		{"ScopeNotAllowed", e.authorizeURL(e.public, map[string]string{"scope": "openid phone"}), "invalid_scope"},
		{"UnknownScope", e.authorizeURL(e.public, map[string]string{"scope": "openid https://api.example.com/delete"}), "invalid_scope"},
		{"EmailWithoutOpenID", e.authorizeURL(e.public, map[string]string{"scope": "email"}), "invalid_scope"},
		{"FlowNotAllowed", e.authorizeURL(noFlow, nil), "unauthorized_client"},
		{"PromptNone", e.authorizeURL(e.public, map[string]string{"prompt": "none"}), "login_required"},
	}
	for _, tc := range redirected {
		t.Run(tc.name, func(t *testing.T) {
			b := newBrowser(t)
			b.stopAt = e.app.URL
			res := b.get(tc.url)
			u, _ := url.Parse(res.location)
			if res.status != http.StatusFound || !strings.HasPrefix(res.location, e.app.URL+"/callback?") {
				t.Fatalf("got %d location %q", res.status, res.location)
			}
			if u.Query().Get("error") != tc.err || u.Query().Get("state") != "st4te" {
				t.Errorf("redirect query %v, want error %s and the state", u.Query(), tc.err)
			}
		})
	}
}
