package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"time"
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
// The key is derived from the pool's keys (see Pool.derivedKey), so every
// instance sharing the store accepts every other instance's tokens and
// tokens survive a restart.
const pageTokenVersion = 1

// sealPage makes the token that continues the listing kind/scope at
// position. An empty position (the last page) gives an empty token.
func (p *Pool) sealPage(ctx context.Context, kind, scope, position string) (string, error) {
	if position == "" {
		return "", nil
	}
	key := p.derivedKey("pagination tokens")
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
	key := p.derivedKey("pagination tokens")
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
