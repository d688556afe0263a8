package cognitoapi

import "strings"

// Sign-in sessions are opaque strings that name no pool, yet
// AssociateSoftwareToken and VerifySoftwareToken may carry a session (of
// an MFA_SETUP challenge) instead of an access token, and nothing else
// that names the pool. So the Handler hands out every session prefixed
// with the id of the pool that issued it, "<pool id>.<session>", and
// strips the prefix from every session it receives. Any instance of the
// server sharing the store can route such a session, with no state of its
// own; clients treat sessions as opaque and only send them back.
//
// A prefix naming another pool than the one the call reaches (a client
// rewriting it, say) leaves a session that pool never issued, which the
// library refuses as an invalid session.

// sessionSep separates the pool id from the library's session. Pool ids
// and the library's sessions (unpadded base64url) never contain it.
const sessionSep = "."

// wrapSession returns the session a client sees for a session of pool
// poolID; no session stays none.
func wrapSession(poolID, session string) string {
	if session == "" {
		return ""
	}
	return poolID + sessionSep + session
}

// unwrapSession splits a session a client sent into the pool id and the
// library's session. A session without a prefix is returned as it is,
// with ok false, for the library to refuse in its own words.
func unwrapSession(s string) (poolID, session string, ok bool) {
	poolID, session, ok = strings.Cut(s, sessionSep)
	if !ok || poolID == "" || session == "" {
		return "", s, false
	}
	return poolID, session, true
}
