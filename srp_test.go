package userpool

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"math/big"
	"math/rand/v2"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// srpVector is one entry of testdata/srp/vectors.json (see its README):
// values the real amazon-cognito-identity-js client put on the wire.
type srpVector struct {
	ID            string   `json:"id"`
	Kind          string   `json:"kind"`
	PoolName      string   `json:"pool_name"`
	UsernameInput string   `json:"username_input"`
	UserIDForSRP  string   `json:"user_id_for_srp"`
	Password      string   `json:"password"`
	SaltHex       string   `json:"salt_hex"`
	SaltPadHex    string   `json:"salt_padhex"`
	SmallAHex     string   `json:"small_a_hex"`
	SRPAHex       string   `json:"srp_a_hex"`
	SRPAPadHex    string   `json:"srp_a_padhex"`
	SmallBHex     string   `json:"small_b_hex"`
	VerifierHex   string   `json:"verifier_hex"`
	VerifierPad   string   `json:"verifier_padhex"`
	SRPBHex       string   `json:"srp_b_hex"`
	SRPBPadHex    string   `json:"srp_b_padhex"`
	KHex          string   `json:"k_hex"`
	UHex          string   `json:"u_hex"`
	UPadHex       string   `json:"u_padhex"`
	XHex          string   `json:"x_hex"`
	SHex          string   `json:"s_hex"`
	SPadHex       string   `json:"s_padhex"`
	HKDFKeyHex    string   `json:"hkdf_key_hex"`
	SecretBlock   string   `json:"secret_block_b64"`
	Timestamp     string   `json:"timestamp"`
	Signature     string   `json:"signature_b64"`
	ChallengeUser string   `json:"challenge_username"`
	EdgeCases     []string `json:"edge_cases"`

	DeviceGroupKey    string `json:"device_group_key"`
	DeviceKey         string `json:"device_key"`
	DevicePassword    string `json:"device_password"`
	DeviceSaltB64     string `json:"device_salt_b64"`
	DeviceVerifierB64 string `json:"device_verifier_b64"`
}

func loadSRPVectors(t testing.TB) []srpVector {
	t.Helper()
	data, err := os.ReadFile("testdata/srp/vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vs []srpVector
	if err := json.Unmarshal(data, &vs); err != nil {
		t.Fatal(err)
	}
	if len(vs) != 12 {
		t.Fatalf("got %d vectors, want 12", len(vs))
	}
	return vs
}

// hexInt parses a vector's hex field.
func hexInt(t *testing.T, field, h string) *big.Int {
	t.Helper()
	n, ok := new(big.Int).SetString(h, 16)
	if !ok {
		t.Fatalf("%s: bad hex %q", field, h)
	}
	return n
}

// digest64 renders a hash-sized integer as the vectors do: 64 hex digits.
func digest64(n *big.Int) string { return hex.EncodeToString(n.FillBytes(make([]byte, 32))) }

// TestSRPVectors reproduces every field of every vector from its inputs
// with the server's primitives, then checks the test's own client against
// the same vectors (so the round-trip tests below run a client that
// matches the real one).
func TestSRPVectors(t *testing.T) {
	for _, vec := range loadSRPVectors(t) {
		t.Run(vec.ID, func(t *testing.T) {
			check := func(field, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s: got %s, want %s", field, got, want)
				}
			}
			poolName, userID := vec.PoolName, vec.UserIDForSRP
			if vec.Kind == "device" {
				check("pool_name is the device group key", poolName, vec.DeviceGroupKey)
				check("user_id_for_srp is the device key", userID, vec.DeviceKey)
				check("password is the device password", vec.Password, vec.DevicePassword)
			}
			// SALT is an integer to the clients (user-03 sends it with an
			// odd number of digits, user-08 with a leading 00 byte).
			saltHex := vec.SaltHex
			if len(saltHex)%2 == 1 {
				saltHex = "0" + saltHex
			}
			salt, err := hex.DecodeString(saltHex)
			if err != nil {
				t.Fatal(err)
			}
			check("k_hex", digest64(srpK), vec.KHex)
			check("salt_padhex", hex.EncodeToString(srpPad(new(big.Int).SetBytes(salt))), vec.SaltPadHex)

			x := srpX(poolName, userID, vec.Password, salt)
			check("x_hex", digest64(x), vec.XHex)
			vBytes := srpVerifier(poolName, userID, vec.Password, salt)
			v := new(big.Int).SetBytes(vBytes)
			check("verifier_hex", v.Text(16), vec.VerifierHex)
			check("verifier_padhex", hex.EncodeToString(srpPad(v)), vec.VerifierPad)

			A, err := srpParseA(vec.SRPAHex)
			if err != nil {
				t.Fatalf("srpParseA: %v", err)
			}
			check("srp_a_padhex", hex.EncodeToString(srpPad(A)), vec.SRPAPadHex)

			small := hexInt(t, "small_b_hex", vec.SmallBHex)
			B, b, err := srpChallenge(v, bytes.NewReader(small.FillBytes(make([]byte, srpExponentLen))))
			if err != nil {
				t.Fatal(err)
			}
			check("small_b_hex", b.Text(16), vec.SmallBHex)
			check("srp_b_hex", B.Text(16), vec.SRPBHex)
			check("srp_b_padhex", hex.EncodeToString(srpPad(B)), vec.SRPBPadHex)

			u := srpScramble(A, B)
			check("u_hex", digest64(u), vec.UHex)
			check("u_padhex", hex.EncodeToString(srpPad(u)), vec.UPadHex)
			S := srpServerSecret(A, v, u, b)
			check("s_hex", S.Text(16), vec.SHex)
			check("s_padhex", hex.EncodeToString(srpPad(S)), vec.SPadHex)
			key := srpDerivedKey(S, u)
			check("hkdf_key_hex", hex.EncodeToString(key), vec.HKDFKeyHex)
			block, err := base64.StdEncoding.DecodeString(vec.SecretBlock)
			if err != nil {
				t.Fatal(err)
			}
			check("signature_b64", base64.StdEncoding.EncodeToString(srpSignature(key, poolName, userID, block, vec.Timestamp)), vec.Signature)

			now, err := time.Parse(srpTimestampLayout, vec.Timestamp)
			if err != nil {
				t.Fatal(err)
			}
			proof := srpProof{PoolName: poolName, UserID: userID, A: A, B: B, b: b, V: v,
				SecretBlock: block, Timestamp: vec.Timestamp, Signature: vec.Signature}
			if err := srpVerify(proof, now.Add(90*time.Second)); err != nil {
				t.Errorf("srpVerify: %v", err)
			}
			proof.UserID = vec.UsernameInput + "x"
			if err := srpVerify(proof, now); !errors.Is(err, errSRPProof) {
				t.Errorf("srpVerify with another user id: got %v, want errSRPProof", err)
			}

			// The test's client, given the real client's a, says what the
			// real client said.
			c := newTestClient(bytes.NewReader(make([]byte, 128)))
			c.a = hexInt(t, "small_a_hex", vec.SmallAHex)
			c.A = new(big.Int).Exp(c.g, c.a, c.N)
			check("client srp_a_hex", c.srpA(), vec.SRPAHex)
			ck := c.derive(poolName, userID, vec.Password, vec.SaltHex, vec.SRPBHex)
			check("client x_hex", digest64(ck.x), vec.XHex)
			check("client u_hex", digest64(ck.u), vec.UHex)
			check("client s_hex", ck.S.Text(16), vec.SHex)
			check("client hkdf_key_hex", hex.EncodeToString(ck.key), vec.HKDFKeyHex)
			check("client signature_b64", ck.sign(poolName, userID, vec.SecretBlock, vec.Timestamp), vec.Signature)
			check("client timestamp", testClientTimestamp(now), vec.Timestamp)

			if vec.Kind == "device" {
				p := newSRPTestPool(t, nil, time.Now)
				rec, err := p.srpDeviceVerifier(vec.DeviceSaltB64, vec.DeviceVerifierB64)
				if err != nil {
					t.Fatalf("srpDeviceVerifier: %v", err)
				}
				check("device SALT", hex.EncodeToString(rec.Salt), vec.SaltHex)
				stored, err := p.srpOpen(sealDeviceVerifier, rec)
				if err != nil {
					t.Fatal(err)
				}
				check("device verifier", stored.Text(16), vec.VerifierHex)
			}
		})
	}
}

// srpTestClock is a settable clock safe for concurrent use.
type srpTestClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *srpTestClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *srpTestClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newSRPTestPool(t testing.TB, secretKey []byte, now func() time.Time, opts ...Option) *Pool {
	t.Helper()
	all := []Option{
		WithPasswordHashing(InsecureFastPasswordHashing()),
		WithClock(now),
		WithRandom(rand.NewChaCha8([32]byte{'s', 'r', 'p'})),
		WithLogger(slog.New(slog.DiscardHandler)),
	}
	if secretKey != nil {
		all = append(all, WithSecretKey(secretKey))
	}
	p, err := New(context.Background(), "srp-test", append(all, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// srpRoundTrip runs one exchange between the test client and the pool:
// the client types typed, the server hashes userID (returned as
// USER_ID_FOR_SRP), and the client signs with what the server returned.
// The exchange goes through JSON, as it will through a stored session.
func srpRoundTrip(t *testing.T, p *Pool, clientRand *rand.ChaCha8, poolName, userID, password string, device bool, rec storage.SRPVerifier) error {
	t.Helper()
	c := newTestClient(clientRand)
	ex, params, err := p.srpStart(poolName, userID, device, rec, c.srpA())
	if err != nil {
		t.Fatalf("srpStart: %v", err)
	}
	data, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var back srpExchange
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	id, err := srpSecretBlockID(params.SecretBlock)
	if err != nil || id != ex.BlockID {
		t.Fatalf("srpSecretBlockID: got %q, %v, want %q", id, err, ex.BlockID)
	}
	ck := c.derive(poolName, userID, password, params.Salt, params.B)
	ts := testClientTimestamp(p.now())
	return p.srpFinish(back, rec, srpAnswer{SecretBlock: params.SecretBlock, Timestamp: ts, Signature: ck.sign(poolName, userID, params.SecretBlock, ts)})
}

// TestSRPRoundTrip runs the test client against the server side with
// random inputs, with and without a secret key, and with a user name that
// is an email in a case-insensitive pool: the user types it in other
// cases, the server answers with the real user name as USER_ID_FOR_SRP,
// and the client hashes that.
func TestSRPRoundTrip(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	tests := []struct {
		name      string
		secretKey []byte
		username  string // the real user name, as stored
		password  string
	}{
		{"plain", nil, "alice", "Correct-horse-9"},
		{"secret key", key, "alice", "Correct-horse-9"},
		{"email user name", nil, "Carol.Jones+test@Example.com", "pässwörd ∑ 9!"},
		{"email user name, secret key", key, "Carol.Jones+test@Example.com", "pässwörd ∑ 9!"},
		{"uuid user id", key, "3f1c9a2e-7b4d-4e8f-9a10-2b3c4d5e6f70", "x"},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clock := &srpTestClock{t: time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)}
			p := newSRPTestPool(t, tc.secretKey, clock.now)
			ctx := context.Background()
			rec, err := p.srpVerifierFor(ctx, tc.username, tc.password)
			if err != nil {
				t.Fatal(err)
			}
			if len(rec.Salt) != srpSaltLen {
				t.Errorf("salt: got %d bytes, want %d", len(rec.Salt), srpSaltLen)
			}
			wantVersion := sealedPlain
			if tc.secretKey != nil {
				wantVersion = sealedAESGCM
			}
			if rec.Verifier[0] != wantVersion {
				t.Errorf("verifier sealed with version %d, want %d", rec.Verifier[0], wantVersion)
			}
			if tc.secretKey != nil && bytes.Contains(rec.Verifier, srpVerifier(p.srpPoolName(), tc.username, tc.password, rec.Salt)) {
				t.Error("verifier stored in the clear despite the secret key")
			}
			cr := rand.NewChaCha8([32]byte{byte(i), 'c'})
			for range 3 {
				if err := srpRoundTrip(t, p, cr, p.srpPoolName(), tc.username, tc.password, false, rec); err != nil {
					t.Fatalf("right password: %v", err)
				}
				clock.add(time.Minute)
			}
			if err := srpRoundTrip(t, p, cr, p.srpPoolName(), tc.username, tc.password+"!", false, rec); !errors.Is(err, ErrNotAuthorized) || !errors.Is(err, errSRPProof) {
				t.Errorf("wrong password: got %v, want NotAuthorized wrapping errSRPProof", err)
			}
			var e *Error
			if err := srpRoundTrip(t, p, cr, p.srpPoolName(), tc.username, "nope", false, rec); !errors.As(err, &e) || e.Message != "Incorrect username or password." {
				t.Errorf("wrong password: got %v, want Cognito's message", err)
			}
			// The client must hash the user id the server returned, not
			// what the user typed: another case of the email fails.
			if typed := strings.ToUpper(tc.username); typed != tc.username {
				c := newTestClient(cr)
				ex, params, err := p.srpStart(p.srpPoolName(), tc.username, false, rec, c.srpA())
				if err != nil {
					t.Fatal(err)
				}
				ts := testClientTimestamp(p.now())
				ck := c.derive(p.srpPoolName(), typed, tc.password, params.Salt, params.B)
				err = p.srpFinish(ex, rec, srpAnswer{params.SecretBlock, ts, ck.sign(p.srpPoolName(), typed, params.SecretBlock, ts)})
				if !errors.Is(err, errSRPProof) {
					t.Errorf("client hashing the typed name: got %v, want errSRPProof", err)
				}
			}
		})
	}
}

// TestSRPDeviceRoundTrip runs DEVICE_SRP_AUTH: the verifier the client
// sent in ConfirmDevice, the device group key as pool name and the device
// key as user id.
func TestSRPDeviceRoundTrip(t *testing.T) {
	for _, secretKey := range [][]byte{nil, bytes.Repeat([]byte{9}, 32)} {
		clock := &srpTestClock{t: time.Date(2025, 8, 31, 16, 7, 0, 0, time.UTC)}
		p := newSRPTestPool(t, secretKey, clock.now)
		cr := rand.NewChaCha8([32]byte{'d'})
		group, device := "-0aZ9yX8w", "us-east-1_6f1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
		password, salt, verifier := testDeviceConfig(cr, group, device)
		rec, err := p.srpDeviceVerifier(salt, verifier)
		if err != nil {
			t.Fatal(err)
		}
		if err := srpRoundTrip(t, p, cr, group, device, password, true, rec); err != nil {
			t.Errorf("device: %v", err)
		}
		if err := srpRoundTrip(t, p, cr, group, device+"x", password, true, rec); !errors.Is(err, errSRPProof) {
			t.Errorf("another device key: got %v, want errSRPProof", err)
		}
		if secretKey != nil {
			// Sealing binds the purpose: a device verifier is not a user's.
			c := newTestClient(cr)
			if _, _, err := p.srpStart(group, device, false, rec, c.srpA()); !errors.Is(err, ErrInternal) {
				t.Errorf("device verifier opened as a user's: got %v, want InternalError", err)
			}
		}
	}
}

func TestSRPDeviceVerifierRefuses(t *testing.T) {
	p := newSRPTestPool(t, nil, time.Now)
	b64 := base64.StdEncoding.EncodeToString
	n := srpN.Bytes()
	tests := []struct{ name, salt, verifier string }{
		{"empty salt", "", b64([]byte{1})},
		{"salt not base64", "!!", b64([]byte{1})},
		{"long salt", b64(make([]byte, 65)), b64([]byte{1})},
		{"empty verifier", b64([]byte{1}), ""},
		{"zero verifier", b64([]byte{1}), b64([]byte{0, 0})},
		{"verifier N", b64([]byte{1}), b64(n)},
		{"verifier too long", b64([]byte{1}), b64(make([]byte, srpNLen+2))},
		{"verifier not base64", b64([]byte{1}), "%%%"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := p.srpDeviceVerifier(tc.salt, tc.verifier); !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("got %v, want InvalidParameter", err)
			}
		})
	}
}

func TestSRPParseA(t *testing.T) {
	n := srpN.Text(16)
	twoN := new(big.Int).Lsh(srpN, 1).Text(16)
	nPlus1 := new(big.Int).Add(srpN, big.NewInt(1)).Text(16)
	nMinus1 := new(big.Int).Sub(srpN, big.NewInt(1)).Text(16)
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"empty", "", false},
		{"zero", "0", false},
		{"zeros", "0000", false},
		{"N", n, false},
		{"N upper case", strings.ToUpper(n), false},
		{"2N", twoN, false},
		{"N with leading zeros", "000" + n, false},
		{"N+1", nPlus1, false},
		{"negative", "-" + nMinus1, false},
		{"plus sign", "+2", false},
		{"0x prefix", "0x2", false},
		{"underscore", "1_0", false},
		{"space", "1 0", false},
		{"not hex", "xyz", false},
		{"too long", strings.Repeat("0", srpMaxAHex) + "1", false},
		{"two", "2", true},
		{"N-1", nMinus1, true},
		{"upper case", "ABCDEF", true},
		{"odd length", "abc", true},
		{"leading zeros", strings.Repeat("0", 200) + "5", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			A, err := srpParseA(tc.in)
			if tc.ok != (err == nil) {
				t.Fatalf("got %v, %v; want ok=%v", A, err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidParameter) {
				t.Errorf("got %v, want InvalidParameter", err)
			}
		})
	}
}

// TestSRPStartRefusesZeroA: A = 0, N, 2N never start an exchange, so they
// never reach a proof that S = 0 would make easy to forge.
func TestSRPStartRefusesZeroA(t *testing.T) {
	p := newSRPTestPool(t, nil, time.Now)
	rec, err := p.srpVerifierFor(context.Background(), "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	for _, A := range []*big.Int{big.NewInt(0), srpN, new(big.Int).Lsh(srpN, 1)} {
		if _, _, err := p.srpStart(p.srpPoolName(), "alice", false, rec, A.Text(16)); !errors.Is(err, ErrInvalidParameter) {
			t.Errorf("A = %.10s...: got %v, want InvalidParameter", A.Text(16), err)
		}
	}
	// Were an A = N to slip past the parser, S would be 0 and anyone could
	// sign; srpVerify checks again.
	v := new(big.Int).SetBytes(srpVerifier("p", "alice", "pw", []byte{1}))
	B, b, _ := srpChallenge(v, rand.NewChaCha8([32]byte{}))
	now := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	ts := now.Format(srpTimestampLayout)
	for _, A := range []*big.Int{big.NewInt(0), srpN, new(big.Int).Lsh(srpN, 1)} {
		u := srpScramble(A, B)
		if S := srpServerSecret(A, v, u, b); S.Sign() != 0 {
			t.Fatalf("S with A mod N = 0: got %v, want 0", S)
		}
		forged := srpSignature(srpDerivedKey(big.NewInt(0), u), "p", "alice", []byte{1}, ts)
		proof := srpProof{PoolName: "p", UserID: "alice", A: A, B: B, b: b, V: v, SecretBlock: []byte{1},
			Timestamp: ts, Signature: base64.StdEncoding.EncodeToString(forged)}
		if err := srpVerify(proof, now); !errors.Is(err, ErrNotAuthorized) {
			t.Errorf("forged proof with S = 0: got %v, want NotAuthorized", err)
		}
	}
}

// TestSRPFinishRefuses: every way an answer can be wrong.
func TestSRPFinishRefuses(t *testing.T) {
	start := time.Date(2024, 11, 5, 9, 3, 4, 0, time.UTC)
	clock := &srpTestClock{t: start}
	p := newSRPTestPool(t, bytes.Repeat([]byte{3}, 32), clock.now)
	rec, err := p.srpVerifierFor(context.Background(), "bob", "pw")
	if err != nil {
		t.Fatal(err)
	}
	cr := rand.NewChaCha8([32]byte{'f'})
	pool := p.srpPoolName()

	// exchange returns a fresh exchange and a function that signs an
	// answer to it for the given timestamp.
	exchange := func() (srpExchange, srpChallengeParams, func(ts string) string) {
		c := newTestClient(cr)
		ex, params, err := p.srpStart(pool, "bob", false, rec, c.srpA())
		if err != nil {
			t.Fatal(err)
		}
		ck := c.derive(pool, "bob", "pw", params.Salt, params.B)
		return ex, params, func(ts string) string { return ck.sign(pool, "bob", params.SecretBlock, ts) }
	}
	ts := func(d time.Duration) string { return start.Add(d).UTC().Format(srpTimestampLayout) }
	if got := ts(0); got != "Tue Nov 5 09:03:04 UTC 2024" {
		t.Fatalf("timestamp layout: got %q", got)
	}

	tests := []struct {
		name   string
		answer func(ex srpExchange, params srpChallengeParams, sign func(string) string) srpAnswer
		want   error // nil: accepted
		cause  error
	}{
		{"right", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(0), sign(ts(0))}
		}, nil, nil},
		{"5 minutes behind", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(-5 * time.Minute), sign(ts(-5 * time.Minute))}
		}, nil, nil},
		{"5 minutes ahead", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(5 * time.Minute), sign(ts(5 * time.Minute))}
		}, nil, nil},
		{"stale", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(-5*time.Minute - time.Second), sign(ts(-5*time.Minute - time.Second))}
		}, ErrNotAuthorized, errSRPTimestamp},
		{"future", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(6 * time.Minute), sign(ts(6 * time.Minute))}
		}, ErrNotAuthorized, errSRPTimestamp},
		{"zero-padded day", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			s := "Tue Nov 05 09:03:04 UTC 2024"
			return srpAnswer{pr.SecretBlock, s, sign(s)}
		}, ErrInvalidParameter, nil},
		{"space-padded day", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			s := "Tue Nov  5 09:03:04 UTC 2024"
			return srpAnswer{pr.SecretBlock, s, sign(s)}
		}, ErrInvalidParameter, nil},
		{"wrong weekday", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			s := "Wed Nov 5 09:03:04 UTC 2024"
			return srpAnswer{pr.SecretBlock, s, sign(s)}
		}, ErrInvalidParameter, nil},
		{"12-hour clock", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			s := "Tue Nov 5 9:03:04 UTC 2024"
			return srpAnswer{pr.SecretBlock, s, sign(s)}
		}, ErrInvalidParameter, nil},
		{"empty timestamp", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, "", sign("")}
		}, ErrInvalidParameter, nil},
		{"signature of another timestamp", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(time.Second), sign(ts(0))}
		}, ErrNotAuthorized, errSRPProof},
		{"signature altered", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			s := []byte(sign(ts(0)))
			s[3] ^= 1
			return srpAnswer{pr.SecretBlock, ts(0), string(s)}
		}, ErrNotAuthorized, errSRPProof},
		{"signature empty", func(_ srpExchange, pr srpChallengeParams, _ func(string) string) srpAnswer {
			return srpAnswer{pr.SecretBlock, ts(0), ""}
		}, ErrNotAuthorized, errSRPProof},
		{"secret block of another exchange", func(_ srpExchange, _ srpChallengeParams, sign func(string) string) srpAnswer {
			_, other, _ := exchange()
			return srpAnswer{other.SecretBlock, ts(0), sign(ts(0))}
		}, ErrNotAuthorized, errSRPSecretBlock},
		{"secret block altered", func(_ srpExchange, pr srpChallengeParams, sign func(string) string) srpAnswer {
			b, _ := base64.StdEncoding.DecodeString(pr.SecretBlock)
			b[5] ^= 1
			return srpAnswer{base64.StdEncoding.EncodeToString(b), ts(0), sign(ts(0))}
		}, ErrNotAuthorized, errSRPSecretBlock},
		{"secret block not base64", func(_ srpExchange, _ srpChallengeParams, sign func(string) string) srpAnswer {
			return srpAnswer{"***", ts(0), sign(ts(0))}
		}, ErrNotAuthorized, errSRPSecretBlock},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, params, sign := exchange()
			err := p.srpFinish(ex, rec, tc.answer(ex, params, sign))
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("got %v, want success", err)
			case tc.want != nil && !errors.Is(err, tc.want):
				t.Errorf("got %v, want %v", err, tc.want)
			case tc.cause != nil && !errors.Is(err, tc.cause):
				t.Errorf("got %v, want cause %v", err, tc.cause)
			}
		})
	}

	t.Run("exchange from another exchange's state", func(t *testing.T) {
		ex1, _, _ := exchange()
		_, params2, sign2 := exchange()
		// The state of exchange 1 with the (valid) answer to exchange 2.
		if err := p.srpFinish(ex1, rec, srpAnswer{params2.SecretBlock, ts(0), sign2(ts(0))}); !errors.Is(err, errSRPSecretBlock) {
			t.Errorf("got %v, want errSRPSecretBlock", err)
		}
	})
	t.Run("password changed between challenge and answer", func(t *testing.T) {
		ex, params, sign := exchange()
		newRec, err := p.srpVerifierFor(context.Background(), "bob", "new-pw")
		if err != nil {
			t.Fatal(err)
		}
		if err := p.srpFinish(ex, newRec, srpAnswer{params.SecretBlock, ts(0), sign(ts(0))}); !errors.Is(err, errSRPProof) {
			t.Errorf("got %v, want errSRPProof", err)
		}
	})
	t.Run("another secret key", func(t *testing.T) {
		ex, params, sign := exchange()
		other := newSRPTestPool(t, bytes.Repeat([]byte{4}, 32), clock.now)
		if err := other.srpFinish(ex, rec, srpAnswer{params.SecretBlock, ts(0), sign(ts(0))}); !errors.Is(err, ErrInternal) {
			t.Errorf("got %v, want InternalError", err)
		}
	})
}

func TestSRPSecretBlockID(t *testing.T) {
	good := base64.StdEncoding.EncodeToString(append([]byte{srpSecretBlockVersion}, make([]byte, 32)...))
	if _, err := srpSecretBlockID(good); err != nil {
		t.Errorf("good block: %v", err)
	}
	for _, bad := range []string{"", "AA==", "%%", base64.StdEncoding.EncodeToString(make([]byte, srpSecretBlockLen)),
		base64.StdEncoding.EncodeToString(append([]byte{srpSecretBlockVersion}, make([]byte, 33)...))} {
		if _, err := srpSecretBlockID(bad); !errors.Is(err, ErrNotAuthorized) {
			t.Errorf("block %q: got %v, want NotAuthorized", bad, err)
		}
	}
}

func TestSRPVerifierForWithoutSRP(t *testing.T) {
	p := newSRPTestPool(t, nil, time.Now, WithoutSRP())
	rec, err := p.srpVerifierFor(context.Background(), "alice", "pw")
	if err != nil || rec.Salt != nil || rec.Verifier != nil {
		t.Errorf("got %+v, %v; want nothing kept", rec, err)
	}
}

func TestSRPVerifierForCancelled(t *testing.T) {
	p := newSRPTestPool(t, nil, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.srpVerifierFor(ctx, "alice", "pw"); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}
}

// TestSRPConcurrent runs exchanges in parallel on one pool, whose random
// source (a seeded ChaCha8, not safe for concurrent use) is shared: -race
// checks the pool guards it.
func TestSRPConcurrent(t *testing.T) {
	clock := &srpTestClock{t: time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)}
	p := newSRPTestPool(t, bytes.Repeat([]byte{5}, 32), clock.now)
	rec, err := p.srpVerifierFor(context.Background(), "alice", "pw")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			cr := rand.NewChaCha8([32]byte{byte(i), 'x'})
			if err := srpRoundTrip(t, p, cr, p.srpPoolName(), "alice", "pw", false, rec); err != nil {
				t.Errorf("exchange %d: %v", i, err)
			}
			if _, err := p.srpVerifierFor(context.Background(), "alice", "pw"); err != nil {
				t.Errorf("verifier %d: %v", i, err)
			}
		})
	}
	wg.Wait()
}

func FuzzSRPParseA(f *testing.F) {
	for _, s := range []string{"2", "abc", srpN.Text(16), "0", "-1", "+1", "0x1", strings.Repeat("f", 768)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		A, err := srpParseA(s)
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("error %v is not InvalidParameter", err)
			}
			return
		}
		if A.Sign() <= 0 || A.Cmp(srpN) >= 0 {
			t.Fatalf("accepted A = %v outside (0, N)", A)
		}
		if !strings.EqualFold(strings.TrimLeft(s, "0"), A.Text(16)) {
			t.Fatalf("A %s does not spell %q", A.Text(16), s)
		}
	})
}

func FuzzSRPTimestamp(f *testing.F) {
	for _, s := range []string{"Tue Mar 5 07:08:09 UTC 2024", "Tue Mar 05 07:08:09 UTC 2024", "Thu Feb 29 23:59:59 UTC 2024", "", "Mon Jan 2 15:04:05 UTC 2006"} {
		f.Add(s)
	}
	now := time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		err := srpCheckTimestamp(s, now)
		if err == nil {
			parsed, perr := time.Parse(srpTimestampLayout, s)
			if perr != nil || parsed.Format(srpTimestampLayout) != s {
				t.Fatalf("accepted %q, which is not canonical", s)
			}
			if d := now.Sub(parsed); d > srpTimestampSkew || d < -srpTimestampSkew {
				t.Fatalf("accepted %q, %v from now", s, d)
			}
			return
		}
		if !errors.Is(err, ErrInvalidParameter) && !errors.Is(err, ErrNotAuthorized) {
			t.Fatalf("error %v of an unexpected type", err)
		}
	})
}

func FuzzSRPSecretBlockID(f *testing.F) {
	f.Add(base64.StdEncoding.EncodeToString(append([]byte{srpSecretBlockVersion}, make([]byte, 32)...)))
	f.Add("")
	f.Add("AAAA")
	f.Fuzz(func(t *testing.T, s string) {
		id, err := srpSecretBlockID(s)
		if err != nil {
			if !errors.Is(err, ErrNotAuthorized) {
				t.Fatalf("error %v is not NotAuthorized", err)
			}
			return
		}
		if len(id) != 64 {
			t.Fatalf("id %q", id)
		}
	})
}

// BenchmarkSRPAuth measures both server round trips of USER_SRP_AUTH
// (srpStart: parse A, open the verifier, B, seal b, secret block;
// srpFinish: open b and the verifier, u, S, HKDF, signature) against the
// raw cost, in the same run and with the same operands, of the three
// modular exponentiations the server cannot avoid: g^b, v^u and
// (A·v^u)^b. modexp/server is the share of the server's time those take
// (target: ≥ 0.80); the rest is overhead. Figures are medians of the
// iterations, so a preempted iteration on a busy machine does not skew
// them; the bare exponentiations run before the server's work on odd
// iterations and after it on even ones. The client's work is in neither
// figure (ns/op includes it).
func BenchmarkSRPAuth(b *testing.B) {
	clock := &srpTestClock{t: time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)}
	p := newSRPTestPool(b, bytes.Repeat([]byte{7}, 32), clock.now)
	rec, err := p.srpVerifierFor(context.Background(), "alice", "Correct-horse-9")
	if err != nil {
		b.Fatal(err)
	}
	v, err := p.srpOpen(sealSRPVerifier, rec)
	if err != nil {
		b.Fatal(err)
	}
	cr := rand.NewChaCha8([32]byte{'b'})
	pool := p.srpPoolName()
	var server, raw []time.Duration

	bare := func(ex srpExchange) time.Duration {
		rawB, err := p.sealer.open(sealSRPExponent, ex.SealedExponent)
		if err != nil {
			b.Fatal(err)
		}
		sb := new(big.Int).SetBytes(rawB)
		A := new(big.Int).SetBytes(ex.A)
		u := srpScramble(A, new(big.Int).SetBytes(ex.B))
		t0 := time.Now()
		gb := new(big.Int).Exp(srpG, sb, srpN)
		vu := new(big.Int).Exp(v, u, srpN)
		base := vu.Mul(vu, A)
		base.Mod(base, srpN)
		S := base.Exp(base, sb, srpN)
		d := time.Since(t0)
		if gb.Sign() == 0 || S.Sign() == 0 {
			b.Fatal("zero")
		}
		return d
	}
	for b.Loop() {
		c := newTestClient(cr)
		srpA := c.srpA()

		t0 := time.Now()
		ex, params, err := p.srpStart(pool, "alice", false, rec, srpA)
		t1 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		odd := len(server)%2 == 1
		if odd {
			raw = append(raw, bare(ex))
		}
		ck := c.derive(pool, "alice", "Correct-horse-9", params.Salt, params.B)
		ts := testClientTimestamp(clock.now())
		ans := srpAnswer{params.SecretBlock, ts, ck.sign(pool, "alice", params.SecretBlock, ts)}
		t2 := time.Now()
		err = p.srpFinish(ex, rec, ans)
		t3 := time.Now()
		if err != nil {
			b.Fatal(err)
		}
		server = append(server, t1.Sub(t0)+t3.Sub(t2))
		if !odd {
			raw = append(raw, bare(ex))
		}
	}
	median := func(ds []time.Duration) float64 {
		s := slices.Clone(ds)
		slices.Sort(s)
		return float64(s[len(s)/2])
	}
	b.ReportMetric(median(server), "server-ns/auth")
	b.ReportMetric(median(raw), "modexp-ns/auth")
	b.ReportMetric(median(raw)/median(server), "modexp/server")
}

// TestSRPDecoy: an unknown user gets a stable, user-shaped challenge that
// no password answers.
func TestSRPDecoy(t *testing.T) {
	clock := &srpTestClock{t: time.Date(2024, 3, 5, 7, 8, 9, 0, time.UTC)}
	p := newSRPTestPool(t, bytes.Repeat([]byte{8}, 32), clock.now)
	key := deriveKey(bytes.Repeat([]byte{8}, 32), "srp decoy", 32)
	id1, rec1, err := p.srpDecoy(key, "nobody@example.com")
	if err != nil {
		t.Fatal(err)
	}
	id2, rec2, _ := p.srpDecoy(key, "nobody@example.com")
	id3, rec3, _ := p.srpDecoy(key, "someone-else")
	if id1 != id2 || !bytes.Equal(rec1.Salt, rec2.Salt) {
		t.Errorf("decoy differs between attempts: %s %x, %s %x", id1, rec1.Salt, id2, rec2.Salt)
	}
	if id1 == id3 || bytes.Equal(rec1.Salt, rec3.Salt) {
		t.Error("two names share a decoy")
	}
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id1) {
		t.Errorf("user id %q is not a UUID v4", id1)
	}
	if len(rec1.Salt) != srpSaltLen {
		t.Errorf("salt of %d bytes", len(rec1.Salt))
	}
	if other, _, _ := p.srpDecoy(deriveKey([]byte("another key, also 32 bytes long!"), "srp decoy", 32), "nobody@example.com"); other == id1 {
		t.Error("the decoy does not depend on the key")
	}
	for _, pw := range []string{"", "pw", "Correct-horse-9"} {
		if err := srpRoundTrip(t, p, rand.NewChaCha8([32]byte{'z'}), p.srpPoolName(), id1, pw, false, rec1); !errors.Is(err, errSRPProof) {
			t.Errorf("password %q against a decoy: got %v, want errSRPProof", pw, err)
		}
	}
}
