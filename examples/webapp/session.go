package main

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/userpool/userpool"
)

// cookieName names the session cookie. It holds only a random id: the
// tokens (the refresh token above all) stay on the server.
const cookieName = "webapp_session"

// maxForm is the largest form body accepted.
const maxForm = 64 << 10

// sessionIdle is how long an unused session is kept.
const sessionIdle = 24 * time.Hour

// session is one browser's state. Its fields are guarded by mu.
type session struct {
	id    string
	csrf  string        // the token every form carries
	store *sessionStore // where its signed-in part is kept, or nil
	log   *slog.Logger

	mu      sync.Mutex
	seen    time.Time
	access  string
	idToken string
	refresh string
	// challenge is a sign-in in progress: the challenge, its session
	// and the user it is for.
	challenge, challengeSession, challengeUser string
	flash, flashErr                            string
	// pendingSecret and pendingQR are a TOTP secret being set up.
	pendingSecret string
	pendingQR     template.URL
}

func (s *session) setFlash(msg, errMsg string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.flash, s.flashErr = msg, errMsg
}

func (s *session) takeFlash() (string, string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, e := s.flash, s.flashErr
	s.flash, s.flashErr = "", ""
	return f, e
}

// setTokens keeps a completed sign-in's tokens and ends any challenge.
func (s *session) setTokens(res *userpool.AuthenticationResult) {
	s.mu.Lock()
	s.access, s.idToken = res.AccessToken, res.IDToken
	if res.RefreshToken != "" {
		s.refresh = res.RefreshToken
	}
	s.challenge, s.challengeSession, s.challengeUser = "", "", ""
	s.mu.Unlock()
	s.save()
}

// save keeps the session's signed-in part in the store, if there is one.
// A store that fails costs the session its life across restarts only.
func (s *session) save() {
	if s.store == nil {
		return
	}
	s.mu.Lock()
	rec := storedSession{CSRF: s.csrf, Access: s.access, ID: s.idToken, Refresh: s.refresh}
	now := s.seen
	s.mu.Unlock()
	if err := s.store.save(context.Background(), s.id, rec, now); err != nil {
		s.log.Error("webapp: save a session", "err", err)
	}
}

func (s *session) tokens() (access, refresh string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.access, s.refresh
}

func (s *session) setChallenge(name, sess, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.challenge, s.challengeSession, s.challengeUser = name, sess, user
}

func (s *session) getChallenge() (name, sess, user string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.challenge, s.challengeSession, s.challengeUser
}

func (s *session) setSecret(secret string, qr template.URL) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pendingSecret, s.pendingQR = secret, qr
}

func (s *session) secret() (string, template.URL) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.pendingSecret, s.pendingQR
}

// sessions are the server's sessions by id: in memory, and their
// signed-in part in store when there is one (see sessionStore).
type sessions struct {
	mu    sync.Mutex
	byID  map[string]*session
	swept time.Time // when idle sessions were last forgotten
	store *sessionStore
	log   *slog.Logger
}

func newSessions(store *sessionStore, log *slog.Logger) *sessions {
	return &sessions{byID: map[string]*session{}, store: store, log: log}
}

func (ss *sessions) get(id string, now time.Time) *session {
	if s := ss.cached(id, now); s != nil || ss.store == nil {
		return s
	}
	// Signed in before a restart, or at another instance. The store is
	// read without the lock, so other requests do not wait on it.
	rec, ok := ss.store.load(context.Background(), id, now, sessionIdle)
	if !ok {
		return nil
	}
	loaded := &session{id: id, csrf: rec.CSRF, store: ss.store, log: ss.log, seen: now,
		access: rec.Access, idToken: rec.ID, refresh: rec.Refresh}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	if s := ss.byID[id]; s != nil { // loaded meanwhile by another request
		return s
	}
	ss.byID[id] = loaded
	return loaded
}

// cached returns the session in memory, unless it has been idle too long.
func (ss *sessions) cached(id string, now time.Time) *session {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	s := ss.byID[id]
	if s == nil {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.seen) > sessionIdle {
		delete(ss.byID, id)
		return nil
	}
	s.seen = now
	return s
}

func (ss *sessions) create(now time.Time) *session {
	s := &session{id: randomToken(), csrf: randomToken(), seen: now, store: ss.store, log: ss.log}
	ss.mu.Lock()
	defer ss.mu.Unlock()
	// Forget idle sessions now and then as new ones come, so the map
	// stays bounded by recent use.
	if now.Sub(ss.swept) > time.Minute {
		ss.sweep(now)
	}
	ss.byID[s.id] = s
	return s
}

// sweep forgets idle sessions; ss.mu is held.
func (ss *sessions) sweep(now time.Time) {
	ss.swept = now
	if ss.store != nil {
		if err := ss.store.sweep(context.Background(), now, sessionIdle); err != nil {
			ss.log.Error("webapp: sweep sessions", "err", err)
		}
	}
	for id, old := range ss.byID {
		old.mu.Lock()
		idle := now.Sub(old.seen) > sessionIdle
		old.mu.Unlock()
		if idle {
			delete(ss.byID, id)
		}
	}
}

func (ss *sessions) delete(id string) {
	ss.mu.Lock()
	defer ss.mu.Unlock()
	delete(ss.byID, id)
	if ss.store != nil {
		if err := ss.store.delete(context.Background(), id); err != nil {
			ss.log.Error("webapp: delete a session", "err", err)
		}
	}
}

func randomToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported systems
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// signedIn is the user of a request with valid tokens.
type signedIn struct {
	Username string
	Email    string
	Groups   []string
}

// Admin reports whether the user is an administrator.
func (u *signedIn) Admin() bool { return slices.Contains(u.Groups, adminGroup) }

type ctxKey int

const (
	sessionKey ctxKey = iota
	userKey
)

func sessionFrom(r *http.Request) *session {
	s, _ := r.Context().Value(sessionKey).(*session)
	return s
}

func userFrom(r *http.Request) *signedIn {
	u, _ := r.Context().Value(userKey).(*signedIn)
	return u
}

// withSession gives every request (but the OIDC provider's, which has its
// own) a session, checks the CSRF token of every POST and verifies the
// session's access token, refreshing it when it has expired.
func (a *app) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isOIDC(r) {
			next.ServeHTTP(w, r)
			return
		}
		now := a.pool.Now()
		var s *session
		if c, err := r.Cookie(cookieName); err == nil {
			s = a.sessions.get(c.Value, now)
		}
		if s == nil {
			s = a.sessions.create(now)
			setCookie(w, r, s.id)
		}
		if r.Method == http.MethodPost {
			// The forms are small; a large body is refused unread.
			r.Body = http.MaxBytesReader(w, r.Body, maxForm)
			got := r.PostFormValue("csrf")
			if subtle.ConstantTimeCompare([]byte(got), []byte(s.csrf)) != 1 {
				http.Error(w, "The form has expired; go back, reload the page and try again.", http.StatusForbidden)
				return
			}
		}
		ctx := context.WithValue(r.Context(), sessionKey, s)
		if u := a.currentUser(ctx, s); u != nil {
			ctx = context.WithValue(ctx, userKey, u)
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// setCookie sets the session cookie: HttpOnly (scripts cannot read it),
// SameSite=Lax (other sites' forms do not carry it) and Secure over TLS.
func setCookie(w http.ResponseWriter, r *http.Request, id string) {
	http.SetCookie(w, &http.Cookie{
		Name: cookieName, Value: id, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil,
	})
}

// currentUser verifies the session's access token, refreshing it once
// when it no longer verifies; a session whose tokens cannot be renewed
// is signed out.
func (a *app) currentUser(ctx context.Context, s *session) *signedIn {
	access, refresh := s.tokens()
	if access == "" {
		return nil
	}
	c, err := a.verifier.Verify(ctx, access, userpool.TokenUseAccess)
	if err != nil && refresh != "" {
		res, rerr := a.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: a.clientID, RefreshToken: refresh})
		if rerr == nil {
			s.setTokens(&res)
			c, err = a.verifier.Verify(ctx, res.AccessToken, userpool.TokenUseAccess)
		}
	}
	if err != nil {
		s.clearTokens()
		return nil
	}
	u := &signedIn{Username: c.Username, Groups: c.Groups}
	if idc, err := a.verifier.Verify(ctx, s.idTokenValue(), userpool.TokenUseID); err == nil {
		var claims struct {
			Email string `json:"email"`
		}
		if idc.Decode(&claims) == nil {
			u.Email = claims.Email
		}
	}
	return u
}

func (s *session) clearTokens() {
	s.mu.Lock()
	s.access, s.idToken, s.refresh = "", "", ""
	s.mu.Unlock()
	s.save()
}

func (s *session) idTokenValue() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.idToken
}

// requireUser wraps a handler for signed-in users only.
func requireUser(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if userFrom(r) == nil {
			redirect(w, r, "/signin", "Please sign in first.")
			return
		}
		h(w, r)
	}
}

// requireAdmin wraps a handler for members of the admin group.
func requireAdmin(h http.HandlerFunc) http.HandlerFunc {
	return requireUser(func(w http.ResponseWriter, r *http.Request) {
		if !userFrom(r).Admin() {
			http.Error(w, "Only administrators may see this page.", http.StatusForbidden)
			return
		}
		h(w, r)
	})
}
