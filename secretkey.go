package userpool

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"sync"
)

// deriveKey derives n bytes for one purpose from the pool's secret key with
// HKDF-SHA256 (RFC 5869; no salt, info "userpool/v1 " + purpose). Every use
// of the secret key goes through it, so the pepper and each kind of sealed
// secret get independent keys and a leak of one says nothing of the others.
//
// hkdf.Key fails only for outputs over 8160 bytes or, in FIPS 140-only
// mode, secrets under 14 bytes; callers ask for at most 32 bytes and New
// refuses secret keys under 32 bytes, so an error here is a bug.
func deriveKey(secret []byte, purpose string, n int) []byte {
	k, err := hkdf.Key(sha256.New, secret, nil, "userpool/v1 "+purpose, n)
	if err != nil {
		panic("userpool: derive key for " + purpose + ": " + err.Error())
	}
	return k
}

// Sealed data starts with a version byte, so data written before a secret
// key was configured is recognised (see openOrMigrate) and sealed again.
const (
	// sealedPlain: [0x00][plaintext], written when the pool has no key.
	sealedPlain byte = 0x00
	// sealedAESGCM: [0x01][key id: 4][nonce: 12][AES-256-GCM ciphertext
	// and 16-byte tag]. The key is derived from the secret key per purpose,
	// and the version byte, key id and purpose are authenticated.
	sealedAESGCM byte = 0x01
)

const (
	sealKeyIDLen = 4
	sealNonceLen = 12
	sealTagLen   = 16
)

var (
	// errUnseal is the error of every failed open, wrapped with the reason.
	errUnseal = errors.New("userpool: cannot open sealed data")
	// errNotSealed: plain data where the pool's key demands sealed data.
	errNotSealed = errors.New("stored unencrypted, but the pool has a secret key")
)

// sealer encrypts secrets the pool must be able to read back (SRP
// verifiers, TOTP secrets, signing keys) before they reach the store, so a
// copy of the store alone does not reveal them. Without a secret key it
// stores them marked as plain. It is safe for concurrent use.
type sealer struct {
	secret []byte // nil: no key
	keyID  []byte // fingerprint of secret, to tell a wrong key from tampering

	mu     sync.Mutex
	random io.Reader              // nonces; the pool's reader, guarded by mu
	aeads  map[string]cipher.AEAD // per purpose, derived on first use
}

// newSealer returns a sealer for secretKey (nil for none), drawing nonces
// from random.
func newSealer(secretKey []byte, random io.Reader) *sealer {
	s := &sealer{random: random, aeads: map[string]cipher.AEAD{}}
	if secretKey != nil {
		s.secret = secretKey
		s.keyID = deriveKey(secretKey, "seal key id", sealKeyIDLen)
	}
	return s
}

// aead returns the cipher for purpose. Deriving one key per purpose binds
// sealed data to its use: a TOTP secret cannot be opened as a signing key.
func (s *sealer) aead(purpose string) (cipher.AEAD, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if a, ok := s.aeads[purpose]; ok {
		return a, nil
	}
	block, err := aes.NewCipher(deriveKey(s.secret, "seal "+purpose, 32))
	if err != nil {
		return nil, err
	}
	a, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	s.aeads[purpose] = a
	return a, nil
}

// additionalData authenticates the header and the purpose.
func additionalData(header []byte, purpose string) []byte {
	return append(append(append([]byte(nil), header...), 0), purpose...)
}

// seal returns plaintext sealed for purpose: encrypted with a fresh random
// nonce when the pool has a secret key, else marked as plain.
func (s *sealer) seal(purpose string, plaintext []byte) ([]byte, error) {
	if s.secret == nil {
		return append([]byte{sealedPlain}, plaintext...), nil
	}
	a, err := s.aead(purpose)
	if err != nil {
		return nil, fmt.Errorf("userpool: seal %s: %w", purpose, err)
	}
	out := make([]byte, 1+sealKeyIDLen+sealNonceLen, 1+sealKeyIDLen+sealNonceLen+len(plaintext)+sealTagLen)
	out[0] = sealedAESGCM
	copy(out[1:], s.keyID)
	nonce := out[1+sealKeyIDLen:]
	s.mu.Lock()
	_, err = io.ReadFull(s.random, nonce)
	s.mu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("userpool: seal %s: random source: %w", purpose, err)
	}
	header := out[:1+sealKeyIDLen]
	return a.Seal(out, nonce, plaintext, additionalData(header, purpose)), nil
}

// open returns the plaintext of data sealed for purpose. It fails, with an
// error matching errUnseal, on data sealed for another purpose, with
// another key or with a key the pool no longer has, and on any change to
// the bytes. With a secret key it also refuses data marked plain (matching
// errNotSealed too): otherwise flipping the version byte, or writing plain
// data into the store, would pass as sealed. Data written before the key
// was configured is read with openOrMigrate.
func (s *sealer) open(purpose string, sealed []byte) ([]byte, error) {
	if len(sealed) == 0 {
		return nil, fmt.Errorf("%w: empty", errUnseal)
	}
	switch sealed[0] {
	case sealedPlain:
		if s.secret != nil {
			return nil, fmt.Errorf("%w: %w", errUnseal, errNotSealed)
		}
		return append([]byte(nil), sealed[1:]...), nil
	case sealedAESGCM:
	default:
		return nil, fmt.Errorf("%w: unknown version %d", errUnseal, sealed[0])
	}
	if s.secret == nil {
		return nil, fmt.Errorf("%w: sealed with a secret key, but the pool has none", errUnseal)
	}
	if len(sealed) < 1+sealKeyIDLen+sealNonceLen+sealTagLen {
		return nil, fmt.Errorf("%w: truncated", errUnseal)
	}
	header := sealed[:1+sealKeyIDLen]
	if string(header[1:]) != string(s.keyID) {
		return nil, fmt.Errorf("%w: sealed with another secret key", errUnseal)
	}
	a, err := s.aead(purpose)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnseal, err)
	}
	nonce := sealed[len(header) : len(header)+sealNonceLen]
	plain, err := a.Open(nil, nonce, sealed[len(header)+sealNonceLen:], additionalData(header, purpose))
	if err != nil {
		return nil, fmt.Errorf("%w: altered, or sealed for another purpose", errUnseal)
	}
	return plain, nil
}

// openOrMigrate is open that also accepts data marked plain while the pool
// has a secret key, reporting reseal = true so the caller seals and stores
// it again. It is for secrets written before a key was configured. Use it
// only where a value planted in the store is no worse than what a store
// writer can already do (an SRP verifier is no more than a password hash
// they could replace), since plain data carries no integrity check.
func (s *sealer) openOrMigrate(purpose string, sealed []byte) (plain []byte, reseal bool, err error) {
	if s.secret != nil && len(sealed) > 0 && sealed[0] == sealedPlain {
		return append([]byte(nil), sealed[1:]...), true, nil
	}
	plain, err = s.open(purpose, sealed)
	return plain, false, err
}
