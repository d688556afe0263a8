package userpool

import (
	"context"
	"errors"
	"math"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"
)

// Revocation of ID and access tokens, which are otherwise valid until they
// expire, comes from two records in the store:
//
//   - a user's TokensValidAfter (set by GlobalSignOut and
//     AdminUserGlobalSignOut): every token of the user whose iat is at or
//     before that second is revoked. iat has whole seconds, so a token
//     issued in the same second as the sign-out, before or after it, counts
//     as issued before it; tokens issued after a sign-out in the same
//     second are therefore stamped with the next second (see mintTokens).
//     A disabled or deleted user's tokens are all revoked.
//   - revoked origins (set by RevokeToken and by the reuse of a rotated
//     refresh token): every token carrying that origin_jti is revoked.
//
// Verification must not read the store for each token, so both are cached
// in memory: revoked origins as one set read whole, user marks per sub.
// This instance's own revocations apply at once; another instance's are
// seen when the cached copy is older than the cache TTL (WithCacheTTL),
// which bounds the staleness. Cached entries only ever grow stricter, so
// merging a reload with local changes never un-revokes anything.

// maxCachedUsers bounds the per-user marks; past it the cache starts over,
// which costs store reads, not correctness.
const maxCachedUsers = 1 << 17

// userMark is what verification needs of a user.
type userMark struct {
	// cutoff: tokens whose iat is at or before this Unix second are
	// revoked (math.MinInt64: none; math.MaxInt64: all).
	cutoff int64
	at     time.Time // when it was read from the store
}

type revocationCache struct {
	mu        sync.RWMutex
	users     map[string]userMark
	origins   map[string]time.Time // origin_jti -> when the record expires
	originsAt time.Time            // when origins was read from the store

	reload sync.Mutex // serialises reloads of origins
}

// cutoffOf returns the revocation cutoff of a stored user.
func cutoffOf(u storage.User) int64 {
	switch {
	case !u.Enabled:
		return math.MaxInt64
	case u.TokensValidAfter.IsZero():
		return math.MinInt64
	default:
		return u.TokensValidAfter.Unix()
	}
}

// markUser records a user's cutoff, keeping the stricter one.
func (rc *revocationCache) markUser(sub string, cutoff int64, at time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.users) >= maxCachedUsers {
		clear(rc.users)
	}
	if old, ok := rc.users[sub]; ok && old.cutoff > cutoff && !old.at.Before(at) {
		cutoff = old.cutoff
	}
	rc.users[sub] = userMark{cutoff: cutoff, at: at}
}

// addOrigin records a revoked origin locally.
func (rc *revocationCache) addOrigin(jti string, expires time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.origins == nil {
		rc.origins = map[string]time.Time{}
	}
	if expires.After(rc.origins[jti]) {
		rc.origins[jti] = expires
	}
}

// setUser records a user's cutoff as this process just wrote it: unlike
// markUser it may loosen the mark (a user enabled again).
func (rc *revocationCache) setUser(sub string, cutoff int64, at time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.users) >= maxCachedUsers {
		clear(rc.users)
	}
	rc.users[sub] = userMark{cutoff: cutoff, at: at}
}

// userChanged tells the revocation cache that this process stored u, so
// verification here sees a disable or a sign-out at once.
func (p *Pool) userChanged(u storage.User) {
	p.tokens.revoked.setUser(u.Sub, cutoffOf(u), p.now())
}

// userDeleted tells the revocation cache that this process deleted the
// user sub: all its tokens are revoked.
func (p *Pool) userDeleted(sub string) {
	p.tokens.revoked.setUser(sub, math.MaxInt64, p.now())
}

// userCutoff returns the user's cutoff, from the cache or the store.
func (p *Pool) userCutoff(ctx context.Context, sub string, now time.Time) (int64, error) {
	rc := &p.tokens.revoked
	rc.mu.RLock()
	m, ok := rc.users[sub]
	rc.mu.RUnlock()
	if ok && p.tokens.fresh(m.at, now) {
		return m.cutoff, nil
	}
	u, err := p.store.GetUser(ctx, p.id, sub)
	cutoff := int64(math.MaxInt64) // a deleted user's tokens are revoked
	switch {
	case err == nil:
		cutoff = cutoffOf(u)
	case !errors.Is(err, storage.ErrNotFound):
		return 0, p.internal("check token revocation", err)
	}
	rc.markUser(sub, cutoff, now)
	return cutoff, nil
}

// originRevoked reports whether tokens with origin_jti jti are revoked,
// reading the set of revoked origins from the store when the cached copy
// is stale.
func (p *Pool) originRevoked(ctx context.Context, jti string, now time.Time) (bool, error) {
	rc := &p.tokens.revoked
	rc.mu.RLock()
	fresh := p.tokens.fresh(rc.originsAt, now)
	exp, found := rc.origins[jti]
	rc.mu.RUnlock()
	if !fresh {
		if err := p.reloadOrigins(ctx, now); err != nil {
			return false, err
		}
		rc.mu.RLock()
		exp, found = rc.origins[jti]
		rc.mu.RUnlock()
	}
	return found && exp.After(now), nil
}

func (p *Pool) reloadOrigins(ctx context.Context, now time.Time) error {
	rc := &p.tokens.revoked
	rc.reload.Lock()
	defer rc.reload.Unlock()
	rc.mu.RLock()
	fresh := p.tokens.fresh(rc.originsAt, now)
	rc.mu.RUnlock()
	if fresh {
		return nil
	}
	stored, err := p.store.RevokedOrigins(ctx, p.id, now)
	if err != nil {
		return p.internal("check token revocation", err)
	}
	next := make(map[string]time.Time, len(stored))
	for _, r := range stored {
		next[r.OriginJTI] = r.ExpiresAt
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	// Keep what was revoked here while the store was being read.
	for jti, exp := range rc.origins {
		if exp.After(now) && exp.After(next[jti]) {
			next[jti] = exp
		}
	}
	rc.origins, rc.originsAt = next, now
	return nil
}

// tokenRevoked reports whether a verified token of the pool is revoked.
func (p *Pool) tokenRevoked(ctx context.Context, c *Claims) (bool, error) {
	if machineToken(c) {
		return false, nil // no user, no refresh token: nothing revokes it (oauth.go)
	}
	now := p.now()
	cutoff, err := p.userCutoff(ctx, c.Subject, now)
	if err != nil {
		return false, err
	}
	if c.IssuedAt.Unix() <= cutoff {
		return true, nil
	}
	if c.OriginJTI == "" {
		return false, nil
	}
	return p.originRevoked(ctx, c.OriginJTI, now)
}

// revokeOrigin revokes every token carrying origin_jti jti, in the store
// and in this instance's cache. Tokens minted from the origin live at most
// maxTokenValidity from now: the clock is read after the caller revoked
// the refresh tokens, so no refresh racing the revocation can mint a token
// that outlives the record.
func (p *Pool) revokeOrigin(ctx context.Context, jti, sub string) error {
	now := p.now()
	r := storage.RevokedOrigin{PoolID: p.id, OriginJTI: jti, Sub: sub, RevokedAt: now, ExpiresAt: now.Add(maxTokenValidity + p.tokens.leeway)}
	if err := p.store.RevokeOrigin(ctx, r); err != nil {
		return p.internal("revoke tokens", err)
	}
	p.tokens.revoked.addOrigin(jti, r.ExpiresAt)
	return nil
}
