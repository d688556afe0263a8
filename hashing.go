package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// PasswordHashing sets the cost of password hashes (argon2id) and bounds
// how many run at once.
type PasswordHashing struct {
	// Memory in KiB, Time (passes) and Threads are argon2id's parameters.
	Memory  uint32 `json:"memory"`
	Time    uint32 `json:"time"`
	Threads uint8  `json:"threads"`
	// MaxConcurrent bounds the hashes computed at once (2 x GOMAXPROCS
	// when 0), so a burst of sign-ins cannot exhaust memory.
	MaxConcurrent int `json:"maxConcurrent"`
	// QueueTimeout is how long a request waits for a hashing slot before
	// it is refused with TooManyRequests (1 s when 0).
	QueueTimeout time.Duration `json:"queueTimeout"`
}

// DefaultPasswordHashing returns OWASP's argon2id profile: 19 MiB, two
// passes, one thread (about 25 ms per hash on a current core).
func DefaultPasswordHashing() PasswordHashing {
	return PasswordHashing{Memory: 19 * 1024, Time: 2, Threads: 1}
}

// InsecureFastPasswordHashing returns a profile so cheap (64 KiB, one pass)
// that a stolen store's hashes fall to a laptop in hours. It exists to keep
// test suites fast. Never use it in production: pools that used it keep
// weak hashes until each user signs in again under a real profile.
func InsecureFastPasswordHashing() PasswordHashing {
	return PasswordHashing{Memory: 64, Time: 1, Threads: 1}
}

// WithPasswordHashing sets the argon2id cost of new password hashes and the
// hashing concurrency bounds ([DefaultPasswordHashing] by default). Hashes
// made with other parameters still verify and are replaced at the user's
// next successful sign-in.
func WithPasswordHashing(h PasswordHashing) Option {
	return func(o *options) { o.hashing = h; o.set("PasswordHashing", "WithPasswordHashing") }
}

// CompromisedPasswordChecker tells whether a password is known to be
// compromised (for example, found in a breach corpus). Nothing calls the
// network by default; a program plugs in the check it trusts.
type CompromisedPasswordChecker interface {
	// Compromised reports whether the password must be refused. An error
	// refuses the password too: a failed security check denies.
	Compromised(ctx context.Context, password string) (bool, error)
}

// PasswordHashError reports a stored password hash the pool cannot use: a
// malformed string, an unsupported algorithm, cost parameters above the
// caps, or a pepper the pool's secret key does not match. It never quotes
// the hash itself.
type PasswordHashError struct {
	// Format is "argon2id", "bcrypt", "scrypt" or "pbkdf2-sha256", or ""
	// when the format was not recognised.
	Format string
	// Reason says what is wrong, in lower case.
	Reason string
}

// Error returns "userpool: password hash: <format>: <reason>".
func (e *PasswordHashError) Error() string {
	if e.Format == "" {
		return "userpool: password hash: " + e.Reason
	}
	return "userpool: password hash: " + e.Format + ": " + e.Reason
}

func hashError(format, reason string) error {
	return &PasswordHashError{Format: format, Reason: reason}
}

// ValidatePasswordHash reports whether a pool can verify passwords against
// hash, for programs that import users from another system by writing
// storage.User.PasswordHash directly. It returns nil or a
// *[PasswordHashError]. The accepted formats are:
//
//   - argon2id in PHC form, $argon2id$v=19$m=<KiB>,t=<passes>,p=<threads>$<salt>$<hash>
//     (what the pool itself writes), with m up to 256 MiB, t up to 10 and p
//     up to 16;
//   - bcrypt, $2a$, $2b$ or $2y$ with cost 4 to 14 (a password longer than
//     72 bytes never matches: bcrypt would ignore the rest);
//   - scrypt as passlib writes it, $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>,
//     with N up to 2^20, r·p up to 64 and at most 256 MiB of memory;
//   - PBKDF2-HMAC-SHA256 as passlib writes it, $pbkdf2-sha256$<iterations>$<salt>$<hash>,
//     or in PHC form with i=<iterations>[,l=<length>], up to 2,000,000
//     iterations.
//
// Salts and hashes are unpadded base64 in the standard alphabet or
// passlib's, which writes "." for "+". The caps bound the work a stored
// hash can demand. A pool verifying an imported hash replaces it with its
// own argon2id hash at the user's next successful sign-in.
func ValidatePasswordHash(hash string) error {
	_, err := parsePasswordHash(hash, defaultHashLimits)
	return err
}

// storedHash is a parsed password hash of one of the supported formats.
type storedHash interface {
	// check computes the hash of input with the stored salt and
	// parameters and compares it with the stored one in constant time.
	check(input []byte) (bool, error)
	// current reports whether the hash is what h would write now.
	current(h *passwordHasher) bool
}

// hashLimits caps the cost a stored hash may demand, so a planted or
// imported hash cannot make one sign-in allocate gigabytes or run for
// minutes.
type hashLimits struct {
	argonMemory  uint32 // KiB
	argonTime    uint32
	argonThreads uint8
	bcryptCost   int
	scryptLogN   int
	scryptRP     int
	scryptMemory int64 // bytes: 128·r·N
	pbkdf2Iter   int
}

var defaultHashLimits = hashLimits{
	argonMemory:  256 * 1024,
	argonTime:    10,
	argonThreads: 16,
	bcryptCost:   14,
	scryptLogN:   20,
	scryptRP:     64,
	scryptMemory: 256 << 20,
	pbkdf2Iter:   2_000_000,
}

// maxHashString bounds the stored string before any parsing: the longest
// legitimate hash (64-byte salt and key, large parameters) is under 250
// characters.
const maxHashString = 512

// parsePasswordHash recognises the format by its prefix and parses it. It
// never panics, whatever s holds (FuzzParsePHC).
func parsePasswordHash(s string, lim hashLimits) (storedHash, error) {
	if len(s) > maxHashString {
		return nil, hashError("", "longer than "+strconv.Itoa(maxHashString)+" bytes")
	}
	switch {
	case strings.HasPrefix(s, "$argon2id$"):
		return parseArgon2(s, lim)
	case strings.HasPrefix(s, "$2a$"), strings.HasPrefix(s, "$2b$"), strings.HasPrefix(s, "$2y$"):
		return parseBcrypt(s, lim)
	case strings.HasPrefix(s, "$scrypt$"):
		return parseScrypt(s, lim)
	case strings.HasPrefix(s, "$pbkdf2-sha256$"):
		return parsePBKDF2(s, lim)
	case s == "":
		return nil, hashError("", "empty")
	}
	return nil, hashError("", "unsupported format")
}

// phcParams parses a PHC parameter list "a=1,b=2" into integers, accepting
// only the names in allowed, each at most once. Values are decimal and fit
// in 32 bits.
func phcParams(format, s string, allowed ...string) (map[string]uint32, error) {
	out := make(map[string]uint32, len(allowed))
	for kv := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			return nil, hashError(format, "malformed parameter list")
		}
		known := false
		for _, a := range allowed {
			known = known || a == k
		}
		if !known {
			return nil, hashError(format, "unknown parameter "+strconv.Quote(k))
		}
		if _, dup := out[k]; dup {
			return nil, hashError(format, "parameter "+k+" given twice")
		}
		n, err := parseDecimal(v)
		if err != nil {
			return nil, hashError(format, "parameter "+k+" is not a 32-bit decimal number")
		}
		out[k] = n
	}
	return out, nil
}

// parseDecimal accepts only ASCII digits, no sign or spaces, up to 2^32-1.
func parseDecimal(s string) (uint32, error) {
	if s == "" || strings.TrimLeft(s, "0123456789") != "" {
		return 0, strconv.ErrSyntax
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err
}

// decodeB64 decodes unpadded base64 in the standard alphabet or passlib's
// adapted one ("." for "+"). Padding is tolerated because some exporters
// add it.
func decodeB64(format, what, s string, min, max int) ([]byte, error) {
	s = strings.TrimRight(s, "=")
	s = strings.ReplaceAll(s, ".", "+")
	if len(s) > base64.RawStdEncoding.EncodedLen(max) {
		return nil, hashError(format, what+" longer than "+strconv.Itoa(max)+" bytes")
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	if err != nil {
		return nil, hashError(format, what+" is not base64")
	}
	if len(b) < min {
		return nil, hashError(format, what+" shorter than "+strconv.Itoa(min)+" bytes")
	}
	return b, nil
}

// passwordHasher hashes and verifies passwords for a pool: argon2id for new
// hashes, the imported formats for verification only, an optional pepper
// from the pool's secret key, and a cap on concurrent work. It is safe for
// concurrent use.
type passwordHasher struct {
	cfg    PasswordHashing // MaxConcurrent and QueueTimeout filled in
	limits hashLimits      // the caps, raised to cfg where cfg is higher

	// pepper is the HMAC key derived from the secret key; nil without one.
	// keyID names it in peppered hashes (see hash).
	pepper []byte
	keyID  string

	randMu sync.Mutex // the pool's reader need not be safe for concurrent use
	random io.Reader

	// slots is the semaphore: a send takes a slot, a receive frees one.
	slots chan struct{}

	// kdfCalls counts key derivations actually run, so tests can prove a
	// refused password cost nothing.
	kdfCalls atomic.Int64
}

// newPasswordHasher returns a hasher for cfg. secretKey may be nil (no
// pepper); random supplies salts.
func newPasswordHasher(cfg PasswordHashing, secretKey []byte, random io.Reader) *passwordHasher {
	if cfg.MaxConcurrent == 0 {
		cfg.MaxConcurrent = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.QueueTimeout == 0 {
		cfg.QueueTimeout = time.Second
	}
	lim := defaultHashLimits
	lim.argonMemory = max(lim.argonMemory, cfg.Memory)
	lim.argonTime = max(lim.argonTime, cfg.Time)
	lim.argonThreads = max(lim.argonThreads, cfg.Threads)
	h := &passwordHasher{
		cfg:    cfg,
		limits: lim,
		random: random,
		slots:  make(chan struct{}, cfg.MaxConcurrent),
	}
	if secretKey != nil {
		h.pepper = deriveKey(secretKey, "password pepper", 32)
		h.keyID = base64.RawStdEncoding.EncodeToString(deriveKey(secretKey, "password pepper id", 6))
	}
	return h
}

// acquire takes a hashing slot, waiting at most cfg.QueueTimeout. It
// returns ErrTooManyRequests when the wait times out and ctx's error when
// ctx ends first. The wait uses a real timer, not the pool's clock: it
// bounds real CPU contention, and a test clock never advances on its own.
func (h *passwordHasher) acquire(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	select {
	case h.slots <- struct{}{}:
		return nil
	default:
	}
	t := time.NewTimer(h.cfg.QueueTimeout)
	defer t.Stop()
	select {
	case h.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return ErrTooManyRequests.With("Too many requests")
	}
}

func (h *passwordHasher) release() { <-h.slots }

// run runs one key derivation in a slot.
func (h *passwordHasher) run(ctx context.Context, kdf func() error) error {
	if err := h.acquire(ctx); err != nil {
		return err
	}
	defer h.release()
	h.kdfCalls.Add(1)
	return kdf()
}

// peppered returns the argon2 input for password: the password itself
// without a secret key, else HMAC-SHA256(pepper, password). The HMAC keeps
// the secret out of the store: without it, a stolen hash cannot be attacked
// offline at all. The pepper key is derived from the secret key by HKDF
// (label "password pepper"), never used raw, so it is independent of the
// keys that seal other secrets.
func (h *passwordHasher) peppered(password string) []byte {
	if h.pepper == nil {
		return []byte(password)
	}
	m := hmac.New(sha256.New, h.pepper)
	m.Write([]byte(password))
	return m.Sum(nil)
}

// hash returns a new argon2id hash of password in PHC form, peppered when
// the pool has a secret key (see [passwordHasher.peppered] and
// argon2Hash.String). The password is checked as Cognito checks a password
// parameter first, so an over-long one costs nothing. Errors:
// ErrInvalidParameter, ErrTooManyRequests, ctx's error, or a failure of
// the random source.
func (h *passwordHasher) hash(ctx context.Context, password string) (string, error) {
	if err := checkPasswordParameter("password", password); err != nil {
		return "", err
	}
	salt := make([]byte, argonSaltLen)
	h.randMu.Lock()
	_, err := io.ReadFull(h.random, salt)
	h.randMu.Unlock()
	if err != nil {
		return "", ErrInternal.Wrap(err, "cannot read the random source")
	}
	a := argon2Hash{
		memory: h.cfg.Memory, time: h.cfg.Time, threads: h.cfg.Threads,
		keyID: h.keyID, salt: salt,
	}
	input := h.peppered(password)
	err = h.run(ctx, func() error { a.sum = a.derive(input, argonKeyLen); return nil })
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// verify reports whether password matches the stored hash phc, in constant
// time with respect to the stored hash. needsRehash is true (only when ok)
// if the hash is not what hash would write now: other parameters, an
// imported format, or no pepper while the pool has a secret key; the
// caller then stores a fresh hash. Errors: ErrInvalidParameter for a
// malformed password, *PasswordHashError for a hash the pool cannot use,
// ErrTooManyRequests, or ctx's error.
func (h *passwordHasher) verify(ctx context.Context, password, phc string) (ok, needsRehash bool, err error) {
	if err := checkPasswordParameter("password", password); err != nil {
		return false, false, err
	}
	stored, err := parsePasswordHash(phc, h.limits)
	if err != nil {
		return false, false, err
	}
	input := []byte(password)
	if a, isArgon := stored.(*argon2Hash); isArgon {
		switch {
		case a.keyID != "" && h.pepper == nil:
			return false, false, hashError("argon2id", "peppered, but the pool has no secret key")
		case a.keyID != "" && a.keyID != h.keyID:
			return false, false, hashError("argon2id", "peppered with another secret key")
		case a.keyID != "":
			input = h.peppered(password)
		}
	}
	err = h.run(ctx, func() (err error) { ok, err = stored.check(input); return err })
	if err != nil {
		return false, false, err
	}
	return ok, ok && !stored.current(h), nil
}

// dummySalt is the salt of dummyVerify's hash; its value does not matter.
var dummySalt = make([]byte, argonSaltLen)

// dummyVerify costs what verifying a current hash costs and matches
// nothing. Sign-in and recovery call it when the user does not exist, so
// the response time does not tell whether a user name is taken. It still
// respects the concurrency cap and returns the same errors as verify.
func (h *passwordHasher) dummyVerify(ctx context.Context, password string) error {
	if err := checkPasswordParameter("password", password); err != nil {
		return err
	}
	a := argon2Hash{memory: h.cfg.Memory, time: h.cfg.Time, threads: h.cfg.Threads, salt: dummySalt, sum: make([]byte, argonKeyLen)}
	input := h.peppered(password)
	return h.run(ctx, func() error { _, err := a.check(input); return err })
}

// inHistory reports whether password matches one of the first n hashes of
// history (newest first, as storage.User.PasswordHistory keeps them; the
// caller includes the current hash when it counts). Empty entries are
// skipped; an entry the pool cannot use is an error, so a damaged history
// refuses the change instead of letting an old password back in.
func (h *passwordHasher) inHistory(ctx context.Context, password string, history []string, n int) (bool, error) {
	for _, phc := range history[:min(max(n, 0), len(history))] {
		if phc == "" {
			continue
		}
		ok, _, err := h.verify(ctx, password, phc)
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}
