package cognitoapi_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/storage/memory"
)

// FuzzHandler sends arbitrary bodies to arbitrary targets. The handler
// must never fail internally, and must always answer JSON: an object, and
// on error one with __type matching the x-amzn-ErrorType header.
func FuzzHandler(f *testing.F) {
	seeds := []struct{ target, body string }{
		{"CreateUserPool", `{"PoolName":"p"}`},
		{"CreateUserPool", `{"PoolName":"p","Schema":[{"Name":"n","AttributeDataType":"Number","NumberAttributeConstraints":{"MinValue":"x"}}]}`},
		{"CreateUserPool", `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":-1}},"AccountRecoverySetting":{"RecoveryMechanisms":[{"Name":"admin_only","Priority":1}]}}`},
		{"CreateUserPool", `{"PoolName":"p","UsernameConfiguration":{},"DeviceConfiguration":{"DeviceOnlyRememberedOnUserPrompt":true}}`},
		{"UpdateUserPool", `{"UserPoolId":"us-east-1_abc","MfaConfiguration":"ON","SmsConfiguration":{}}`},
		{"DescribeUserPool", `{"UserPoolId":"us-east-1_abc"}`},
		{"DeleteUserPool", `{"UserPoolId":""}`},
		{"ListUserPools", `{"MaxResults":60,"NextToken":"AQVwb29scwA"}`},
		{"ListUserPools", `{"MaxResults":1e99}`},
		{"SignUp", `{"ClientId":"abc","Username":"u","Password":"p","UserAttributes":[{"Name":"email","Value":"a@b.c"},{"Name":"x"}]}`},
		{"InitiateAuth", `{"ClientId":"abc","AuthFlow":"USER_SRP_AUTH","AuthParameters":{"USERNAME":"u","SRP_A":"00"}}`},
		{"RespondToAuthChallenge", `{"ClientId":"abc","ChallengeName":"PASSWORD_VERIFIER","Session":"s","ChallengeResponses":{}}`},
		{"GetUser", `{"AccessToken":"a.eyJpc3MiOiJodHRwOi8veC91cy1lYXN0LTFfYWJjIn0.c"}`},
		{"AssociateSoftwareToken", `{"Session":"s"}`},
		{"ListUsers", `{"UserPoolId":"us-east-1_abc","Filter":"email ^= \"a\"","Limit":0}`},
		{"CreateUserPoolClient", `{"UserPoolId":"us-east-1_abc","ClientName":"c","TokenValidityUnits":{"AccessToken":"weeks"},"AccessTokenValidity":5}`},
		{"SetUserPoolMfaConfig", `{"UserPoolId":"us-east-1_abc","MfaConfiguration":"ON","SoftwareTokenMfaConfiguration":{"Enabled":true}}`},
		{"ConfirmDevice", `{"AccessToken":"x","DeviceKey":"k","DeviceSecretVerifierConfig":{"PasswordVerifier":"v","Salt":"s"}}`},
		{"AdminAddUserToGroup", `{"UserPoolId":"us-east-1_abc","Username":"u","GroupName":"g"}`},
		{"Nope", `{`},
		{"ListUserPools", "\xff"},
		{"CreateUserPool", `null`},
	}
	for _, s := range seeds {
		f.Add(s.target, []byte(s.body))
	}
	store := memory.New()
	h, err := cognitoapi.New(store, cognitoapi.AllowUnsignedAdmin(), cognitoapi.WithLogger(quietLogger()), cognitoapi.WithBodyLimit(64<<10))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, target string, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+target)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", target, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: answer %q is not a JSON object: %v", target, body, rec.Body, err)
		}
		if rec.Code != http.StatusOK {
			typ, _ := out["__type"].(string)
			if typ == "" || rec.Header().Get("x-amzn-ErrorType") != typ+":" {
				t.Fatalf("%s %q: error answer %s without a matching __type", target, body, rec.Body)
			}
			if _, ok := out["message"].(string); !ok {
				t.Fatalf("%s %q: error answer %s without a message", target, body, rec.Body)
			}
		}
	})
}
