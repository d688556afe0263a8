package cognitoapi_test

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// TestChoiceBasedSignInWithSDK: USER_AUTH on the wire, as the AWS SDK
// sends and reads it: AvailableChallenges with SELECT_CHALLENGE, then the
// password as the chosen factor.
func TestChoiceBasedSignInWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	c, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("choice"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	client := c.UserPoolClient.ClientId
	e.signUp(t, "ivy", "Pass-word-1", "ivy@example.com")

	start, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy"}})
	if err != nil || start.ChallengeName != types.ChallengeNameTypeSelectChallenge ||
		!slices.Equal(start.AvailableChallenges, []types.ChallengeNameType{types.ChallengeNameTypePassword, types.ChallengeNameTypePasswordSrp}) {
		t.Fatalf("InitiateAuth USER_AUTH = %+v, %v", start, err)
	}
	done, err := e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: client,
		ChallengeName: types.ChallengeNameTypeSelectChallenge, Session: start.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ivy", "ANSWER": "PASSWORD", "PASSWORD": "Pass-word-1"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge(SELECT_CHALLENGE) = %+v, %v", done, err)
	}
	direct, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Pass-word-1"}})
	if err != nil || direct.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth USER_AUTH with PASSWORD = %+v, %v", direct, err)
	}

	// Sign-in codes by email, once the pool's SignInPolicy allows them.
	if _, err := e.client.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(e.poolID),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{SignInPolicy: &types.SignInPolicyType{
			AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}}}}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	desc, err := e.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(e.poolID)})
	if err != nil || desc.UserPool.Policies == nil || desc.UserPool.Policies.SignInPolicy == nil ||
		!slices.Equal(desc.UserPool.Policies.SignInPolicy.AllowedFirstAuthFactors, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeEmailOtp}) {
		t.Fatalf("DescribeUserPool SignInPolicy: %+v, %v", desc, err)
	}
	otp, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "ivy", "PREFERRED_CHALLENGE": "EMAIL_OTP"}})
	if err != nil || otp.ChallengeName != types.ChallengeNameTypeEmailOtp {
		t.Fatalf("InitiateAuth USER_AUTH with EMAIL_OTP = %+v, %v", otp, err)
	}
	signedIn, err := e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: client,
		ChallengeName: types.ChallengeNameTypeEmailOtp, Session: otp.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ivy", "EMAIL_OTP_CODE": e.code(t, "ivy@example.com")}})
	if err != nil || signedIn.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge(EMAIL_OTP) = %+v, %v", signedIn, err)
	}
}

// TestAutoSignInWithSDK: ConfirmSignUp's Session signs the new user in
// with USER_AUTH, as Amplify's autoSignIn does.
func TestAutoSignInWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	c, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("choice"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	client := c.UserPoolClient.ClientId
	if _, err := e.client.SignUp(ctx, &cip.SignUpInput{ClientId: client, Username: aws.String("amy"), Password: aws.String("Pass-word-1"),
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("amy@example.com")}}}); err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	confirmed, err := e.client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: client, Username: aws.String("amy"),
		ConfirmationCode: aws.String(e.code(t, "amy@example.com"))})
	if err != nil || aws.ToString(confirmed.Session) == "" {
		t.Fatalf("ConfirmSignUp = %+v, %v", confirmed, err)
	}
	signedIn, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "amy"}, Session: confirmed.Session})
	if err != nil || signedIn.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth with the session = %+v, %v", signedIn, err)
	}
}
