package cognitoapi

import (
	"context"
)

// authKind is how an operation is authorised, as Cognito's model marks it.
type authKind int

const (
	// signed operations (administrative) need an AWS SigV4 signature.
	signed authKind = iota
	// unsigned operations are public, identified by a ClientId.
	unsigned
	// token operations are authorised by an access token in the body and
	// verified by the pool, not here.
	token
)

// operation is one entry of the registry: how it is authorised and what
// runs it on the raw request body.
type operation struct {
	auth   authKind
	handle func(ctx context.Context, h *Handler, body []byte) (any, error)
}

// checker is implemented by request types with required fields.
type checker interface{ check() error }

// op adapts a typed operation to the registry: it decodes the body into In
// (lenient on unknown fields, strict on types), checks required fields, and
// runs fn.
func op[In, Out any](auth authKind, fn func(ctx context.Context, h *Handler, in *In) (*Out, error)) operation {
	return operation{auth: auth, handle: func(ctx context.Context, h *Handler, body []byte) (any, error) {
		in := new(In)
		if err := decode(body, in); err != nil {
			return nil, err
		}
		if c, ok := any(in).(checker); ok {
			if err := c.check(); err != nil {
				return nil, err
			}
		}
		out, err := fn(ctx, h, in)
		if err != nil {
			return nil, err
		}
		if out == nil {
			return struct{}{}, nil
		}
		return out, nil
	}}
}

// empty is the output of operations that return nothing: "{}".
type empty struct{}

// operations returns the registry: every operation the server answers,
// by the name after AWSCognitoIdentityProviderService. in X-Amz-Target.
func operations() map[string]operation {
	return map[string]operation{
		// Pool management (signed).
		"CreateUserPool":   op(signed, createUserPool),
		"DescribeUserPool": op(signed, describeUserPool),
		"UpdateUserPool":   op(signed, updateUserPool),
		"DeleteUserPool":   op(signed, deleteUserPool),
		"ListUserPools":    op(signed, listUserPools),

		"SetUserPoolMfaConfig":  op(signed, setUserPoolMfaConfig),
		"GetUserPoolMfaConfig":  op(signed, getUserPoolMfaConfig),
		"GetSigningCertificate": op(signed, getSigningCertificate),

		// App clients (signed).
		"CreateUserPoolClient":   op(signed, createUserPoolClient),
		"DescribeUserPoolClient": op(signed, describeUserPoolClient),
		"UpdateUserPoolClient":   op(signed, updateUserPoolClient),
		"DeleteUserPoolClient":   op(signed, deleteUserPoolClient),
		"ListUserPoolClients":    op(signed, listUserPoolClients),

		// Public operations (unsigned, by ClientId).
		"SignUp":                 op(unsigned, signUp),
		"ConfirmSignUp":          op(unsigned, confirmSignUp),
		"ResendConfirmationCode": op(unsigned, resendConfirmationCode),
		"ForgotPassword":         op(unsigned, forgotPassword),
		"ConfirmForgotPassword":  op(unsigned, confirmForgotPassword),
		"InitiateAuth":           op(unsigned, initiateAuth),
		"RespondToAuthChallenge": op(unsigned, respondToAuthChallenge),
		"RevokeToken":            op(unsigned, revokeToken),

		// Operations authorised by an access token (unsigned).
		"GetUser":                          op(token, getUser),
		"DeleteUser":                       op(token, deleteUser),
		"GlobalSignOut":                    op(token, globalSignOut),
		"ChangePassword":                   op(token, changePassword),
		"UpdateUserAttributes":             op(token, updateUserAttributes),
		"DeleteUserAttributes":             op(token, deleteUserAttributes),
		"GetUserAttributeVerificationCode": op(token, getUserAttributeVerificationCode),
		"VerifyUserAttribute":              op(token, verifyUserAttribute),

		// User MFA (by access token or session; the admin one signed).
		"AssociateSoftwareToken":       op(token, associateSoftwareToken),
		"VerifySoftwareToken":          op(token, verifySoftwareToken),
		"SetUserMFAPreference":         op(token, setUserMFAPreference),
		"AdminSetUserMFAPreference":    op(signed, adminSetUserMFAPreference),
		"SetUserSettings":              op(token, setUserSettings),
		"StartWebAuthnRegistration":    op(token, startWebAuthnRegistration),
		"CompleteWebAuthnRegistration": op(token, completeWebAuthnRegistration),
		"ListWebAuthnCredentials":      op(token, listWebAuthnCredentials),
		"DeleteWebAuthnCredential":     op(token, deleteWebAuthnCredential),
		"GetUserAuthFactors":           op(token, getUserAuthFactors),
		"GetTokensFromRefreshToken":    op(unsigned, getTokensFromRefreshToken),
		"AdminSetUserSettings":         op(signed, adminSetUserSettings),

		// Devices (by access token; the admin ones signed).
		"ConfirmDevice":           op(token, confirmDevice),
		"GetDevice":               op(token, getDevice),
		"ForgetDevice":            op(token, forgetDevice),
		"UpdateDeviceStatus":      op(token, updateDeviceStatus),
		"ListDevices":             op(token, listDevices),
		"AdminGetDevice":          op(signed, adminGetDevice),
		"AdminForgetDevice":       op(signed, adminForgetDevice),
		"AdminUpdateDeviceStatus": op(signed, adminUpdateDeviceStatus),
		"AdminListDevices":        op(signed, adminListDevices),

		// Administrative user operations (signed).
		"AdminInitiateAuth":           op(signed, adminInitiateAuth),
		"AdminRespondToAuthChallenge": op(signed, adminRespondToAuthChallenge),
		"AdminCreateUser":             op(signed, adminCreateUser),
		"AdminGetUser":                op(signed, adminGetUser),
		"AdminUpdateUserAttributes":   op(signed, adminUpdateUserAttributes),
		"AdminDeleteUserAttributes":   op(signed, adminDeleteUserAttributes),
		"AdminSetUserPassword":        op(signed, adminSetUserPassword),
		"AdminDeleteUser":             adminUserOp(adminDeleteUser),
		"AdminDisableUser":            adminUserOp(adminDisableUser),
		"AdminEnableUser":             adminUserOp(adminEnableUser),
		"AdminConfirmSignUp":          adminUserOp(adminConfirmSignUp),
		"AdminResetUserPassword":      adminUserOp(adminResetUserPassword),
		"AdminUserGlobalSignOut":      adminUserOp(adminUserGlobalSignOut),
		"ListUsers":                   op(signed, listUsers),

		// Groups (signed).
		"CreateResourceServer":     op(signed, createResourceServer),
		"DescribeResourceServer":   op(signed, describeResourceServer),
		"UpdateResourceServer":     op(signed, updateResourceServer),
		"DeleteResourceServer":     op(signed, deleteResourceServer),
		"ListResourceServers":      op(signed, listResourceServers),
		"CreateGroup":              op(signed, createGroup),
		"GetGroup":                 op(signed, getGroup),
		"UpdateGroup":              op(signed, updateGroup),
		"DeleteGroup":              op(signed, deleteGroup),
		"ListGroups":               op(signed, listGroups),
		"AdminAddUserToGroup":      op(signed, adminAddUserToGroup),
		"AdminRemoveUserFromGroup": op(signed, adminRemoveUserFromGroup),
		"AdminListGroupsForUser":   op(signed, adminListGroupsForUser),
		"ListUsersInGroup":         op(signed, listUsersInGroup),
	}
}
