package oidc_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// FuzzAuthorize sends arbitrary authorization requests: the endpoint
// never fails with a server error, and never sends the browser anywhere
// but the client's registered callback (with an error) or the pool's own
// sign-in page.
func FuzzAuthorize(f *testing.F) {
	e := newEnv(f, nil)
	good := strings.TrimPrefix(e.authorizeURL(e.public, nil), e.issuer+"/oauth2/authorize?")
	f.Add(good)
	f.Add(strings.Replace(good, "S256", "plain", 1))
	f.Add("client_id=" + e.public.ID + "&redirect_uri=" + url.QueryEscape(e.app.URL+"/callback") + "&response_type=token")
	f.Add("client_id=" + e.secret.ID + "&redirect_uri=" + url.QueryEscape(e.app.URL+"/callback") + "&response_type=code&scope=openid+openid+%00")
	f.Add("client_id=%ff&redirect_uri=javascript:alert(1)")
	f.Add("")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	f.Fuzz(func(t *testing.T, query string) {
		res, err := client.Get(e.issuer + "/oauth2/authorize?" + query)
		if err != nil {
			t.Skip() // not a request the client can send
		}
		res.Body.Close()
		switch res.StatusCode {
		case http.StatusBadRequest:
		case http.StatusFound:
			loc := res.Header.Get("Location")
			if !strings.HasPrefix(loc, e.app.URL+"/callback?") && !strings.HasPrefix(loc, "/"+e.pool.ID()+"/login?") {
				t.Fatalf("redirect to %q", loc)
			}
		default:
			t.Fatalf("status %d for %q", res.StatusCode, query)
		}
	})
}

// FuzzToken posts arbitrary token requests: never a server error, never
// tokens (no valid code, refresh token or secret is among them).
func FuzzToken(f *testing.F) {
	e := newEnv(f, nil)
	f.Add("grant_type=authorization_code&code=" + strings.Repeat("a", 43) + "&client_id=" + e.public.ID)
	f.Add("grant_type=refresh_token&refresh_token=x&client_id=" + e.public.ID)
	f.Add("grant_type=client_credentials&client_id=" + e.secret.ID + "&client_secret=x&scope=a+b")
	f.Add("grant_type=password")
	f.Add("%zz")
	f.Fuzz(func(t *testing.T, body string) {
		res, err := http.Post(e.issuer+"/oauth2/token", "application/x-www-form-urlencoded", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest && res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("status %d for %q", res.StatusCode, body)
		}
	})
}
