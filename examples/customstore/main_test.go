package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

func TestRun(t *testing.T) {
	path := filepath.Join(t.TempDir(), "store.json")
	fast := userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())
	for _, want := range []string{
		"created ana in pool",
		"ana already exists", // a second run finds the first run's user
	} {
		var out strings.Builder
		if err := run(t.Context(), &out, path, fast); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), want) {
			t.Errorf("output %q does not contain %q", out.String(), want)
		}
		if reopened := "after reopening: ana is FORCE_CHANGE_PASSWORD, email ana@example.com"; !strings.Contains(out.String(), reopened) {
			t.Errorf("output %q does not contain %q", out.String(), reopened)
		}
	}
}
