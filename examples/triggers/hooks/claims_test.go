package hooks_test

import (
	"context"
	"errors"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/triggers/hooks"
)

// TestAddTenantClaimEvent runs the trigger on events as the pool makes
// them. TestTenantClaimInToken checks the claim in real tokens.
func TestAddTenantClaimEvent(t *testing.T) {
	tenants := map[string]string{"Example.com": "acme"}
	add := hooks.AddTenantClaim(tenants)
	tenants["example.com"] = "changed" // the trigger keeps its own copy

	ev := &userpool.PreTokenGenerationEvent{
		TriggerRequest: userpool.TriggerRequest{
			TriggerSource:  "TokenGeneration_Authentication",
			UserAttributes: map[string]string{"email": "ana@EXAMPLE.com"},
		},
		ClaimsToAddOrOverride: map[string]any{"plan": "gold"},
	}
	if err := add(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
	for name, claims := range map[string]map[string]any{"ID": ev.ClaimsToAddOrOverride, "access": ev.AccessTokenClaimsToAddOrOverride} {
		if got := claims[hooks.TenantClaim]; got != "acme" {
			t.Errorf("%s token claim %q: got %v, want acme", name, hooks.TenantClaim, got)
		}
	}
	if ev.ClaimsToAddOrOverride["plan"] != "gold" {
		t.Errorf("a claim set before was lost: %v", ev.ClaimsToAddOrOverride)
	}

	ev = &userpool.PreTokenGenerationEvent{TriggerRequest: userpool.TriggerRequest{
		UserAttributes: map[string]string{"email": "eve@evil.test"},
	}}
	if err := add(context.Background(), ev); err == nil {
		t.Error("a user without a tenant got a tenant claim; want an error")
	}
}

// TestTenantClaimInToken signs a user in and finds the tenant in the
// verified ID and access tokens.
func TestTenantClaimInToken(t *testing.T) {
	box := &outbox{}
	pool := newPool(t, box)
	ctx := t.Context()
	signUpConfirmed(t, pool, box, "ana", "ana@example.com")

	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: clientID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Correct-horse-9"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("InitiateAuth: got challenge %q, want tokens", out.ChallengeName)
	}
	v := pool.Verifier()
	for _, tc := range []struct {
		use   userpool.TokenUse
		token string
	}{
		{userpool.TokenUseID, out.AuthenticationResult.IDToken},
		{userpool.TokenUseAccess, out.AuthenticationResult.AccessToken},
	} {
		claims, err := v.Verify(ctx, tc.token, tc.use)
		if err != nil {
			t.Fatalf("Verify %s token: %v", tc.use, err)
		}
		var payload map[string]any
		if err := claims.Decode(&payload); err != nil {
			t.Fatal(err)
		}
		if got := payload[hooks.TenantClaim]; got != "acme" {
			t.Errorf("%s token claim %q: got %v, want acme", tc.use, hooks.TenantClaim, got)
		}
	}
}

// TestNoTenantNoTokens: a user outside every tenant cannot sign in.
func TestNoTenantNoTokens(t *testing.T) {
	box := &outbox{}
	pool := newPool(t, box, userpool.WithTriggers(userpool.Triggers{
		PreTokenGeneration: hooks.AddTenantClaim(nil),
	}))
	signUpConfirmed(t, pool, box, "ana", "ana@example.com")
	_, err := pool.InitiateAuth(t.Context(), userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: clientID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Correct-horse-9"},
	})
	var e *userpool.Error
	const want = "PreTokenGeneration failed with error no tenant for this account."
	if !errors.Is(err, userpool.ErrUserLambdaValidation) || !errors.As(err, &e) || e.Message != want {
		t.Fatalf("InitiateAuth: got %v, want UserLambdaValidationException %q", err, want)
	}
}

// signUpConfirmed signs a user up and confirms it with the code sent.
func signUpConfirmed(t *testing.T, pool *userpool.Pool, box *outbox, username, email string) {
	t.Helper()
	ctx := t.Context()
	if _, err := pool.SignUp(ctx, userpool.SignUpInput{
		ClientID: clientID, Username: username, Password: "Correct-horse-9",
		UserAttributes: map[string]string{"email": email},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{
		ClientID: clientID, Username: username, ConfirmationCode: box.last(t).Code,
	}); err != nil {
		t.Fatal(err)
	}
}
