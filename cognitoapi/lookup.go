package cognitoapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// Public operations name an app client, not a pool, and token operations
// carry only a token; these helpers find the pool for them.

// clientIndex remembers which pool each app client id belongs to.
type clientIndex struct {
	mu   sync.Mutex
	pool map[string]string // client id -> pool id
}

func (c *clientIndex) get(clientID string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.pool[clientID]
	return id, ok
}

func (c *clientIndex) put(clientID, poolID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pool == nil {
		c.pool = map[string]string{}
	}
	c.pool[clientID] = poolID
}

// forgetPool drops every client of a deleted pool.
func (c *clientIndex) forgetPool(poolID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for client, pool := range c.pool {
		if pool == poolID {
			delete(c.pool, client)
		}
	}
}

// clientIDPattern is the model's pattern for ClientId; anything else cannot
// name a client, so it is refused before the store is searched.
var clientIDPattern = regexp.MustCompile(`^[\w+]{1,128}$`)

// poolForClient returns the pool that has the app client clientID, or
// ResourceNotFoundException "User pool client <id> does not exist.".
//
// Client ids are unique across pools (26 random characters). A store
// that implements storage.ClientLocator finds the pool by index; with any
// other, the first lookup of an id searches pool by pool. Ids found are
// remembered either way. Should an imported id be in several pools, the
// first by pool id is taken. The pool still checks the client itself.
func (h *Handler) poolForClient(ctx context.Context, clientID string) (*userpool.Pool, error) {
	notFound := userpool.ErrResourceNotFound.With("User pool client %s does not exist.", clientID)
	if !clientIDPattern.MatchString(clientID) {
		return nil, notFound
	}
	if poolID, ok := h.clients.get(clientID); ok {
		p, err := h.pool(ctx, poolID)
		if !errors.Is(err, userpool.ErrResourceNotFound) {
			return p, err
		}
	}
	poolID, err := h.findClient(ctx, clientID)
	if err != nil {
		return nil, err
	}
	if poolID == "" {
		return nil, notFound
	}
	h.clients.put(clientID, poolID)
	return h.pool(ctx, poolID)
}

// findClient returns the id of the pool that has the client clientID, or
// "" when none has.
func (h *Handler) findClient(ctx context.Context, clientID string) (string, error) {
	if loc, ok := h.store.(storage.ClientLocator); ok {
		ids, err := loc.ClientPools(ctx, clientID)
		if err != nil || len(ids) == 0 {
			return "", wrapErr("find client", err)
		}
		return ids[0], nil
	}
	page := storage.PageRequest{Limit: 100}
	for {
		pools, err := h.store.ListPools(ctx, page)
		if err != nil {
			return "", wrapErr("list pools", err)
		}
		for _, rec := range pools.Items {
			_, err := h.store.GetClient(ctx, rec.ID, clientID)
			if errors.Is(err, storage.ErrNotFound) {
				continue
			}
			if err != nil {
				return "", wrapErr("get client", err)
			}
			return rec.ID, nil
		}
		if pools.Next == "" {
			return "", nil
		}
		page.Cursor = pools.Next
	}
}

// wrapErr names the lookup that failed; nil stays nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("cognitoapi: %s: %w", what, err)
}

// maxTokenSize bounds the tokens whose claims are read here.
const maxTokenSize = 16 << 10

// poolForToken returns the pool that issued a JWT (an access token), read
// from its iss claim, whose last path segment is the pool id. It does NOT
// verify the token: the pool does that. A token that cannot be read is
// NotAuthorizedException "Invalid Access Token".
func (h *Handler) poolForToken(ctx context.Context, jwt string) (*userpool.Pool, error) {
	invalid := userpool.ErrNotAuthorized.With("Invalid Access Token")
	parts := strings.Split(jwt, ".")
	if len(jwt) > maxTokenSize || len(parts) != 3 {
		return nil, invalid
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return nil, invalid
	}
	var claims struct {
		Iss string `json:"iss"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return nil, invalid
	}
	i := strings.LastIndexByte(claims.Iss, '/')
	poolID := claims.Iss[i+1:]
	if i < 0 || !poolIDPattern.MatchString(poolID) {
		return nil, invalid
	}
	p, err := h.pool(ctx, poolID)
	if errors.Is(err, userpool.ErrResourceNotFound) {
		return nil, invalid
	}
	return p, err
}

// poolIDPattern is the model's pattern for UserPoolId.
var poolIDPattern = regexp.MustCompile(`^[\w-]{1,45}_[0-9a-zA-Z]{1,45}$`)
