package userpool_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/userpool/userpool"
)

func ExampleSecretHash() {
	// A client with a secret sends this as SECRET_HASH with each request.
	fmt.Println(userpool.SecretHash("bob", "1example23456789", "abc123secret"))
	// Output: JnEXIaggTXsmc8wfNeNlJEMiycoLP8icfNu9EhWlNxw=
}

func ExamplePool_CreateClient() {
	ctx := context.Background()
	pool, err := userpool.New(ctx, "shop")
	if err != nil {
		fmt.Println(err)
		return
	}
	c, err := pool.CreateClient(ctx, userpool.ClientConfig{
		Name:                "backend",
		GenerateSecret:      true,
		AuthFlows:           []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken},
		AccessTokenValidity: 15 * time.Minute,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(c.ID), len(c.Secret), c.AccessTokenValidity, c.RefreshTokenValidity, c.RevocationEnabled())
	// Output: 26 51 15m0s 720h0m0s true
}

func ExampleVerifier_Middleware() {
	ctx := context.Background()
	pool, err := userpool.New(ctx, "shop", userpool.WithIssuer("https://auth.example.com"))
	if err != nil {
		fmt.Println(err)
		return
	}
	api := pool.Verifier().Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, _ := userpool.ClaimsFromContext(r.Context())
		fmt.Fprintln(w, "hello", claims.Username)
	}))
	req := httptest.NewRequest("GET", "/orders", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	w := httptest.NewRecorder()
	api.ServeHTTP(w, req)
	fmt.Println(w.Code, w.Header().Get("WWW-Authenticate"))
	// Output: 401 Bearer error="invalid_token", error_description="Invalid Access Token"
}

func ExamplePool_JWKS() {
	ctx := context.Background()
	pool, err := userpool.New(ctx, "shop", userpool.WithSigningAlgorithm(userpool.ES256))
	if err != nil {
		fmt.Println(err)
		return
	}
	set, err := pool.JWKS(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	k := set.Keys[0]
	fmt.Println(len(set.Keys), k.Algorithm, k.Use, len(k.KeyID))
	// Output: 1 ES256 sig 43
}
