package cognitoapi_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// sdkEnv is a server with an outbox, an SDK client, and one pool with one
// public client allowing every flow.
type sdkEnv struct {
	store    storage.Store
	poolOpts []userpool.Option
	handler  *cognitoapi.Handler
	srv      *httptest.Server
	client   *cip.Client
	outbox   *userpool.OutboxSender
	poolID   string
	clientID string
}

func newSDKEnv(t testing.TB, extra ...userpool.Option) *sdkEnv {
	t.Helper()
	ctx := context.Background()
	outbox, err := userpool.NewOutboxSender(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	poolOpts := append(append(testPoolOptions(), userpool.WithSender(outbox)), extra...)
	store := memory.New()
	h := newHandler(t, store, cognitoapi.WithPoolOptions(poolOpts...))
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &sdkEnv{store: store, poolOpts: poolOpts, handler: h, srv: srv, outbox: outbox}
	e.client = sdkClient(e.srv, testAccessKey, testSecret)
	pool, err := e.client.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("app"),
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
	})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	e.poolID = *pool.UserPool.Id
	c, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(e.poolID), ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth,
			types.ExplicitAuthFlowsTypeAllowUserSrpAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
	})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	e.clientID = *c.UserPoolClient.ClientId
	return e
}

// secondInstance returns an SDK client of another server on the same
// store, as behind a load balancer: a Handler of its own, sharing nothing
// with the first but the store.
func (e *sdkEnv) secondInstance(t testing.TB) *cip.Client {
	t.Helper()
	srv := httptest.NewServer(newHandler(t, e.store, cognitoapi.WithPoolOptions(e.poolOpts...)))
	t.Cleanup(srv.Close)
	return sdkClient(srv, testAccessKey, testSecret)
}

// code returns the code of the latest message to an address.
func (e *sdkEnv) code(t *testing.T, to string) string {
	t.Helper()
	m, ok, err := e.outbox.Latest(to)
	if err != nil || !ok || m.Code == "" {
		t.Fatalf("no code for %s in the outbox (ok=%v, err=%v)", to, ok, err)
	}
	return m.Code
}

// signUp registers and confirms a user with the code from the outbox.
func (e *sdkEnv) signUp(t *testing.T, username, password, email string) {
	t.Helper()
	ctx := context.Background()
	out, err := e.client.SignUp(ctx, &cip.SignUpInput{ClientId: aws.String(e.clientID), Username: aws.String(username),
		Password: aws.String(password), UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(email)}}})
	if err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	if out.UserConfirmed || out.CodeDeliveryDetails == nil || out.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail ||
		aws.ToString(out.CodeDeliveryDetails.AttributeName) != "email" || aws.ToString(out.UserSub) == "" {
		t.Fatalf("SignUp = %+v, CodeDeliveryDetails %+v", out, out.CodeDeliveryDetails)
	}
	if _, err := e.client.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{ClientId: aws.String(e.clientID), Username: aws.String(username),
		ConfirmationCode: aws.String(e.code(t, email))}); err != nil {
		t.Fatalf("ConfirmSignUp: %v", err)
	}
}

// passwordSignIn runs USER_PASSWORD_AUTH and returns the tokens.
func (e *sdkEnv) passwordSignIn(t *testing.T, username, password string) *types.AuthenticationResultType {
	t.Helper()
	out, err := e.client.InitiateAuth(context.Background(), &cip.InitiateAuthInput{ClientId: aws.String(e.clientID),
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": username, "PASSWORD": password}})
	if err != nil {
		t.Fatalf("InitiateAuth(%s): %v", username, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth(%s): challenge %s, want tokens", username, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// claims decodes a JWT's payload without verifying it.
func claims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// wantCode fails unless err is the API error code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != code {
		t.Fatalf("%s: err = %v, want %s", what, err, code)
	}
}

func TestSignUpSignInAndRefreshWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	e.signUp(t, "alice", "Correct-Horse-1", "alice@example.com")

	tokens := e.passwordSignIn(t, "alice", "Correct-Horse-1")
	if aws.ToString(tokens.TokenType) != "Bearer" || tokens.ExpiresIn != 3600 || aws.ToString(tokens.RefreshToken) == "" || aws.ToString(tokens.IdToken) == "" {
		t.Fatalf("tokens = %+v", tokens)
	}
	user, err := e.client.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	if err != nil {
		t.Fatalf("GetUser: %v", err)
	}
	attrs := map[string]string{}
	for _, a := range user.UserAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if aws.ToString(user.Username) != "alice" || attrs["email"] != "alice@example.com" || attrs["email_verified"] != "true" || attrs["sub"] == "" {
		t.Fatalf("GetUser = %s %v", aws.ToString(user.Username), attrs)
	}

	refreshed, err := e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID),
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	if err != nil || refreshed.AuthenticationResult == nil || aws.ToString(refreshed.AuthenticationResult.AccessToken) == "" {
		t.Fatalf("refresh: %+v, %v", refreshed, err)
	}

	// Updates through the access token; a new email needs verification.
	up, err := e.client.UpdateUserAttributes(ctx, &cip.UpdateUserAttributesInput{AccessToken: tokens.AccessToken,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("alice@example.org")}, {Name: aws.String("name"), Value: aws.String("Alice")}}})
	if err != nil || len(up.CodeDeliveryDetailsList) != 1 {
		t.Fatalf("UpdateUserAttributes = %+v, %v", up, err)
	}
	if _, err := e.client.VerifyUserAttribute(ctx, &cip.VerifyUserAttributeInput{AccessToken: tokens.AccessToken,
		AttributeName: aws.String("email"), Code: aws.String(e.code(t, "alice@example.org"))}); err != nil {
		t.Fatalf("VerifyUserAttribute: %v", err)
	}
	if _, err := e.client.ChangePassword(ctx, &cip.ChangePasswordInput{AccessToken: tokens.AccessToken,
		PreviousPassword: aws.String("Correct-Horse-1"), ProposedPassword: aws.String("Correct-Horse-2")}); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	e.passwordSignIn(t, "alice", "Correct-Horse-2")

	// Global sign-out ends the refresh token and the access token.
	if _, err := e.client.GlobalSignOut(ctx, &cip.GlobalSignOutInput{AccessToken: tokens.AccessToken}); err != nil {
		t.Fatalf("GlobalSignOut: %v", err)
	}
	_, err = e.client.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	wantCode(t, "GetUser after GlobalSignOut", err, "NotAuthorizedException")
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID),
		AuthFlow: types.AuthFlowTypeRefreshTokenAuth, AuthParameters: map[string]string{"REFRESH_TOKEN": aws.ToString(tokens.RefreshToken)}})
	wantCode(t, "refresh after GlobalSignOut", err, "NotAuthorizedException")

	// Forgot password.
	fp, err := e.client.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(e.clientID), Username: aws.String("alice")})
	if err != nil || fp.CodeDeliveryDetails == nil || fp.CodeDeliveryDetails.DeliveryMedium != types.DeliveryMediumTypeEmail {
		t.Fatalf("ForgotPassword = %+v, %v", fp, err)
	}
	if _, err := e.client.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{ClientId: aws.String(e.clientID),
		Username: aws.String("alice"), ConfirmationCode: aws.String(e.code(t, "alice@example.org")), Password: aws.String("Correct-Horse-3")}); err != nil {
		t.Fatalf("ConfirmForgotPassword: %v", err)
	}
	e.passwordSignIn(t, "alice", "Correct-Horse-3")
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID),
		AuthFlow: types.AuthFlowTypeUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "alice", "PASSWORD": "Correct-Horse-2"}})
	wantCode(t, "old password", err, "NotAuthorizedException")

	// Deleting oneself.
	last := e.passwordSignIn(t, "alice", "Correct-Horse-3")
	if _, err := e.client.DeleteUser(ctx, &cip.DeleteUserInput{AccessToken: last.AccessToken}); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err = e.client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("alice")})
	wantCode(t, "AdminGetUser after DeleteUser", err, "UserNotFoundException")
}

func TestAdminCreateUserNewPasswordChallengeWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	created, err := e.client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob"),
		TemporaryPassword: aws.String("Temp-Pass-123"), MessageAction: types.MessageActionTypeSuppress,
		UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String("bob@example.com")}, {Name: aws.String("email_verified"), Value: aws.String("true")}}})
	if err != nil {
		t.Fatalf("AdminCreateUser: %v", err)
	}
	if u := created.User; aws.ToString(u.Username) != "bob" || u.UserStatus != types.UserStatusTypeForceChangePassword || !u.Enabled || u.UserCreateDate == nil {
		t.Fatalf("AdminCreateUser.User = %+v", u)
	}

	start, err := e.client.AdminInitiateAuth(ctx, &cip.AdminInitiateAuthInput{UserPoolId: aws.String(e.poolID), ClientId: aws.String(e.clientID),
		AuthFlow: types.AuthFlowTypeAdminUserPasswordAuth, AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Temp-Pass-123"}})
	if err != nil || start.ChallengeName != types.ChallengeNameTypeNewPasswordRequired || aws.ToString(start.Session) == "" {
		t.Fatalf("AdminInitiateAuth = %+v, %v", start, err)
	}
	done, err := e.client.RespondToAuthChallenge(ctx, &cip.RespondToAuthChallengeInput{ClientId: aws.String(e.clientID),
		ChallengeName: types.ChallengeNameTypeNewPasswordRequired, Session: start.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bob", "NEW_PASSWORD": "Final-Pass-456"}})
	if err != nil || done.AuthenticationResult == nil {
		t.Fatalf("RespondToAuthChallenge = %+v, %v", done, err)
	}
	got, err := e.client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob")})
	if err != nil || got.UserStatus != types.UserStatusTypeConfirmed {
		t.Fatalf("AdminGetUser = %+v, %v", got, err)
	}

	// Admin password and sign-out. (Sign-out comes before disabling:
	// tokens minted in the second of a revocation mark are stamped with the
	// next second, so a second mark in that same second would miss them.)
	if _, err := e.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob"),
		Password: aws.String("Admin-Set-789"), Permanent: true}); err != nil {
		t.Fatal(err)
	}
	tokens := e.passwordSignIn(t, "bob", "Admin-Set-789")
	if _, err := e.client.AdminUserGlobalSignOut(ctx, &cip.AdminUserGlobalSignOutInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetUser(ctx, &cip.GetUserInput{AccessToken: tokens.AccessToken})
	wantCode(t, "GetUser after AdminUserGlobalSignOut", err, "NotAuthorizedException")

	// Disable and enable.
	if _, err := e.client.AdminDisableUser(ctx, &cip.AdminDisableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(e.clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "bob", "PASSWORD": "Final-Pass-456"}})
	wantCode(t, "disabled user", err, "NotAuthorizedException")
	if _, err := e.client.AdminEnableUser(ctx, &cip.AdminEnableUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
	// Attributes by an administrator.
	if _, err := e.client.AdminUpdateUserAttributes(ctx, &cip.AdminUpdateUserAttributesInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob"),
		UserAttributes: []types.AttributeType{{Name: aws.String("family_name"), Value: aws.String("Builder")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.AdminDeleteUserAttributes(ctx, &cip.AdminDeleteUserAttributesInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob"),
		UserAttributeNames: []string{"family_name"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bob")}); err != nil {
		t.Fatal(err)
	}
}

func TestGroupsInTokensAndListUsersWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	pool := aws.String(e.poolID)
	for _, name := range []string{"carol", "dave", "erin"} {
		if _, err := e.client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: pool, Username: aws.String(name),
			MessageAction:  types.MessageActionTypeSuppress,
			UserAttributes: []types.AttributeType{{Name: aws.String("email"), Value: aws.String(name + "@example.com")}}}); err != nil {
			t.Fatalf("AdminCreateUser(%s): %v", name, err)
		}
		if _, err := e.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: pool, Username: aws.String(name),
			Password: aws.String("Pass-word-1"), Permanent: true}); err != nil {
			t.Fatal(err)
		}
	}
	g, err := e.client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("admins"),
		Description: aws.String("operators"), Precedence: aws.Int32(1)})
	if err != nil || aws.ToString(g.Group.GroupName) != "admins" || aws.ToInt32(g.Group.Precedence) != 1 || aws.ToString(g.Group.UserPoolId) != e.poolID {
		t.Fatalf("CreateGroup = %+v, %v", g, err)
	}
	if _, err := e.client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.CreateGroup(ctx, &cip.CreateGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	wantCode(t, "duplicate group", err, "GroupExistsException")
	for _, add := range [][2]string{{"carol", "admins"}, {"carol", "staff"}, {"dave", "staff"}} {
		if _, err := e.client.AdminAddUserToGroup(ctx, &cip.AdminAddUserToGroupInput{UserPoolId: pool, Username: aws.String(add[0]), GroupName: aws.String(add[1])}); err != nil {
			t.Fatal(err)
		}
	}
	tokens := e.passwordSignIn(t, "carol", "Pass-word-1")
	groups, _ := claims(t, aws.ToString(tokens.AccessToken))["cognito:groups"].([]any)
	if len(groups) != 2 || groups[0] != "admins" || groups[1] != "staff" {
		t.Fatalf("cognito:groups = %v", groups)
	}
	if idGroups, _ := claims(t, aws.ToString(tokens.IdToken))["cognito:groups"].([]any); len(idGroups) != 2 {
		t.Fatalf("id token cognito:groups = %v", idGroups)
	}

	forUser, err := e.client.AdminListGroupsForUser(ctx, &cip.AdminListGroupsForUserInput{UserPoolId: pool, Username: aws.String("carol")})
	if err != nil || len(forUser.Groups) != 2 {
		t.Fatalf("AdminListGroupsForUser = %+v, %v", forUser, err)
	}
	inGroup, err := e.client.ListUsersInGroup(ctx, &cip.ListUsersInGroupInput{UserPoolId: pool, GroupName: aws.String("staff")})
	if err != nil || len(inGroup.Users) != 2 {
		t.Fatalf("ListUsersInGroup = %+v, %v", inGroup, err)
	}
	all, err := e.client.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(1)})
	if err != nil || len(all.Groups) != 1 || aws.ToString(all.NextToken) == "" {
		t.Fatalf("ListGroups page 1 = %+v, %v", all, err)
	}
	rest, err := e.client.ListGroups(ctx, &cip.ListGroupsInput{UserPoolId: pool, Limit: aws.Int32(1), NextToken: all.NextToken})
	if err != nil || len(rest.Groups) != 1 || aws.ToString(rest.Groups[0].GroupName) != "staff" {
		t.Fatalf("ListGroups page 2 = %+v, %v", rest, err)
	}
	up, err := e.client.UpdateGroup(ctx, &cip.UpdateGroupInput{UserPoolId: pool, GroupName: aws.String("staff"), Description: aws.String("everyone")})
	if err != nil || aws.ToString(up.Group.Description) != "everyone" {
		t.Fatalf("UpdateGroup = %+v, %v", up, err)
	}
	if _, err := e.client.AdminRemoveUserFromGroup(ctx, &cip.AdminRemoveUserFromGroupInput{UserPoolId: pool, Username: aws.String("dave"), GroupName: aws.String("staff")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteGroup(ctx, &cip.DeleteGroupInput{UserPoolId: pool, GroupName: aws.String("admins")}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.GetGroup(ctx, &cip.GetGroupInput{UserPoolId: pool, GroupName: aws.String("admins")})
	wantCode(t, "GetGroup after delete", err, "ResourceNotFoundException")

	// ListUsers: a filter, and paging one user at a time.
	filtered, err := e.client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Filter: aws.String(`email ^= "da"`)})
	if err != nil || len(filtered.Users) != 1 || aws.ToString(filtered.Users[0].Username) != "dave" {
		t.Fatalf("ListUsers filtered = %+v, %v", filtered, err)
	}
	var names []string
	var token *string
	for range 5 {
		page, err := e.client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Limit: aws.Int32(1), PaginationToken: token})
		if err != nil {
			t.Fatalf("ListUsers: %v", err)
		}
		for _, u := range page.Users {
			names = append(names, aws.ToString(u.Username))
		}
		if token = page.PaginationToken; token == nil {
			break
		}
	}
	slices.Sort(names)
	if !slices.Equal(names, []string{"carol", "dave", "erin"}) {
		t.Fatalf("ListUsers pages = %v", names)
	}
	_, err = e.client.ListUsers(ctx, &cip.ListUsersInput{UserPoolId: pool, Limit: aws.Int32(61)})
	wantCode(t, "ListUsers Limit 61", err, "InvalidParameterException")
}

func TestUserPoolClientsWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	pool := aws.String(e.poolID)
	created, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("server"),
		GenerateSecret: true, AccessTokenValidity: aws.Int32(30), IdTokenValidity: aws.Int32(2), RefreshTokenValidity: 7,
		TokenValidityUnits:         &types.TokenValidityUnitsType{AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeHours, RefreshToken: types.TimeUnitsTypeDays},
		PreventUserExistenceErrors: types.PreventUserExistenceErrorTypesEnabled})
	if err != nil {
		t.Fatalf("CreateUserPoolClient: %v", err)
	}
	c := created.UserPoolClient
	if aws.ToString(c.ClientSecret) == "" || c.AccessTokenValidity == nil || *c.AccessTokenValidity != 30 ||
		c.TokenValidityUnits.AccessToken != types.TimeUnitsTypeMinutes || *c.IdTokenValidity != 2 || c.RefreshTokenValidity != 7 ||
		c.TokenValidityUnits.RefreshToken != types.TimeUnitsTypeDays || c.PreventUserExistenceErrors != types.PreventUserExistenceErrorTypesEnabled {
		t.Fatalf("CreateUserPoolClient = %+v units %+v", c, c.TokenValidityUnits)
	}
	desc, err := e.client.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	if err != nil || aws.ToString(desc.UserPoolClient.ClientSecret) != aws.ToString(c.ClientSecret) {
		t.Fatalf("DescribeUserPoolClient = %+v, %v", desc, err)
	}
	up, err := e.client.UpdateUserPoolClient(ctx, &cip.UpdateUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId, ClientName: aws.String("backend")})
	if err != nil || aws.ToString(up.UserPoolClient.ClientName) != "backend" || *up.UserPoolClient.AccessTokenValidity != 1 ||
		up.UserPoolClient.TokenValidityUnits.AccessToken != types.TimeUnitsTypeHours || aws.ToString(up.UserPoolClient.ClientSecret) != aws.ToString(c.ClientSecret) {
		t.Fatalf("UpdateUserPoolClient = %+v, %v", up, err)
	}
	legacy, err := e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("legacy"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth}})
	if err != nil || !slices.Contains(legacy.UserPoolClient.ExplicitAuthFlows, types.ExplicitAuthFlowsTypeAllowAdminUserPasswordAuth) {
		t.Fatalf("CreateUserPoolClient(ADMIN_NO_SRP_AUTH) = %+v, %v", legacy, err)
	}
	_, err = e.client.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool, ClientName: aws.String("mixed"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAdminNoSrpAuth, types.ExplicitAuthFlowsTypeAllowUserSrpAuth}})
	wantCode(t, "legacy and ALLOW_ flows mixed", err, "InvalidParameterException")
	list, err := e.client.ListUserPoolClients(ctx, &cip.ListUserPoolClientsInput{UserPoolId: pool, MaxResults: aws.Int32(60)})
	if err != nil || len(list.UserPoolClients) != 3 {
		t.Fatalf("ListUserPoolClients = %+v, %v", list, err)
	}
	if _, err := e.client.DeleteUserPoolClient(ctx, &cip.DeleteUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId}); err != nil {
		t.Fatal(err)
	}
	_, err = e.client.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{UserPoolId: pool, ClientId: c.ClientId})
	wantCode(t, "DescribeUserPoolClient after delete", err, "ResourceNotFoundException")
	_, err = e.client.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: c.ClientId, AuthFlow: types.AuthFlowTypeUserPasswordAuth,
		AuthParameters: map[string]string{"USERNAME": "x", "PASSWORD": "y"}})
	wantCode(t, "InitiateAuth with a deleted client", err, "ResourceNotFoundException")
}

func TestMfaConfigAndSigningCertificateWithSDK(t *testing.T) {
	ctx := context.Background()
	e := newSDKEnv(t)
	pool := aws.String(e.poolID)
	set, err := e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOptional,
		SoftwareTokenMfaConfiguration: &types.SoftwareTokenMfaConfigType{Enabled: true}})
	if err != nil || set.MfaConfiguration != types.UserPoolMfaTypeOptional || !set.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("SetUserPoolMfaConfig = %+v, %v", set, err)
	}
	got, err := e.client.GetUserPoolMfaConfig(ctx, &cip.GetUserPoolMfaConfigInput{UserPoolId: pool})
	if err != nil || got.MfaConfiguration != types.UserPoolMfaTypeOptional || got.SoftwareTokenMfaConfiguration == nil || !got.SoftwareTokenMfaConfiguration.Enabled {
		t.Fatalf("GetUserPoolMfaConfig = %+v, %v", got, err)
	}
	desc, err := e.client.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: pool})
	if err != nil || desc.UserPool.MfaConfiguration != types.UserPoolMfaTypeOptional {
		t.Fatalf("DescribeUserPool after SetUserPoolMfaConfig = %+v, %v", desc.UserPool.MfaConfiguration, err)
	}
	_, err = e.client.SetUserPoolMfaConfig(ctx, &cip.SetUserPoolMfaConfigInput{UserPoolId: pool, MfaConfiguration: types.UserPoolMfaTypeOn})
	wantCode(t, "MFA ON without factors", err, "InvalidParameterException")
	_, err = e.client.GetSigningCertificate(ctx, &cip.GetSigningCertificateInput{UserPoolId: pool})
	wantCode(t, "GetSigningCertificate", err, "UnsupportedOperationException")
}

// TestPublicCallsNeedClientId: the library takes an empty client id as the
// embedding program itself; the wire must never pass one through.
func TestPublicCallsNeedClientId(t *testing.T) {
	e := newSDKEnv(t)
	for _, c := range []call{
		{op: "SignUp", body: `{"Username":"u","Password":"Pass-word-1"}`},
		{op: "ConfirmSignUp", body: `{"Username":"u","ConfirmationCode":"123456"}`},
		{op: "ResendConfirmationCode", body: `{"Username":"u"}`},
		{op: "ForgotPassword", body: `{"Username":"u"}`},
		{op: "ConfirmForgotPassword", body: `{"Username":"u","ConfirmationCode":"1","Password":"p"}`},
		{op: "InitiateAuth", body: `{"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}`},
		{op: "InitiateAuth", body: `{"ClientId":"","AuthFlow":"USER_PASSWORD_AUTH"}`},
		{op: "RespondToAuthChallenge", body: `{"ChallengeName":"NEW_PASSWORD_REQUIRED","Session":"x"}`},
		{op: "RevokeToken", body: `{"Token":"x"}`},
	} {
		r := unsignedCall(t, e.srv, c)
		if r.status != 400 || r.errType != "InvalidParameterException" || !strings.Contains(r.message, "clientId") {
			t.Errorf("%s %s: %d %s %q, want InvalidParameterException naming clientId", c.op, c.body, r.status, r.errType, r.message)
		}
	}
	body := `{"UserPoolId":"` + e.poolID + `","AuthFlow":"ADMIN_USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"u","PASSWORD":"p"}}`
	if r := signedCall(t, e.srv, call{op: "AdminInitiateAuth", body: body}); r.errType != "InvalidParameterException" {
		t.Errorf("AdminInitiateAuth without ClientId: %d %s %q", r.status, r.errType, r.message)
	}
}
