package cognitoapi

import (
	"sync"
	"time"
)

// sessionIndex remembers which pool issued each sign-in session this
// Handler handed out, for the calls that carry only a Session
// (AssociateSoftwareToken and VerifySoftwareToken during an MFA_SETUP
// challenge): a session is opaque and names no pool. Sessions live for
// minutes, so entries expire after maxSessionAge; a session issued by
// another Handler sharing the store is not found here, and the call is
// refused as an invalid session (clients then sign in again).
type sessionIndex struct {
	mu    sync.Mutex
	pools map[string]sessionEntry
}

type sessionEntry struct {
	pool    string
	expires time.Time
}

// maxSessionAge is the longest AuthSessionValidity (15 minutes).
const maxSessionAge = 15 * time.Minute

// maxSessions bounds the index; past it, expired entries are dropped, and
// if none are, the index starts over.
const maxSessions = 1 << 16

func (s *sessionIndex) put(session, poolID string, now time.Time) {
	if session == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.pools == nil {
		s.pools = map[string]sessionEntry{}
	}
	if len(s.pools) >= maxSessions {
		for k, e := range s.pools {
			if now.After(e.expires) {
				delete(s.pools, k)
			}
		}
		if len(s.pools) >= maxSessions {
			clear(s.pools)
		}
	}
	s.pools[session] = sessionEntry{pool: poolID, expires: now.Add(maxSessionAge)}
}

func (s *sessionIndex) get(session string, now time.Time) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.pools[session]
	if !ok || now.After(e.expires) {
		return "", false
	}
	return e.pool, true
}
