package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"
	"github.com/userpool/userpool"
)

// newUser signs email up and confirms it through the pool.
func newUser(t *testing.T, ta *testApp, email string) {
	t.Helper()
	ctx := context.Background()
	if _, err := ta.app.pool.SignUp(ctx, userpool.SignUpInput{ClientID: ta.app.clientID, Username: email, Password: "Passw0rd!", UserAttributes: person(email)}); err != nil {
		t.Fatal(err)
	}
	if err := ta.app.pool.AdminConfirmSignUp(ctx, userpool.AdminConfirmSignUpInput{Username: email}); err != nil {
		t.Fatal(err)
	}
}

// signIn returns a client signed in as email.
func signIn(t *testing.T, ta *testApp, email string) *http.Client {
	t.Helper()
	c := httpClient(t)
	token := csrfOf(t, c, ta.url+"/signin")
	res := postForm(t, c, ta.url+"/signin", url.Values{"csrf": {token}, "email": {email}, "password": {"Passw0rd!"}})
	if loc := res.Header.Get("Location"); loc != "/profile" {
		t.Fatalf("sign-in of %s: %d %q", email, res.StatusCode, loc)
	}
	return c
}

// page fetches a page and returns its status and body.
func page(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestProfileEmailChange: a new email address gets a code and stays
// unverified until the code is entered.
func TestProfileEmailChange(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "pat@example.com")
	c := signIn(t, ta, "pat@example.com")
	token := csrfOf(t, c, ta.url+"/profile")
	form := url.Values{"csrf": {token}}
	for k, v := range person("pat@example.com") {
		form.Set(k, v)
	}
	form.Set("email", "pat.new@example.com")
	form.Set("name", "Pat New")
	if res := postForm(t, c, ta.url+"/profile", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", res.StatusCode)
	}
	_, body := page(t, c, ta.url+"/profile")
	for _, want := range []string{"We sent a code", "Pat New", "Verify your email address"} {
		if !strings.Contains(body, want) {
			t.Errorf("profile lacks %q", want)
		}
	}
	m, ok, err := ta.app.outbox.Latest("pat.new@example.com")
	if err != nil || !ok {
		t.Fatalf("no code for the new address: %v", err)
	}
	if res := postForm(t, c, ta.url+"/profile/verify-email", url.Values{"csrf": {token}, "code": {"000000"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong code: %d, want 400", res.StatusCode)
	}
	if res := postForm(t, c, ta.url+"/profile/verify-email", url.Values{"csrf": {token}, "code": {m.Code}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("verify: %d", res.StatusCode)
	}
	u, err := ta.app.pool.AdminGetUser(context.Background(), "pat.new@example.com")
	if err != nil || u.Attributes["email_verified"] != "true" {
		t.Errorf("after verifying: %v, %v", u.Attributes, err)
	}
}

// TestAdminActions: an administrator pages through users, changes their
// groups, disables, enables and deletes them.
func TestAdminActions(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	pool := ta.app.pool
	newUser(t, ta, "admin@example.com")
	if err := pool.AdminAddUserToGroup(ctx, "admin@example.com", adminGroup); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.CreateGroup(ctx, userpool.GroupInput{GroupName: "staff"}); err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"u01", "u02", "u03", "u04", "u05", "u06", "u07", "u08", "u09", "u10", "u11", "u12", "u13", "u14", "u15", "u16", "u17", "u18", "u19", "u20", "u21"} {
		newUser(t, ta, n+"@example.com")
	}
	c := signIn(t, ta, "admin@example.com")

	status, body := page(t, c, ta.url+"/admin?attribute=email&value=u")
	if status != http.StatusOK || strings.Count(body, "<tr>") != adminPageSize+1 || !strings.Contains(body, "Next page") {
		t.Fatalf("first page: %d, %d rows, next page link %v", status, strings.Count(body, "<tr>")-1, strings.Contains(body, "Next page"))
	}
	next := body[strings.Index(body, "page=")+len("page="):]
	next = next[:strings.Index(next, `"`)]
	next = strings.ReplaceAll(next, "&amp;", "&")
	status, body = page(t, c, ta.url+"/admin?attribute=email&value=u&page="+next)
	if status != http.StatusOK || strings.Count(body, "<tr>") != 2 || strings.Contains(body, "Next page") {
		t.Fatalf("second page: %d, %d rows:\n%s", status, strings.Count(body, "<tr>")-1, body)
	}

	token := csrfOf(t, c, ta.url+"/admin")
	act := func(action, group string) int {
		res := postForm(t, c, ta.url+"/admin/user", url.Values{"csrf": {token}, "username": {"u01@example.com"}, "label": {"u01@example.com"}, "action": {action}, "group": {group}})
		return res.StatusCode
	}
	groups := func() []string {
		g, err := pool.AdminListGroupsForUser(ctx, "u01@example.com", 0, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, x := range g.Groups {
			names = append(names, x.GroupName)
		}
		return names
	}
	enabled := func() bool {
		u, err := pool.AdminGetUser(ctx, "u01@example.com")
		if err != nil {
			t.Fatal(err)
		}
		return u.Enabled
	}
	for _, tc := range []struct {
		action, group string
		check         func() bool
	}{
		{"add", "staff", func() bool { return len(groups()) == 1 }},
		{"remove", "staff", func() bool { return len(groups()) == 0 }},
		{"disable", "", func() bool { return !enabled() }},
		{"enable", "", enabled},
	} {
		if s := act(tc.action, tc.group); s != http.StatusSeeOther || !tc.check() {
			t.Errorf("%s %s: status %d, groups %v, enabled %v", tc.action, tc.group, s, groups(), enabled())
		}
	}
	if s := act("delete", ""); s != http.StatusSeeOther {
		t.Errorf("delete: %d", s)
	}
	if _, err := pool.AdminGetUser(ctx, "u01@example.com"); err == nil {
		t.Error("the user is still there after delete")
	}
	if s := act("explode", ""); s != http.StatusBadRequest {
		t.Errorf("an unknown action: %d, want 400", s)
	}
}

// TestSignOutEverywhere: signing out everywhere ends the user's other
// sessions too.
func TestSignOutEverywhere(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "sam@example.com")
	laptop, phone := signIn(t, ta, "sam@example.com"), signIn(t, ta, "sam@example.com")
	token := csrfOf(t, laptop, ta.url+"/profile")
	if res := postForm(t, laptop, ta.url+"/signout/everywhere", url.Values{"csrf": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out everywhere: %d", res.StatusCode)
	}
	for name, c := range map[string]*http.Client{"laptop": laptop, "phone": phone} {
		res, err := c.Get(ta.url + "/profile")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.Header.Get("Location") != "/signin" {
			t.Errorf("%s still signed in: %d %q", name, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

// TestRunPrintsURL: run prints the URL to open, and the outbox page
// exists only in development mode.
func TestRunPrintsURL(t *testing.T) {
	for _, dev := range []bool{true, false} {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		ctx, cancel := context.WithCancel(context.Background())
		ready := make(chan *app, 1)
		done := make(chan error, 1)
		go func() {
			done <- run(ctx, config{
				Dev: dev, Outbox: t.TempDir(), Logger: slog.New(slog.DiscardHandler), Out: &out, Listener: ln,
				Options: []userpool.Option{userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())},
				Ready:   func(a *app) { ready <- a },
			})
		}()
		select {
		case <-ready:
		case err := <-done:
			t.Fatal(err)
		}
		base := "http://" + ln.Addr().String()
		status, _ := page(t, http.DefaultClient, base+"/outbox")
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), base+"/") {
			t.Errorf("dev=%v: output %q lacks %s/", dev, out.String(), base)
		}
		if want := map[bool]int{true: 200, false: 404}[dev]; status != want {
			t.Errorf("dev=%v: /outbox %d, want %d", dev, status, want)
		}
	}
}

func TestBaseURL(t *testing.T) {
	for _, tc := range []struct{ addr, want string }{
		{"127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"0.0.0.0:8080", "http://localhost:8080"},
		{"[::]:8080", "http://localhost:8080"},
		{"[::1]:80", "http://[::1]:80"},
	} {
		a, err := net.ResolveTCPAddr("tcp", tc.addr)
		if err != nil {
			t.Fatal(err)
		}
		if got := baseURL(a); got != tc.want {
			t.Errorf("baseURL(%s) = %s, want %s", tc.addr, got, tc.want)
		}
	}
}

// TestRefresh: a session whose access token has expired is renewed with
// its refresh token.
func TestRefresh(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "rae@example.com")
	c := signIn(t, ta, "rae@example.com")
	ta.clock.Advance(2 * time.Hour) // access tokens live an hour
	if status, body := page(t, c, ta.url+"/profile"); status != http.StatusOK || !strings.Contains(body, "rae@example.com") {
		t.Errorf("after the access token expired: %d", status)
	}
}

// TestAdminFlag: the user -admin names joins the admin group on sign-in,
// and their first page already shows the admin link.
func TestAdminFlag(t *testing.T) {
	ta := startApp(t, func(c *config) { c.Admin = "Boss@Example.com" })
	newUser(t, ta, "first@example.com") // not confirmed through the app: not an admin
	newUser(t, ta, "boss@example.com")
	c := signIn(t, ta, "boss@example.com")
	if status, body := page(t, c, ta.url+"/admin"); status != http.StatusOK || !strings.Contains(body, `href="/admin"`) {
		t.Errorf("GET /admin as the -admin user: %d", status)
	}
}

func TestCookieSecureOverTLS(t *testing.T) {
	for _, tls := range []bool{false, true} {
		r := httptest.NewRequest("GET", "https://example.com/", nil)
		if !tls {
			r.TLS = nil
		}
		w := httptest.NewRecorder()
		setCookie(w, r, "id")
		c := w.Result().Cookies()[0]
		if c.Secure != tls || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
			t.Errorf("TLS %v: cookie %+v", tls, c)
		}
	}
}

// TestSignOutRevokes: signing out revokes the session's refresh token.
func TestSignOutRevokes(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "max@example.com")
	c := signIn(t, ta, "max@example.com")
	var refresh string
	ta.app.sessions.mu.Lock()
	for _, s := range ta.app.sessions.byID {
		if _, r := s.tokens(); r != "" {
			refresh = r
		}
	}
	ta.app.sessions.mu.Unlock()
	if refresh == "" {
		t.Fatal("no session holds a refresh token")
	}
	token := csrfOf(t, c, ta.url+"/profile")
	if res := postForm(t, c, ta.url+"/signout", url.Values{"csrf": {token}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", res.StatusCode)
	}
	if _, err := ta.app.pool.RefreshTokens(context.Background(), userpool.RefreshInput{ClientID: ta.app.clientID, RefreshToken: refresh}); err == nil {
		t.Error("the refresh token still works after sign-out")
	}
	if status, _ := page(t, c, ta.url+"/profile"); status != http.StatusSeeOther {
		t.Errorf("GET /profile after sign-out: %d, want a redirect", status)
	}
}

// TestSignInNewSession: signing in replaces the session id, so an id
// known before sign-in does not grant the signed-in session.
func TestSignInNewSession(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "kim@example.com")
	c := httpClient(t)
	token := csrfOf(t, c, ta.url+"/signin")
	u, _ := url.Parse(ta.url)
	before := c.Jar.Cookies(u)
	res := postForm(t, c, ta.url+"/signin", url.Values{"csrf": {token}, "email": {"kim@example.com"}, "password": {"Passw0rd!"}})
	if res.Header.Get("Location") != "/profile" {
		t.Fatalf("sign-in: %d", res.StatusCode)
	}
	after := c.Jar.Cookies(u)
	if len(before) != 1 || len(after) != 1 || before[0].Value == after[0].Value {
		t.Fatalf("session cookie before %v, after %v: want a new id", before, after)
	}
	planted := httpClient(t)
	planted.Jar.SetCookies(u, before)
	if status, _ := page(t, planted, ta.url+"/profile"); status != http.StatusSeeOther {
		t.Errorf("the old id reaches the profile: %d", status)
	}
	if status, body := page(t, c, ta.url+"/profile"); status != http.StatusOK || !strings.Contains(body, "You are signed in.") {
		t.Errorf("the new session: %d", status)
	}
}

// TestMFASignInRetry: a wrong TOTP code shows the page again for another
// try; the right one signs in; a sign-in whose session is gone starts over.
func TestMFASignInRetry(t *testing.T) {
	ta := startApp(t)
	ctx := context.Background()
	pool := ta.app.pool
	newUser(t, ta, "tia@example.com")
	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: ta.app.clientID,
		AuthParameters: map[string]string{"USERNAME": "tia@example.com", "PASSWORD": "Passw0rd!"}})
	if err != nil {
		t.Fatal(err)
	}
	access := out.AuthenticationResult.AccessToken
	assoc, err := pool.AssociateSoftwareToken(ctx, userpool.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		t.Fatal(err)
	}
	code := func() string {
		ta.clock.Advance(30 * time.Second)
		c, err := totp.GenerateCode(assoc.SecretCode, ta.clock.Now())
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	if _, err := pool.VerifySoftwareToken(ctx, userpool.VerifySoftwareTokenInput{AccessToken: access, UserCode: code()}); err != nil {
		t.Fatal(err)
	}
	if err := pool.SetUserMFAPreference(ctx, userpool.SetUserMFAPreferenceInput{AccessToken: access,
		SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatal(err)
	}

	c := httpClient(t)
	token := csrfOf(t, c, ta.url+"/signin")
	res := postForm(t, c, ta.url+"/signin", url.Values{"csrf": {token}, "email": {"tia@example.com"}, "password": {"Passw0rd!"}})
	if loc := res.Header.Get("Location"); loc != "/signin/mfa" {
		t.Fatalf("sign-in: %d %q, want /signin/mfa", res.StatusCode, loc)
	}
	if res := postForm(t, c, ta.url+"/signin/mfa", url.Values{"csrf": {token}, "code": {"000000"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong code: %d, want the page again (400)", res.StatusCode)
	}
	res = postForm(t, c, ta.url+"/signin/mfa", url.Values{"csrf": {token}, "code": {code()}})
	if loc := res.Header.Get("Location"); loc != "/profile" {
		t.Fatalf("the right code: %d %q, want /profile", res.StatusCode, loc)
	}

	// A sign-in left past its session's life starts over.
	c = httpClient(t)
	token = csrfOf(t, c, ta.url+"/signin")
	postForm(t, c, ta.url+"/signin", url.Values{"csrf": {token}, "email": {"tia@example.com"}, "password": {"Passw0rd!"}})
	ta.clock.Advance(time.Hour)
	res = postForm(t, c, ta.url+"/signin/mfa", url.Values{"csrf": {token}, "code": {code()}})
	if loc := res.Header.Get("Location"); loc != "/signin" {
		t.Errorf("an expired sign-in: %d %q, want /signin", res.StatusCode, loc)
	}
}

// TestCodeSignIn: "Email me a sign-in code" sends a code to the verified
// address; a wrong code shows the page again, the right one signs in. An
// unknown address gets the same code page (existence errors are
// prevented) and no email.
func TestCodeSignIn(t *testing.T) {
	ta := startApp(t)
	newUser(t, ta, "cody@example.com")
	if _, err := ta.app.pool.AdminUpdateUserAttributes(context.Background(), userpool.AdminUpdateUserAttributesInput{
		Username: "cody@example.com", UserAttributes: map[string]string{"email_verified": "true"}}); err != nil {
		t.Fatal(err)
	}
	c := httpClient(t)
	token := csrfOf(t, c, ta.url+"/signin")
	if _, body := page(t, c, ta.url+"/signin"); !strings.Contains(body, "Email me a sign-in code") {
		t.Fatal("no code sign-in button on the sign-in page")
	}
	res := postForm(t, c, ta.url+"/signin/code", url.Values{"csrf": {token}, "email": {"cody@example.com"}})
	if loc := res.Header.Get("Location"); loc != "/signin/code" {
		t.Fatalf("code sign-in: %d %q, want /signin/code", res.StatusCode, loc)
	}
	if status, body := page(t, c, ta.url+"/signin/code"); status != http.StatusOK || !strings.Contains(body, "Enter the code we emailed you") {
		t.Fatalf("code page: %d", status)
	}
	m, ok, err := ta.app.outbox.Latest("cody@example.com")
	if err != nil || !ok || m.Code == "" {
		t.Fatalf("no code in the outbox: %v %v", ok, err)
	}
	if res := postForm(t, c, ta.url+"/signin/code/verify", url.Values{"csrf": {token}, "code": {"000000"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a wrong code: %d, want the page again (400)", res.StatusCode)
	}
	res = postForm(t, c, ta.url+"/signin/code/verify", url.Values{"csrf": {token}, "code": {m.Code}})
	if loc := res.Header.Get("Location"); loc != "/profile" {
		t.Fatalf("the right code: %d %q, want /profile", res.StatusCode, loc)
	}

	stranger := httpClient(t)
	token = csrfOf(t, stranger, ta.url+"/signin")
	res = postForm(t, stranger, ta.url+"/signin/code", url.Values{"csrf": {token}, "email": {"nobody@example.com"}})
	if loc := res.Header.Get("Location"); loc != "/signin/code" {
		t.Errorf("unknown address: %d %q, want the code page like anyone", res.StatusCode, loc)
	}
	if _, ok, _ := ta.app.outbox.Latest("nobody@example.com"); ok {
		t.Error("a code went to an unknown address")
	}
}
