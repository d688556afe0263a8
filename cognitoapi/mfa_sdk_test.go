package cognitoapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/fakeclock"
	"github.com/userpool/userpool/internal/totptest"
)

func TestTOTPMFAWithSDK(t *testing.T) {
	ctx := context.Background()
	clk := fakeclock.New(time.Now().UTC().Truncate(30 * time.Second))
	e := newSDKEnv(t, userpool.WithClock(clk.Now))
	pool := aws.String(e.poolID)
	if _, err := e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	e.signUp(t, "frank", "Pass-word-1", "frank@example.com")
	tokens := e.passwordSignIn(t, "frank", "Pass-word-1")

	assoc, err := e.client.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: tokens.AccessToken})
	if err != nil || aws.ToString(assoc.SecretCode) == "" {
		t.Fatalf("AssociateSoftwareToken = %+v, %v", assoc, err)
	}
	secret := aws.ToString(assoc.SecretCode)
	ver, err := e.client.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: tokens.AccessToken,
		UserCode: aws.String(totptest.Code(t, secret, clk.Now())), FriendlyDeviceName: aws.String("phone")})
	if err != nil || ver.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken = %+v, %v", ver, err)
	}
	if _, err := e.client.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: tokens.AccessToken,
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	got, err := e.client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: pool, Username: aws.String("frank")})
	if err != nil || aws.ToString(got.PreferredMfaSetting) != "SOFTWARE_TOKEN_MFA" || len(got.UserMFASettingList) != 1 {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}

	clk.Set(clk.Now().Add(time.Minute))
	start, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": "Pass-word-1"}})
	if err != nil || start.ChallengeName != types.ChallengeNameTypeSoftwareTokenMfa {
		t.Fatalf("InitiateAuth = %+v, %v", start, err)
	}
	_, err = e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(e.clientID),
		ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: start.Session,
		ChallengeResponses: map[string]string{"USERNAME": "frank", "SOFTWARE_TOKEN_MFA_CODE": "000000"}})
	wantCode(t, "wrong TOTP code", err, "CodeMismatchException")
	start, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "frank", "PASSWORD": "Pass-word-1"}})
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(e.clientID),
		ChallengeName: types.ChallengeNameTypeSoftwareTokenMfa, Session: start.Session,
		ChallengeResponses: map[string]string{"USERNAME": "frank", "SOFTWARE_TOKEN_MFA_CODE": totptest.Code(t, secret, clk.Now())}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge(SOFTWARE_TOKEN_MFA) = %+v, %v", done, err)
	}

	// Turning TOTP off by the admin call lets the password alone sign in.
	if _, err := e.client.AdminSetUserMFAPreference(ctx, &cip.AdminSetUserMFAPreferenceInput{UserPoolId: pool, Username: aws.String("frank"),
		SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: false}}); err != nil {
		t.Fatalf("AdminSetUserMFAPreference: %v", err)
	}
	e.passwordSignIn(t, "frank", "Pass-word-1")
}

// TestMFASetupChallengeWithSDK: in a pool requiring MFA, a user without a
// factor gets MFA_SETUP and sets TOTP up with the challenge's session,
// which names no app client. Each step goes to another of two servers on
// one store, as behind a load balancer: the session alone routes it.
func TestMFASetupChallengeWithSDK(t *testing.T) {
	ctx := context.Background()
	clk := fakeclock.New(time.Now().UTC().Truncate(30 * time.Second))
	e := newSDKEnv(t, userpool.WithClock(clk.Now))
	if _, err := e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: aws.String(e.poolID), MfaConfiguration: types.UserPoolMfaTypeOn,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	e.signUp(t, "gina", "Pass-word-1", "gina@example.com")
	start, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "gina", "PASSWORD": "Pass-word-1"}})
	if err != nil || start.ChallengeName != types.ChallengeNameTypeMfaSetup {
		t.Fatalf("InitiateAuth = %+v, %v", start, err)
	}
	other := e.secondInstance(t)
	assoc, err := other.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: start.Session})
	if err != nil || aws.ToString(assoc.Session) == "" {
		t.Fatalf("AssociateSoftwareToken(Session) = %+v, %v", assoc, err)
	}
	ver, err := e.client.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{Session: assoc.Session,
		UserCode: aws.String(totptest.Code(t, aws.ToString(assoc.SecretCode), clk.Now()))})
	if err != nil || ver.Status != types.VerifySoftwareTokenResponseTypeSuccess {
		t.Fatalf("VerifySoftwareToken(Session) = %+v, %v", ver, err)
	}
	done, err := other.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(e.clientID),
		ChallengeName: types.ChallengeNameTypeMfaSetup, Session: ver.Session, ChallengeResponses: map[string]string{"USERNAME": "gina"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge(MFA_SETUP) = %+v, %v", done, err)
	}
	for _, s := range []string{"not-a-session", e.poolID + ".not-a-session-of-this-pool", "us-east-1_Nope12345.abcdefghijklmnopqrstuvwxyz"} {
		_, err = other.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{Session: aws.String(s)})
		wantCode(t, "session "+s, err, "NotAuthorizedException")
	}
}

// TestLegacySetUserSettingsWithSDK: the legacy MFAOptions switch turns SMS
// MFA on (GetUser reports it in MFAOptions and UserMFASettingList, and a
// sign-in asks for an SMS code) and, with an empty list, off.
func TestLegacySetUserSettingsWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t, userpool.WithAutoVerifiedAttributes("email", "phone_number"))
	pool := aws.String(e.poolID)
	if _, err := e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SmsMfaConfiguration: &types.SmsMfaConfigType{SmsAuthenticationMessage: aws.String("Your code is {####}")}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	e.signUp(t, "hana", "Pass-word-1", "hana@example.com")
	if _, err := e.client.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: pool, Username: aws.String("hana"),
		UserAttributes: []types.AttributeType{{Name: aws.String("phone_number"), Value: aws.String("+15550123")}}}); err != nil {
		t.Fatalf("AdminUpdateUserAttributes: %v", err)
	}
	tokens := e.passwordSignIn(t, "hana", "Pass-word-1")
	sms := []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeSms, AttributeName: aws.String("phone_number")}}

	_, err := e.client.SetUserSettings(ctx, &cip.SetUserSettingsInput{AccessToken: tokens.AccessToken,
		MFAOptions: []types.MFAOptionType{{DeliveryMedium: types.DeliveryMediumTypeEmail, AttributeName: aws.String("email")}}})
	wantCode(t, "email MFA option", err, "InvalidParameterException")
	if _, err := e.client.SetUserSettings(ctx, &cip.SetUserSettingsInput{AccessToken: tokens.AccessToken, MFAOptions: sms}); err != nil {
		t.Fatalf("SetUserSettings: %v", err)
	}
	got, err := e.client.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil || len(got.MFAOptions) != 1 || got.MFAOptions[0].DeliveryMedium != types.DeliveryMediumTypeSms ||
		len(got.UserMFASettingList) != 1 || got.UserMFASettingList[0] != "SMS_MFA" {
		t.Fatalf("GetUser after SetUserSettings = %+v, %v", got, err)
	}
	start, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "hana", "PASSWORD": "Pass-word-1"}})
	if err != nil || start.ChallengeName != types.ChallengeNameTypeSmsMfa {
		t.Fatalf("InitiateAuth with SMS MFA on = %+v, %v", start, err)
	}

	if _, err := e.client.AdminSetUserSettings(ctx, &cip.AdminSetUserSettingsInput{UserPoolId: pool, Username: aws.String("hana"),
		MFAOptions: []types.MFAOptionType{}}); err != nil {
		t.Fatalf("AdminSetUserSettings: %v", err)
	}
	e.passwordSignIn(t, "hana", "Pass-word-1")
}
