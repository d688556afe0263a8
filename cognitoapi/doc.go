// Package cognitoapi serves Amazon Cognito's user-pool JSON API over HTTP, so
// unmodified AWS SDKs, amazon-cognito-identity-js and Amplify apps can talk
// to pools of the userpool library.
//
// A [Handler] serves many pools that share one [storage.Store]: requests are
// POST / with the header X-Amz-Target:
// AWSCognitoIdentityProviderService.<Operation> and a body of Content-Type
// application/x-amz-json-1.1, exactly as Cognito's endpoint takes them.
// Pools created through the API (CreateUserPool) are kept in the store and
// served again after a restart; the Handler opens them lazily and caches
// them.
//
// # Operations
//
// Pool management (CreateUserPool, DescribeUserPool, UpdateUserPool,
// DeleteUserPool, ListUserPools, Set/GetUserPoolMfaConfig), app clients
// (Create/Describe/Update/Delete/ListUserPoolClients), sign-up and
// sign-in (SignUp, ConfirmSignUp, ResendConfirmationCode, InitiateAuth,
// RespondToAuthChallenge and their Admin variants, ForgotPassword,
// ConfirmForgotPassword, RevokeToken, GetTokensFromRefreshToken), the user's own operations by
// access token (GetUser, UpdateUserAttributes, DeleteUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute, ChangePassword,
// DeleteUser, GlobalSignOut), MFA (AssociateSoftwareToken,
// VerifySoftwareToken, SetUserMFAPreference, AdminSetUserMFAPreference,
// and the legacy SetUserSettings and AdminSetUserSettings), passkeys
// (StartWebAuthnRegistration, CompleteWebAuthnRegistration,
// ListWebAuthnCredentials, DeleteWebAuthnCredential, when the pools have
// userpool.WithPasskeys), GetUserAuthFactors,
// devices (ConfirmDevice, GetDevice, ForgetDevice, UpdateDeviceStatus,
// ListDevices and their Admin variants), administration of users
// (AdminCreateUser, AdminGetUser, AdminUpdateUserAttributes,
// AdminDeleteUserAttributes, AdminDeleteUser, AdminDisableUser,
// AdminEnableUser, AdminConfirmSignUp, AdminSetUserPassword,
// AdminResetUserPassword, AdminUserGlobalSignOut, ListUsers), groups
// (CreateGroup, GetGroup, UpdateGroup, DeleteGroup, ListGroups,
// AdminAddUserToGroup, AdminRemoveUserFromGroup, AdminListGroupsForUser,
// ListUsersInGroup) and resource servers (Create, Describe, Update,
// Delete and ListResourceServers). GetSigningCertificate answers
// UnsupportedOperationException: pools have no SAML certificate.
//
// Public operations name their app client, and a missing ClientId is
// refused here: the library takes an empty client id as the embedding
// program acting for itself. Sessions of MFA_SETUP challenges, which
// AssociateSoftwareToken and VerifySoftwareToken may carry instead of an
// access token, name no app client; so the Handler prefixes every session
// it hands out with its pool's id, and any instance sharing the store can
// route it.
//
// # Authorization
//
// As in Cognito, administrative operations (Admin*, pool and client
// management, ListUsers ...) need requests signed with AWS Signature
// Version 4, verified against the key pair given by [WithCredentials];
// public operations (SignUp, InitiateAuth, ...) and those authorised by an
// access token in the body are unsigned. Without a key pair, signed
// operations are refused unless [AllowUnsignedAdmin] is given, which a
// server should only do while it listens on a loopback address.
//
// # Errors
//
// Errors go out as Cognito's: HTTP 400 (500 for internal errors only) with
// a body {"__type": "<Exception>", "message": "..."} and the headers
// x-amzn-ErrorType: <Exception>: and x-amzn-ErrorMessage. Protocol errors
// use the types of AWS's JSON protocol:
//
//   - unknown or missing X-Amz-Target, or a Content-Type other than
//     application/x-amz-json-1.1 (or 1.0): UnknownOperationException, since
//     such a request names no operation of the protocol;
//   - malformed JSON, a body that is not an object, invalid UTF-8:
//     SerializationException;
//   - a field of the wrong type, or a required field missing:
//     InvalidParameterException naming the field;
//   - a body over the limit ([WithBodyLimit], 1 MiB by default): HTTP 413
//     with RequestEntityTooLargeException;
//   - a missing signature: MissingAuthenticationTokenException; a
//     malformed one: IncompleteSignatureException; an unknown access key:
//     UnrecognizedClientException; a wrong or expired signature:
//     InvalidSignatureException;
//   - the concurrency limit reached ([WithConcurrencyLimit]):
//     TooManyRequestsException.
//
// Timestamps are JSON numbers of epoch seconds, as the SDKs expect.
package cognitoapi
