package userpool_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestMiddleware(t *testing.T) {
	f := newTokenFixture(t)
	res := f.signIn(t, f.public.ID)
	h := f.pool.Verifier().Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, ok := userpool.ClaimsFromContext(r.Context())
		if !ok {
			t.Error("no claims in the context")
			return
		}
		fmt.Fprint(w, c.Username)
	}))
	tests := []struct {
		name       string
		auth       string
		advance    time.Duration
		status     int
		authHeader string
		body       string
	}{
		{"valid", "Bearer " + res.AccessToken, 0, 200, "", fixtureUser},
		{"lower-case scheme", "bearer " + res.AccessToken, 0, 200, "", fixtureUser},
		{"no header", "", 0, 401, "Bearer", ""},
		{"basic auth", "Basic YTpi", 0, 401, "Bearer", ""},
		{"ID token", "Bearer " + res.IDToken, 0, 401, `Bearer error="invalid_token", error_description="Invalid Access Token"`, ""},
		{"garbage", "Bearer x.y.z", 0, 401, `Bearer error="invalid_token", error_description="Invalid Access Token"`, ""},
		{"expired", "Bearer " + res.AccessToken, 2 * time.Hour, 401, `Bearer error="invalid_token", error_description="Access Token has expired"`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f.clock.Advance(tc.advance)
			defer f.clock.Advance(-tc.advance)
			req := httptest.NewRequest("GET", "/me", nil)
			if tc.auth != "" {
				req.Header.Set("Authorization", tc.auth)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != tc.status {
				t.Fatalf("status: got %d, want %d", w.Code, tc.status)
			}
			if got := w.Header().Get("WWW-Authenticate"); got != tc.authHeader {
				t.Errorf("WWW-Authenticate: got %q, want %q", got, tc.authHeader)
			}
			if body, _ := io.ReadAll(w.Body); tc.body != "" && string(body) != tc.body {
				t.Errorf("body: got %q, want %q", body, tc.body)
			}
		})
	}
	// After a global sign-out the same token is refused.
	if err := f.pool.GlobalSignOut(context.Background(), res.AccessToken); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set("Authorization", "Bearer "+res.AccessToken)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 401 || w.Header().Get("WWW-Authenticate") != `Bearer error="invalid_token", error_description="Access Token has been revoked"` {
		t.Errorf("after sign-out: %d %q", w.Code, w.Header().Get("WWW-Authenticate"))
	}
}
