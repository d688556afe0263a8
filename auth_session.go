package userpool

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// authState is what a session carries from one sign-in step to the next.
// It is stored as JSON in storage.Session.Data, under a hash of the
// session string, so any instance sharing the store can continue the
// sign-in. It never leaves the server: the client holds only the opaque
// session string.
type authState struct {
	// Flow is the AuthFlow the sign-in started with; Admin is true when
	// it started with AdminInitiateAuth.
	Flow  string `json:"flow"`
	Admin bool   `json:"admin,omitempty"`
	// ClientID binds the session to its app client.
	ClientID string `json:"clientId"`
	// Sub and Username are the user's; LoginName is the name the sign-in
	// started with (an alias, say), which a response may repeat.
	Sub       string `json:"sub,omitempty"`
	Username  string `json:"username"`
	LoginName string `json:"loginName,omitempty"`
	// Challenge is the challenge the session answers.
	Challenge string `json:"challenge"`
	// AuthTime is when the sign-in started (the tokens' auth_time), in
	// Unix seconds.
	AuthTime int64 `json:"authTime"`
	// ExpiresAt is the session's end in Unix seconds, kept to store it
	// again unchanged when an answer may be retried.
	ExpiresAt int64 `json:"expiresAt"`
	// PasswordVerified is set once the user proved the password.
	PasswordVerified bool `json:"passwordVerified,omitempty"`
	// PresentedDevice is the device key the sign-in presented, not yet
	// proven; the device step proves it (DEVICE_SRP_AUTH) and moves it to
	// DeviceKey. It is a field of its own, not a private parameter, so
	// that it survives the steps of a custom sign-in.
	PresentedDevice string `json:"presentedDevice,omitempty"`
	// DeviceKey is the device the sign-in proved, the one its tokens are
	// bound to.
	DeviceKey string `json:"deviceKey,omitempty"`
	// DeviceRemembered is set once the sign-in proved a remembered device
	// (DEVICE_PASSWORD_VERIFIER): the MFA step skips its challenge.
	DeviceRemembered bool `json:"deviceRemembered,omitempty"`
	// TokenSource is the PreTokenGeneration triggerSource of the tokens
	// this sign-in ends with ("" means TokenGeneration_Authentication).
	TokenSource string `json:"tokenSource,omitempty"`

	// History, Private, ChallengeMetadata, UserNotFound and CustomDone
	// are CUSTOM_AUTH's: the answered steps, the private challenge
	// parameters of the current one, whether the user is unknown (with
	// PreventUserExistenceErrors the triggers still run), and whether
	// DefineAuthChallenge has said to issue tokens.
	History           []ChallengeResult `json:"history,omitempty"`
	Private           map[string]string `json:"private,omitempty"`
	ChallengeMetadata string            `json:"challengeMetadata,omitempty"`
	UserNotFound      bool              `json:"userNotFound,omitempty"`
	CustomDone        bool              `json:"customDone,omitempty"`

	// Done lists the after-primary steps completed (see
	// registerAfterPrimary), by name.
	Done []string `json:"done,omitempty"`
	// Tries counts answers refused for their form (see retryable).
	Tries int `json:"tries,omitempty"`
}

// done reports whether the step named name has been completed.
func (st *authState) done(name string) bool { return slices.Contains(st.Done, name) }

// markDone records that the step named name has been completed.
func (st *authState) markDone(name string) {
	if !st.done(name) {
		st.Done = append(st.Done, name)
	}
}

// A session string is sessionRandomLen random bytes followed by the
// session's expiry (8 bytes, big-endian Unix seconds), base64url without
// padding: 54 characters, within Cognito's 20 to 2048. Only the SHA-256
// of the whole string is stored, so the store never holds a usable
// session. The expiry travels in the string only so an expired session
// gets Cognito's "session is expired" rather than "used once"; the store's
// ExpiresAt decides whether it works, so altering it gains nothing.
const (
	sessionRandomLen = 32
	sessionLen       = sessionRandomLen + 8
)

// maxSessionTries bounds the answers refused for their form that one
// session survives.
const maxSessionTries = 5

// Errors of sessions, with Cognito's messages.
var (
	errSessionExpired = ErrNotAuthorized.With("Invalid session for the user, session is expired.")
	errSessionUsed    = ErrNotAuthorized.With("Invalid session for the user, session can only be used once.")
	errSessionInvalid = ErrNotAuthorized.With("Invalid session for the user.")
)

// checkSessionParameter applies the API model's bounds on Session.
func checkSessionParameter(s string) error {
	const prefix = "1 validation error detected: Value at 'session' failed to satisfy constraint: "
	switch {
	case s == "":
		return ErrInvalidParameter.With("Missing required parameter Session")
	case len(s) < 20:
		return ErrInvalidParameter.With(prefix + "Member must have length greater than or equal to 20")
	case len(s) > 2048:
		return ErrInvalidParameter.With(prefix + "Member must have length less than or equal to 2048")
	}
	return nil
}

// sessionID is the store key of a session string.
func sessionID(session string) string {
	sum := sha256.Sum256([]byte(session))
	return hex.EncodeToString(sum[:])
}

// newSession stores st under a new session string for client c and
// returns the string. The session lives for the client's
// AuthSessionValidity.
func (p *Pool) newSession(ctx context.Context, st *authState, c Client) (string, error) {
	ttl := c.AuthSessionValidity
	if ttl <= 0 {
		ttl = 3 * time.Minute
	}
	expires := p.now().Add(ttl)
	st.ExpiresAt = expires.Unix()
	st.Tries = 0
	b := make([]byte, sessionLen)
	if _, err := io.ReadFull(p.random, b[:sessionRandomLen]); err != nil {
		return "", p.internal("make a session", err)
	}
	binary.BigEndian.PutUint64(b[sessionRandomLen:], uint64(expires.Unix()))
	session := base64.RawURLEncoding.EncodeToString(b)
	data, err := json.Marshal(st)
	if err != nil {
		return "", p.internal("make a session", err)
	}
	err = p.store.PutSession(ctx, storage.Session{PoolID: p.id, ID: sessionID(session), Data: data, ExpiresAt: expires})
	if err != nil {
		return "", p.internal("store a session", err)
	}
	return session, nil
}

// takeSession consumes a session and returns its state. An absent session
// gives "session is expired." when the expiry it carries has passed and
// "session can only be used once." otherwise (used, or never issued).
func (p *Pool) takeSession(ctx context.Context, session string) (*authState, error) {
	now := p.now()
	rec, err := p.store.TakeSession(ctx, p.id, sessionID(session), now)
	if errors.Is(err, storage.ErrNotFound) {
		b, derr := base64.RawURLEncoding.DecodeString(session)
		if derr == nil && len(b) == sessionLen {
			expiry := int64(binary.BigEndian.Uint64(b[sessionRandomLen:]))
			if expiry <= now.Unix() {
				return nil, errSessionExpired
			}
		}
		return nil, errSessionUsed
	}
	if err != nil {
		return nil, p.internal("read a session", err)
	}
	var st authState
	if err := json.Unmarshal(rec.Data, &st); err != nil {
		return nil, p.internal("read a session", err)
	}
	return &st, nil
}

// restoreSession stores a taken session again, unchanged but for one more
// try, after an answer refused for its form (see retryable): the client
// may correct the answer and send the same session. A session survives
// maxSessionTries such answers. Failures only cost the client a new
// sign-in, so they are logged, not returned.
func (p *Pool) restoreSession(ctx context.Context, session string, st *authState) {
	st.Tries++
	if st.Tries >= maxSessionTries {
		return
	}
	expires := time.Unix(st.ExpiresAt, 0)
	if !p.now().Before(expires) {
		return
	}
	data, err := json.Marshal(st)
	if err == nil {
		err = p.store.PutSession(ctx, storage.Session{PoolID: p.id, ID: sessionID(session), Data: data, ExpiresAt: expires})
	}
	if err != nil {
		p.log.Warn("userpool: restore a session", "err", err)
	}
}

// retryableError marks an answer refused for its form, not for being
// wrong: the session is kept for a corrected answer.
type retryableError struct{ err error }

func (e retryableError) Error() string { return e.err.Error() }
func (e retryableError) Unwrap() error { return e.err }

// retryable marks err (if not nil) as refusing an answer for its form.
func retryable(err error) error {
	if err == nil {
		return nil
	}
	return retryableError{err}
}

func isRetryable(err error) bool {
	var r retryableError
	return errors.As(err, &r)
}

// unwrapRetryable returns the error a caller sees: the marked error
// itself.
func unwrapRetryable(err error) error {
	var r retryableError
	if errors.As(err, &r) {
		return r.err
	}
	return err
}
