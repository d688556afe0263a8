package userpool

import (
	"bytes"
	"io"
	"regexp"
	"testing"
)

func TestNewCodeRejectsBiasedValues(t *testing.T) {
	// 0xFFFFFFFF is above the largest multiple of a million below 2^32
	// and must be skipped, not reduced.
	src := bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0x00, 0x0f, 0x42, 0x3f})
	p := &Pool{random: src}
	code, err := p.newCode()
	if err != nil || code != "999999" {
		t.Fatalf("got %q, %v, want 999999 from the second draw", code, err)
	}
	if _, err := p.newCode(); err == nil {
		t.Fatalf("an exhausted random source gave a code")
	}
}

func TestNewCodeFormat(t *testing.T) {
	p := &Pool{random: safeRandom(bytes.NewReader(bytes.Repeat([]byte{1, 2, 3, 4, 5, 6, 7}, 1000)))}
	six := regexp.MustCompile(`^[0-9]{6}$`)
	for range 100 {
		code, err := p.newCode()
		if err == io.EOF {
			break
		}
		if err != nil || !six.MatchString(code) {
			t.Fatalf("got %q, %v", code, err)
		}
	}
}

func TestHashCodeBindings(t *testing.T) {
	plain := &Pool{id: "us-east-1_A"}
	other := &Pool{id: "us-east-1_B"}
	keyed := &Pool{id: "us-east-1_A", secretKey: bytes.Repeat([]byte{7}, 32)}
	base := plain.hashCode("sub-1", purposeSignUp, "123456")
	for name, h := range map[string][]byte{
		"another user":    plain.hashCode("sub-2", purposeSignUp, "123456"),
		"another purpose": plain.hashCode("sub-1", purposeReset, "123456"),
		"another code":    plain.hashCode("sub-1", purposeSignUp, "123457"),
		"another pool":    other.hashCode("sub-1", purposeSignUp, "123456"),
		"a secret key":    keyed.hashCode("sub-1", purposeSignUp, "123456"),
		"shifted fields":  plain.hashCode("sub-1"+purposeSignUp, "", "123456"),
	} {
		if bytes.Equal(h, base) {
			t.Errorf("%s gives the same hash", name)
		}
	}
	if !bytes.Equal(base, plain.hashCode("sub-1", purposeSignUp, "123456")) {
		t.Fatalf("hashing is not deterministic")
	}
}
