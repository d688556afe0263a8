package jsonstore

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// Sweep deletes the sessions, codes, refresh tokens and revoked origins
// whose ExpiresAt is not after now, and the attempt counters idle for more than
// [storage.AttemptIdle]. Like every method it works from the time it is
// given, never the clock.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	return change(ctx, s, func(d *data) error {
		expired := func(at time.Time) bool { return !at.After(now) }
		for _, p := range d.Pools {
			deleteWhere(p.Sessions, func(ss storage.Session) bool { return expired(ss.ExpiresAt) })
			for _, codes := range p.Codes {
				deleteWhere(codes, func(c storage.Code) bool { return expired(c.ExpiresAt) })
			}
			deleteWhere(p.Tokens, func(t storage.RefreshToken) bool { return expired(t.ExpiresAt) })
			deleteWhere(p.Revoked, func(r storage.RevokedOrigin) bool { return expired(r.ExpiresAt) })
			deleteWhere(p.Attempts, func(c storage.AttemptCount) bool {
				return now.Sub(c.LastAt) > storage.AttemptIdle && now.Sub(c.LockedUntil) > storage.AttemptIdle
			})
		}
		return nil
	})
}

func deleteWhere[V any](m map[string]V, drop func(V) bool) {
	for k, v := range m {
		if drop(v) {
			delete(m, k)
		}
	}
}
