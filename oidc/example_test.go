package oidc_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/oidc"
)

// ExampleNew serves a pool as an OpenID Connect provider. The pool's
// issuer is the server's URL, so OpenID clients find the discovery
// document at <issuer>/.well-known/openid-configuration and its issuer
// equals the tokens' iss.
func ExampleNew() {
	ctx := context.Background()
	var h http.Handler = http.NotFoundHandler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	defer srv.Close()

	pool, err := userpool.New(ctx, "shop", userpool.WithIssuer(srv.URL), userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		fmt.Println(err)
		return
	}
	h, err = oidc.New(oidc.ForPool(pool))
	if err != nil {
		fmt.Println(err)
		return
	}

	res, err := http.Get(pool.Issuer() + "/.well-known/openid-configuration")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer res.Body.Close()
	var d oidc.Discovery
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.Issuer == pool.Issuer())
	fmt.Println(strings.TrimPrefix(d.AuthorizationEndpoint, srv.URL))
	fmt.Println(strings.TrimPrefix(d.TokenEndpoint, srv.URL))
	fmt.Println(d.CodeChallengeMethodsSupported, d.IDTokenSigningAlgValuesSupported)
	// Output:
	// true
	// /us-east-1_HYC6Zjzb5/oauth2/authorize
	// /us-east-1_HYC6Zjzb5/oauth2/token
	// [S256] [RS256]
}
