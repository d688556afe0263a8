package cognitoapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// poolSpec is one entry of a pools file: a CreateUserPool request, plus an
// optional UserPoolId so that a development setup gets the same pool id on
// every machine.
type poolSpec struct {
	createUserPoolInput
	UserPoolId string
}

// LoadPools creates the pools described by r, a JSON array of
// CreateUserPool requests, that the store does not have yet: an entry with
// a UserPoolId member is looked up by that id (and created with it), any
// other by its PoolName. It returns the id of every entry's pool, created
// or found, in order. Entries are checked as the API checks them; the
// first bad entry stops the load with an error naming it.
func (h *Handler) LoadPools(ctx context.Context, r io.Reader) ([]string, error) {
	data, err := io.ReadAll(io.LimitReader(r, 16<<20))
	if err != nil {
		return nil, fmt.Errorf("cognitoapi: read pools: %w", err)
	}
	var entries []json.RawMessage
	if err := json.Unmarshal(data, &entries); err != nil {
		return nil, fmt.Errorf("cognitoapi: pools file must be a JSON array of CreateUserPool requests: %w", err)
	}
	byName, err := h.poolNames(ctx)
	if err != nil {
		return nil, err
	}
	var ids []string
	for i, raw := range entries {
		var spec poolSpec
		if err := decode(raw, &spec); err != nil {
			return ids, fmt.Errorf("cognitoapi: pool %d: %w", i, err)
		}
		if err := spec.check(); err != nil {
			return ids, fmt.Errorf("cognitoapi: pool %d: %w", i, err)
		}
		id, err := h.ensurePool(ctx, &spec, byName)
		if err != nil {
			return ids, fmt.Errorf("cognitoapi: pool %d (%s): %w", i, spec.PoolName, err)
		}
		byName[spec.PoolName] = id
		ids = append(ids, id)
	}
	return ids, nil
}

func (h *Handler) ensurePool(ctx context.Context, spec *poolSpec, byName map[string]string) (string, error) {
	if spec.UserPoolId == "" {
		if id, ok := byName[spec.PoolName]; ok {
			return id, nil
		}
		out, err := createUserPool(ctx, h, &spec.createUserPoolInput)
		if err != nil {
			return "", err
		}
		return out.UserPool.Id, nil
	}
	_, err := h.store.GetPool(ctx, spec.UserPoolId)
	if err == nil {
		return spec.UserPoolId, nil
	}
	if !errors.Is(err, storage.ErrNotFound) {
		return "", err
	}
	// The id starts with its region, as Cognito's ids do.
	region, _, _ := strings.Cut(spec.UserPoolId, "_")
	cfg, err := createConfig(&spec.createUserPoolInput, region)
	if err != nil {
		return "", err
	}
	p, err := userpool.New(ctx, spec.PoolName, h.poolOptions(userpool.WithConfig(cfg), userpool.WithPoolID(spec.UserPoolId))...)
	if err != nil {
		return "", err
	}
	return p.ID(), nil
}

// poolNames maps the name of every stored pool to its id.
func (h *Handler) poolNames(ctx context.Context) (map[string]string, error) {
	names := map[string]string{}
	page := storage.PageRequest{Limit: 100}
	for {
		pools, err := h.store.ListPools(ctx, page)
		if err != nil {
			return nil, fmt.Errorf("cognitoapi: list pools: %w", err)
		}
		for _, p := range pools.Items {
			if _, ok := names[p.Name]; !ok {
				names[p.Name] = p.ID
			}
		}
		if pools.Next == "" {
			return names, nil
		}
		page.Cursor = pools.Next
	}
}
