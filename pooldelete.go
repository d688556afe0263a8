package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// Delete removes the pool and everything in it (clients, users, groups,
// codes, tokens, devices, keys) from the store, in one atomic step. It
// mirrors DeleteUserPool. Deletion protection is read from the store, not
// from this Pool's copy, so a pool protected by another instance since this
// one opened it is not deleted. The Pool must not be used afterwards.
//
// Errors: ErrInvalidParameter while deletion protection is on,
// ErrResourceNotFound if the pool no longer exists.
func (p *Pool) Delete(ctx context.Context) error {
	rec, err := p.store.GetPool(ctx, p.id)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrResourceNotFound.With("User pool %s does not exist.", p.id)
	}
	if err != nil {
		return p.internal("load pool", err)
	}
	var stored Config
	if err := json.Unmarshal(rec.Settings, &stored); err != nil {
		return p.internal("load pool", fmt.Errorf("stored settings: %w", err))
	}
	if stored.DeletionProtection {
		return ErrInvalidParameter.With("The user pool cannot be deleted because deletion protection is activated. Deletion protection must be inactivated first.")
	}
	err = p.store.DeletePool(ctx, p.id)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrResourceNotFound.With("User pool %s does not exist.", p.id)
	}
	if err != nil {
		return p.internal("delete pool", err)
	}
	return nil
}
