package postgres_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/userpool/userpool/storage/postgres"
)

// FuzzPrefixEnd checks the promise ListUsers relies on: under byte order,
// s starts with p exactly when p <= s < PrefixEnd(p).
func FuzzPrefixEnd(f *testing.F) {
	for _, seed := range [][2]string{
		{"a", "ab"}, {"a%", "a%b"}, {"a_", "ab"}, {"\u00e9", "\u00ea"}, {"\U0010ffff", "\U0010ffffa"},
		{"", "x"}, {"ab\U0010ffff", "ac"}, {"\ud7ff", "\ue000"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, p, s string) {
		if !utf8.ValidString(p) || !utf8.ValidString(s) {
			return
		}
		end, ok := postgres.PrefixEnd(p)
		if ok && !utf8.ValidString(end) {
			t.Fatalf("PrefixEnd(%q) = %q is not valid UTF-8", p, end)
		}
		inRange := p <= s && (!ok || s < end)
		if inRange != strings.HasPrefix(s, p) {
			t.Fatalf("prefix %q, end %q (%v), string %q: in range %v, has prefix %v", p, end, ok, s, inRange, !inRange)
		}
	})
}

// FuzzDecodeCursor feeds the cursor decoder arbitrary strings: it never
// panics, and whatever it accepts encodes back to the same cursor.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(postgres.EncodeCursor("users:email", "ana@example.com", "sub-1"))
	f.Add(postgres.EncodeCursor("pools", "p1", ""))
	f.Add("")
	f.Add("not a cursor!")
	f.Add("AQ")
	f.Add("AQVwb29scwJwMQB")  // non-canonical trailing bits of a valid cursor
	f.Add("AYUAcG9vbHMCcDEA") // a non-minimal length
	f.Fuzz(func(t *testing.T, cursor string) {
		for _, kind := range []string{"users:email", "pools"} {
			key, sub, err := postgres.DecodeCursor(kind, cursor)
			if err != nil {
				continue
			}
			if again := postgres.EncodeCursor(kind, key, sub); again != cursor {
				t.Fatalf("cursor %q decodes to (%q, %q), which encodes to %q", cursor, key, sub, again)
			}
		}
	})
}
