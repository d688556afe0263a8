package userpool

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// Vectors computed independently (Python's hashlib for PBKDF2 and scrypt,
// encoded as passlib does; PHP's documented bcrypt example; the argon2
// reference implementation's test vector). The password is "Password1!"
// unless noted.
const (
	vecPBKDF2Passlib = "$pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$.dKlj4hpFHrr8oKhhInK1/.NNiIZ9gPHJpTXZ/VShZI"
	vecPBKDF2PHC     = "$pbkdf2-sha256$i=1000,l=32$AAAAAAAAAAAAAAAAAAAAAA$+dKlj4hpFHrr8oKhhInK1/+NNiIZ9gPHJpTXZ/VShZI"
	vecScrypt        = "$scrypt$ln=4,r=8,p=1$AQEBAQEBAQEBAQEBAQEBAQ$/9aXToR6B5eJ4LbxzWqJXiaAQRPyya7j/dMtvPZUIOw"
	vecScryptAB64    = "$scrypt$ln=6,r=2,p=3$c2FsdHlzYWx0$4hYugzfRYQ03ZBDRyusPcg"                             // 16-byte key
	vecBcryptPHP     = "$2y$10$.vGA1O9wmRjrwAVXD98HNOgsNpDczlqm3Jq7KnEd1rVAGv3Fykk1a"                         // "rasmuslerdorf"
	vecArgonRef      = "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4" // "password"
)

func bcryptOf(t *testing.T, password string, prefix string) string {
	t.Helper()
	b, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	return prefix + string(b)[4:]
}

func TestVerifyImported(t *testing.T) {
	h := newTestHasher(t, testKey, nil)
	long := strings.Repeat("a", 72)
	longHash := bcryptOf(t, long, "$2b$")
	tests := []struct {
		name     string
		password string
		phc      string
		ok       bool
	}{
		{"pbkdf2 passlib", "Password1!", vecPBKDF2Passlib, true},
		{"pbkdf2 passlib mismatch", "Password1?", vecPBKDF2Passlib, false},
		{"pbkdf2 PHC", "Password1!", vecPBKDF2PHC, true},
		{"scrypt", "Password1!", vecScrypt, true},
		{"scrypt mismatch", "password1!", vecScrypt, false},
		{"scrypt passlib alphabet, short key", "Password1!", vecScryptAB64, true},
		{"bcrypt $2y$ from PHP", "rasmuslerdorf", vecBcryptPHP, true},
		{"bcrypt $2y$ mismatch", "rasmuslerdorF", vecBcryptPHP, false},
		{"bcrypt $2a$", "Password1!", bcryptOf(t, "Password1!", "$2a$"), true},
		{"bcrypt $2b$", "Password1!", bcryptOf(t, "Password1!", "$2b$"), true},
		{"bcrypt 72 bytes", long, longHash, true},
		// bcrypt reads 72 bytes; a longer password would match on its
		// prefix, so it must not match at all.
		{"bcrypt 73 bytes never matches", long + "b", longHash, false},
		{"argon2id reference, unpeppered", "password", vecArgonRef, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ValidatePasswordHash(tt.phc); err != nil {
				t.Fatalf("ValidatePasswordHash: %v", err)
			}
			ok, rehash, err := h.verify(context.Background(), tt.password, tt.phc)
			if err != nil || ok != tt.ok || rehash != tt.ok {
				t.Fatalf("verify = %t, %t, %v; want %t, %t (imported hashes are always rehashed), nil", ok, rehash, err, tt.ok, tt.ok)
			}
		})
	}
}

func TestParseRefuses(t *testing.T) {
	b64salt, b64hash := "c29tZXNhbHQ", "nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	argon := func(params string) string { return "$argon2id$v=19$" + params + "$" + b64salt + "$" + b64hash }
	bc := vecBcryptPHP
	tests := []struct {
		name   string
		hash   string
		format string
	}{
		{"empty", "", ""},
		{"plain text", "Password1!", ""},
		{"argon2i", "$argon2i$v=19$m=256,t=2,p=1$" + b64salt + "$" + b64hash, ""},
		{"2x bcrypt", "$2x$" + bc[4:], ""},
		{"too long", "$argon2id$" + strings.Repeat("a", 600), ""},
		{"argon2 prefix only", "$argon2id$", "argon2id"},
		{"argon2 version 16", strings.Replace(vecArgonRef, "v=19", "v=16", 1), "argon2id"},
		{"argon2 no version", "$argon2id$m=256,t=2,p=1$" + b64salt + "$" + b64hash, "argon2id"},
		{"argon2 extra part", vecArgonRef + "$x", "argon2id"},
		{"argon2 missing p", argon("m=256,t=2"), "argon2id"},
		{"argon2 unknown parameter", argon("m=256,t=2,p=1,x=1"), "argon2id"},
		{"argon2 duplicate", argon("m=256,t=2,t=2,p=1"), "argon2id"},
		{"argon2 memory over 256 MiB", argon("m=262145,t=2,p=1"), "argon2id"},
		{"argon2 memory under 8 per thread", argon("m=15,t=1,p=2"), "argon2id"},
		{"argon2 t over 10", argon("m=256,t=11,p=1"), "argon2id"},
		{"argon2 t zero", argon("m=256,t=0,p=1"), "argon2id"},
		{"argon2 p zero", argon("m=256,t=1,p=0"), "argon2id"},
		{"argon2 p over 16", argon("m=4096,t=1,p=17"), "argon2id"},
		{"argon2 signed number", argon("m=+256,t=2,p=1"), "argon2id"},
		{"argon2 negative", argon("m=-256,t=2,p=1"), "argon2id"},
		{"argon2 over 32 bits", argon("m=4294967296,t=2,p=1"), "argon2id"},
		{"argon2 empty value", argon("m=,t=2,p=1"), "argon2id"},
		{"argon2 bad key id", argon("m=256,t=2,p=1,k=!!"), "argon2id"},
		{"argon2 empty key id", argon("m=256,t=2,p=1,k="), "argon2id"},
		{"argon2 bad base64", "$argon2id$v=19$m=256,t=2,p=1$c29tZXNh*HQ$" + b64hash, "argon2id"},
		{"argon2 short salt", "$argon2id$v=19$m=256,t=2,p=1$c29tZQ$" + b64hash, "argon2id"},
		{"argon2 short hash", "$argon2id$v=19$m=256,t=2,p=1$" + b64salt + "$c29tZXNhbHQ", "argon2id"},
		{"bcrypt cost 15", "$2b$15$" + bc[7:], "bcrypt"},
		{"bcrypt cost 03", "$2b$03$" + bc[7:], "bcrypt"},
		{"bcrypt cost not digits", "$2b$1a$" + bc[7:], "bcrypt"},
		{"bcrypt truncated", bc[:59], "bcrypt"},
		{"bcrypt bad alphabet", bc[:59] + "!", "bcrypt"},
		{"scrypt N over 2^20", "$scrypt$ln=21,r=1,p=1$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt memory over 256 MiB", "$scrypt$ln=20,r=8,p=1$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt r·p over 64", "$scrypt$ln=4,r=8,p=9$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt r·p would overflow", "$scrypt$ln=4,r=4294967295,p=4294967295$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt r zero", "$scrypt$ln=4,r=0,p=1$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt missing ln", "$scrypt$r=8,p=1$c2FsdA$" + b64hash, "scrypt"},
		{"scrypt empty salt", "$scrypt$ln=4,r=8,p=1$$" + b64hash, "scrypt"},
		{"pbkdf2 too many iterations", "$pbkdf2-sha256$2000001$c2FsdA$" + b64hash, "pbkdf2-sha256"},
		{"pbkdf2 zero iterations", "$pbkdf2-sha256$0$c2FsdA$" + b64hash, "pbkdf2-sha256"},
		{"pbkdf2 l mismatch", "$pbkdf2-sha256$i=1000,l=64$c2FsdA$" + b64hash, "pbkdf2-sha256"},
		{"pbkdf2 PHC without i", "$pbkdf2-sha256$l=32$c2FsdA$" + b64hash, "pbkdf2-sha256"},
		{"pbkdf2 missing hash", "$pbkdf2-sha256$1000$c2FsdA", "pbkdf2-sha256"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePasswordHash(tt.hash)
			var he *PasswordHashError
			if !errors.As(err, &he) || he.Format != tt.format {
				t.Fatalf("ValidatePasswordHash = %v, want a %q PasswordHashError", err, tt.format)
			}
			if strings.Contains(err.Error(), b64hash) {
				t.Fatalf("error %q quotes the hash", err)
			}
		})
	}
}

// TestLimitsFollowConfiguration: a pool configured above the import caps
// can still read its own hashes.
func TestLimitsFollowConfiguration(t *testing.T) {
	h := newTestHasher(t, nil, func(c *PasswordHashing) { c.Memory, c.Time, c.Threads = 512*1024, 12, 20 })
	big := "$argon2id$v=19$m=524288,t=12,p=20$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"
	if _, err := parsePasswordHash(big, h.limits); err != nil {
		t.Fatalf("pool's own parameters refused: %v", err)
	}
	if err := ValidatePasswordHash(big); err == nil {
		t.Fatal("ValidatePasswordHash accepted parameters above the default caps")
	}
}

func FuzzParsePHC(f *testing.F) {
	for _, s := range []string{vecPBKDF2Passlib, vecPBKDF2PHC, vecScrypt, vecScryptAB64, vecBcryptPHP, vecArgonRef,
		"$argon2id$v=19$m=64,t=1,p=1,k=AAAAAAAA$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4",
		"", "$", "$$$$$", "$argon2id$v=19$m=,t=,p=$$", "$2b$", "$scrypt$ln=99999999999,r=1,p=1$$", "$pbkdf2-sha256$i=$$"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		stored, err := parsePasswordHash(s, defaultHashLimits)
		if err != nil {
			var he *PasswordHashError
			if !errors.As(err, &he) {
				t.Fatalf("parse(%q) = %T %v, want *PasswordHashError", s, err, err)
			}
			return
		}
		// Whatever parses stays within the caps.
		switch h := stored.(type) {
		case *argon2Hash:
			if h.memory > defaultHashLimits.argonMemory || h.time > defaultHashLimits.argonTime || h.threads < 1 || h.memory < 8*uint32(h.threads) {
				t.Fatalf("argon2 parameters beyond the caps: %+v", h)
			}
		case *scryptHash:
			if h.logN > defaultHashLimits.scryptLogN || int64(128*h.r)<<h.logN > defaultHashLimits.scryptMemory || h.r*h.p > defaultHashLimits.scryptRP {
				t.Fatalf("scrypt parameters beyond the caps: %+v", h)
			}
		case *pbkdf2Hash:
			if h.iter < 1 || h.iter > defaultHashLimits.pbkdf2Iter {
				t.Fatalf("pbkdf2 iterations beyond the caps: %d", h.iter)
			}
		case *bcryptHash:
			if c, err := bcrypt.Cost(h.raw); err != nil || c > defaultHashLimits.bcryptCost {
				t.Fatalf("bcrypt cost %d, %v", c, err)
			}
		}
	})
}
