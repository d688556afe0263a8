package cognitoapi

import (
	"context"

	"github.com/userpool/userpool"
)

// Pool returns the pool with the given id as the handler serves it (opened
// from the store with the handler's pool options, cached while unchanged),
// or ResourceNotFound. Its signature fits oidc.ForPools, so one server
// can serve the same pools' OAuth endpoints and managed login.
func (h *Handler) Pool(ctx context.Context, id string) (*userpool.Pool, error) {
	return h.pool(ctx, id)
}
