package userpool_test

import (
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

// BenchmarkMFASignIn measures a whole sign-in with a second factor
// (USER_PASSWORD_AUTH with the cheap hashing profile, the challenge's
// session, the code check and the tokens), per factor, so the cost of the
// MFA step shows beside BenchmarkSignIn's.
//
//	go test -run '^$' -bench BenchmarkMFASignIn .
func BenchmarkMFASignIn(b *testing.B) {
	for _, f := range []userpool.Factor{userpool.FactorTOTP, userpool.FactorSMS} {
		b.Run(string(f), func(b *testing.B) {
			e := newMFAEnv(b, userpool.MFAOptional, allFactors)
			e.user(b, "ana", map[string]string{"phone_number": anaPhone})
			var secret string
			if f == userpool.FactorTOTP {
				secret = e.setUpTOTP(b, "ana")
			} else {
				e.enable(b, "ana", true, f)
			}
			b.ResetTimer()
			for range b.N {
				e.clock.Advance(30 * time.Second) // a TOTP code is good once
				out, err := e.signIn("ana", authPassword)
				if err != nil {
					b.Fatal(err)
				}
				code := map[string]string{"SOFTWARE_TOKEN_MFA_CODE": totptest.Code(b, secret, e.clock.Now())}
				if f == userpool.FactorSMS {
					code = map[string]string{"SMS_MFA_CODE": e.sent.last(b).Code}
				}
				got, err := e.answer(out, code)
				if err != nil || got.AuthenticationResult == nil {
					b.Fatalf("%+v, %v", got, err)
				}
			}
		})
	}
}
