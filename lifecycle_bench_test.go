package userpool_test

import (
	"fmt"
	"testing"

	"github.com/userpool/userpool"
)

// BenchmarkSignUpConfirm measures a sign-up and its confirmation with the
// memory store. With the default hashing profile most of the time is the
// argon2id hash; -bench with InsecureFast shows the rest of the path.
func BenchmarkSignUpConfirm(b *testing.B) {
	profiles := []struct {
		name    string
		hashing userpool.PasswordHashing
	}{
		{"fast-hash", userpool.InsecureFastPasswordHashing()},
		{"default-hash", userpool.DefaultPasswordHashing()},
	}
	for _, pr := range profiles {
		b.Run(pr.name, func(b *testing.B) {
			e := newLCEnv(b, userpool.WithAutoVerifiedAttributes("email"), userpool.WithPasswordHashing(pr.hashing))
			i := 0
			for b.Loop() {
				name := fmt.Sprintf("user%d", i)
				email := name + "@example.com"
				i++
				if _, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: name, Password: lcPassword, UserAttributes: map[string]string{"email": email}}); err != nil {
					b.Fatal(err)
				}
				code := e.sent.msgs[len(e.sent.msgs)-1].Code
				if _, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: name, ConfirmationCode: code}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
