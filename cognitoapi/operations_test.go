package cognitoapi_test

import (
	"strings"
	"testing"
)

// allOperations are the operations the handler serves besides pool
// management, which pools_test.go covers.
var allOperations = []string{
	"SetUserPoolMfaConfig", "GetUserPoolMfaConfig", "GetSigningCertificate",
	"CreateUserPoolClient", "DescribeUserPoolClient", "UpdateUserPoolClient", "DeleteUserPoolClient", "ListUserPoolClients",
	"SignUp", "ConfirmSignUp", "ResendConfirmationCode", "ForgotPassword", "ConfirmForgotPassword",
	"InitiateAuth", "RespondToAuthChallenge", "RevokeToken",
	"GetUser", "DeleteUser", "GlobalSignOut", "ChangePassword", "UpdateUserAttributes", "DeleteUserAttributes",
	"GetUserAttributeVerificationCode", "VerifyUserAttribute",
	"AssociateSoftwareToken", "VerifySoftwareToken", "SetUserMFAPreference", "AdminSetUserMFAPreference",
	"SetUserSettings", "AdminSetUserSettings",
	"StartWebAuthnRegistration", "CompleteWebAuthnRegistration", "ListWebAuthnCredentials", "DeleteWebAuthnCredential",
	"GetUserAuthFactors", "GetTokensFromRefreshToken",
	"ConfirmDevice", "GetDevice", "ForgetDevice", "UpdateDeviceStatus", "ListDevices",
	"AdminGetDevice", "AdminForgetDevice", "AdminUpdateDeviceStatus", "AdminListDevices",
	"AdminInitiateAuth", "AdminRespondToAuthChallenge", "AdminCreateUser", "AdminGetUser",
	"AdminUpdateUserAttributes", "AdminDeleteUserAttributes", "AdminSetUserPassword", "AdminDeleteUser",
	"AdminDisableUser", "AdminEnableUser", "AdminConfirmSignUp", "AdminResetUserPassword", "AdminUserGlobalSignOut",
	"ListUsers", "CreateResourceServer", "DescribeResourceServer", "UpdateResourceServer", "DeleteResourceServer", "ListResourceServers",
	"CreateGroup", "GetGroup", "UpdateGroup", "DeleteGroup", "ListGroups",
	"AdminAddUserToGroup", "AdminRemoveUserFromGroup", "AdminListGroupsForUser", "ListUsersInGroup",
}

// TestOperationsRefuseBadRequests: every operation answers an empty
// request, one with members of the wrong type, and one naming a pool that
// does not exist with a client error, never an internal one.
func TestOperationsRefuseBadRequests(t *testing.T) {
	e := newSDKEnv(t)
	wrongTypes := `{"UserPoolId":1,"ClientId":1,"AccessToken":1,"Username":1,"GroupName":1,"DeviceKey":1,"Session":1,"AuthFlow":1,"ChallengeName":1,"Token":1,"UserCode":1,"ClientName":1}`
	unknown := `{"UserPoolId":"us-east-1_Nope1","ClientId":"nope","AccessToken":"a.b.c","Username":"nobody","GroupName":"g","DeviceKey":"us-east-1_x",` +
		`"Session":"s","AuthFlow":"USER_PASSWORD_AUTH","ChallengeName":"NEW_PASSWORD_REQUIRED","Token":"t","UserCode":"123456","ClientName":"c",` +
		`"ConfirmationCode":"123456","Password":"Pass-word-1","ProposedPassword":"Pass-word-1","AttributeName":"email","Code":"1",` +
		`"UserAttributes":[],"UserAttributeNames":[]}`
	for _, op := range allOperations {
		for _, body := range []string{`{}`, wrongTypes, unknown} {
			r := signedCall(t, e.srv, call{op: op, body: body})
			if r.status != 400 || r.errType == "" || r.message == "" {
				t.Errorf("%s %s: %d %s %q", op, body, r.status, r.errType, r.message)
			}
		}
		// In the real pool some of these succeed; none may fail inside.
		r := signedCall(t, e.srv, call{op: op, body: strings.ReplaceAll(unknown, "us-east-1_Nope1", e.poolID)})
		if r.status != 200 && (r.status != 400 || r.errType == "") {
			t.Errorf("%s in the pool: %d %s %q", op, r.status, r.errType, r.message)
		}
	}
}
