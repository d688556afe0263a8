package main

import (
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/userpool/userpool"
)

// FuzzFilter: whatever the admin page's form holds, the filter it builds
// is empty or one that ListUsers parses, for the attribute asked.
func FuzzFilter(f *testing.F) {
	for _, s := range []string{"bob", `a"b\c`, "", "\x00", `\"`, "é"} {
		f.Add("email", s)
	}
	f.Add("status", "Enabled")
	f.Add("sub", "x")
	f.Fuzz(func(t *testing.T, attr, value string) {
		s := filter(attr, value)
		if s == "" {
			return
		}
		got, err := userpool.ParseFilter(s)
		if err != nil {
			// Values ListUsers refuses (too long, not UTF-8) are
			// shown its error on the page.
			if !errors.Is(err, userpool.ErrInvalidParameter) || (len(s) <= userpool.MaxFilterLength && utf8.ValidString(value) && !strings.ContainsFunc(value, unicode.IsControl)) {
				t.Fatalf("filter(%q, %q) = %q: %v", attr, value, s, err)
			}
			return
		}
		if got.Attribute != attr || got.Value != value || !got.Prefix {
			t.Errorf("filter(%q, %q) = %q parses as %+v", attr, value, s, got)
		}
	})
}
