package cognitoapi_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/document"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/softauthn"
	"github.com/userpool/userpool/passkey"
)

// TestPasskeysWithSDK: a passkey registered and used through the AWS SDK:
// the options and the credential travel as JSON documents.
func TestPasskeysWithSDK(t *testing.T) {
	ctx := context.Background()
	const origin = "https://shop.example"
	ceremonies, err := passkey.New(passkey.Config{RPID: "shop.example", RPName: "Shop", RPOrigins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	e := newSDKEnv(t, userpool.WithPasskeys(ceremonies),
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorWebAuthn))
	c, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: aws.String(e.poolID), ClientName: aws.String("choice"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserAuth, types.ExplicitAuthFlowsTypeAllowUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatal(err)
	}
	client := c.UserPoolClient.ClientId
	e.signUp(t, "pia", "Pass-word-1", "pia@example.com")
	access := e.passwordSignIn(t, "pia", "Pass-word-1").AccessToken

	a := e.registerPasskey(t, access, origin)
	list, err := e.client.ListWebAuthnCredentials(ctx, &cip.ListWebAuthnCredentialsInput{AccessToken: access})
	if err != nil || len(list.Credentials) != 1 || aws.ToString(list.Credentials[0].CredentialId) != a.CredentialID() {
		t.Fatalf("ListWebAuthnCredentials = %+v, %v", list, err)
	}

	challenge, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: client, AuthFlow: types.AuthFlowTypeUserAuth,
		AuthParameters: map[string]string{"USERNAME": "pia", "PREFERRED_CHALLENGE": "WEB_AUTHN"}})
	if err != nil || challenge.ChallengeName != types.ChallengeNameTypeWebAuthn {
		t.Fatalf("InitiateAuth USER_AUTH WEB_AUTHN = %+v, %v", challenge, err)
	}
	assertion, err := a.Assert([]byte(challenge.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]))
	if err != nil {
		t.Fatal(err)
	}
	done, err := e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: client,
		ChallengeName: types.ChallengeNameTypeWebAuthn, Session: challenge.Session,
		ChallengeResponses: map[string]string{"USERNAME": "pia", "CREDENTIAL": string(assertion)}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge(WEB_AUTHN) = %+v, %v", done, err)
	}

	factors, err := e.client.GetUserAuthFactors(ctx, &cip.GetUserAuthFactorsInput{AccessToken: access})
	if err != nil || aws.ToString(factors.Username) != "pia" ||
		!slices.Equal(factors.ConfiguredUserAuthFactors, []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}) {
		t.Fatalf("GetUserAuthFactors = %+v, %v", factors, err)
	}

	if _, err := e.client.DeleteWebAuthnCredential(ctx, &cip.DeleteWebAuthnCredentialInput{AccessToken: access,
		CredentialId: aws.String(a.CredentialID())}); err != nil {
		t.Fatalf("DeleteWebAuthnCredential: %v", err)
	}
	_, err = e.client.DeleteWebAuthnCredential(ctx, &cip.DeleteWebAuthnCredentialInput{AccessToken: access, CredentialId: aws.String(a.CredentialID())})
	wantCode(t, "deleted twice", err, "ResourceNotFoundException")
}

// TestPoolRelyingPartyWithSDK: SetUserPoolMfaConfig's
// WebAuthnConfiguration gives the pool its own relying party, which
// GetUserPoolMfaConfig shows and passkey registrations use.
func TestPoolRelyingPartyWithSDK(t *testing.T) {
	ctx := context.Background()
	ceremonies, err := passkey.New(passkey.Config{RPID: "shop.example", RPName: "Shop",
		RPOrigins: []string{"https://shop.example", "https://blog.example"}})
	if err != nil {
		t.Fatal(err)
	}
	e := newSDKEnv(t, userpool.WithPasskeys(ceremonies))
	pool := aws.String(e.poolID)
	if _, err := e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOff,
		WebAuthnConfiguration: &types.WebAuthnConfigurationType{RelyingPartyId: aws.String("blog.example"), UserVerification: types.UserVerificationTypePreferred}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	got, err := e.client.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: pool})
	if err != nil || got.WebAuthnConfiguration == nil || aws.ToString(got.WebAuthnConfiguration.RelyingPartyId) != "blog.example" ||
		got.WebAuthnConfiguration.UserVerification != types.UserVerificationTypePreferred {
		t.Fatalf("GetUserPoolMfaConfig = %+v, %v", got, err)
	}
	e.signUp(t, "rae", "Pass-word-1", "rae@example.com")
	access := e.passwordSignIn(t, "rae", "Pass-word-1").AccessToken
	e.registerPasskey(t, access, "https://blog.example")
}

// registerPasskey registers a new software passkey at origin for the
// holder of access, through Start and CompleteWebAuthnRegistration.
func (e *sdkEnv) registerPasskey(t *testing.T, access *string, origin string) *softauthn.Authenticator {
	t.Helper()
	ctx := context.Background()
	start, err := e.client.StartWebAuthnRegistration(ctx, &cip.StartWebAuthnRegistrationInput{AccessToken: access})
	if err != nil {
		t.Fatalf("StartWebAuthnRegistration: %v", err)
	}
	options, err := start.CredentialCreationOptions.MarshalSmithyDocument()
	if err != nil {
		t.Fatal(err)
	}
	a, err := softauthn.New(origin)
	if err != nil {
		t.Fatal(err)
	}
	response, err := a.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	var credential map[string]any
	if err := json.Unmarshal(response, &credential); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CompleteWebAuthnRegistration(ctx, &cip.CompleteWebAuthnRegistrationInput{AccessToken: access,
		Credential: document.NewLazyDocument(credential)}); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration at %s: %v", origin, err)
	}
	return a
}
