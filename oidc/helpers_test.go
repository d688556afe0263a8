package oidc_test

import (
	"context"
	"encoding/json"
	"github.com/userpool/userpool/internal/fakeclock"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/oidc"
)

// outbox keeps the messages a pool sends, for their codes.
type outbox struct {
	mu   sync.Mutex
	msgs []userpool.Message
}

func (o *outbox) Send(_ context.Context, m userpool.Message) error {
	o.mu.Lock()
	o.msgs = append(o.msgs, m)
	o.mu.Unlock()
	return nil
}

// code returns the code of the last message to to.
func (o *outbox) code(t testing.TB, to string) string {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := len(o.msgs) - 1; i >= 0; i-- {
		if o.msgs[i].To == to {
			return o.msgs[i].Code
		}
	}
	t.Fatalf("no message to %s", to)
	return ""
}

const password = "Correct-horse-9"

// env is a pool served by the oidc handler, and the clients' callback
// server.
type env struct {
	t      testing.TB
	ctx    context.Context
	clock  *fakeclock.Clock
	sent   *outbox
	pool   *userpool.Pool
	srv    *httptest.Server // the provider
	app    *httptest.Server // the relying party (callback URLs)
	issuer string
	public userpool.Client // PKCE client, no secret
	secret userpool.Client // confidential client
}

// newEnv starts a provider for a new pool with a public and a
// confidential client whose callback is app's /callback. opts add pool
// options.
func newEnv(t testing.TB, app http.Handler, opts ...userpool.Option) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background(), clock: fakeclock.New(time.Now().Truncate(time.Second)), sent: &outbox{}}
	var h http.Handler = http.NotFoundHandler()
	var mu sync.RWMutex
	e.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.RLock()
		defer mu.RUnlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.srv.Close)
	if app == nil {
		app = http.NotFoundHandler()
	}
	e.app = httptest.NewServer(app)
	t.Cleanup(e.app.Close)
	all := append([]userpool.Option{
		userpool.WithIssuer(e.srv.URL),
		userpool.WithClock(e.clock.Now),
		userpool.WithSender(e.sent),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
		userpool.WithLogger(slog.New(slog.DiscardHandler)),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithResourceServer(userpool.ResourceServer{
			Identifier: "https://api.example.com", Name: "api",
			Scopes: []userpool.ResourceServerScope{{Name: "read", Description: "read"}, {Name: "write", Description: "write"}},
		}),
	}, opts...)
	p, err := userpool.New(e.ctx, "oidc-test", all...)
	if err != nil {
		t.Fatal(err)
	}
	e.pool = p
	e.issuer = p.Issuer()
	handler, err := oidc.New(oidc.ForPool(p), oidc.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	h = handler
	mu.Unlock()
	callback := e.app.URL + "/callback"
	e.public = e.client(userpool.ClientConfig{
		Name: "web", CallbackURLs: []string{callback}, LogoutURLs: []string{e.app.URL + "/bye"},
		AllowedOAuthFlows:  []string{"code"},
		AllowedOAuthScopes: []string{"openid", "email", "profile", "aws.cognito.signin.user.admin"},
	})
	e.secret = e.client(userpool.ClientConfig{
		Name: "backend", GenerateSecret: true, CallbackURLs: []string{callback},
		AllowedOAuthFlows:  []string{"code", "client_credentials"},
		AllowedOAuthScopes: []string{"openid", "email", "https://api.example.com/read", "https://api.example.com/write"},
	})
	return e
}

func (e *env) client(cfg userpool.ClientConfig) userpool.Client {
	e.t.Helper()
	c, err := e.pool.CreateClient(e.ctx, cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	return c
}

// user creates a confirmed user with a verified email and the test
// password.
func (e *env) user(name, email string) {
	e.t.Helper()
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{
		Username: name, MessageAction: userpool.MessageSuppress,
		UserAttributes: map[string]string{"email": email, "email_verified": "true", "given_name": "Ana"},
	})
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: name, Password: password, Permanent: true}); err != nil {
		e.t.Fatal(err)
	}
}

// browser is a user agent: a cookie jar, and redirects followed except to
// the app's callback when stopAt is set.
type browser struct {
	t      testing.TB
	c      *http.Client
	stopAt string // a URL prefix whose redirects are not followed
}

func newBrowser(t testing.TB) *browser {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	b := &browser{t: t}
	b.c = &http.Client{Jar: jar, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if b.stopAt != "" && strings.HasPrefix(req.URL.String(), b.stopAt) {
			return http.ErrUseLastResponse
		}
		if len(via) > 10 {
			return http.ErrUseLastResponse
		}
		return nil
	}}
	return b
}

// response is a fetched page or redirect.
type response struct {
	status   int
	location string
	body     string
	url      *url.URL
	header   http.Header
}

func (b *browser) do(req *http.Request) response {
	b.t.Helper()
	res, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(body), url: res.Request.URL, header: res.Header}
}

func (b *browser) get(u string) response {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// submit fills the page's form (the first, or the one whose submit button
// has name=value when button is "name=value") with values over its hidden
// and prefilled inputs and posts it.
func (b *browser) submit(page response, values map[string]string) response {
	b.t.Helper()
	f := parseForm(b.t, page.body)
	for k, v := range values {
		f.values.Set(k, v)
	}
	action, err := page.url.Parse(f.action)
	if err != nil {
		b.t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, action.String(), strings.NewReader(f.values.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// form is a page's form: its action and its inputs' names and values.
type form struct {
	action string
	values url.Values
}

var (
	formPattern  = regexp.MustCompile(`<form method="post" action="([^"]*)"`)
	inputPattern = regexp.MustCompile(`<input [^>]*>`)
	attrPattern  = regexp.MustCompile(`(\w+)="([^"]*)"`)
)

// parseForm reads the first form of one of the handler's pages (the
// templates are ours, so a pattern is enough).
func parseForm(t testing.TB, body string) form {
	t.Helper()
	m := formPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form in page:\n%s", body)
	}
	f := form{action: html.UnescapeString(m[1]), values: url.Values{}}
	for _, in := range inputPattern.FindAllString(body, -1) {
		attrs := map[string]string{}
		for _, a := range attrPattern.FindAllStringSubmatch(in, -1) {
			attrs[a[1]] = html.UnescapeString(a[2])
		}
		if attrs["type"] == "radio" && !strings.Contains(in, " checked") {
			continue
		}
		if attrs["name"] != "" {
			f.values.Set(attrs["name"], attrs["value"])
		}
	}
	return f
}

// inputNames lists the names of a page's inputs.
func inputNames(body string) []string {
	var out []string
	for _, in := range inputPattern.FindAllString(body, -1) {
		if m := regexp.MustCompile(`name="([^"]*)"`).FindStringSubmatch(in); m != nil {
			out = append(out, m[1])
		}
	}
	return out
}

// postForm posts a form to the provider, as a client's server does.
func postForm(t testing.TB, u string, form url.Values, user, pass string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var body map[string]any
	raw, _ := io.ReadAll(res.Body)
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &body); err != nil {
			t.Fatalf("token endpoint answered %d %q: %v", res.StatusCode, raw, err)
		}
	}
	return res.StatusCode, body, res.Header
}
