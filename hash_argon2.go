package userpool

import (
	"crypto/subtle"
	"encoding/base64"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Sizes of the hashes the pool writes: a 16-byte salt and a 32-byte key,
// as RFC 9106 recommends.
const (
	argonSaltLen = 16
	argonKeyLen  = 32
)

// argon2Hash is an argon2id hash in PHC form:
//
//	$argon2id$v=19$m=<KiB>,t=<passes>,p=<threads>[,k=<key id>]$<salt>$<hash>
//
// with salt and hash in unpadded standard base64. The optional k parameter
// is this library's: it marks a peppered hash, computed over
// HMAC-SHA256(pepper, password) instead of the password, and names the
// pepper by a 6-byte fingerprint of the secret key (HKDF label "password
// pepper id"), so a pool can tell "wrong password" from "wrong key". A
// hash without k is plain argon2id that any implementation can verify.
type argon2Hash struct {
	memory  uint32
	time    uint32
	threads uint8
	keyID   string
	salt    []byte
	sum     []byte
}

func (a *argon2Hash) derive(input []byte, keyLen uint32) []byte {
	return argon2.IDKey(input, a.salt, a.time, a.memory, a.threads, keyLen)
}

func (a *argon2Hash) check(input []byte) (bool, error) {
	got := a.derive(input, uint32(len(a.sum)))
	return subtle.ConstantTimeCompare(got, a.sum) == 1, nil
}

func (a *argon2Hash) current(h *passwordHasher) bool {
	return a.memory == h.cfg.Memory && a.time == h.cfg.Time && a.threads == h.cfg.Threads &&
		len(a.sum) == argonKeyLen && a.keyID == h.keyID
}

// String returns the PHC form.
func (a *argon2Hash) String() string {
	var b strings.Builder
	b.WriteString("$argon2id$v=19$m=")
	b.WriteString(strconv.FormatUint(uint64(a.memory), 10))
	b.WriteString(",t=")
	b.WriteString(strconv.FormatUint(uint64(a.time), 10))
	b.WriteString(",p=")
	b.WriteString(strconv.FormatUint(uint64(a.threads), 10))
	if a.keyID != "" {
		b.WriteString(",k=")
		b.WriteString(a.keyID)
	}
	b.WriteByte('$')
	b.WriteString(base64.RawStdEncoding.EncodeToString(a.salt))
	b.WriteByte('$')
	b.WriteString(base64.RawStdEncoding.EncodeToString(a.sum))
	return b.String()
}

// parseArgon2 parses an argon2id PHC string and enforces lim. Only version
// 19 (0x13, the RFC 9106 algorithm) is accepted; the older 0x10 differs and
// x/crypto does not compute it.
func parseArgon2(s string, lim hashLimits) (*argon2Hash, error) {
	const format = "argon2id"
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return nil, hashError(format, "want $argon2id$v=19$m=..,t=..,p=..$salt$hash")
	}
	if parts[2] != "v=19" {
		return nil, hashError(format, "only version 19 is supported")
	}
	params, k, _ := strings.Cut(parts[3], ",k=")
	if k != "" && !validKeyID(k) {
		return nil, hashError(format, "malformed key id")
	}
	if strings.HasSuffix(parts[3], ",k=") {
		return nil, hashError(format, "empty key id")
	}
	p, err := phcParams(format, params, "m", "t", "p")
	if err != nil {
		return nil, err
	}
	m, t, th := p["m"], p["t"], p["p"]
	switch {
	case len(p) != 3:
		return nil, hashError(format, "m, t and p are required")
	case th < 1 || th > uint32(lim.argonThreads):
		return nil, hashError(format, "p must be 1 to "+strconv.Itoa(int(lim.argonThreads)))
	case t < 1 || t > lim.argonTime:
		return nil, hashError(format, "t must be 1 to "+strconv.Itoa(int(lim.argonTime)))
	case m < 8*th || m > lim.argonMemory:
		return nil, hashError(format, "m must be 8·p to "+strconv.Itoa(int(lim.argonMemory))+" KiB")
	}
	salt, err := decodeB64(format, "salt", parts[4], 8, 64)
	if err != nil {
		return nil, err
	}
	sum, err := decodeB64(format, "hash", parts[5], 16, 64)
	if err != nil {
		return nil, err
	}
	return &argon2Hash{memory: m, time: t, threads: uint8(th), keyID: k, salt: salt, sum: sum}, nil
}

// validKeyID accepts the 8-character base64 fingerprints hash writes.
func validKeyID(k string) bool {
	b, err := base64.RawStdEncoding.DecodeString(k)
	return err == nil && len(b) == 6
}
