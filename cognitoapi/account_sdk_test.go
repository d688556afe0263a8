package cognitoapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestAccountOperationsWithSDK covers the operations the sign-in tests do
// not: resending a code, admin confirmation and reset, attribute
// verification codes, deleting attributes, and RevokeToken.
func TestAccountOperationsWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	pool, client := aws.String(e.poolID), aws.String(e.clientID)

	// Resend, then confirm by an administrator instead.
	if _, err := e.client.SignUp(ctx, &cip.SignUpInput{ClientId: client, Username: aws.String("ivan"), Password: aws.String("Pass-word-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("ivan@example.com")}}}); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	first := e.code(t, "ivan@example.com")
	resent, err := e.client.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{ClientId: client, Username: aws.String("ivan")})
	if err != nil || resent.CodeDeliveryDetails == nil || aws.ToString(resent.CodeDeliveryDetails.AttributeName) != "email" {
		t.Fatalf("ResendConfirmationCode = %+v, %v", resent, err)
	}
	if e.code(t, "ivan@example.com") == "" || first == "" {
		t.Fatal("no resent code")
	}
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivan", "PASSWORD": "Pass-word-1"}})
	wantCode(t, "unconfirmed sign-in", err, "UserNotConfirmedException")
	if _, err := e.client.AdminConfirmSignUp(ctx, &cip.AdminConfirmSignUpInput{UserPoolId: pool, Username: aws.String("ivan")}); err != nil {
		t.Fatalf("AdminConfirmSignUp: %v", err)
	}
	tokens := e.passwordSignIn(t, "ivan", "Pass-word-1")

	// Verification codes by access token, and deleting an attribute.
	if _, err := e.client.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tokens.AccessToken,
		UserAttributes: []types.AttributeType{{Name: aws.String("nickname"), Value: aws.String("iv")}}}); err != nil {
		t.Fatalf("UpdateUserAttributes: %v", err)
	}
	got, err := e.client.GetUserAttributeVerificationCode(ctx, &cip.GetUserAttributeVerificationCodeInput{AccessToken: tokens.AccessToken,
		AttributeName: aws.String("email")})
	if err != nil || got.CodeDeliveryDetails == nil || got.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("GetUserAttributeVerificationCode = %+v, %v", got, err)
	}
	if _, err := e.client.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tokens.AccessToken,
		AttributeName: aws.String("email"), Code: aws.String(e.code(t, "ivan@example.com"))}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if _, err := e.client.DeleteUserAttributes(ctx, &cip.DeleteUserAttributesInput{AccessToken: tokens.AccessToken,
		UserAttributeNames: []string{"nickname"}}); err != nil {
		t.Fatalf("DeleteUserAttributes: %v", err)
	}
	user, err := e.client.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range user.UserAttributes {
		if aws.ToString(a.Name) == "nickname" {
			t.Errorf("nickname still set after DeleteUserAttributes")
		}
	}

	// RevokeToken ends the refresh token.
	if _, err := e.client.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: client, Token: tokens.RefreshToken}); err != nil {
		t.Fatalf("RevokeToken: %v", err)
	}
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeRefreshTokenAuth,
		AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	wantCode(t, "refresh after RevokeToken", err, "NotAuthorizedException")

	// An administrator's reset: the user must set a new password with the
	// code sent to them.
	if _, err := e.client.AdminResetUserPassword(ctx, &cip.AdminResetUserPasswordInput{UserPoolId: pool, Username: aws.String("ivan")}); err != nil {
		t.Fatalf("AdminResetUserPassword: %v", err)
	}
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "ivan", "PASSWORD": "Pass-word-1"}})
	wantCode(t, "sign-in after AdminResetUserPassword", err, "PasswordResetRequiredException")
	if _, err := e.client.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: client, Username: aws.String("ivan"),
		ConfirmationCode: aws.String(e.code(t, "ivan@example.com")), Password: aws.String("Pass-word-2")}); err != nil {
		t.Fatalf("ConfirmForgotPassword after reset: %v", err)
	}
	e.passwordSignIn(t, "ivan", "Pass-word-2")
}
