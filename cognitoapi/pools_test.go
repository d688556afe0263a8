package cognitoapi_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool/internal/clienttest"
	"github.com/userpool/userpool/storage/memory"
)

func TestPoolLifecycleWithSDK(t *testing.T) {
	ctx := context.Background()
	srv, _ := newServer(t)
	client := sdkClient(srv, testAccessKey, testSecret)

	created, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("shop"),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(12), RequireNumbers: true, TemporaryPasswordValidityDays: 3,
		}},
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		UsernameConfiguration:  &types.UsernameConfigurationType{CaseSensitive: aws.Bool(false)},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Schema: []types.SchemaAttributeType{
			{Name: aws.String("given_name"), Required: aws.Bool(true)},
			{Name: aws.String("tier"), AttributeDataType: types.AttributeDataTypeNumber, Mutable: aws.Bool(true),
				NumberAttributeConstraints: &types.NumberAttributeConstraintsType{MinValue: aws.String("1"), MaxValue: aws.String("5")}},
		},
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true},
		AccountRecoverySetting: &types.AccountRecoverySettingType{RecoveryMechanisms: []types.RecoveryOptionType{
			{Name: types.RecoveryOptionNameTypeVerifiedEmail, Priority: aws.Int32(1)},
		}},
		DeviceConfiguration: &types.DeviceConfigurationType{DeviceOnlyRememberedOnUserPrompt: true},
		UserPoolTags:        map[string]string{"team": "web"},
		DeletionProtection:  types.DeletionProtectionTypeInactive,
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	up := created.UserPool
	id := aws.ToString(up.Id)
	if !strings.HasPrefix(id, "us-east-1_") || len(id) != len("us-east-1_")+9 {
		t.Errorf("pool id %q, want us-east-1_ and 9 characters", id)
	}
	if got := aws.ToString(up.Arn); got != "arn:aws:cognito-idp:us-east-1:000000000000:userpool/"+id {
		t.Errorf("Arn = %q", got)
	}
	if up.CreationDate == nil || time.Since(*up.CreationDate) > time.Minute {
		t.Errorf("CreationDate = %v, want about now", up.CreationDate)
	}

	desc, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeUserPool: %v", err)
	}
	d := desc.UserPool
	pp := d.Policies.PasswordPolicy
	checks := []struct {
		name      string
		got, want any
	}{
		{"Name", aws.ToString(d.Name), "shop"},
		{"MinimumLength", aws.ToInt32(pp.MinimumLength), int32(12)},
		{"RequireNumbers", pp.RequireNumbers, true},
		{"RequireSymbols", pp.RequireSymbols, false},
		{"TemporaryPasswordValidityDays", pp.TemporaryPasswordValidityDays, int32(3)},
		{"UsernameAttributes", d.UsernameAttributes, []types.UsernameAttributeType{"email"}},
		{"CaseSensitive", aws.ToBool(d.UsernameConfiguration.CaseSensitive), false},
		{"AllowAdminCreateUserOnly", d.AdminCreateUserConfig.AllowAdminCreateUserOnly, true},
		{"Recovery", d.AccountRecoverySetting.RecoveryMechanisms[0].Name, types.RecoveryOptionNameTypeVerifiedEmail},
		{"DeviceOnlyRememberedOnUserPrompt", d.DeviceConfiguration.DeviceOnlyRememberedOnUserPrompt, true},
		{"Tags", d.UserPoolTags["team"], "web"},
		{"MfaConfiguration", d.MfaConfiguration, types.UserPoolMfaTypeOff},
		{"DeletionProtection", d.DeletionProtection, types.DeletionProtectionTypeInactive},
		{"EstimatedNumberOfUsers", d.EstimatedNumberOfUsers, int32(0)},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("DescribeUserPool %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	attrs := map[string]types.SchemaAttributeType{}
	for _, a := range d.SchemaAttributes {
		attrs[aws.ToString(a.Name)] = a
	}
	if a := attrs["given_name"]; !aws.ToBool(a.Required) {
		t.Errorf("given_name not required: %+v", a)
	}
	if a, ok := attrs["custom:tier"]; !ok || a.AttributeDataType != types.AttributeDataTypeNumber ||
		aws.ToString(a.NumberAttributeConstraints.MaxValue) != "5" {
		t.Errorf("custom:tier = %+v", a)
	}
	if a := attrs["email"]; aws.ToString(a.StringAttributeConstraints.MaxLength) != "2048" {
		t.Errorf("email constraints = %+v", a.StringAttributeConstraints)
	}

	// UpdateUserPool replaces every setting: what it omits returns to the
	// default, what is fixed at creation stays.
	_, err = client.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{
		UserPoolId:         aws.String(id),
		DeletionProtection: types.DeletionProtectionTypeActive,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(9), RequireSymbols: true,
		}},
	})
	if err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	desc, err = client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	if err != nil {
		t.Fatalf("DescribeUserPool after update: %v", err)
	}
	d = desc.UserPool
	if got := aws.ToInt32(d.Policies.PasswordPolicy.MinimumLength); got != 9 {
		t.Errorf("after update MinimumLength = %d, want 9", got)
	}
	if d.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		t.Error("after update AllowAdminCreateUserOnly kept; an omitted setting must return to its default")
	}
	if d.UserPoolTags != nil || d.DeviceConfiguration != nil {
		t.Errorf("after update tags %v, devices %+v: want both reset", d.UserPoolTags, d.DeviceConfiguration)
	}
	if !equal(d.UsernameAttributes, []types.UsernameAttributeType{"email"}) || aws.ToString(d.Name) != "shop" {
		t.Errorf("after update UsernameAttributes %v, Name %q: fixed settings must stay", d.UsernameAttributes, aws.ToString(d.Name))
	}
	if !d.LastModifiedDate.After(*d.CreationDate) && !d.LastModifiedDate.Equal(*d.CreationDate) {
		t.Errorf("LastModifiedDate %v before CreationDate %v", d.LastModifiedDate, d.CreationDate)
	}

	// Deletion protection refuses DeleteUserPool until it is turned off.
	_, err = client.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)})
	var ipe *types.InvalidParameterException
	if !errors.As(err, &ipe) {
		t.Fatalf("DeleteUserPool with deletion protection: got %v, want InvalidParameterException", err)
	}
	if _, err := client.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatalf("UpdateUserPool: %v", err)
	}
	list, err := client.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(10)})
	if err != nil || len(list.UserPools) != 1 || aws.ToString(list.UserPools[0].Id) != id {
		t.Fatalf("ListUserPools = %+v, %v; want the one pool", list, err)
	}
	if _, err := client.DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(id)}); err != nil {
		t.Fatalf("DeleteUserPool: %v", err)
	}
	_, err = client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String(id)})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) || rnf.ErrorMessage() != "User pool "+id+" does not exist." {
		t.Fatalf("DescribeUserPool after delete: got %v, want ResourceNotFoundException", err)
	}
}

func equal(a, b any) bool {
	switch x := a.(type) {
	case []types.UsernameAttributeType:
		y, _ := b.([]types.UsernameAttributeType)
		if len(x) != len(y) {
			return false
		}
		for i := range x {
			if x[i] != y[i] {
				return false
			}
		}
		return true
	}
	return a == b
}

func TestListUserPoolsPages(t *testing.T) {
	ctx := context.Background()
	srv, _ := newServer(t)
	client := sdkClient(srv, testAccessKey, testSecret)
	want := map[string]bool{}
	for _, name := range []string{"a", "b", "c", "d", "e"} {
		out, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
		if err != nil {
			t.Fatalf("CreateUserPool %s: %v", name, err)
		}
		want[aws.ToString(out.UserPool.Id)] = true
	}
	got := map[string]bool{}
	pages := cip.NewListUserPoolsPaginator(client, &cip.ListUserPoolsInput{MaxResults: aws.Int32(2)})
	n := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatalf("ListUserPools page %d: %v", n, err)
		}
		n++
		for _, p := range page.UserPools {
			got[aws.ToString(p.Id)] = true
			if p.CreationDate == nil {
				t.Errorf("pool %s without CreationDate", aws.ToString(p.Id))
			}
		}
	}
	if n != 3 || len(got) != len(want) {
		t.Errorf("%d pages with %d pools, want 3 pages with %d", n, len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("pool %s not listed", id)
		}
	}
}

func TestPoolErrorsWithSDK(t *testing.T) {
	ctx := context.Background()
	srv, _ := newServer(t)
	client := sdkClient(srv, testAccessKey, testSecret)
	tests := []struct {
		name     string
		call     func() error
		wantType string
		wantMsg  string
	}{
		{"describe missing pool", func() error {
			_, err := client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: aws.String("us-east-1_nothere00")})
			return err
		}, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist."},
		{"invalid password policy", func() error {
			_, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"),
				Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(3)}}})
			return err
		}, "InvalidParameterException", "Policies.PasswordPolicy.MinimumLength: 3 is outside 6 to 99"},
		{"alias and username attributes", func() error {
			_, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"),
				AliasAttributes:    []types.AliasAttributeType{"email"},
				UsernameAttributes: []types.UsernameAttributeType{"email"}})
			return err
		}, "InvalidParameterException", "AliasAttributes: only one of alias attributes or username attributes can be set in a user pool"},
		{"max results out of range", func() error {
			_, err := client.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(61)})
			return err
		}, "InvalidParameterException", "1 validation error detected: Value '61' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60"},
		{"bad next token", func() error {
			_, err := client.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1), NextToken: aws.String("garbage")})
			return err
		}, "InvalidParameterException", "Invalid NextToken"},
		{"lambda config", func() error {
			_, err := client.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("p"),
				LambdaConfig: &types.LambdaConfigType{PreSignUp: aws.String("arn:aws:lambda:us-east-1:1:function:f")}})
			return err
		}, "InvalidParameterException", "LambdaConfig is not supported"},
		{"update missing pool", func() error {
			_, err := client.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: aws.String("us-east-1_nothere00")})
			return err
		}, "ResourceNotFoundException", "User pool us-east-1_nothere00 does not exist."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var api smithy.APIError
			if !errors.As(err, &api) {
				t.Fatalf("got %v, want %s", err, tt.wantType)
			}
			if api.ErrorCode() != tt.wantType || !strings.Contains(api.ErrorMessage(), tt.wantMsg) {
				t.Errorf("got %s %q, want %s containing %q", api.ErrorCode(), api.ErrorMessage(), tt.wantType, tt.wantMsg)
			}
		})
	}
}

func TestAdminCallsNeedTheRightKeyPair(t *testing.T) {
	ctx := context.Background()
	srv, _ := newServer(t)
	tests := []struct {
		name, key, secret, wantType string
	}{
		{"wrong access key", "AKIDOTHER", testSecret, "UnrecognizedClientException"},
		{"wrong secret", testAccessKey, "not-the-secret", "InvalidSignatureException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := sdkClient(srv, tt.key, tt.secret).ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)})
			var api smithy.APIError
			if !errors.As(err, &api) || api.ErrorCode() != tt.wantType {
				t.Fatalf("got %v, want %s", err, tt.wantType)
			}
		})
	}
	t.Run("unsigned", func(t *testing.T) {
		r := unsignedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":1}`})
		if r.status != 400 || r.errType != "MissingAuthenticationTokenException" {
			t.Fatalf("got %d %s %q, want 400 MissingAuthenticationTokenException", r.status, r.errType, r.message)
		}
	})
}

func TestUnsignedAdminWithoutCredentials(t *testing.T) {
	store := memory.New()
	h, err := newUnsignedHandler(store, true)
	if err != nil {
		t.Fatal(err)
	}
	srv := serve(t, h)
	// The SDK signs with whatever credentials it has; the signature is
	// not checked, and its region names the pool's.
	client := cip.New(cip.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: aws.AnonymousCredentials{}, HTTPClient: &http.Client{Transport: clienttest.BufferedTransport(srv.Client().Transport)}})
	out, err := client.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("dev")})
	if err != nil {
		t.Fatalf("CreateUserPool unsigned: %v", err)
	}
	if id := aws.ToString(out.UserPool.Id); !strings.HasPrefix(id, "us-east-1_") {
		t.Errorf("unsigned call created %s, want the handler's region us-east-1", id)
	}
	out2, err := cip.New(cip.Options{Region: "eu-west-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("any", "thing", ""), HTTPClient: &http.Client{Transport: clienttest.BufferedTransport(srv.Client().Transport)}}).
		CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("dev2")})
	if err != nil {
		t.Fatalf("CreateUserPool with an unchecked signature: %v", err)
	}
	if id := aws.ToString(out2.UserPool.Id); !strings.HasPrefix(id, "eu-west-1_") {
		t.Errorf("signed call created %s, want the signature's region eu-west-1", id)
	}

	// A web page cannot drive an unsigned admin API.
	r := unsignedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":1}`, headers: map[string]string{"Origin": "https://evil.example"}})
	if r.errType != "MissingAuthenticationTokenException" {
		t.Errorf("unsigned admin call with Origin: got %s %q, want MissingAuthenticationTokenException", r.errType, r.message)
	}

	// Without AllowUnsignedAdmin, a handler without credentials refuses
	// admin calls.
	h2, err := newUnsignedHandler(store, false)
	if err != nil {
		t.Fatal(err)
	}
	r = unsignedCall(t, serve(t, h2), call{op: "ListUserPools", body: `{"MaxResults":1}`})
	if r.errType != "UnrecognizedClientException" {
		t.Errorf("admin call without configured credentials: got %s, want UnrecognizedClientException", r.errType)
	}
}

func TestPoolsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	srv1 := serve(t, newHandler(t, store))
	out, err := sdkClient(srv1, testAccessKey, testSecret).CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName: aws.String("kept"), MfaConfiguration: types.UserPoolMfaTypeOff,
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(20)}},
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	srv1.Close()

	srv2 := serve(t, newHandler(t, store))
	desc, err := sdkClient(srv2, testAccessKey, testSecret).DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: out.UserPool.Id})
	if err != nil {
		t.Fatalf("DescribeUserPool after restart: %v", err)
	}
	if got := aws.ToInt32(desc.UserPool.Policies.PasswordPolicy.MinimumLength); got != 20 || aws.ToString(desc.UserPool.Name) != "kept" {
		t.Errorf("after restart: name %q, MinimumLength %d", aws.ToString(desc.UserPool.Name), got)
	}
}

// TestSharedStoreSeesUpdates: two handlers on one store (two server
// instances); an update through one is served by the other.
func TestSharedStoreSeesUpdates(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	a := sdkClient(serve(t, newHandler(t, store)), testAccessKey, testSecret)
	b := sdkClient(serve(t, newHandler(t, store)), testAccessKey, testSecret)
	out, err := a.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("shared")})
	if err != nil {
		t.Fatal(err)
	}
	id := out.UserPool.Id
	if _, err := b.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.UpdateUserPool(ctx, &cip.UpdateUserPoolInput{UserPoolId: id, MfaConfiguration: types.UserPoolMfaTypeOff,
		AdminCreateUserConfig: &types.AdminCreateUserConfigType{AllowAdminCreateUserOnly: true}}); err != nil {
		t.Fatal(err)
	}
	desc, err := b.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: id})
	if err != nil {
		t.Fatal(err)
	}
	if !desc.UserPool.AdminCreateUserConfig.AllowAdminCreateUserOnly {
		t.Error("the other handler still serves the pool as it was before the update")
	}
}
