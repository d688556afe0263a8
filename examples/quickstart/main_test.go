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
	for _, want := range []string{
		"Pool name: Demo User Pool",
		"Username attributes: email",
		"User sign ups allowed?: Only administrators can create users",
		"Estimated number of users: 1",
		"User jane@example.com (FORCE_CHANGE_PASSWORD), groups [Development]",
	} {
		if !strings.Contains(second.String(), want) {
			t.Errorf("second run lacks %q:\n%s", want, second.String())
		}
	}
	if first.String() != second.String() {
		t.Errorf("the runs differ:\n%s\n---\n%s", first.String(), second.String())
	}
}
