package userpool_test

import (
	"errors"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

// FuzzVerifySoftwareToken feeds arbitrary codes and device names to
// VerifySoftwareToken: each is refused with a typed error, or accepted
// only when it is the authenticator's current code.
func FuzzVerifySoftwareToken(f *testing.F) {
	e := newMFAEnv(f, userpool.MFAOptional, []userpool.Factor{userpool.FactorTOTP})
	e.user(f, "ana", nil)
	res := e.tokens(f, "ana", authPassword)
	a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	if err != nil {
		f.Fatal(err)
	}
	right := totptest.Code(f, a.SecretCode, e.clock.Now())
	for _, s := range []string{"", "123456", "12345", "1234567", "١٢٣٤٥٦", " 12345", "\x00\x00\x00\x00\x00\x00", totptest.WrongCode(right)} {
		f.Add(s, "phone")
	}
	f.Fuzz(func(t *testing.T, code, name string) {
		_, err := e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: code, FriendlyDeviceName: name})
		if err == nil {
			if code != right {
				t.Fatalf("accepted %q", code)
			}
			return
		}
		var ue *userpool.Error
		if !errors.As(err, &ue) {
			t.Fatalf("untyped error %v", err)
		}
	})
}
