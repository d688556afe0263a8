package cognitoapi

import (
	"context"
	"errors"
	"fmt"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// The pool-management operations: CreateUserPool, DescribeUserPool,
// UpdateUserPool, DeleteUserPool, ListUserPools.

// createUserPool mirrors CreateUserPool: a new pool with a random id in
// the region of the call's signature (or the Handler's region).
func createUserPool(ctx context.Context, h *Handler, in *createUserPoolInput) (*createUserPoolOutput, error) {
	region := infoFrom(ctx).region
	if region == "" {
		region = h.region
	}
	cfg, err := createConfig(in, region)
	if err != nil {
		return nil, err
	}
	id, err := h.freshPoolID(ctx, region)
	if err != nil {
		return nil, err
	}
	p, err := userpool.New(ctx, in.PoolName, h.poolOptions(userpool.WithConfig(cfg), userpool.WithPoolID(id))...)
	if err != nil {
		return nil, err
	}
	h.remember(ctx, p)
	up, err := h.describe(ctx, p)
	if err != nil {
		return nil, err
	}
	return &createUserPoolOutput{UserPool: up}, nil
}

// freshPoolID draws pool ids until one is unused. New would otherwise open
// an existing pool of that id and change its settings.
func (h *Handler) freshPoolID(ctx context.Context, region string) (string, error) {
	for range 5 {
		id, err := userpool.NewPoolID(region, h.random)
		if err != nil {
			return "", err
		}
		_, err = h.store.GetPool(ctx, id)
		if errors.Is(err, storage.ErrNotFound) {
			return id, nil
		}
		if err != nil {
			return "", fmt.Errorf("cognitoapi: check pool id: %w", err)
		}
	}
	return "", errors.New("cognitoapi: no unused pool id after 5 draws")
}

// describe renders p with the store's record, which has its last change.
func (h *Handler) describe(ctx context.Context, p *userpool.Pool) (userPoolType, error) {
	d, err := p.Describe(ctx)
	if err != nil {
		return userPoolType{}, err
	}
	rec, err := h.store.GetPool(ctx, p.ID())
	if errors.Is(err, storage.ErrNotFound) {
		return userPoolType{}, userpool.ErrResourceNotFound.With("User pool %s does not exist.", p.ID())
	}
	if err != nil {
		return userPoolType{}, fmt.Errorf("cognitoapi: load pool %s: %w", p.ID(), err)
	}
	return describePool(d, rec), nil
}

// describeUserPool mirrors DescribeUserPool.
func describeUserPool(ctx context.Context, h *Handler, in *describeUserPoolInput) (*describeUserPoolOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	up, err := h.describe(ctx, p)
	if err != nil {
		return nil, err
	}
	return &describeUserPoolOutput{UserPool: up}, nil
}

// updateUserPool mirrors UpdateUserPool: every setting the request omits
// returns to its default, as in Cognito.
func updateUserPool(ctx context.Context, h *Handler, in *updateUserPoolInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	cfg, err := updateConfig(in, p.Config())
	if err != nil {
		return nil, err
	}
	h.pools.forget(p.ID())
	updated, err := userpool.New(ctx, cfg.Name, h.poolOptions(userpool.WithConfig(cfg), userpool.WithPoolID(p.ID()))...)
	if err != nil {
		return nil, err
	}
	h.remember(ctx, updated)
	return &empty{}, nil
}

// deleteUserPool mirrors DeleteUserPool.
func deleteUserPool(ctx context.Context, h *Handler, in *deleteUserPoolInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	if err := p.Delete(ctx); err != nil {
		return nil, err
	}
	h.pools.forget(p.ID())
	h.clients.forgetPool(p.ID())
	return &empty{}, nil
}

// listUserPools mirrors ListUserPools: pools in id order, MaxResults (1 to
// 60) at a time. NextToken is the store's cursor.
func listUserPools(ctx context.Context, h *Handler, in *listUserPoolsInput) (*listUserPoolsOutput, error) {
	if n := *in.MaxResults; n < 1 || n > 60 {
		return nil, validationError([]string{fmt.Sprintf("Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 60", n)})
	}
	page, err := h.store.ListPools(ctx, storage.PageRequest{Limit: *in.MaxResults, Cursor: in.NextToken})
	if err != nil {
		// The store's cursor errors have no sentinel: if a first page
		// can be listed, the token was at fault.
		if in.NextToken != "" {
			if _, again := h.store.ListPools(ctx, storage.PageRequest{Limit: 1}); again == nil {
				return nil, userpool.ErrInvalidParameter.With("Invalid NextToken")
			}
		}
		return nil, fmt.Errorf("cognitoapi: list pools: %w", err)
	}
	out := &listUserPoolsOutput{UserPools: []userPoolDescriptionType{}, NextToken: page.Next}
	for _, rec := range page.Items {
		out.UserPools = append(out.UserPools, userPoolDescriptionType{
			Id: rec.ID, Name: rec.Name, CreationDate: epoch(rec.CreatedAt), LastModifiedDate: epoch(rec.UpdatedAt),
		})
	}
	return out, nil
}
