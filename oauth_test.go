package userpool_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

// TestManagedSignIn: a managed-login sign-in proves the user without
// issuing the native API's tokens, is allowed the password whatever the
// client's flows, and goes through the same challenges.
func TestManagedSignIn(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ana", nil)
	start := func(c userpool.Client, name, password string) (userpool.AuthOutput, *userpool.SignedInUser, error) {
		return e.pool.ManagedInitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthUserPassword, ClientID: c.ID,
			AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password},
		})
	}
	// The srp client has Cognito's default flows, without USER_PASSWORD_AUTH.
	out, user, err := start(e.srp, "ana", authPassword)
	if err != nil || user == nil || out.AuthenticationResult != nil || out.ChallengeName != "" {
		t.Fatalf("got %+v %+v %v", out, user, err)
	}
	if user.Username != "ana" || user.Sub == "" || !user.AuthTime.Equal(e.clock.Now()) {
		t.Errorf("user %+v", user)
	}
	// The native API still refuses the flow to that client.
	_, err = e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: e.srp.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}})
	wantAuthErr(t, "native", err, userpool.ErrInvalidParameter, "USER_PASSWORD_AUTH flow not enabled for this client")
	// Only the password flow is opened.
	srpOnly := e.client(t, userpool.ClientConfig{Name: "srponly", AuthFlows: []userpool.AuthFlow{userpool.FlowUserSRP, userpool.FlowRefreshToken}})
	_, _, err = e.pool.ManagedInitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthCustom, ClientID: srpOnly.ID,
		AuthParameters: map[string]string{"USERNAME": "ana"}})
	wantAuthErr(t, "custom", err, userpool.ErrInvalidParameter, "CUSTOM_AUTH flow not enabled for this client")
	_, _, err = start(e.app, "ana", "Wrong-pass-1")
	wantAuthErr(t, "wrong password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")

	// A challenge, then the user.
	e.tempUser(t, "bea", nil)
	out, user, err = start(e.srp, "bea", tempPassword)
	if err != nil || user != nil || out.ChallengeName != userpool.ChallengeNewPasswordRequired {
		t.Fatalf("got %+v %+v %v", out, user, err)
	}
	out, user, err = e.pool.ManagedRespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.srp.ID, ChallengeName: out.ChallengeName, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "bea", "NEW_PASSWORD": "New-pass-word-7"},
	})
	if err != nil || user == nil || user.Username != "bea" || out.AuthenticationResult != nil {
		t.Fatalf("got %+v %+v %v", out, user, err)
	}
}

func TestIssueOAuthTokens(t *testing.T) {
	e := newAuthEnv(t, userpool.WithResourceServer(userpool.ResourceServer{Identifier: "api", Name: "api",
		Scopes: []userpool.ResourceServerScope{{Name: "read"}}}))
	e.user(t, "ana", map[string]string{"email": "ana@example.com"})
	_, user, err := e.pool.ManagedInitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserPassword, ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.pool.IssueOAuthTokens(e.ctx, userpool.OAuthTokensInput{
		ClientID: e.app.ID, Sub: user.Sub, Scopes: []string{"openid", "api/read"}, Nonce: "abc", AuthTime: user.AuthTime,
	})
	if err != nil {
		t.Fatal(err)
	}
	v := e.pool.Verifier()
	id, err := v.Verify(e.ctx, res.IDToken, userpool.TokenUseID)
	if err != nil {
		t.Fatal(err)
	}
	var claims map[string]any
	if err := id.Decode(&claims); err != nil || claims["nonce"] != "abc" || claims["at_hash"] == nil || claims["email"] != "ana@example.com" {
		t.Errorf("ID token claims %v (%v)", claims, err)
	}
	access, err := v.Verify(e.ctx, res.AccessToken, userpool.TokenUseAccess)
	if err != nil || access.Scope != "openid api/read" || !access.AuthTime.Equal(user.AuthTime) {
		t.Fatalf("access token %+v %v", access, err)
	}
	// The native API's operations need the admin scope.
	if _, err := e.pool.GetUser(e.ctx, res.AccessToken); !errors.Is(err, userpool.ErrNotAuthorized) {
		t.Errorf("GetUser with an OAuth token without the admin scope: %v", err)
	}

	// Refreshes keep the scope; without openid there is no ID token.
	again, err := e.pool.RefreshOAuthTokens(e.ctx, e.app.ID, "", res.RefreshToken)
	if err != nil || again.IDToken == "" {
		t.Fatalf("refresh: %+v %v", again, err)
	}
	if c, err := v.Verify(e.ctx, again.AccessToken, userpool.TokenUseAccess); err != nil || c.Scope != "openid api/read" {
		t.Errorf("refreshed scope %v %v", c, err)
	}
	noID, err := e.pool.IssueOAuthTokens(e.ctx, userpool.OAuthTokensInput{ClientID: e.app.ID, Sub: user.Sub, Scopes: []string{"api/read"}, AuthTime: user.AuthTime})
	if err != nil || noID.IDToken != "" {
		t.Fatalf("without openid: %+v %v", noID, err)
	}
	if r, err := e.pool.RefreshOAuthTokens(e.ctx, e.app.ID, "", noID.RefreshToken); err != nil || r.IDToken != "" {
		t.Errorf("refresh without openid: %+v %v", r, err)
	}
	// A native refresh token keeps the admin scope.
	native := e.tokens(t, "ana", authPassword)
	r, err := e.pool.RefreshOAuthTokens(e.ctx, e.app.ID, "", native.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if c, err := v.Verify(e.ctx, r.AccessToken, userpool.TokenUseAccess); err != nil || c.Scope != userpool.ScopeAdmin {
		t.Errorf("native refresh scope %v %v", c, err)
	}

	// The client secret is the secret itself.
	_, err = e.pool.RefreshOAuthTokens(e.ctx, e.secret.ID, "wrong", res.RefreshToken)
	wantAuthErr(t, "wrong secret", err, userpool.ErrNotAuthorized, "Client authentication failed.")
	// Another client's refresh token.
	_, err = e.pool.RefreshOAuthTokens(e.ctx, e.secret.ID, e.secret.Secret, res.RefreshToken)
	wantAuthErr(t, "another client's", err, userpool.ErrNotAuthorized, "Invalid Refresh Token.")

	// A disabled user gets no tokens.
	if err := e.pool.AdminDisableUser(e.ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.IssueOAuthTokens(e.ctx, userpool.OAuthTokensInput{ClientID: e.app.ID, Sub: user.Sub, Scopes: []string{"openid"}, AuthTime: user.AuthTime})
	wantAuthErr(t, "disabled", err, userpool.ErrNotAuthorized, "User is disabled.")
}

func TestResourceServers(t *testing.T) {
	declared := userpool.ResourceServer{Identifier: "https://declared.example", Name: "declared",
		Scopes: []userpool.ResourceServerScope{{Name: "read", Description: "Read"}}}
	e := newAuthEnv(t, userpool.WithResourceServer(declared))
	created, err := e.pool.CreateResourceServer(e.ctx, userpool.ResourceServer{Identifier: "orders", Name: "Orders",
		Scopes: []userpool.ResourceServerScope{{Name: "write"}, {Name: "read"}}})
	if err != nil || created.Identifier != "orders" {
		t.Fatalf("create: %+v %v", created, err)
	}
	_, err = e.pool.CreateResourceServer(e.ctx, userpool.ResourceServer{Identifier: "orders", Name: "Again"})
	wantAuthErr(t, "duplicate", err, userpool.ErrInvalidParameter, "")
	for name, rs := range map[string]userpool.ResourceServer{
		"NoIdentifier":   {Name: "x"},
		"NoName":         {Identifier: "x"},
		"SlashInScope":   {Identifier: "x", Name: "x", Scopes: []userpool.ResourceServerScope{{Name: "a/b"}}},
		"DuplicateScope": {Identifier: "x", Name: "x", Scopes: []userpool.ResourceServerScope{{Name: "a"}, {Name: "a"}}},
		"QuoteInID":      {Identifier: `x"y`, Name: "x"},
	} {
		if _, err := e.pool.CreateResourceServer(e.ctx, rs); !errors.Is(err, userpool.ErrInvalidParameter) {
			t.Errorf("%s: got %v, want InvalidParameter", name, err)
		}
	}
	scopes, err := e.pool.OAuthScopes(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(scopes, " "); got != "openid email phone profile aws.cognito.signin.user.admin https://declared.example/read orders/read orders/write" {
		t.Errorf("scopes %q", got)
	}

	// Another instance on the same store, started with the declared
	// options only, keeps the created server and sees it at once.
	other, err := userpool.New(e.ctx, "signin", userpool.WithStore(e.store), userpool.WithResourceServer(declared),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		t.Fatal(err)
	}
	got, err := other.DescribeResourceServer(e.ctx, "orders")
	if err != nil || got.Name != "Orders" || len(got.Scopes) != 2 {
		t.Errorf("describe from another instance: %+v %v", got, err)
	}
	list, err := other.ListResourceServers(e.ctx)
	if err != nil || len(list) != 2 {
		t.Errorf("list: %+v %v", list, err)
	}
	if _, err := other.DescribeResourceServer(e.ctx, "nope"); !errors.Is(err, userpool.ErrResourceNotFound) {
		t.Errorf("unknown server: %v", err)
	}
	// And Open restores them.
	opened, err := userpool.Open(e.ctx, e.store, e.pool.ID(), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		t.Fatal(err)
	}
	if list, err := opened.ListResourceServers(e.ctx); err != nil || len(list) != 2 {
		t.Errorf("after Open: %+v %v", list, err)
	}

	// Declared servers are validated with the rest of the configuration.
	_, err = userpool.New(e.ctx, "bad", userpool.WithResourceServer(userpool.ResourceServer{Identifier: "a", Name: "a"}),
		userpool.WithResourceServer(userpool.ResourceServer{Identifier: "a", Name: "b", Scopes: []userpool.ResourceServerScope{{Name: "x/y"}}}))
	var ce *userpool.ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 2 {
		t.Errorf("got %v, want two problems", err)
	}
}

func TestClientCredentialsTokens(t *testing.T) {
	e := newAuthEnv(t, userpool.WithResourceServer(userpool.ResourceServer{Identifier: "api", Name: "api",
		Scopes: []userpool.ResourceServerScope{{Name: "read"}, {Name: "write"}}}))
	m := e.client(t, userpool.ClientConfig{Name: "machine", GenerateSecret: true, AllowedOAuthFlows: []string{"client_credentials"},
		AllowedOAuthScopes: []string{"api/read", "openid"}})
	res, err := e.pool.IssueClientCredentials(e.ctx, userpool.ClientCredentialsInput{ClientID: m.ID, ClientSecret: m.Secret})
	if err != nil || strings.Join(res.Scopes, " ") != "api/read" || res.ExpiresIn != 3600 {
		t.Fatalf("got %+v %v", res, err)
	}
	c, err := e.pool.Verifier(userpool.WithClientIDs(m.ID)).Verify(e.ctx, res.AccessToken, userpool.TokenUseAccess)
	if err != nil || c.Subject != m.ID || c.Scope != "api/read" {
		t.Fatalf("claims %+v %v", c, err)
	}
	for name, tc := range map[string]struct {
		in   userpool.ClientCredentialsInput
		want *userpool.Error
	}{
		"WrongSecret":  {userpool.ClientCredentialsInput{ClientID: m.ID, ClientSecret: "x"}, userpool.ErrNotAuthorized},
		"PublicClient": {userpool.ClientCredentialsInput{ClientID: e.app.ID}, userpool.ErrNotAuthorized},
		"NotAllowed":   {userpool.ClientCredentialsInput{ClientID: e.secret.ID, ClientSecret: e.secret.Secret}, userpool.ErrUnauthorized},
		"OtherScope":   {userpool.ClientCredentialsInput{ClientID: m.ID, ClientSecret: m.Secret, Scopes: []string{"api/write"}}, userpool.ErrInvalidParameter},
		"OpenID":       {userpool.ClientCredentialsInput{ClientID: m.ID, ClientSecret: m.Secret, Scopes: []string{"openid"}}, userpool.ErrInvalidParameter},
		"Unknown":      {userpool.ClientCredentialsInput{ClientID: "nope", ClientSecret: "x"}, userpool.ErrResourceNotFound},
	} {
		if _, err := e.pool.IssueClientCredentials(e.ctx, tc.in); !errors.Is(err, tc.want) {
			t.Errorf("%s: got %v, want %s", name, err, tc.want.Code)
		}
	}
}
