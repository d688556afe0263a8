package main

import (
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

func TestRun(t *testing.T) {
	var out strings.Builder
	if err := run(t.Context(), &out, userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"refused: userpool: UserLambdaValidationException: PreSignUp failed with error only example.com email addresses may sign up.",
		`to ana@example.com: "Welcome to Acme"`,
		"Welcome to Acme! Your confirmation code is ",
		"confirmed with the code",
		`ID token of ana@example.com, tenant "acme"`,
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output does not contain %q:\n%s", want, out.String())
		}
	}
}
