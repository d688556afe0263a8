// Package userpool gives a Go program what Amazon Cognito User Pools gives
// an AWS account: a directory of users with sign-up, confirmation codes,
// administrator-created users, sign-in with passwords, SRP, custom
// challenges, codes by email or SMS and passkeys, multi-factor
// authentication, forgotten passwords, groups, and signed JWTs with a
// JWKS, configured in code and kept in the store of the program's choice.
//
// Names, parameters, challenges, claims and errors follow Cognito's, so
// code and clients written against Cognito port unchanged; where Cognito is
// known to be weak (password history, compromised-password checks, secrets
// at rest, user enumeration) the library does better by default.
//
// # Quick start
//
// A pool is built by [New] from a name and options; with no store it keeps
// its users in memory, which suits tests:
//
//	pool, err := userpool.New(ctx, "customers",
//		userpool.WithUsernameAttributes("email"),
//		userpool.WithAutoVerifiedAttributes("email"),
//		userpool.WithPasswordPolicy(userpool.DefaultPasswordPolicy()),
//	)
//
// A real program gives it a durable store, such as the SQLite store in
// storage/sqlite:
//
//	store, err := sqlite.Open(ctx, "users.db")
//	pool, err := userpool.New(ctx, "customers", userpool.WithStore(store), ...)
//
// Calling New again with the same name and store at the next start returns
// the same pool, with the same id and users.
//
// # Configuration
//
// Every setting of Cognito's create-pool wizard has an option: how users
// sign in ([WithUsernameAttributes], [WithAliasAttributes],
// [WithCaseSensitiveUsernames]), attributes ([WithRequiredAttributes],
// [WithCustomAttributes]), the password policy ([WithPasswordPolicy]),
// who may sign up ([WithAdminCreateUserOnly]), MFA ([WithMFA]), account
// recovery ([WithAccountRecovery]), verification ([WithAutoVerifiedAttributes],
// [WithVerificationMessage]), invitations ([WithInviteMessage]), tags,
// remembered devices ([WithDevices]), app clients ([WithClient]) and
// triggers ([WithTriggers]). The settings form one serialisable [Config];
// [New] validates it as a whole and returns a [*ConfigError] naming every
// problem and the option it came from.
//
// # Signing in
//
// Sign-in is Cognito's state machine: [Pool.InitiateAuth] starts a flow
// (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH, CUSTOM_AUTH, ...) and returns
// either the tokens or a challenge with an opaque, single-use Session;
// [Pool.RespondToAuthChallenge] answers it (NEW_PASSWORD_REQUIRED,
// CUSTOM_CHALLENGE, ...) until the tokens come. Sessions live in the store,
// so any instance can continue a sign-in. Failed passwords lock the user
// out as Cognito does ("Password attempts exceeded"), and a client with
// PreventUserExistenceErrors answers an unknown user exactly as a wrong
// password. [Pool.ForgotPassword] and [Pool.ConfirmForgotPassword] recover
// a password; [Pool.GetUser], [Pool.UpdateUserAttributes],
// [Pool.ChangePassword] and the other access-token operations act for the
// signed-in user.
//
// Choice-based sign-in (AuthUser, Cognito's USER_AUTH) lets the user pick
// the first factor: the password, SRP, or, as [WithAllowedFirstAuthFactors]
// allows, a code sent to a verified address or a passkey ([WithPasskeys],
// with package passkey; [Pool.StartWebAuthnRegistration] registers one).
// In such pools users may sign up without a password, and
// [Pool.ConfirmSignUp] returns a session that signs the new user in.
//
// # Users and groups
//
// [Pool.SignUp] creates a user who confirms with the code the pool sends
// ([Pool.ConfirmSignUp]); [Pool.AdminCreateUser] creates one with a
// temporary password and an invitation. Codes are six digits, stored only
// as keyed hashes, single use, and bounded in guesses per user. Messages
// leave through a [Sender]: the default [LogSender] writes them to the log
// with codes redacted, and an [OutboxSender] writes one JSON file each, for
// development and tests. The Admin* operations mirror Cognito's; changing
// an email or phone number keeps the old, verified value working until the
// new one is verified. Groups ([Pool.CreateGroup], [Pool.AdminAddUserToGroup])
// carry precedence and roles into tokens, and [Pool.ListUsers] takes
// Cognito's filter syntax ([ParseFilter]) with signed pagination tokens.
//
// # Tokens
//
// Tokens are JWTs with Cognito's claims, signed with keys the pool makes,
// stores and rotates ([Pool.RotateSigningKey]); [Pool.JWKS] publishes them.
// [Pool.Verifier] checks tokens strictly (algorithm, key id, issuer,
// audience, token use, expiry, revocation) and its Middleware protects an
// HTTP API. Refresh tokens are stored as hashes, optionally rotated with
// reuse detection; [Pool.GlobalSignOut] and [Pool.RevokeToken] revoke.
//
// # Errors
//
// Operations return [*Error] values that carry Cognito's exception name and
// message and match the exported sentinels with errors.Is:
//
//	if errors.Is(err, userpool.ErrUsernameExists) { ... }
//
// # Concurrency and time
//
// A [Pool] is safe for concurrent use, and several Pools may share one
// store: all state lives there. The clock and the random source are
// options ([WithClock], [WithRandom]), so tests control expiry without
// sleeping.
package userpool
