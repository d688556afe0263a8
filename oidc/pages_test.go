package oidc_test

import (
	"crypto/tls"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/oidc"
)

// wantCode checks that a page flow ended at the client's callback with a
// code and the state.
func wantCode(t *testing.T, e *env, res response) string {
	t.Helper()
	if res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, e.app.URL+"/callback?") {
		t.Fatalf("got %d %q, want a redirect to the callback\n%s", res.status, res.location, res.body)
	}
	u, _ := url.Parse(res.location)
	if u.Query().Get("code") == "" || u.Query().Get("state") != "st4te" {
		t.Fatalf("callback query %v", u.Query())
	}
	return u.Query().Get("code")
}

func TestSignInRefused(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	res := b.submit(login, map[string]string{"username": "ana", "password": "wrong-Password-1"})
	if res.status != http.StatusUnauthorized || !strings.Contains(res.body, "Incorrect username or password.") || !strings.Contains(res.body, `role="alert"`) {
		t.Fatalf("got %d\n%s", res.status, res.body)
	}
	// The page comes back with the name filled in and a fresh form.
	if f := parseForm(t, res.body); f.values.Get("username") != "ana" || f.values.Get("password") != "" {
		t.Errorf("form values %v", f.values)
	}
	wantCode(t, e, b.submit(res, map[string]string{"password": password}))
}

func TestNewPasswordRequiredPages(t *testing.T) {
	e := newEnv(t, nil, userpool.WithRequiredAttributes("family_name"))
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{
		Username: "ana", TemporaryPassword: "Temporary-Pass-1", MessageAction: userpool.MessageSuppress,
		UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	page := b.submit(login, map[string]string{"username": "ana", "password": "Temporary-Pass-1"})
	if page.status != http.StatusOK || !strings.Contains(page.body, "Change your password") {
		t.Fatalf("got %d\n%s", page.status, page.body)
	}
	names := inputNames(page.body)
	for _, want := range []string{"csrf_token", "challenge", "session", "username", "new_password", "confirm_password", "userAttributes.family_name"} {
		if !slices.Contains(names, want) {
			t.Errorf("new password page lacks %s: %v", want, names)
		}
	}
	// Passwords that differ, then one against the policy: the page comes
	// back with the same session.
	again := b.submit(page, map[string]string{"new_password": "New-Password-1", "confirm_password": "New-Password-2", "userAttributes.family_name": "Silva"})
	if again.status != http.StatusBadRequest || !strings.Contains(again.body, "The two passwords differ.") {
		t.Fatalf("got %d\n%s", again.status, again.body)
	}
	weak := b.submit(again, map[string]string{"new_password": "short", "confirm_password": "short", "userAttributes.family_name": "Silva"})
	if weak.status != http.StatusBadRequest || !strings.Contains(weak.body, "Change your password") {
		t.Fatalf("got %d\n%s", weak.status, weak.body)
	}
	wantCode(t, e, b.submit(weak, map[string]string{"new_password": "New-Password-1", "confirm_password": "New-Password-1", "userAttributes.family_name": "Silva"}))
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil || u.Status != userpool.StatusConfirmed || u.Attributes["family_name"] != "Silva" {
		t.Errorf("user after the change: %+v %v", u, err)
	}
}

func TestSignUpPages(t *testing.T) {
	e := newEnv(t, nil, userpool.WithUsernameAttributes("email"), userpool.WithRequiredAttributes("given_name"))
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	if !strings.Contains(login.body, "Sign up") || !strings.Contains(login.body, `<label for="username">Email address</label>`) {
		t.Fatalf("sign-in page:\n%s", login.body)
	}
	signup := b.get(sibling(login, "/signup"))
	names := inputNames(signup.body)
	if !slices.Contains(names, "given_name") || !slices.Contains(names, "password") || slices.Contains(names, "email") {
		t.Fatalf("sign-up fields %v", names)
	}
	// A missing required attribute is refused with the values kept.
	res := b.submit(signup, map[string]string{"username": "bea@example.com", "password": password})
	if res.status != http.StatusBadRequest || parseForm(t, res.body).values.Get("username") != "bea@example.com" {
		t.Fatalf("got %d\n%s", res.status, res.body)
	}
	confirm := b.submit(res, map[string]string{"password": password, "given_name": "Bea"})
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "Confirm your account") {
		t.Fatalf("got %d\n%s", confirm.status, confirm.body)
	}
	bad := b.submit(confirm, map[string]string{"code": "000000"})
	if bad.status != http.StatusBadRequest || !strings.Contains(bad.body, "Invalid verification code provided, please try again.") {
		t.Fatalf("wrong code: %d\n%s", bad.status, bad.body)
	}
	signin := b.submit(bad, map[string]string{"code": e.sent.code(t, "bea@example.com")})
	if signin.status != http.StatusOK || !strings.Contains(signin.body, "Your account is confirmed.") {
		t.Fatalf("after confirming: %d\n%s", signin.status, signin.body)
	}
	wantCode(t, e, b.submit(signin, map[string]string{"password": password}))
}

func TestUnconfirmedUserConfirmsFromSignIn(t *testing.T) {
	e := newEnv(t, nil)
	if _, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: e.public.ID, Username: "cid", Password: password,
		UserAttributes: map[string]string{"email": "cid@example.com"}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	confirm := b.submit(login, map[string]string{"username": "cid", "password": password})
	if confirm.status != http.StatusOK || !strings.Contains(confirm.body, "Confirm your account") {
		t.Fatalf("got %d\n%s", confirm.status, confirm.body)
	}
	first := e.sent.code(t, "cid@example.com")
	resent := b.submit(confirm, map[string]string{"action": "resend"})
	if !strings.Contains(resent.body, "We sent a new code.") || e.sent.code(t, "cid@example.com") == first {
		t.Fatalf("resend: %d\n%s", resent.status, resent.body)
	}
	signin := b.submit(resent, map[string]string{"action": "confirm", "code": e.sent.code(t, "cid@example.com")})
	wantCode(t, e, b.submit(signin, map[string]string{"password": password}))
}

func TestForgotPasswordPages(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	forgot := b.get(sibling(login, "/forgotPassword"))
	reset := b.submit(forgot, map[string]string{"username": "ana"})
	if reset.status != http.StatusOK || !strings.Contains(reset.body, "a***@e***") {
		t.Fatalf("got %d\n%s", reset.status, reset.body)
	}
	const newPassword = "Brand-new-Pass-2"
	signin := b.submit(reset, map[string]string{"code": e.sent.code(t, "ana@example.com"), "new_password": newPassword, "confirm_password": newPassword})
	if signin.status != http.StatusOK || !strings.Contains(signin.body, "Your password has been reset.") {
		t.Fatalf("got %d\n%s", signin.status, signin.body)
	}
	wantCode(t, e, b.submit(signin, map[string]string{"password": newPassword}))
}

func TestCSRF(t *testing.T) {
	e := newEnv(t, nil)
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	cases := map[string]map[string]string{
		"MissingToken": {"csrf_token": ""},
		"WrongToken":   {"csrf_token": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	}
	for name, values := range cases {
		t.Run(name, func(t *testing.T) {
			values["username"], values["password"] = "ana", password
			res := b.submit(login, values)
			if res.status != http.StatusForbidden || res.location != "" {
				t.Fatalf("got %d %q", res.status, res.location)
			}
		})
	}
	t.Run("AnotherBrowsersToken", func(t *testing.T) {
		other := newBrowser(t)
		other.stopAt = e.app.URL
		// The victim's page carries a token bound to the victim's cookie;
		// the attacker's browser has another cookie.
		otherLogin := other.get(e.authorizeURL(e.public, nil))
		res := b.submit(login, map[string]string{"csrf_token": parseForm(t, otherLogin.body).values.Get("csrf_token"), "username": "ana", "password": password})
		if res.status != http.StatusForbidden {
			t.Fatalf("got %d", res.status)
		}
	})
	t.Run("NoCookie", func(t *testing.T) {
		fresh := newBrowser(t)
		res := fresh.submit(login, map[string]string{"username": "ana", "password": password})
		if res.status != http.StatusForbidden {
			t.Fatalf("got %d", res.status)
		}
	})
}

// TestPageHeadersAndCookies: pages forbid framing and outside content,
// and their cookie is HttpOnly, SameSite=Lax, scoped to the pool, and
// Secure behind TLS.
func TestPageHeadersAndCookies(t *testing.T) {
	e := newEnv(t, nil)
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	csp := login.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "frame-ancestors 'none'") || login.header.Get("Cache-Control") != "no-store" {
		t.Errorf("headers %v", login.header)
	}
	for _, bad := range []string{"<script", "http://", "https://", "@import"} {
		if strings.Contains(strings.ReplaceAll(login.body, e.srv.URL, ""), bad) {
			t.Errorf("the page contains %q", bad)
		}
	}
	// The CSRF cookie as set.
	res, err := http.Get(e.authorizeURL(e.public, nil))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cookie := findCookie(res, "userpool-csrf")
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure || cookie.Path != "/"+e.pool.ID()+"/" {
		t.Errorf("cookie %+v", cookie)
	}

	// Behind TLS.
	var h http.Handler
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer tlsSrv.Close()
	p, err := userpool.New(e.ctx, "tls", userpool.WithIssuer(tlsSrv.URL), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		t.Fatal(err)
	}
	if h, err = oidc.New(oidc.ForPool(p)); err != nil {
		t.Fatal(err)
	}
	c, err := p.CreateClient(e.ctx, userpool.ClientConfig{Name: "web", CallbackURLs: []string{"https://app.example/cb"}, AllowedOAuthFlows: []string{"code"}, AllowedOAuthScopes: []string{"openid"}})
	if err != nil {
		t.Fatal(err)
	}
	jar, _ := cookiejar.New(nil)
	client := tlsSrv.Client()
	client.Jar = jar
	client.Transport.(*http.Transport).TLSClientConfig = &tls.Config{RootCAs: client.Transport.(*http.Transport).TLSClientConfig.RootCAs}
	q := url.Values{"client_id": {c.ID}, "response_type": {"code"}, "redirect_uri": {"https://app.example/cb"}, "code_challenge": {challengeOf(verifier)}, "code_challenge_method": {"S256"}}
	res, err = client.Get(p.Issuer() + "/login?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if cookie := findCookie(res, "userpool-csrf"); cookie == nil || !cookie.Secure {
		t.Errorf("cookie behind TLS %+v", cookie)
	}
}

func findCookie(res *http.Response, name string) *http.Cookie {
	for _, c := range res.Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// sibling is the URL of another page of the same sign-in as page (same
// authorization request in the query).
func sibling(page response, path string) string {
	u := *page.url
	u.Path = strings.TrimSuffix(u.Path, "/login") + path
	return u.String()
}
