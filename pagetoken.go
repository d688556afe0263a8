package userpool

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"
)

// Listing limits. Cognito accepts a Limit of 0 to 60 and treats 0 as 60;
// the library accepts up to MaxListLimit so that programs embedding a pool
// can page in larger steps. A server speaking Cognito's wire protocol
// should refuse more than DefaultListLimit itself.
const (
	DefaultListLimit = 60
	MaxListLimit     = 1000
)

// PageTokenValidity is how long a pagination token stays usable after the
// page that issued it, as Cognito's ListUsers tokens do.
const PageTokenValidity = time.Hour

// listLimit turns a caller's limit into a page size: 0 means
// DefaultListLimit.
func listLimit(limit int) (int, error) {
	switch {
	case limit == 0:
		return DefaultListLimit, nil
	case limit < 0 || limit > MaxListLimit:
		return 0, ErrInvalidParameter.With("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 0 and %d", limit, MaxListLimit)
	}
	return limit, nil
}

// Pagination tokens wrap a position (usually a store cursor) so that a
// caller can neither forge one nor reuse one elsewhere:
//
//	token = base64url(version | expiry | position | HMAC-SHA256(key, context))
//
// where the MAC covers the pool id, the listing's kind (ListUsers,
// ListGroups ...), its scope (the canonical filter, the group name, the
// user's sub), the expiry and the position. A token from another listing,
// filter, group or pool, a modified token, and a token older than
// PageTokenValidity are all refused with InvalidParameter, and a store
// never sees a cursor it did not make.
//
// The key: when the pool has a secret key (WithSecretKey), HKDF-SHA256 of
// it, so nothing extra is stored and a stolen store cannot forge tokens.
// Otherwise a random 32-byte key generated once and kept in the pool's
// stored settings, beside (not inside) Config, so every instance sharing
// the store accepts every other instance's tokens and tokens survive a
// restart. A per-process key would break both.
const pageTokenVersion = 1

// pageTokenKeyField is the member of the pool's stored settings JSON that
// holds the random token key. Config has no such field, so decoding the
// settings into Config ignores it.
const pageTokenKeyField = "paginationTokenKey"

// pageTokens is the per-pool state of pagination tokens: the key, loaded
// once.
type pageTokens struct {
	mu  sync.Mutex
	key []byte
}

// pageKey returns the pool's token key, deriving or loading (and if need
// be creating) it on first use.
func (p *Pool) pageKey(ctx context.Context) ([]byte, error) {
	t := p.pages
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.key != nil {
		return t.key, nil
	}
	if p.secretKey != nil {
		key, err := hkdf.Key(sha256.New, p.secretKey, []byte(p.id), "userpool pagination tokens", 32)
		if err != nil {
			return nil, p.internal("derive the pagination key", err)
		}
		t.key = key
		return key, nil
	}
	key, err := p.storedPageKey(ctx)
	if err != nil {
		return nil, err
	}
	t.key = key
	return key, nil
}

// storedPageKey reads the random key from the pool record, adding one if
// there is none. Instances racing to add one settle on the winner's key:
// UpdatePool is a compare-and-swap on the record's version.
func (p *Pool) storedPageKey(ctx context.Context) ([]byte, error) {
	for {
		rec, err := p.store.GetPool(ctx, p.id)
		if err != nil {
			return nil, p.internal("load the pool", err)
		}
		if key := pageKeyOf(rec.Settings); key != nil {
			return key, nil
		}
		key := make([]byte, 32)
		if _, err := io.ReadFull(p.random, key); err != nil {
			return nil, p.internal("generate the pagination key", err)
		}
		rec.Settings = withPageKey(rec.Settings, key)
		rec.UpdatedAt = p.now()
		err = p.store.UpdatePool(ctx, rec)
		if errors.Is(err, storage.ErrConflict) {
			continue
		}
		if err != nil {
			return nil, p.internal("store the pagination key", err)
		}
		return key, nil
	}
}

// pageKeyOf returns the token key kept in stored settings, or nil.
func pageKeyOf(settings []byte) []byte {
	var s map[string]json.RawMessage
	if json.Unmarshal(settings, &s) != nil {
		return nil
	}
	var key []byte
	if json.Unmarshal(s[pageTokenKeyField], &key) != nil || len(key) != 32 {
		return nil
	}
	return key
}

// withPageKey returns settings (a JSON object without the key member) with
// the key member appended. Appending rather than re-encoding keeps the
// bytes of the settings as they were, so a pool whose configuration did
// not change is not rewritten at every start.
func withPageKey(settings, key []byte) []byte {
	i := bytes.LastIndexByte(settings, '}')
	if i < 0 || key == nil {
		return settings
	}
	member, _ := json.Marshal(map[string][]byte{pageTokenKeyField: key})
	out := bytes.Clone(settings[:i])
	if len(bytes.TrimSpace(out)) > 1 {
		out = append(out, ',')
	}
	return append(out, member[1:]...)
}

// keepPageKey carries the token key of the stored settings over to new
// settings being persisted (see Pool.persist), so updating a pool's
// configuration never loses it.
func keepPageKey(settings, stored []byte) []byte {
	return withPageKey(settings, pageKeyOf(stored))
}

// sealPage makes the token that continues the listing kind/scope at
// position. An empty position (the last page) gives an empty token.
func (p *Pool) sealPage(ctx context.Context, kind, scope, position string) (string, error) {
	if position == "" {
		return "", nil
	}
	key, err := p.pageKey(ctx)
	if err != nil {
		return "", err
	}
	b := []byte{pageTokenVersion}
	b = binary.BigEndian.AppendUint64(b, uint64(p.now().Add(PageTokenValidity).Unix()))
	b = append(b, position...)
	b = append(b, pageMAC(key, p.id, kind, scope, b)...)
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// openPage checks a token made by sealPage for the same listing and scope
// and returns its position ("" for an empty token). name is the token's
// name in the operation (PaginationToken, NextToken) for the message.
func (p *Pool) openPage(ctx context.Context, kind, scope, name, token string) (string, error) {
	if token == "" {
		return "", nil
	}
	invalid := ErrInvalidParameter.With("Invalid %s.", name)
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) < 1+8+sha256.Size || b[0] != pageTokenVersion {
		return "", invalid
	}
	key, err := p.pageKey(ctx)
	if err != nil {
		return "", err
	}
	body, mac := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if !hmac.Equal(mac, pageMAC(key, p.id, kind, scope, body)) {
		return "", invalid
	}
	expires := time.Unix(int64(binary.BigEndian.Uint64(body[1:9])), 0)
	if p.now().After(expires) {
		return "", ErrInvalidParameter.With("%s has expired.", name)
	}
	return string(body[9:]), nil
}

// pageMAC authenticates a token body for one pool, listing and scope. Each
// part is length-prefixed, so no two contexts encode alike.
func pageMAC(key []byte, poolID, kind, scope string, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	for _, part := range [][]byte{[]byte("userpool page token"), []byte(poolID), []byte(kind), []byte(scope), body} {
		var n [binary.MaxVarintLen64]byte
		m.Write(n[:binary.PutUvarint(n[:], uint64(len(part)))])
		m.Write(part)
	}
	return m.Sum(nil)
}

// errPosition reports a position that passed the MAC check but could not
// be used: only a bug or a changed store format makes one.
func (p *Pool) errPosition(what string, err error) error {
	return p.internal(what, fmt.Errorf("pagination position: %w", err))
}
