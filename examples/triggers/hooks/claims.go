package hooks

import (
	"context"
	"errors"
	"strings"

	"github.com/userpool/userpool"
)

// TenantClaim is the claim AddTenantClaim adds.
const TenantClaim = "tenant"

// AddTenantClaim returns a PreTokenGeneration trigger that adds the
// claim "tenant" to the ID and access tokens, naming the tenant of the
// user's email domain in tenants (domains compared without regard to
// case). The map is copied: later changes to it have no effect.
//
// A user whose domain has no tenant gets no tokens (the sign-in fails with
// "PreTokenGeneration failed with error no tenant for this account."):
// an application that trusts the claim must never see a token without it.
func AddTenantClaim(tenants map[string]string) func(context.Context, *userpool.PreTokenGenerationEvent) error {
	byDomain := make(map[string]string, len(tenants))
	for domain, tenant := range tenants {
		byDomain[strings.ToLower(domain)] = tenant
	}
	return func(ctx context.Context, ev *userpool.PreTokenGenerationEvent) error {
		tenant, ok := byDomain[strings.ToLower(emailDomain(ev.UserAttributes["email"]))]
		if !ok {
			return errors.New("no tenant for this account")
		}
		ev.ClaimsToAddOrOverride = with(ev.ClaimsToAddOrOverride, TenantClaim, tenant)
		ev.AccessTokenClaimsToAddOrOverride = with(ev.AccessTokenClaimsToAddOrOverride, TenantClaim, tenant)
		return nil
	}
}

// with sets m[k] = v, making m if it is nil: the event's maps are nil
// until a trigger fills them.
func with(m map[string]any, k string, v any) map[string]any {
	if m == nil {
		m = map[string]any{}
	}
	m[k] = v
	return m
}
