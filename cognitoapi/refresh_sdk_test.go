package cognitoapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool"
)

// TestGetTokensFromRefreshTokenWithSDK: the newer refresh, with a client
// that rotates refresh tokens and has a secret (sent as itself): a new
// refresh token each time, and the old one, presented again, refused as
// reused.
func TestGetTokensFromRefreshTokenWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	c, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("rotating"),
		GenerateSecret:       true,
		ExplicitAuthFlows:    []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth},
		RefreshTokenRotation: &types.RefreshTokenRotationType{Feature: types.FeatureTypeEnabled}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	client, secret := c.UserPoolClient.ClientId, c.UserPoolClient.ClientSecret
	e.signUp(t, "ray", "Pass-word-1", "ray@example.com")
	signedIn, err := e.client.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(e.poolID), ClientId: client,
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "ray", "PASSWORD": "Pass-word-1",
			"SECRET_HASH": userpool.SecretHash("ray", aws.ToString(client), aws.ToString(secret))}})
	if err != nil {
		t.Fatalf("AdminInitiateAuth: %v", err)
	}
	first := signedIn.AuthenticationResult.RefreshToken
	out, err := e.client.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: client, ClientSecret: secret, RefreshToken: first})
	if err != nil || out.AuthenticationResult == nil || aws.ToString(out.AuthenticationResult.RefreshToken) == "" ||
		aws.ToString(out.AuthenticationResult.RefreshToken) == aws.ToString(first) {
		t.Fatalf("GetTokensFromRefreshToken = %+v, %v", out, err)
	}
	_, err = e.client.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: client, ClientSecret: secret, RefreshToken: first})
	wantCode(t, "the rotated-out token", err, "RefreshTokenReuseException")
	_, err = e.client.GetTokensFromRefreshToken(ctx, &cip.GetTokensFromRefreshTokenInput{ClientId: client, ClientSecret: aws.String("wrong"),
		RefreshToken: out.AuthenticationResult.RefreshToken})
	wantCode(t, "a wrong secret", err, "NotAuthorizedException")
}
