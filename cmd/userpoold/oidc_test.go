package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
)

// TestOIDCEndpoints: userpoold serves every pool's discovery document and
// keys under /<pool id>/, where the pool's issuer points.
func TestOIDCEndpoints(t *testing.T) {
	ctx := context.Background()
	env := map[string]string{"USERPOOLD_ADMIN_CREDENTIALS": "AKIDTEST:s3cret"}
	srv := start(t, env, "-db", filepath.Join(t.TempDir(), "pools.db"))
	created, err := client(srv.url, "AKIDTEST", "s3cret").CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("web")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	issuer := srv.url + "/" + aws.ToString(created.UserPool.Id)
	res, err := http.Get(issuer + "/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var d struct {
		Issuer  string `json:"issuer"`
		JWKSURI string `json:"jwks_uri"`
	}
	if err := json.NewDecoder(res.Body).Decode(&d); err != nil || res.StatusCode != 200 {
		t.Fatalf("discovery: %d %v", res.StatusCode, err)
	}
	if d.Issuer != issuer || d.JWKSURI != issuer+"/.well-known/jwks.json" {
		t.Errorf("discovery %+v, want issuer %s", d, issuer)
	}
	keys, err := http.Get(d.JWKSURI)
	if err != nil {
		t.Fatal(err)
	}
	keys.Body.Close()
	if keys.StatusCode != 200 {
		t.Errorf("jwks: %d", keys.StatusCode)
	}
	missing, err := http.Get(srv.url + "/us-east-1_Missing99/.well-known/openid-configuration")
	if err != nil {
		t.Fatal(err)
	}
	missing.Body.Close()
	if missing.StatusCode != http.StatusNotFound {
		t.Errorf("unknown pool: %d", missing.StatusCode)
	}
}
