package userpool

import (
	"crypto/pbkdf2"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strconv"
	"strings"

	"golang.org/x/crypto/bcrypt"
	"golang.org/x/crypto/scrypt"
)

// The formats here are for users imported from other systems: the pool
// verifies them but never writes them, and asks for a rehash after every
// successful verification so imported hashes disappear as users sign in.

// bcryptHash is a bcrypt hash, $2a$, $2b$ or $2y$ (the same algorithm under
// three names; $2x$ marks the old buggy implementation and is refused).
type bcryptHash struct{ raw []byte }

// bcryptMaxPassword is where bcrypt stops reading: a longer password would
// match on its first 72 bytes alone, so it never matches.
const bcryptMaxPassword = 72

const bcryptAlphabet = "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

func parseBcrypt(s string, lim hashLimits) (*bcryptHash, error) {
	const format = "bcrypt"
	// $2b$10$ + 22 characters of salt + 31 of hash.
	if len(s) != 60 || s[6] != '$' || strings.Trim(s[7:], bcryptAlphabet) != "" {
		return nil, hashError(format, "want $2b$<cost>$ and 53 characters of bcrypt base64")
	}
	cost, err := strconv.Atoi(s[4:6])
	if err != nil || s[4] < '0' || s[4] > '9' || s[5] < '0' || s[5] > '9' {
		return nil, hashError(format, "cost is not two digits")
	}
	if cost < bcrypt.MinCost || cost > lim.bcryptCost {
		return nil, hashError(format, "cost must be "+strconv.Itoa(bcrypt.MinCost)+" to "+strconv.Itoa(lim.bcryptCost))
	}
	return &bcryptHash{raw: []byte(s)}, nil
}

func (b *bcryptHash) check(input []byte) (bool, error) {
	if len(input) > bcryptMaxPassword {
		return false, nil
	}
	// CompareHashAndPassword compares in constant time.
	err := bcrypt.CompareHashAndPassword(b.raw, input)
	if errors.Is(err, bcrypt.ErrMismatchedHashAndPassword) {
		return false, nil
	}
	if err != nil {
		return false, hashError("bcrypt", err.Error())
	}
	return true, nil
}

func (b *bcryptHash) current(*passwordHasher) bool { return false }

// scryptHash is an scrypt hash as passlib writes it:
//
//	$scrypt$ln=<log2 N>,r=<block size>,p=<parallelism>$<salt>$<hash>
//
// The key is as long as the decoded hash (16 to 64 bytes).
type scryptHash struct {
	logN, r, p int
	salt, sum  []byte
}

func parseScrypt(s string, lim hashLimits) (*scryptHash, error) {
	const format = "scrypt"
	parts := strings.Split(s, "$")
	if len(parts) != 5 || parts[0] != "" {
		return nil, hashError(format, "want $scrypt$ln=..,r=..,p=..$salt$hash")
	}
	p, err := phcParams(format, parts[2], "ln", "r", "p")
	if err != nil {
		return nil, err
	}
	if len(p) != 3 {
		return nil, hashError(format, "ln, r and p are required")
	}
	ln, r, par := int64(p["ln"]), int64(p["r"]), int64(p["p"])
	switch {
	case ln < 1 || ln > int64(lim.scryptLogN):
		return nil, hashError(format, "ln must be 1 to "+strconv.Itoa(lim.scryptLogN))
	case r < 1 || par < 1 || r > int64(lim.scryptRP) || par > int64(lim.scryptRP) || r*par > int64(lim.scryptRP):
		// r and par are bounded first so r*par cannot overflow.
		return nil, hashError(format, "r and p must be at least 1 with r·p at most "+strconv.Itoa(lim.scryptRP))
	case 128*r<<ln > lim.scryptMemory:
		return nil, hashError(format, "128·r·N exceeds "+strconv.FormatInt(lim.scryptMemory>>20, 10)+" MiB")
	}
	salt, err := decodeB64(format, "salt", parts[3], 1, 64)
	if err != nil {
		return nil, err
	}
	sum, err := decodeB64(format, "hash", parts[4], 16, 64)
	if err != nil {
		return nil, err
	}
	return &scryptHash{logN: int(ln), r: int(r), p: int(par), salt: salt, sum: sum}, nil
}

func (h *scryptHash) check(input []byte) (bool, error) {
	got, err := scrypt.Key(input, h.salt, 1<<h.logN, h.r, h.p, len(h.sum))
	if err != nil {
		return false, hashError("scrypt", err.Error())
	}
	return subtle.ConstantTimeCompare(got, h.sum) == 1, nil
}

func (h *scryptHash) current(*passwordHasher) bool { return false }

// pbkdf2Hash is a PBKDF2-HMAC-SHA256 hash, as passlib writes it,
//
//	$pbkdf2-sha256$<iterations>$<salt>$<hash>
//
// or in PHC form, $pbkdf2-sha256$i=<iterations>[,l=<length>]$<salt>$<hash>.
type pbkdf2Hash struct {
	iter      int
	salt, sum []byte
}

func parsePBKDF2(s string, lim hashLimits) (*pbkdf2Hash, error) {
	const format = "pbkdf2-sha256"
	parts := strings.Split(s, "$")
	if len(parts) != 5 || parts[0] != "" {
		return nil, hashError(format, "want $pbkdf2-sha256$<iterations>$salt$hash")
	}
	var iter, length uint32
	if n, err := parseDecimal(parts[2]); err == nil {
		iter = n
	} else {
		p, err := phcParams(format, parts[2], "i", "l")
		if err != nil {
			return nil, err
		}
		i, ok := p["i"]
		if !ok {
			return nil, hashError(format, "i is required")
		}
		iter, length = i, p["l"]
	}
	if iter < 1 || int64(iter) > int64(lim.pbkdf2Iter) {
		return nil, hashError(format, "iterations must be 1 to "+strconv.Itoa(lim.pbkdf2Iter))
	}
	salt, err := decodeB64(format, "salt", parts[3], 1, 64)
	if err != nil {
		return nil, err
	}
	sum, err := decodeB64(format, "hash", parts[4], 16, 64)
	if err != nil {
		return nil, err
	}
	if length != 0 && int(length) != len(sum) {
		return nil, hashError(format, "l does not match the hash length")
	}
	return &pbkdf2Hash{iter: int(iter), salt: salt, sum: sum}, nil
}

func (h *pbkdf2Hash) check(input []byte) (bool, error) {
	got, err := pbkdf2.Key(sha256.New, string(input), h.salt, h.iter, len(h.sum))
	if err != nil {
		return false, hashError("pbkdf2-sha256", err.Error())
	}
	return subtle.ConstantTimeCompare(got, h.sum) == 1, nil
}

func (h *pbkdf2Hash) current(*passwordHasher) bool { return false }
