package userpool

import (
	"encoding/base64"
	"errors"
	"testing"
)

// FuzzResponseChallenge: a WebAuthn response from a client never makes
// the challenge reader panic; it gives a challenge or InvalidParameter.
func FuzzResponseChallenge(f *testing.F) {
	cd := base64.RawURLEncoding.EncodeToString([]byte(`{"type":"webauthn.create","challenge":"abc","origin":"https://x"}`))
	f.Add([]byte(`{"response":{"clientDataJSON":"` + cd + `"}}`))
	f.Add([]byte(`{"response":{"clientDataJSON":"%%%"}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := responseChallenge(b)
		switch {
		case err == nil && c == "":
			t.Fatal("no challenge and no error")
		case err != nil && !errors.Is(err, ErrInvalidParameter):
			t.Fatalf("error %v, want InvalidParameter", err)
		}
	})
}
