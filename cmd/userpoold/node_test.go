package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/internal/clienttest"
)

// TestAmazonCognitoIdentityJSAgainstUserpoold runs amazon-cognito-identity-js
// against a userpoold on SQLite: USER_SRP_AUTH and a remembered-device
// sign-in. (cognitoapi's TestAmazonCognitoIdentityJS adds TOTP MFA, with a
// clock it controls.)
func TestAmazonCognitoIdentityJSAgainstUserpoold(t *testing.T) {
	clienttest.NeedNode(t)
	ctx := context.Background()
	env := map[string]string{"USERPOOLD_ADMIN_CREDENTIALS": "AKIDTEST:s3cret"}
	srv := start(t, env, "-db", filepath.Join(t.TempDir(), "pools.db"))
	c := client(srv.url, "AKIDTEST", "s3cret")
	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("js"),
		DeviceConfiguration: &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true}})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	pool := created.UserPool.Id
	app, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("browser"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	const password = "Node-Pass-123"
	for _, name := range []string{"srp-user", "device-user"} {
		if _, err := c.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			MessageAction: types.MessageActionTypeSuppress}); err != nil {
			t.Fatalf("AdminCreateUser: %v", err)
		}
		if _, err := c.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String(name),
			Password: aws.String(password), Permanent: true}); err != nil {
			t.Fatalf("AdminSetUserPassword: %v", err)
		}
	}

	steps := clienttest.RunFlows(t, []string{"ENDPOINT=" + srv.url + "/", "POOL_ID=" + aws.ToString(pool),
		"CLIENT_ID=" + aws.ToString(app.UserPoolClient.ClientId),
		"SRP_USER=srp-user", "SRP_PASSWORD=" + password, "DEVICE_USER=device-user", "DEVICE_PASSWORD=" + password},
		func() string { return "server log:\n" + srv.log.String() })
	if s := steps["srp"]; s == nil || s["username"] != "srp-user" {
		t.Errorf("srp step = %v", s)
	}
	s := steps["device"]
	if s == nil || s["deviceKey"] == "" || s["tokenDeviceKey"] != s["deviceKey"] {
		t.Fatalf("device step = %v", s)
	}
	dev, err := c.AdminGetDevice(ctx, &cip.AdminGetDeviceInput{UserPoolId: pool, Username: aws.String("device-user"), DeviceKey: aws.String(s["deviceKey"].(string))})
	if err != nil {
		t.Fatalf("AdminGetDevice: %v", err)
	}
	for _, a := range dev.Device.DeviceAttributes {
		if aws.ToString(a.Name) == "dev:device_remembered_status" && aws.ToString(a.Value) != "remembered" {
			t.Errorf("device status %s", aws.ToString(a.Value))
		}
	}
	if dev.Device.DeviceLastAuthenticatedDate == nil {
		t.Error("the device has no last authentication date after DEVICE_SRP_AUTH")
	}
}
