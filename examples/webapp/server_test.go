package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage/sqlite"
)

// csrfOf fetches page and returns the CSRF token of its first form.
func csrfOf(t *testing.T, c *http.Client, page string) string {
	t.Helper()
	res, err := c.Get(page)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	m := regexp.MustCompile(`name="csrf" value="([^"]+)"`).FindSubmatch(body)
	if m == nil {
		t.Fatalf("%s has no CSRF token", page)
	}
	return string(m[1])
}

func TestSessionCookie(t *testing.T) {
	ta := startApp(t)
	res, err := http.Get(ta.url + "/")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	c := res.Header.Get("Set-Cookie")
	for _, want := range []string{cookieName + "=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(c, want) {
			t.Errorf("Set-Cookie %q lacks %q", c, want)
		}
	}
	if strings.Contains(c, "Secure") {
		t.Errorf("Set-Cookie %q is Secure without TLS", c)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP = %q", csp)
	}
}

// TestCSRF: every form needs the session's token; a missing or foreign
// one is refused and changes nothing.
func TestCSRF(t *testing.T) {
	ta := startApp(t)
	c := httpClient(t)
	token := csrfOf(t, c, ta.url+"/signup")
	other := csrfOf(t, httpClient(t), ta.url+"/signup")
	form := url.Values{"email": {"eve@example.com"}, "password": {"Passw0rd!"}}
	for k, v := range person("eve@example.com") {
		form.Set(k, v)
	}
	for _, tc := range []struct {
		name, csrf string
		want       int
	}{
		{"missing", "", http.StatusForbidden},
		{"another session's", other, http.StatusForbidden},
		{"own", token, http.StatusSeeOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if tc.csrf != "" {
				f.Set("csrf", tc.csrf)
			}
			res := postForm(t, c, ta.url+"/signup", f)
			if res.StatusCode != tc.want {
				t.Errorf("status %d, want %d", res.StatusCode, tc.want)
			}
			_, err := ta.app.pool.AdminGetUser(context.Background(), "eve@example.com")
			if exists := err == nil; exists != (tc.want == http.StatusSeeOther) {
				t.Errorf("user exists = %v after a %s token (err %v)", exists, tc.name, err)
			}
		})
	}
}

// TestPagesNeedSignIn: the profile, TOTP and admin pages send strangers
// to the sign-in page; the admin page refuses users outside "admin".
func TestPagesNeedSignIn(t *testing.T) {
	ta := startApp(t)
	c := httpClient(t)
	for _, p := range []string{"/profile", "/mfa/setup", "/admin"} {
		res, err := c.Get(ta.url + p)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/signin" {
			t.Errorf("GET %s: %d %q, want a redirect to /signin", p, res.StatusCode, res.Header.Get("Location"))
		}
	}

	// The first user to confirm becomes an administrator, the second not.
	ctx := context.Background()
	pool := ta.app.pool
	for _, email := range []string{"first@example.com", "second@example.com"} {
		if _, err := pool.SignUp(ctx, userpool.SignUpInput{ClientID: ta.app.clientID, Username: email, Password: "Passw0rd!", UserAttributes: person(email)}); err != nil {
			t.Fatal(err)
		}
		m, ok, err := ta.app.outbox.Latest(email)
		if err != nil || !ok {
			t.Fatalf("no code for %s: %v", email, err)
		}
		token := csrfOf(t, c, ta.url+"/confirm")
		if res := postForm(t, c, ta.url+"/confirm", url.Values{"csrf": {token}, "email": {email}, "code": {m.Code}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("confirm %s: %d", email, res.StatusCode)
		}
	}
	token := csrfOf(t, c, ta.url+"/signin")
	if res := postForm(t, c, ta.url+"/signin", url.Values{"csrf": {token}, "email": {"second@example.com"}, "password": {"Passw0rd!"}}); res.Header.Get("Location") != "/profile" {
		t.Fatalf("sign-in: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	res, err := c.Get(ta.url + "/admin")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("GET /admin as a non-admin: %d, want 403", res.StatusCode)
	}
	groups, err := pool.AdminListGroupsForUser(ctx, "first@example.com", 0, "")
	if err != nil || len(groups.Groups) != 1 || groups.Groups[0].GroupName != adminGroup {
		t.Errorf("first user's groups = %+v, %v; want [admin]", groups.Groups, err)
	}
}

func TestFilter(t *testing.T) {
	for _, tc := range []struct{ attr, value, want string }{
		{"email", "bob", `email ^= "bob"`},
		{"name", `a"b\c`, `name ^= "a\"b\\c"`},
		{"email", "", ""},
		{"sub", "x", ""},
	} {
		if got := filter(tc.attr, tc.value); got != tc.want {
			t.Errorf("filter(%q, %q) = %q, want %q", tc.attr, tc.value, got, tc.want)
		}
		if tc.want != "" {
			if _, err := userpool.ParseFilter(tc.want); err != nil {
				t.Errorf("ParseFilter(%q): %v", tc.want, err)
			}
		}
	}
}

// TestClientFlowsBroughtUpToDate: a database made by an earlier version of
// the app, whose client lacks choice-based sign-in, gets it at start.
func TestClientFlowsBroughtUpToDate(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "webapp.db")
	store, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	pool, err := userpool.New(ctx, "Demo User Pool", append(poolOptions(), userpool.WithStore(store),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))...)
	if err != nil {
		t.Fatal(err)
	}
	old, err := findClient(ctx, pool, clientName)
	if err != nil {
		t.Fatal(err)
	}
	old.AuthFlows = []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken}
	if _, err := pool.UpdateClient(ctx, old.ClientConfig); err != nil {
		t.Fatal(err)
	}
	store.Close()

	ta := startApp(t, func(c *config) { c.DB = db })
	c, err := ta.app.pool.DescribeClient(ctx, ta.app.clientID)
	if err != nil || !c.Allows(userpool.FlowUserAuth) || !c.Allows(userpool.FlowUserPassword) {
		t.Fatalf("client after start: %v %v", c.AuthFlows, err)
	}
}
