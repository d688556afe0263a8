package hooks_test

import (
	"context"
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
