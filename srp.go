package userpool

// SRP: the server side of Cognito's USER_SRP_AUTH (PASSWORD_VERIFIER) and
// DEVICE_SRP_AUTH (DEVICE_PASSWORD_VERIFIER), bit for bit as
// amazon-cognito-identity-js, Amplify and the AWS SDK helpers compute it:
// SRP-6a over the RFC 3526 3072-bit group with g = 2 and SHA-256, with
// Cognito's own byte encoding of integers (padHex), its own x, and an HKDF
// key that signs a message instead of SRP's M1/M2 proofs.
//
// # The cost of keeping verifiers
//
// A verifier v = g^x mod N lets whoever holds it test a guessed password
// with one SHA-256 and one 3072-bit modular exponentiation: about 1 ms of
// CPU, against about 25 ms for the argon2id hash kept next to it, and
// with no memory hardness, so a stolen store is some 25 times cheaper (far
// more on GPUs) to attack through its verifiers than through its hashes.
// Cognito's protocol fixes x, so nothing can be made slower here. What
// the pool does about it:
//
//   - with a secret key ([WithSecretKey]), verifiers are sealed with a key
//     derived from it (AES-256-GCM), so a copy of the store alone is not
//     enough;
//   - a pool that has no SRP clients can turn SRP off ([WithoutSRP]); then
//     no verifier is computed or kept, and only the argon2id hash remains.
//
// Device verifiers protect a 40-byte random password the device generated,
// so they cannot be attacked by guessing; they are sealed all the same.
//
// # Side channels
//
// math/big is not constant time. The server's secret exponent b is fresh
// for every exchange and used in two exponentiations only, and the
// verifier is an exponentiation's base, not its exponent; recovering
// either through remote timing of a handful of 3072-bit exponentiations
// is not a practical attack. The signature is compared in constant time.

import (
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/big"
	"strings"
	"time"

	"github.com/userpool/userpool/storage"
)

// srpNHex is the RFC 3526 (RFC 5054) 3072-bit MODP prime, Cognito's N.
const srpNHex = "" +
	"FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD" +
	"EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED" +
	"EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F" +
	"83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B" +
	"E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510" +
	"15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7" +
	"ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C" +
	"BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"

var (
	srpN = func() *big.Int {
		n, ok := new(big.Int).SetString(srpNHex, 16)
		if !ok {
			panic("userpool: bad SRP group")
		}
		return n
	}()
	srpG = big.NewInt(2)
	// srpK is k = H(padHex(N) | padHex(g)), the SRP-6a multiplier.
	srpK = srpHashInt(srpPad(srpN), srpPad(srpG))
)

const (
	// srpNLen is the length of N in bytes; verifiers are stored this long.
	srpNLen = 384
	// srpExponentLen is the length of b in bytes: 256 bits, as RFC 5054
	// asks, which is also what the group's security level needs.
	srpExponentLen = 32
	// srpMaxAHex bounds SRP_A before it is parsed: A < N has at most 768
	// hex digits; the slack allows leading zeros and nothing costly.
	srpMaxAHex = 1024
	// srpSaltLen is the length of the salts the pool draws for users.
	srpSaltLen = 16
	// srpKeyInfo is the HKDF info of Cognito's derived key.
	srpKeyInfo = "Caldera Derived Key"
	// srpTimestampLayout is Cognito's TIMESTAMP: English names, 24-hour
	// clock, day of the month not padded ("Tue Mar 5 07:08:09 UTC 2024").
	srpTimestampLayout = "Mon Jan 2 15:04:05 UTC 2006"
	// srpTimestampSkew is how far TIMESTAMP may be from the pool's clock.
	srpTimestampSkew = 5 * time.Minute
	// srpSecretBlockVersion starts every SECRET_BLOCK the pool issues.
	srpSecretBlockVersion = 0x01
	srpSecretBlockLen     = 1 + 32
)

// Causes wrapped in the ErrNotAuthorized of a failed exchange, so the
// sign-in state machine can tell a wrong password (which counts toward
// the lockout) from a stale or misrouted answer.
var (
	errSRPProof       = errors.New("userpool: srp: signature does not match")
	errSRPTimestamp   = errors.New("userpool: srp: timestamp outside the allowed window")
	errSRPSecretBlock = errors.New("userpool: srp: secret block of another exchange")
)

// incorrectCredentials is Cognito's message for every failed proof.
const incorrectCredentials = "Incorrect username or password."

// srpPad returns Cognito's padHex(n) as bytes: the big-endian bytes of n,
// with a 0x00 in front when the top bit is set (Java's
// BigInteger.toByteArray). Zero is one 0x00 byte. It is not RFC 5054's
// padding to the length of N.
func srpPad(n *big.Int) []byte {
	b := n.Bytes()
	if len(b) == 0 || b[0]&0x80 != 0 {
		return append([]byte{0}, b...)
	}
	return b
}

// srpHash returns SHA-256 of the concatenated parts.
func srpHash(parts ...[]byte) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

func srpHashInt(parts ...[]byte) *big.Int { return new(big.Int).SetBytes(srpHash(parts...)) }

// srpX returns x = H(padHex(salt) | H(poolName | userID | ":" | password)).
// The salt counts as an integer: leading zero bytes are dropped before
// padHex, as the clients parse SALT as a number.
func srpX(poolName, userID, password string, salt []byte) *big.Int {
	inner := srpHash([]byte(poolName + userID + ":" + password))
	return srpHashInt(srpPad(new(big.Int).SetBytes(salt)), inner)
}

// srpVerifier returns v = g^x mod N for the user (or device) as srpNLen
// big-endian bytes. For a user, poolName is the part of the pool id after
// the underscore and username the user's real user name (USER_ID_FOR_SRP),
// not the alias typed at sign-in; for a device they are the device group
// key and the device key.
func srpVerifier(poolName, username, password string, salt []byte) []byte {
	v := new(big.Int).Exp(srpG, srpX(poolName, username, password, salt), srpN)
	return v.FillBytes(make([]byte, srpNLen))
}

// srpParseA parses SRP_A as the clients send it: hex digits of A, without
// padding and possibly of odd length. It refuses anything else, and any A
// with A mod N == 0 (A = 0, N, 2N ...), which would let a client who knows
// no password force S = 0. A must be below N, as every client computes it.
func srpParseA(s string) (*big.Int, error) {
	if s == "" || len(s) > srpMaxAHex {
		return nil, ErrInvalidParameter.With("SRP_A is not valid.")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return nil, ErrInvalidParameter.With("SRP_A is not valid.")
		}
	}
	a, _ := new(big.Int).SetString(s, 16) // digits checked above
	if a.Cmp(srpN) >= 0 || new(big.Int).Mod(a, srpN).Sign() == 0 {
		return nil, ErrInvalidParameter.With("SRP_A is not valid.")
	}
	return a, nil
}

// srpChallenge draws the server's secret exponent b from random and
// returns B = (k·v + g^b) mod N with b. It draws again in the (never
// observed) case of b = 0 or B = 0.
func srpChallenge(v *big.Int, random io.Reader) (B, b *big.Int, err error) {
	buf := make([]byte, srpExponentLen)
	for {
		if _, err := io.ReadFull(random, buf); err != nil {
			return nil, nil, fmt.Errorf("userpool: srp: random source: %w", err)
		}
		b = new(big.Int).SetBytes(buf)
		if b.Sign() == 0 {
			continue
		}
		B = new(big.Int).Mul(srpK, v)
		B.Add(B, new(big.Int).Exp(srpG, b, srpN))
		B.Mod(B, srpN)
		if B.Sign() != 0 {
			return B, b, nil
		}
	}
}

// srpScramble returns u = H(padHex(A) | padHex(B)).
func srpScramble(A, B *big.Int) *big.Int { return srpHashInt(srpPad(A), srpPad(B)) }

// srpServerSecret returns S = (A · v^u)^b mod N.
func srpServerSecret(A, v, u, b *big.Int) *big.Int {
	s := new(big.Int).Exp(v, u, srpN)
	s.Mul(s, A)
	s.Mod(s, srpN)
	return s.Exp(s, b, srpN)
}

// srpDerivedKey returns Cognito's 16-byte key: HKDF-SHA256 with IKM =
// padHex(S), salt = padHex(u) and info "Caldera Derived Key".
func srpDerivedKey(S, u *big.Int) []byte {
	k, err := hkdf.Key(sha256.New, srpPad(S), srpPad(u), srpKeyInfo, 16)
	if err != nil { // only for outputs over 255 blocks
		panic("userpool: srp: hkdf: " + err.Error())
	}
	return k
}

// srpSignature returns PASSWORD_CLAIM_SIGNATURE's bytes:
// HMAC-SHA256(key, poolName | userID | secretBlock | timestamp).
func srpSignature(key []byte, poolName, userID string, secretBlock []byte, timestamp string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(secretBlock)
	m.Write([]byte(timestamp))
	return m.Sum(nil)
}

// srpCheckTimestamp accepts TIMESTAMP only in Cognito's exact form (the
// time rendered again must give the same text, so a zero-padded day or a
// wrong weekday is refused, as Cognito does) and within srpTimestampSkew
// of now. The message is hashed as the client sent it; checking it here
// keeps a captured answer from being replayed later against the same
// server secret.
func srpCheckTimestamp(ts string, now time.Time) error {
	t, err := time.Parse(srpTimestampLayout, ts)
	if err != nil || t.UTC().Format(srpTimestampLayout) != ts {
		return ErrInvalidParameter.With("TIMESTAMP is not valid.")
	}
	if d := now.Sub(t); d > srpTimestampSkew || d < -srpTimestampSkew {
		return ErrNotAuthorized.Wrap(errSRPTimestamp, incorrectCredentials)
	}
	return nil
}

// srpProof is everything the server checks in an answer to
// PASSWORD_VERIFIER or DEVICE_PASSWORD_VERIFIER.
type srpProof struct {
	// PoolName and UserID are the names hashed into x and the signature:
	// the pool id's suffix and the real user name, or the device group
	// key and the device key.
	PoolName, UserID string
	// A is the client's public value, B and b the server's.
	A, B, b *big.Int
	// V is the stored verifier.
	V *big.Int
	// SecretBlock is the decoded SECRET_BLOCK the server issued.
	SecretBlock []byte
	// Timestamp and Signature are TIMESTAMP and PASSWORD_CLAIM_SIGNATURE.
	Timestamp, Signature string
}

// srpVerify checks an SRP answer: the timestamp's form and age, that
// A mod N != 0, then the signature, in constant time. A wrong signature gives ErrNotAuthorized
// wrapping errSRPProof.
func srpVerify(p srpProof, now time.Time) error {
	if err := srpCheckTimestamp(p.Timestamp, now); err != nil {
		return err
	}
	// srpParseA refused these already; checked again because with
	// A mod N == 0 the secret is S = 0, known to anyone.
	if p.A.Sign() <= 0 || new(big.Int).Mod(p.A, srpN).Sign() == 0 {
		return ErrNotAuthorized.Wrap(errSRPProof, incorrectCredentials)
	}
	u := srpScramble(p.A, p.B)
	if u.Sign() == 0 { // probability 2^-256; refused as SRP-6a demands
		return ErrNotAuthorized.Wrap(errSRPProof, incorrectCredentials)
	}
	key := srpDerivedKey(srpServerSecret(p.A, p.V, u, p.b), u)
	want := base64.StdEncoding.EncodeToString(srpSignature(key, p.PoolName, p.UserID, p.SecretBlock, p.Timestamp))
	if subtle.ConstantTimeCompare([]byte(want), []byte(p.Signature)) != 1 {
		return ErrNotAuthorized.Wrap(errSRPProof, incorrectCredentials)
	}
	return nil
}

// srpPoolName is the "pool name" of user SRP: the pool id after its
// underscore.
func (p *Pool) srpPoolName() string {
	_, name, _ := strings.Cut(p.id, "_")
	return name
}

// srpVerifierFor returns what the store keeps for a user's SRP sign-in:
// a fresh random salt and the verifier for username (the real user name,
// never an alias) and password, sealed with the pool's secret key when it
// has one. It returns the zero value when the pool has SRP turned off, so
// callers store it unconditionally next to the password hash whenever a
// password is set.
func (p *Pool) srpVerifierFor(ctx context.Context, username, password string) (storage.SRPVerifier, error) {
	if !p.cfg.SRP {
		return storage.SRPVerifier{}, nil
	}
	if err := ctx.Err(); err != nil {
		return storage.SRPVerifier{}, err
	}
	salt := make([]byte, srpSaltLen)
	if _, err := io.ReadFull(p.random, salt); err != nil {
		return storage.SRPVerifier{}, p.internal("sign in with SRP", err)
	}
	sealed, err := p.sealer.seal(sealSRPVerifier, srpVerifier(p.srpPoolName(), username, password, salt))
	if err != nil {
		return storage.SRPVerifier{}, p.internal("sign in with SRP", err)
	}
	return storage.SRPVerifier{Salt: salt, Verifier: sealed}, nil
}

// Sealing purposes: a user's verifier cannot be opened as a device's, nor
// either as an exponent.
const (
	sealSRPVerifier    = "srp verifier"
	sealDeviceVerifier = "device srp verifier"
	sealSRPExponent    = "srp exponent"
)

// srpDeviceVerifier turns ConfirmDevice's DeviceSecretVerifierConfig
// (Salt and PasswordVerifier, base64 of the padHex bytes) into what the
// store keeps for the device, the verifier sealed. It refuses values no
// client would send: empty or long salts, and verifiers outside (0, N).
func (p *Pool) srpDeviceVerifier(saltB64, verifierB64 string) (storage.SRPVerifier, error) {
	salt, err := base64.StdEncoding.DecodeString(saltB64)
	if err != nil || len(salt) == 0 || len(salt) > 64 {
		return storage.SRPVerifier{}, ErrInvalidParameter.With("DeviceSecretVerifierConfig.Salt is not valid.")
	}
	raw, err := base64.StdEncoding.DecodeString(verifierB64)
	if err != nil || len(raw) == 0 || len(raw) > srpNLen+1 {
		return storage.SRPVerifier{}, ErrInvalidParameter.With("DeviceSecretVerifierConfig.PasswordVerifier is not valid.")
	}
	v := new(big.Int).SetBytes(raw)
	if v.Sign() == 0 || v.Cmp(srpN) >= 0 {
		return storage.SRPVerifier{}, ErrInvalidParameter.With("DeviceSecretVerifierConfig.PasswordVerifier is not valid.")
	}
	sealed, err := p.sealer.seal(sealDeviceVerifier, v.FillBytes(make([]byte, srpNLen)))
	if err != nil {
		return storage.SRPVerifier{}, p.internal("sign in with SRP", err)
	}
	return storage.SRPVerifier{Salt: salt, Verifier: sealed}, nil
}

// srpOpen returns the verifier kept in rec, sealed for purpose. A
// verifier written before the pool had a secret key is still read (a
// store writer who could plant one could as well replace the password
// hash); it is sealed when the password is next set.
func (p *Pool) srpOpen(purpose string, rec storage.SRPVerifier) (*big.Int, error) {
	raw, _, err := p.sealer.openOrMigrate(purpose, rec.Verifier)
	if err != nil {
		return nil, p.internal("sign in with SRP", err)
	}
	v := new(big.Int).SetBytes(raw)
	if len(rec.Salt) == 0 || v.Sign() == 0 || v.Cmp(srpN) >= 0 {
		return nil, p.internal("sign in with SRP", errors.New("userpool: srp: stored verifier is not valid"))
	}
	return v, nil
}

// srpExchange is the server's half of one SRP exchange, kept (as JSON, in
// a storage.Session whose ID is BlockID) between the PASSWORD_VERIFIER or
// DEVICE_PASSWORD_VERIFIER challenge and its answer. It holds the secret
// exponent b sealed; it never holds the verifier, which is read again
// from the user or device at the answer, so a password changed in between
// makes the answer fail.
type srpExchange struct {
	// Device is true for DEVICE_SRP_AUTH.
	Device bool `json:"device,omitempty"`
	// PoolName and UserID: see srpProof.
	PoolName string `json:"poolName"`
	UserID   string `json:"userId"`
	A        []byte `json:"a"`
	B        []byte `json:"b"`
	// SealedExponent is b, sealed.
	SealedExponent []byte `json:"sealedExponent"`
	// BlockID identifies the SECRET_BLOCK issued: see srpSecretBlockID.
	BlockID  string    `json:"blockId"`
	IssuedAt time.Time `json:"issuedAt"`
}

// srpChallengeParams are the ChallengeParameters of PASSWORD_VERIFIER and
// DEVICE_PASSWORD_VERIFIER that come from SRP (the caller adds USERNAME,
// USER_ID_FOR_SRP or DEVICE_KEY).
type srpChallengeParams struct {
	Salt        string // SALT: hex of the stored salt bytes
	B           string // SRP_B: hex of B
	SecretBlock string // SECRET_BLOCK: base64
}

// srpStart begins an exchange for the client's SRP_A against the stored
// verifier rec: for a user, poolName is p.srpPoolName() and userID the
// real user name; for a device (device set), the device group key and the
// device key. It returns the state to keep, under ex.BlockID, until the
// answer, and the challenge parameters to send. A malformed SRP_A, or one
// with A mod N == 0, gives ErrInvalidParameter.
func (p *Pool) srpStart(poolName, userID string, device bool, rec storage.SRPVerifier, srpA string) (srpExchange, srpChallengeParams, error) {
	A, err := srpParseA(srpA)
	if err != nil {
		return srpExchange{}, srpChallengeParams{}, err
	}
	v, err := p.srpOpen(srpPurpose(device), rec)
	if err != nil {
		return srpExchange{}, srpChallengeParams{}, err
	}
	B, b, err := srpChallenge(v, p.random)
	if err != nil {
		return srpExchange{}, srpChallengeParams{}, p.internal("sign in with SRP", err)
	}
	sealedB, err := p.sealer.seal(sealSRPExponent, b.FillBytes(make([]byte, srpExponentLen)))
	if err != nil {
		return srpExchange{}, srpChallengeParams{}, p.internal("sign in with SRP", err)
	}
	block := make([]byte, srpSecretBlockLen)
	block[0] = srpSecretBlockVersion
	if _, err := io.ReadFull(p.random, block[1:]); err != nil {
		return srpExchange{}, srpChallengeParams{}, p.internal("sign in with SRP", err)
	}
	ex := srpExchange{
		Device:         device,
		PoolName:       poolName,
		UserID:         userID,
		A:              A.Bytes(),
		B:              B.Bytes(),
		SealedExponent: sealedB,
		BlockID:        srpBlockID(block),
		IssuedAt:       p.now(),
	}
	params := srpChallengeParams{
		Salt:        hex.EncodeToString(rec.Salt),
		B:           B.Text(16),
		SecretBlock: base64.StdEncoding.EncodeToString(block),
	}
	return ex, params, nil
}

// srpAnswer is the client's answer: PASSWORD_CLAIM_SECRET_BLOCK,
// TIMESTAMP and PASSWORD_CLAIM_SIGNATURE as sent.
type srpAnswer struct {
	SecretBlock, Timestamp, Signature string
}

// srpFinish checks the answer to the exchange ex against the verifier rec
// as stored now. It returns nil when the client proved it knows the
// password; ErrNotAuthorized "Incorrect username or password." wrapping
// errSRPProof for a wrong one, errSRPTimestamp for a timestamp off the
// pool's clock by more than five minutes, errSRPSecretBlock for a secret
// block not issued for ex; ErrInvalidParameter for a malformed timestamp.
//
// The caller makes ex single-use (storage.Sessions.TakeSession) and
// bounds its age; srpFinish itself only checks what SRP defines.
func (p *Pool) srpFinish(ex srpExchange, rec storage.SRPVerifier, ans srpAnswer) error {
	block, err := base64.StdEncoding.DecodeString(ans.SecretBlock)
	if err != nil || subtle.ConstantTimeCompare([]byte(srpBlockID(block)), []byte(ex.BlockID)) != 1 {
		return ErrNotAuthorized.Wrap(errSRPSecretBlock, incorrectCredentials)
	}
	v, err := p.srpOpen(srpPurpose(ex.Device), rec)
	if err != nil {
		return err
	}
	rawB, err := p.sealer.open(sealSRPExponent, ex.SealedExponent)
	if err != nil {
		return p.internal("sign in with SRP", err)
	}
	return srpVerify(srpProof{
		PoolName:    ex.PoolName,
		UserID:      ex.UserID,
		A:           new(big.Int).SetBytes(ex.A),
		B:           new(big.Int).SetBytes(ex.B),
		b:           new(big.Int).SetBytes(rawB),
		V:           v,
		SecretBlock: block,
		Timestamp:   ans.Timestamp,
		Signature:   ans.Signature,
	}, p.now())
}

func srpPurpose(device bool) string {
	if device {
		return sealDeviceVerifier
	}
	return sealSRPVerifier
}

// srpBlockID returns the id under which the exchange of a SECRET_BLOCK is
// kept: a hash, so the store never holds the block itself. The block is
// 32 random bytes behind a version byte: it cannot be guessed, and it is
// bound to its exchange by being the key that finds it.
func srpBlockID(block []byte) string {
	return hex.EncodeToString(srpHash([]byte("userpool/v1 srp secret block\x00"), block))
}

// srpSecretBlockID returns the id of the exchange that a client's
// PASSWORD_CLAIM_SECRET_BLOCK refers to, for the caller to take it from
// the store. A block the pool cannot have issued gives ErrNotAuthorized.
func srpSecretBlockID(secretBlockB64 string) (string, error) {
	block, err := base64.StdEncoding.DecodeString(secretBlockB64)
	if err != nil || len(block) != srpSecretBlockLen || block[0] != srpSecretBlockVersion {
		return "", ErrNotAuthorized.Wrap(errSRPSecretBlock, incorrectCredentials)
	}
	return srpBlockID(block), nil
}

// decoyPRF derives n bytes for label and username from key: the values a
// decoy shows for a user name, the same on every attempt.
func decoyPRF(key []byte, label, username string, n int) []byte {
	out := make([]byte, 0, n+sha256.Size)
	for i := byte(0); len(out) < n; i++ {
		m := hmac.New(sha256.New, key)
		m.Write([]byte("userpool/v1 srp decoy " + label + "\x00"))
		m.Write([]byte{i})
		m.Write([]byte(username))
		out = m.Sum(out)
	}
	return out[:n]
}

// decoyUserID is the UUID-shaped USER_ID_FOR_SRP every decoy challenge
// shows for username, so that SRP and sign-in codes show the same one.
func decoyUserID(key []byte, username string) string {
	id := decoyPRF(key, "user id", username, 16)
	id[6] = id[6]&0x0f | 0x40 // version 4
	id[8] = id[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(id)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// srpDecoy returns what PASSWORD_VERIFIER shows for a user name that does
// not exist when the app client prevents user-existence errors (Cognito
// answers with a simulated challenge, then "Incorrect username or
// password."): a UUID-shaped user id and a salt derived from key and
// username, so every attempt for the name shows the same values as a real
// user's would, and a verifier that no password matches. The verifier is
// a keyed hash reduced mod N, not g^x: B = k·v + g^b hides v entirely,
// and skipping the exponentiation keeps srpStart and srpFinish as costly
// for a decoy as for a user (their three exponentiations are the same).
//
// key must be secret and the same on every instance serving the pool
// (derive it from the pool's secret key): whoever knows it can tell decoys
// from users, and decoys that change between instances or restarts give
// the absence away.
func (p *Pool) srpDecoy(key []byte, username string) (userID string, rec storage.SRPVerifier, err error) {
	prf := func(label string, n int) []byte { return decoyPRF(key, label, username, n) }
	userID = decoyUserID(key, username)
	v := new(big.Int).SetBytes(prf("verifier", srpNLen+16))
	v.Mod(v, srpN)
	if v.Sign() == 0 {
		v.SetInt64(1)
	}
	sealed, err := p.sealer.seal(sealSRPVerifier, v.FillBytes(make([]byte, srpNLen)))
	if err != nil {
		return "", storage.SRPVerifier{}, p.internal("sign in with SRP", err)
	}
	return userID, storage.SRPVerifier{Salt: prf("salt", srpSaltLen), Verifier: sealed}, nil
}
