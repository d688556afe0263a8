package main

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/go-jose/go-jose/v4"
)

// jwks fetches a pool's key set from a running userpoold.
func jwks(t *testing.T, url, poolID string) jose.JSONWebKeySet {
	t.Helper()
	res, err := http.Get(url + "/" + poolID + "/.well-known/jwks.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(res.Body).Decode(&set); err != nil || res.StatusCode != 200 || len(set.Keys) == 0 {
		t.Fatalf("jwks: %d %v %+v", res.StatusCode, err, set)
	}
	return set
}

func kids(set jose.JSONWebKeySet) []string {
	var out []string
	for _, k := range set.Keys {
		out = append(out, k.KeyID)
	}
	slices.Sort(out)
	return out
}

// verifyWith checks a JWT's signature against a key set, as an
// application verifying tokens offline does.
func verifyWith(t *testing.T, token string, set jose.JSONWebKeySet) {
	t.Helper()
	sig, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.RS256})
	if err != nil {
		t.Fatalf("parse token: %v", err)
	}
	keys := set.Key(sig.Signatures[0].Header.KeyID)
	if len(keys) == 0 {
		t.Fatalf("no key %q in the JWKS (kids %v)", sig.Signatures[0].Header.KeyID, kids(set))
	}
	if _, err := sig.Verify(keys[0].Key); err != nil {
		t.Fatalf("token does not verify with the JWKS: %v", err)
	}
}

// TestRestartKeepsUsersAndKeys: a userpoold on a SQLite file is stopped
// and started again; its pools, clients, users and signing keys survive,
// and tokens issued before the restart still verify and refresh.
func TestRestartKeepsUsersAndKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"USERPOOLD_ADMIN_CREDENTIALS": "AKIDTEST:s3cret"}
	// A fixed issuer: the port changes across the restart.
	args := []string{"-db", filepath.Join(dir, "pools.db"), "-issuer", "https://auth.example.com", "-messages-dir", filepath.Join(dir, "outbox")}

	srv := start(t, env, args...)
	c := client(srv.url, "AKIDTEST", "s3cret")
	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("durable")})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := created.UserPool.Id
	app, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("app"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := app.UserPoolClient.ClientId
	if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String("henry"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String("henry"),
		Password: aws.String("Durable-Pass-1"), Permanent: true}); err != nil {
		t.Fatalf("AdminSetUserPassword: %v", err)
	}
	signIn := func(c *cip.Client) *types.AuthenticationResultType {
		t.Helper()
		out, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": "henry", "PASSWORD": "Durable-Pass-1"}})
		if err != nil || out.AuthenticationResult == nil {
			t.Fatalf("InitiateAuth: %+v, %v", out, err)
		}
		return out.AuthenticationResult
	}
	tokens := signIn(c)
	before := jwks(t, srv.url, aws.ToString(pool))
	verifyWith(t, aws.ToString(tokens.IdToken), before)
	if err := srv.stop(); err != nil {
		t.Fatalf("stop: %v", err)
	}

	srv = start(t, env, args...)
	c = client(srv.url, "AKIDTEST", "s3cret")
	after := jwks(t, srv.url, aws.ToString(pool))
	if !slices.Equal(kids(before), kids(after)) {
		t.Errorf("signing keys changed across the restart: %v, then %v", kids(before), kids(after))
	}
	verifyWith(t, aws.ToString(tokens.AccessToken), after)
	verifyWith(t, aws.ToString(tokens.IdToken), after)
	user, err := c.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil || aws.ToString(user.Username) != "henry" {
		t.Fatalf("GetUser with a token from before the restart: %+v, %v", user, err)
	}
	got, err := c.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("henry")})
	if err != nil || got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("AdminGetUser after the restart: %+v, %v", got, err)
	}
	refreshed, err := c.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	if err != nil || refreshed.AuthenticationResult == nil {
		t.Fatalf("refresh with a token from before the restart: %+v, %v", refreshed, err)
	}
	verifyWith(t, aws.ToString(signIn(c).AccessToken), after)
}
