package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// testClock is the pool's clock in tests: real time plus an offset the
// test moves forward, so a TOTP code of a later step exists at once.
type testClock struct{ offset atomic.Int64 }

func (c *testClock) Now() time.Time          { return time.Now().Add(time.Duration(c.offset.Load())) }
func (c *testClock) Advance(d time.Duration) { c.offset.Add(int64(d)) }

// testApp is a running webapp.
type testApp struct {
	url   string
	app   *app
	clock *testClock
}

// startApp runs the webapp on a loopback port with a SQLite file in a
// temporary directory, until the test ends.
func startApp(t *testing.T, configure ...func(*config)) *testApp {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	clock := &testClock{}
	ready := make(chan *app, 1)
	cfg := config{
		DB: filepath.Join(dir, "webapp.db"), Dev: true,
		Logger: slog.New(slog.DiscardHandler), Out: io.Discard, Listener: ln,
		Options: []userpool.Option{
			userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
			userpool.WithClock(clock.Now),
		},
		Ready: func(a *app) { ready <- a },
	}
	for _, f := range configure {
		f(&cfg)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, cfg) }()
	var a *app
	select {
	case a = <-ready:
	case err := <-done:
		cancel()
		t.Fatalf("run: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return &testApp{url: "http://" + ln.Addr().String(), app: a, clock: clock}
}

// httpClient returns a client with a cookie jar that does not follow
// redirects.
func httpClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// postForm posts a form and returns the response, closed.
func postForm(t *testing.T, c *http.Client, u string, v url.Values) *http.Response {
	t.Helper()
	res, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

// person is a test user with every attribute the pool requires.
func person(email string) map[string]string {
	return map[string]string{
		"email": email, "name": "Test " + strings.Split(email, "@")[0], "gender": "other",
		"address": "1 Main Street", "phone_number": "+14155550100", "profile": "https://example.com/" + strings.Split(email, "@")[0],
	}
}
