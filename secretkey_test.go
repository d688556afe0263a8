package userpool

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestSealRoundTrip(t *testing.T) {
	for _, key := range [][]byte{nil, testKey} {
		s := newSealer(key, seeded(3))
		for _, plain := range [][]byte{nil, {}, []byte("x"), []byte("JBSWY3DPEHPK3PXP"), bytes.Repeat([]byte{0xab}, 4096)} {
			sealed, err := s.seal("totp", plain)
			if err != nil {
				t.Fatal(err)
			}
			if key != nil && len(plain) > 3 && bytes.Contains(sealed, plain) {
				t.Fatalf("sealed data contains the plaintext")
			}
			got, err := s.open("totp", sealed)
			if err != nil || !bytes.Equal(got, plain) {
				t.Fatalf("key %t: open = %q, %v; want %q", key != nil, got, err, plain)
			}
			got, reseal, err := s.openOrMigrate("totp", sealed)
			if err != nil || reseal || !bytes.Equal(got, plain) {
				t.Fatalf("key %t: openOrMigrate = %q, %t, %v; want %q, false", key != nil, got, reseal, err, plain)
			}
		}
	}
}

func TestSealFormat(t *testing.T) {
	plain, _ := newSealer(nil, seeded(0)).seal("srp", []byte("v"))
	if !bytes.Equal(plain, []byte{sealedPlain, 'v'}) {
		t.Fatalf("without a key: %x, want 00 then the bytes", plain)
	}
	s := newSealer(testKey, seeded(0))
	a, _ := s.seal("srp", []byte("v"))
	b, _ := s.seal("srp", []byte("v"))
	if a[0] != sealedAESGCM || len(a) != 1+sealKeyIDLen+sealNonceLen+1+sealTagLen {
		t.Fatalf("with a key: %x, want version 01, key id, nonce, ciphertext, tag", a)
	}
	if bytes.Equal(a, b) {
		t.Fatal("two seals of the same plaintext are equal: nonce reused")
	}
}

// TestSealLaterKey: data stored before a key was configured is refused by
// open and read, flagged for resealing, by openOrMigrate.
func TestSealLaterKey(t *testing.T) {
	before, _ := newSealer(nil, seeded(0)).seal("srp", []byte("verifier"))
	s := newSealer(testKey, seeded(0))
	if _, err := s.open("srp", before); !errors.Is(err, errUnseal) || !errors.Is(err, errNotSealed) {
		t.Fatalf("open of plain data under a key = %v, want errUnseal and errNotSealed", err)
	}
	got, reseal, err := s.openOrMigrate("srp", before)
	if err != nil || !reseal || string(got) != "verifier" {
		t.Fatalf("openOrMigrate = %q, %t, %v; want verifier, true, nil", got, reseal, err)
	}
	if _, reseal, err := s.openOrMigrate("totp", before[:0]); err == nil || reseal {
		t.Fatalf("openOrMigrate of empty data = %t, %v; want an error", reseal, err)
	}
}

func TestOpenRefuses(t *testing.T) {
	s := newSealer(testKey, seeded(0))
	sealed, err := s.seal("signing key", []byte("private key bytes"))
	if err != nil {
		t.Fatal(err)
	}
	flip := func(i int) []byte {
		b := bytes.Clone(sealed)
		b[i] ^= 0x01
		return b
	}
	tests := []struct {
		name    string
		s       *sealer
		purpose string
		data    []byte
		reason  string
	}{
		{"wrong purpose", s, "totp", sealed, "another purpose"},
		{"other key", newSealer(otherTestKey, seeded(0)), "signing key", sealed, "another secret key"},
		{"no key", newSealer(nil, seeded(0)), "signing key", sealed, "has none"},
		{"empty", s, "signing key", nil, "empty"},
		{"truncated", s, "signing key", sealed[:1+sealKeyIDLen+sealNonceLen+sealTagLen-1], "truncated"},
		{"tag cut", s, "signing key", sealed[:len(sealed)-1], "altered"},
		{"unknown version", s, "signing key", append([]byte{0x7f}, sealed[1:]...), "unknown version"},
		{"flipped version: sealed to plain", s, "signing key", flip(0), "unencrypted"},
		{"flipped key id", s, "signing key", flip(1), "another secret key"},
		{"flipped nonce", s, "signing key", flip(1 + sealKeyIDLen), "altered"},
		{"flipped ciphertext", s, "signing key", flip(1 + sealKeyIDLen + sealNonceLen), "altered"},
		{"flipped tag", s, "signing key", flip(len(sealed) - 1), "altered"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.s.open(tt.purpose, tt.data)
			if !errors.Is(err, errUnseal) || got != nil {
				t.Fatalf("open = %q, %v; want errUnseal", got, err)
			}
			if !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("error %q, want it to mention %q", err, tt.reason)
			}
		})
	}
	// Every single-byte change is caught.
	for i := range sealed {
		if _, err := s.open("signing key", flip(i)); err == nil {
			t.Fatalf("flipping byte %d went unnoticed", i)
		}
	}
}

func TestDeriveKeyIndependent(t *testing.T) {
	a, b := deriveKey(testKey, "seal totp", 32), deriveKey(testKey, "seal srp", 32)
	if bytes.Equal(a, b) || bytes.Equal(a, deriveKey(otherTestKey, "seal totp", 32)) {
		t.Fatal("derived keys collide across purposes or secrets")
	}
	if !bytes.Equal(a, deriveKey(testKey, "seal totp", 32)) {
		t.Fatal("derivation is not deterministic")
	}
}
