package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunTwice runs the quick start twice on one SQLite file: the second
// run finds the pool, its group and its user as the first left them.
func TestRunTwice(t *testing.T) {
	db := filepath.Join(t.TempDir(), "quickstart.db")
	var first, second bytes.Buffer
	if err := run(context.Background(), &first, db); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), &second, db); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(first.String(), "jane signed in (Bearer token, 3600 s); her authenticator app is to scan otpauth://totp/Demo%20User%20Pool:") {
		t.Errorf("first run does not start the TOTP set-up:\n%s", first.String())
	}
	for _, want := range []string{
		"MFA: Optional (authenticator apps)",
		"App clients: quickstart",
		"Pool name: Demo User Pool",
		"Username attributes: email",
		"User sign ups allowed?: Only administrators can create users",
		"Estimated number of users: 1",
		"User jane@example.com (CONFIRMED), groups [Development]",
	} {
		if !strings.Contains(second.String(), want) {
			t.Errorf("second run lacks %q:\n%s", want, second.String())
		}
	}
	// The second run associates a new secret (the first was never
	// verified), so only the review page and the users are the same.
	review := func(s string) string { return s[:strings.Index(s, "jane signed in")] }
	if review(first.String()) != review(second.String()) {
		t.Errorf("the runs differ:\n%s\n---\n%s", first.String(), second.String())
	}
}
