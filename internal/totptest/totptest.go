// Package totptest computes the codes an authenticator app would show, for
// tests that sign in with TOTP MFA.
package totptest

import (
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"
)

// Code is secret's code at the time at, as an authenticator app whose
// clock shows at would show it (RFC 6238: SHA-1, six digits, 30 seconds,
// the parameters Cognito's pools use).
func Code(t testing.TB, secret string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(secret, at, totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("totp code: %v", err)
	}
	return code
}

// WrongCode returns a six-digit code different from code.
func WrongCode(code string) string {
	b := []byte(code)
	b[5] = '0' + (b[5]-'0'+1)%10
	return string(b)
}
