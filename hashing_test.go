package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"
)

var (
	testKey      = []byte("0123456789abcdef0123456789abcdef")
	otherTestKey = []byte("fedcba9876543210fedcba9876543210")
)

// newTestHasher returns a hasher with the cheap profile, changed by edit.
func newTestHasher(t *testing.T, key []byte, edit func(*PasswordHashing)) *passwordHasher {
	t.Helper()
	cfg := InsecureFastPasswordHashing()
	if edit != nil {
		edit(&cfg)
	}
	return newPasswordHasher(cfg, key, seeded(42))
}

func mustHash(t *testing.T, h *passwordHasher, password string) string {
	t.Helper()
	s, err := h.hash(context.Background(), password)
	if err != nil {
		t.Fatalf("hash: %v", err)
	}
	return s
}

func TestHashFormat(t *testing.T) {
	b64 := `[A-Za-z0-9+/]`
	tests := []struct {
		name string
		key  []byte
		want *regexp.Regexp
	}{
		{"plain", nil, regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1\$` + b64 + `{22}\$` + b64 + `{43}$`)},
		{"peppered", testKey, regexp.MustCompile(`^\$argon2id\$v=19\$m=64,t=1,p=1,k=` + b64 + `{8}\$` + b64 + `{22}\$` + b64 + `{43}$`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newTestHasher(t, tt.key, nil)
			got := mustHash(t, h, "Password1!")
			if !tt.want.MatchString(got) {
				t.Fatalf("hash = %q, want %s", got, tt.want)
			}
			// Interoperability: the PHC string is plain argon2id over the
			// (peppered) password, recomputable without this package.
			parts := strings.Split(got, "$")
			salt, _ := base64.RawStdEncoding.DecodeString(parts[4])
			sum, _ := base64.RawStdEncoding.DecodeString(parts[5])
			input := []byte("Password1!")
			if tt.key != nil {
				m := hmac.New(sha256.New, deriveKey(tt.key, "password pepper", 32))
				m.Write(input)
				input = m.Sum(nil)
			}
			if want := argon2.IDKey(input, salt, 1, 64, 1, 32); !hmac.Equal(sum, want) {
				t.Fatal("hash is not argon2id of the documented input")
			}
		})
	}
}

// TestHashDefaultProfile is the one test that pays for the default cost.
func TestHashDefaultProfile(t *testing.T) {
	h := newPasswordHasher(DefaultPasswordHashing(), nil, seeded(1))
	got := mustHash(t, h, "Password1!")
	if !strings.HasPrefix(got, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash = %q, want the m=19456,t=2,p=1 profile", got)
	}
	ok, rehash, err := h.verify(context.Background(), "Password1!", got)
	if !ok || rehash || err != nil {
		t.Fatalf("verify = %t, %t, %v; want true, false, nil", ok, rehash, err)
	}
}

func TestHashSaltsDiffer(t *testing.T) {
	h := newTestHasher(t, nil, nil)
	if a, b := mustHash(t, h, "Password1!"), mustHash(t, h, "Password1!"); a == b {
		t.Fatalf("two hashes of one password are equal: %q", a)
	}
}

func TestVerify(t *testing.T) {
	plain := newTestHasher(t, nil, nil)
	peppered := newTestHasher(t, testKey, nil)
	otherKey := newTestHasher(t, otherTestKey, nil)
	stronger := newTestHasher(t, nil, func(c *PasswordHashing) { c.Memory, c.Time = 128, 2 })

	plainHash := mustHash(t, plain, "Password1!")
	pepperedHash := mustHash(t, peppered, "Password1!")
	strongerHash := mustHash(t, stronger, "Password1!")
	const reference = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4" // argon2 reference test vector, password "password"

	tests := []struct {
		name       string
		h          *passwordHasher
		password   string
		phc        string
		ok, rehash bool
		errFormat  string // non-empty: want a *PasswordHashError of this format
	}{
		{"plain match", plain, "Password1!", plainHash, true, false, ""},
		{"plain mismatch", plain, "Password1?", plainHash, false, false, ""},
		{"peppered match", peppered, "Password1!", pepperedHash, true, false, ""},
		{"peppered mismatch", peppered, "password1!", pepperedHash, false, false, ""},
		{"unpeppered hash gains the pepper", peppered, "Password1!", plainHash, true, true, ""},
		{"peppered hash without the key", plain, "Password1!", pepperedHash, false, false, "argon2id"},
		{"peppered hash with another key", otherKey, "Password1!", pepperedHash, false, false, "argon2id"},
		{"other parameters need a rehash", plain, "Password1!", strongerHash, true, true, ""},
		{"hash of a cheaper profile under a stronger one", stronger, "Password1!", plainHash, true, true, ""},
		{"reference vector", plain, "password", reference, true, true, ""},
		{"reference vector mismatch", plain, "Password", reference, false, false, ""},
		{"malformed", plain, "Password1!", "$argon2id$v=19$m=64", false, false, "argon2id"},
		{"unknown format", plain, "Password1!", "{SSHA}abc", false, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, rehash, err := tt.h.verify(context.Background(), tt.password, tt.phc)
			if tt.errFormat != "" || strings.Contains(tt.name, "unknown") {
				var he *PasswordHashError
				if !errors.As(err, &he) || he.Format != tt.errFormat {
					t.Fatalf("verify error = %v, want a %q PasswordHashError", err, tt.errFormat)
				}
				return
			}
			if err != nil || ok != tt.ok || rehash != tt.rehash {
				t.Fatalf("verify = %t, %t, %v; want %t, %t, nil", ok, rehash, err, tt.ok, tt.rehash)
			}
		})
	}
}

// TestRefusedBeforeHashing proves an over-long or malformed password costs
// no key derivation on any path.
func TestRefusedBeforeHashing(t *testing.T) {
	h := newTestHasher(t, testKey, nil)
	stored := mustHash(t, h, "Password1!")
	before := h.kdfCalls.Load()
	ctx := context.Background()
	for _, pw := range []string{strings.Repeat("a", 257), strings.Repeat("é", 257), " Password1!", "Pass\x00word", "\xff"} {
		_, err := h.hash(ctx, pw)
		if !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("hash(%.10q…) = %v, want InvalidParameter", pw, err)
		}
		if _, _, err := h.verify(ctx, pw, stored); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("verify(%.10q…) = %v, want InvalidParameter", pw, err)
		}
		if err := h.dummyVerify(ctx, pw); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("dummyVerify(%.10q…) = %v, want InvalidParameter", pw, err)
		}
		if _, err := h.inHistory(ctx, pw, []string{stored}, 1); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("inHistory(%.10q…) = %v, want InvalidParameter", pw, err)
		}
	}
	if n := h.kdfCalls.Load() - before; n != 0 {
		t.Fatalf("%d key derivations ran for refused passwords, want 0", n)
	}
}

func TestDummyVerify(t *testing.T) {
	for _, key := range [][]byte{nil, testKey} {
		h := newTestHasher(t, key, nil)
		before := h.kdfCalls.Load()
		if err := h.dummyVerify(context.Background(), "Password1!"); err != nil {
			t.Fatal(err)
		}
		if n := h.kdfCalls.Load() - before; n != 1 {
			t.Fatalf("dummyVerify ran %d key derivations, want 1", n)
		}
	}
}

func TestInHistory(t *testing.T) {
	h := newTestHasher(t, nil, nil)
	old := []string{mustHash(t, h, "Newest1!"), "", mustHash(t, h, "Middle1!"), mustHash(t, h, "Oldest1!")}
	tests := []struct {
		name     string
		password string
		history  []string
		n        int
		want     bool
		wantErr  bool
	}{
		{"newest", "Newest1!", old, 1, true, false},
		{"within n, past an empty entry", "Middle1!", old, 3, true, false},
		{"beyond n", "Oldest1!", old, 3, false, false},
		{"n larger than the history", "Oldest1!", old, 24, true, false},
		{"not there", "Never1!x", old, 24, false, false},
		{"n zero", "Newest1!", old, 0, false, false},
		{"n negative", "Newest1!", old, -1, false, false},
		{"nil history", "Newest1!", nil, 5, false, false},
		{"damaged entry", "Never1!x", []string{"garbage"}, 5, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.inHistory(context.Background(), tt.password, tt.history, tt.n)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Fatalf("inHistory = %t, %v; want %t, error %t", got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// fill takes every hashing slot and returns a func that frees them.
func fill(t *testing.T, h *passwordHasher) (release func()) {
	t.Helper()
	for range cap(h.slots) {
		if err := h.acquire(context.Background()); err != nil {
			t.Fatalf("filling the semaphore: %v", err)
		}
	}
	var once sync.Once
	release = func() {
		once.Do(func() {
			for range cap(h.slots) {
				h.release()
			}
		})
	}
	t.Cleanup(release)
	return release
}

func TestQueueTimeout(t *testing.T) {
	h := newTestHasher(t, nil, func(c *PasswordHashing) { c.MaxConcurrent, c.QueueTimeout = 2, time.Millisecond })
	stored := mustHash(t, h, "Password1!")
	release := fill(t, h)
	before := h.kdfCalls.Load()
	ctx := context.Background()

	calls := map[string]func() error{
		"hash":        func() error { _, err := h.hash(ctx, "Password1!"); return err },
		"verify":      func() error { _, _, err := h.verify(ctx, "Password1!", stored); return err },
		"dummyVerify": func() error { return h.dummyVerify(ctx, "Password1!") },
	}
	for name, call := range calls {
		err := call()
		var e *Error
		if !errors.Is(err, ErrTooManyRequests) || !errors.As(err, &e) || e.Message != "Too many requests" {
			t.Errorf("%s with every slot taken = %v, want TooManyRequests %q", name, err, "Too many requests")
		}
	}
	if n := h.kdfCalls.Load() - before; n != 0 {
		t.Fatalf("%d key derivations ran without a slot", n)
	}
	release()
	if _, err := h.hash(ctx, "Password1!"); err != nil {
		t.Fatalf("hash after release: %v", err)
	}
}

func TestQueueHonoursContext(t *testing.T) {
	h := newTestHasher(t, nil, func(c *PasswordHashing) { c.MaxConcurrent, c.QueueTimeout = 1, time.Hour })
	fill(t, h)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := h.hash(ctx, "Password1!")
		done <- err
	}()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("hash with a cancelled context = %v, want context.Canceled", err)
	}
	if n := h.kdfCalls.Load(); n != 0 {
		t.Fatalf("%d key derivations ran", n)
	}
}

func TestQueuedRequestProceeds(t *testing.T) {
	h := newTestHasher(t, nil, func(c *PasswordHashing) { c.MaxConcurrent, c.QueueTimeout = 1, time.Hour })
	release := fill(t, h)
	done := make(chan error)
	go func() {
		_, err := h.hash(context.Background(), "Password1!")
		done <- err
	}()
	release()
	if err := <-done; err != nil {
		t.Fatalf("queued hash: %v", err)
	}
}

// TestHasherConcurrent runs many hashes and verifications at once under a
// small cap, for the race detector.
func TestHasherConcurrent(t *testing.T) {
	h := newTestHasher(t, testKey, func(c *PasswordHashing) { c.MaxConcurrent, c.QueueTimeout = 2, time.Hour })
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			s, err := h.hash(context.Background(), "Password1!")
			if err != nil {
				t.Error(err)
				return
			}
			if ok, _, err := h.verify(context.Background(), "Password1!", s); !ok || err != nil {
				t.Errorf("verify = %t, %v", ok, err)
			}
		})
	}
	wg.Wait()
}

func TestHasherDefaults(t *testing.T) {
	h := newPasswordHasher(InsecureFastPasswordHashing(), nil, seeded(0))
	if h.cfg.MaxConcurrent < 2 || cap(h.slots) != h.cfg.MaxConcurrent || h.cfg.QueueTimeout != time.Second {
		t.Fatalf("MaxConcurrent %d (slots %d), QueueTimeout %v; want 2 x GOMAXPROCS and 1s", h.cfg.MaxConcurrent, cap(h.slots), h.cfg.QueueTimeout)
	}
}

func TestPasswordOptions(t *testing.T) {
	ctx := context.Background()
	check := checkerFunc(func(context.Context, string) (bool, error) { return false, nil })
	p, err := New(ctx, "passwords", WithPasswordHashing(InsecureFastPasswordHashing()), WithCompromisedPasswordCheck(check), WithSecretKey(testKey))
	if err != nil {
		t.Fatal(err)
	}
	if p.passwords == nil || p.passwords.cfg.Memory != 64 || p.passwords.pepper == nil || p.compromised == nil {
		t.Fatalf("pool not wired: passwords %+v, compromised %v", p.passwords, p.compromised)
	}
	s, err := p.passwords.hash(ctx, "Password1!")
	if err != nil || !strings.HasPrefix(s, "$argon2id$v=19$m=64,t=1,p=1,k=") {
		t.Fatalf("pool hash = %q, %v", s, err)
	}

	_, err = New(ctx, "passwords", WithPasswordHashing(PasswordHashing{Memory: 4, Time: 1, Threads: 1}))
	var ce *ConfigError
	if !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Option != "WithPasswordHashing" {
		t.Fatalf("New with 4 KiB = %v, want one problem from WithPasswordHashing", err)
	}
}

type checkerFunc func(context.Context, string) (bool, error)

func (f checkerFunc) Compromised(ctx context.Context, pw string) (bool, error) { return f(ctx, pw) }

// BenchmarkHash compares the pool's hash (default profile: salt, argon2id,
// encoding, semaphore) with argon2.IDKey alone in the same loop, reporting
// both and their ratio, so the wrapper's overhead is visible even on a
// noisy machine. The order alternates so the garbage one call leaves does
// not always land on the other.
func BenchmarkHash(b *testing.B) {
	cfg := DefaultPasswordHashing()
	h := newPasswordHasher(cfg, nil, seeded(0))
	ctx := context.Background()
	salt := make([]byte, argonSaltLen)
	var pool, raw time.Duration
	timeHash := func() {
		start := time.Now()
		if _, err := h.hash(ctx, "Password1!"); err != nil {
			b.Fatal(err)
		}
		pool += time.Since(start)
	}
	timeIDKey := func() {
		start := time.Now()
		argon2.IDKey([]byte("Password1!"), salt, cfg.Time, cfg.Memory, cfg.Threads, argonKeyLen)
		raw += time.Since(start)
	}
	for i := 0; b.Loop(); i++ {
		if i%2 == 0 {
			timeHash()
			timeIDKey()
		} else {
			timeIDKey()
			timeHash()
		}
	}
	b.ReportMetric(float64(pool.Nanoseconds())/float64(b.N), "hash-ns/op")
	b.ReportMetric(float64(raw.Nanoseconds())/float64(b.N), "idkey-ns/op")
	b.ReportMetric(float64(pool)/float64(raw), "hash/idkey")
}
