package cognitoapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/internal/clienttest"
	"github.com/userpool/userpool/internal/fakeclock"
	"github.com/userpool/userpool/internal/totptest"
	"github.com/userpool/userpool/storage/memory"
)

// recorder notes each operation and, for RespondToAuthChallenge, the
// challenge answered.
type recorder struct {
	next http.Handler
	mu   sync.Mutex
	ops  []string
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	op := strings.TrimPrefix(req.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	if op == "RespondToAuthChallenge" {
		body, _ := io.ReadAll(req.Body)
		req.Body = io.NopCloser(bytes.NewReader(body))
		var in struct{ ChallengeName string }
		_ = json.Unmarshal(body, &in)
		op += ":" + in.ChallengeName
	}
	r.mu.Lock()
	r.ops = append(r.ops, op)
	r.mu.Unlock()
	r.next.ServeHTTP(w, req)
}

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.ops)
}

// TestAmazonCognitoIdentityJS runs amazon-cognito-identity-js under Node
// against the handler: USER_SRP_AUTH, a TOTP MFA sign-in, and a
// remembered-device sign-in (DEVICE_SRP_AUTH) that skips the user's MFA.
func TestAmazonCognitoIdentityJS(t *testing.T) {
	clienttest.NeedNode(t)
	ctx := context.Background()
	clk := fakeclock.New(time.Now().UTC().Truncate(time.Second))
	poolOpts := append(testPoolOptions(), userpool.WithClock(clk.Now))
	rec := &recorder{next: newHandler(t, memory.New(), cognitoapi.WithPoolOptions(poolOpts...))}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	client := sdkClient(srv, testAccessKey, testSecret)

	created, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("nodejs"),
		DeviceConfiguration: &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true}})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := created.UserPool.Id
	if _, err := client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}}); err != nil {
		t.Fatalf("SetUserPoolMfaConfig: %v", err)
	}
	c, err := client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("browser"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth,
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	clientID := c.UserPoolClient.ClientId
	const password = "Node-Pass-123"
	for _, name := range []string{"srp-user", "mfa-user", "device-user"} {
		if _, err := client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		if _, err := client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String(name),
			Password: aws.String(password), Permanent: true}); err != nil {
			t.Fatalf("AdminSetUserPassword: %v", err)
		}
	}
	// TOTP for mfa-user and device-user, set up through the SDK.
	setUpTOTP := func(username string) string {
		signIn, err := client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: clientID, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
			AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
		if err != nil || signIn.AuthenticationResult == nil {
			t.Fatalf("InitiateAuth: %+v, %v", signIn, err)
		}
		access := signIn.AuthenticationResult.AccessToken
		assoc, err := client.AssociateSoftwareToken(ctx, &cip.AssociateSoftwareTokenInput{AccessToken: access})
		if err != nil {
			t.Fatalf("AssociateSoftwareToken: %v", err)
		}
		secret := aws.ToString(assoc.SecretCode)
		if _, err := client.VerifySoftwareToken(ctx, &cip.VerifySoftwareTokenInput{AccessToken: access, UserCode: aws.String(totptest.Code(t, secret, clk.Now()))}); err != nil {
			t.Fatalf("VerifySoftwareToken: %v", err)
		}
		if _, err := client.SetUserMFAPreference(ctx, &cip.SetUserMFAPreferenceInput{AccessToken: access,
			SoftwareTokenMfaSettings: &types.SoftwareTokenMfaSettingsType{Enabled: true, PreferredMfa: true}}); err != nil {
			t.Fatalf("SetUserMFAPreference: %v", err)
		}
		return secret
	}
	secret, deviceSecret := setUpTOTP("mfa-user"), setUpTOTP("device-user")
	// The next code the authenticator shows, a minute on.
	clk.Set(clk.Now().Add(time.Minute))

	steps := clienttest.RunFlows(t, []string{
		"ENDPOINT=" + srv.URL + "/", "POOL_ID=" + aws.ToString(pool), "CLIENT_ID=" + aws.ToString(clientID),
		"SRP_USER=srp-user", "SRP_PASSWORD=" + password,
		"MFA_USER=mfa-user", "MFA_PASSWORD=" + password, "TOTP_SECRET=" + secret,
		"TOTP_TIME=" + strconv.FormatInt(clk.Now().Unix(), 10),
		"DEVICE_USER=device-user", "DEVICE_PASSWORD=" + password, "DEVICE_TOTP_SECRET=" + deviceSecret,
	}, func() string { return fmt.Sprintf("operations: %v", rec.seen()) })
	if s := steps["srp"]; s == nil || s["username"] != "srp-user" || s["valid"] != true {
		t.Errorf("srp step = %v", s)
	}
	if s := steps["totp"]; s == nil || s["username"] != "mfa-user" || !strings.Contains(strings.Join(clienttest.Strings(s["challenges"]), ","), "SOFTWARE_TOKEN_MFA") {
		t.Errorf("totp step = %v", s)
	}
	s := steps["device"]
	if s == nil || s["username"] != "device-user" || s["deviceKey"] == "" || s["tokenDeviceKey"] != s["deviceKey"] {
		t.Fatalf("device step = %v", s)
	}
	// MFA on the first sign-in; the remembered device skips it.
	if first, again := clienttest.Strings(s["firstChallenges"]), clienttest.Strings(s["againChallenges"]); !slices.Equal(first, []string{"SOFTWARE_TOKEN_MFA"}) || len(again) != 0 {
		t.Errorf("device-user's challenges: first sign-in %v, with the remembered device %v", first, again)
	}
	ops := rec.seen()
	for _, want := range []string{"RespondToAuthChallenge:PASSWORD_VERIFIER", "RespondToAuthChallenge:SOFTWARE_TOKEN_MFA",
		"ConfirmDevice", "UpdateDeviceStatus", "RespondToAuthChallenge:DEVICE_SRP_AUTH", "RespondToAuthChallenge:DEVICE_PASSWORD_VERIFIER"} {
		if !slices.Contains(ops, want) {
			t.Errorf("the Node client never called %s; operations: %v", want, ops)
		}
	}
	devices, err := client.AdminListDevices(ctx, &cip.AdminListDevicesInput{UserPoolId: pool, Username: aws.String("device-user")})
	if err != nil || len(devices.Devices) != 1 {
		t.Fatalf("AdminListDevices = %+v, %v", devices, err)
	}
	attrs := map[string]string{}
	for _, a := range devices.Devices[0].DeviceAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if attrs["dev:device_remembered_status"] != "remembered" || aws.ToString(devices.Devices[0].DeviceKey) != s["deviceKey"] {
		t.Errorf("device = %s %v", aws.ToString(devices.Devices[0].DeviceKey), attrs)
	}
}
