package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// Purposes of one-time codes (storage.Code.Purpose). A user has at most
// one code per purpose, so a new code replaces the previous one.
const (
	purposeSignUp = "confirm_sign_up"
	purposeReset  = "forgot_password"
	// purposeVerify is followed by the attribute name ("verify:email").
	purposeVerify = "verify:"
)

// Code lifetimes, as Cognito's (cognito.md §11.1).
const (
	signUpCodeLifetime = 24 * time.Hour
	verifyCodeLifetime = 24 * time.Hour
	resetCodeLifetime  = time.Hour
)

// codeGuesses is the number of attempts at one code: the attempt that
// reaches it and is wrong voids the code.
const codeGuesses = 5

// codeGuessRule bounds attempts at codes per user and purpose. The counter
// is taken when an attempt starts (so of many parallel attempts only
// codeGuesses run before the lock) and reset by a right code; a resend
// does not reset it, so asking for new codes never buys more guesses. Once
// the budget is spent each new code gets a single try, with locks doubling
// from a minute to a quarter of an hour, until an hour without attempts
// starts the count over.
var codeGuessRule = storage.AttemptRule{
	Free:       codeGuesses,
	BaseLock:   time.Minute,
	MaxLock:    15 * time.Minute,
	ResetAfter: time.Hour,
}

// sendRule is Cognito's quota on codes a user can ask for: five an hour
// (ResendConfirmationCode, GetUserAttributeVerificationCode), then
// LimitExceeded until the hour is over.
var sendRule = storage.AttemptRule{
	Free:       5,
	BaseLock:   time.Hour,
	MaxLock:    time.Hour,
	ResetAfter: time.Hour,
}

// Keys of attempt counters (storage.Attempts).
func guessKey(purpose, sub string) string { return "code:" + purpose + ":" + sub }
func sendKey(what, sub string) string     { return "send:" + what + ":" + sub }

// codeData is what a stored code remembers besides its hash: the attribute
// and value the code was sent to, so confirming it verifies exactly that
// value and nothing changed since.
type codeData struct {
	Attribute string `json:"attribute,omitempty"`
	Value     string `json:"value,omitempty"`
}

// hashCode returns the stored form of a code: an HMAC bound to the pool,
// user and purpose, so a code of another user or purpose never matches.
//
// The key comes from derivedKey: with a secret key (WithSecretKey) a stolen
// store alone does not reveal codes. Without one the key is stored with
// the pool, and a six-digit code under a known key falls to a million
// HMACs, so the hash then only keeps codes out of casual view (dumps, logs,
// admin tools) for their short life. The trade-off is deliberate: a pool
// must work with no configuration, and codes expire within a day.
func (p *Pool) hashCode(sub, purpose, code string) []byte {
	m := hmac.New(sha256.New, p.derivedKey("one-time code hash"))
	for _, s := range []string{p.id, sub, purpose, code} {
		m.Write([]byte(s))
		m.Write([]byte{0})
	}
	return m.Sum(nil)
}

// newCode returns six random digits read from the pool's random source.
// Four bytes at a time are read and values at or above the largest
// multiple of a million below 2^32 are rejected, so every code is equally
// likely.
func (p *Pool) newCode() (string, error) {
	const space = 1_000_000
	const limit = (1 << 32) / space * space
	var b [4]byte
	for {
		if _, err := io.ReadFull(p.random, b[:]); err != nil {
			return "", fmt.Errorf("userpool: random: %w", err)
		}
		if n := binary.BigEndian.Uint32(b[:]); n < limit {
			return fmt.Sprintf("%06d", n%space), nil
		}
	}
}

// issueCode makes a new code for sub and purpose and returns it with the
// record to store; it stores nothing, so callers can send the code first
// and store it only once it is delivered.
func (p *Pool) issueCode(sub, purpose string, data codeData, lifetime time.Duration) (string, storage.Code, error) {
	code, err := p.newCode()
	if err != nil {
		return "", storage.Code{}, p.internal("make a code", err)
	}
	raw, err := json.Marshal(data)
	if err != nil {
		return "", storage.Code{}, p.internal("make a code", err)
	}
	now := p.now()
	return code, storage.Code{
		PoolID:    p.id,
		Sub:       sub,
		Purpose:   purpose,
		Hash:      p.hashCode(sub, purpose, code),
		Data:      raw,
		CreatedAt: now,
		ExpiresAt: now.Add(lifetime),
	}, nil
}

// putCode stores a code issued by issueCode.
func (p *Pool) putCode(ctx context.Context, c storage.Code) error {
	if err := p.store.PutCode(ctx, c); err != nil {
		return p.internal("store a code", err)
	}
	return nil
}

// checkCodeParameter applies the API model's constraint on a code: 1 to
// 2048 characters without white space. Anything else is a wrong code.
func checkCodeParameter(code string) error {
	const prefix = "1 validation error detected: Value at 'confirmationCode' failed to satisfy constraint: "
	if len(code) > 4*2048 || utf8.RuneCountInString(code) > 2048 {
		return ErrInvalidParameter.With(prefix + "Member must have length less than or equal to 2048")
	}
	for _, r := range code {
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return ErrInvalidParameter.With(prefix + `Member must satisfy regular expression pattern: [\S]+`)
		}
	}
	if code == "" || !utf8.ValidString(code) {
		return ErrInvalidParameter.With(prefix + `Member must satisfy regular expression pattern: [\S]+`)
	}
	return nil
}

// Errors of code checks, with Cognito's messages.
var (
	errCodeMismatch = ErrCodeMismatch.With("Invalid verification code provided, please try again.")
	errCodeExpired  = ErrExpiredCode.With("Invalid code provided, please request a code again.")
	errCodeLocked   = ErrTooManyFailedAttempts.With("Too many failed attempts, please try after some time.")
	errCodeVoided   = ErrTooManyFailedAttempts.With("Too many failed attempts, please request a code again.")
)

// checkCode checks code against the user's stored code for purpose without
// using it up, and returns the stored record for consumeCode. The attempt
// is counted first (ErrTooManyFailedAttempts while locked); a missing or
// expired code gives ErrExpiredCode; a wrong one ErrCodeMismatch, or, when
// it spends the last of the budget, ErrTooManyFailedAttempts and the code is
// deleted. The hash is compared in constant time.
func (p *Pool) checkCode(ctx context.Context, sub, purpose, code string) (storage.Code, error) {
	if err := checkCodeParameter(code); err != nil {
		return storage.Code{}, err
	}
	now := p.now()
	count, ok, err := p.store.TakeAttempt(ctx, p.id, guessKey(purpose, sub), now, codeGuessRule)
	if err != nil {
		return storage.Code{}, p.internal("count a code attempt", err)
	}
	if !ok {
		return storage.Code{}, errCodeLocked
	}
	c, err := p.store.GetCode(ctx, p.id, sub, purpose)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Code{}, errCodeExpired
	}
	if err != nil {
		return storage.Code{}, p.internal("read a code", err)
	}
	if !now.Before(c.ExpiresAt) {
		// An expired code is void; removing it keeps the store small.
		_ = p.store.DeleteCode(ctx, p.id, sub, purpose)
		return storage.Code{}, errCodeExpired
	}
	if !hmac.Equal(c.Hash, p.hashCode(sub, purpose, code)) {
		if count.Count >= codeGuesses {
			if err := p.store.DeleteCode(ctx, p.id, sub, purpose); err != nil {
				return storage.Code{}, p.internal("void a code", err)
			}
			return storage.Code{}, errCodeVoided
		}
		return storage.Code{}, errCodeMismatch
	}
	return c, nil
}

// consumeCode uses up a code checkCode accepted. Of concurrent calls for
// the same code exactly one succeeds; the others get ErrExpiredCode, as a
// code used twice does. Success resets the user's guess counter.
func (p *Pool) consumeCode(ctx context.Context, c storage.Code) error {
	err := p.store.ConsumeCode(ctx, p.id, c.Sub, c.Purpose, c.Hash)
	if errors.Is(err, storage.ErrNotFound) {
		return errCodeExpired
	}
	if err != nil {
		return p.internal("use a code", err)
	}
	if err := p.store.ResetAttempts(ctx, p.id, guessKey(c.Purpose, c.Sub)); err != nil {
		p.log.Warn("userpool: reset code attempts", "err", err)
	}
	return nil
}

// decodeCodeData reads what a code was sent to.
func decodeCodeData(c storage.Code) codeData {
	var d codeData
	if len(c.Data) > 0 {
		// Data is written only by issueCode; a record that does not parse
		// carries no destination, which makes it verify nothing.
		_ = json.Unmarshal(c.Data, &d)
	}
	return d
}

// takeSend counts one request for a new code against sendRule and
// refuses it with LimitExceeded when the quota is spent.
func (p *Pool) takeSend(ctx context.Context, what, sub string) error {
	_, ok, err := p.store.TakeAttempt(ctx, p.id, sendKey(what, sub), p.now(), sendRule)
	if err != nil {
		return p.internal("count a code request", err)
	}
	if !ok {
		return ErrLimitExceeded.With("Attempt limit exceeded, please try after some time.")
	}
	return nil
}
