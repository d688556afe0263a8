package postgres

import (
	"strings"
	"unicode/utf8"
)

// storable reports whether PostgreSQL can hold s in a text column: valid
// UTF-8 without NUL bytes. A key that is not storable cannot name any
// stored record, so look-ups by it find nothing instead of failing.
func storable(s string) bool {
	return utf8.ValidString(s) && !strings.Contains(s, "\x00")
}

// prefixEnd returns the least string greater than every string that starts
// with prefix, and false if there is none (an empty prefix, or one made of
// U+10FFFF only). Under COLLATE "C" text compares by bytes, and UTF-8
// orders by code point, so "col >= prefix AND col < prefixEnd(prefix)" is
// exactly the prefix match, as a range an index can scan. Characters such
// as % and _ are plain characters here: there is no pattern to escape.
//
// The end replaces the last character by the next one (skipping the
// surrogates, which UTF-8 cannot encode), dropping trailing U+10FFFF first.
// prefix must be valid UTF-8.
func prefixEnd(prefix string) (string, bool) {
	for prefix != "" {
		r, size := utf8.DecodeLastRuneInString(prefix)
		prefix = prefix[:len(prefix)-size]
		if r == utf8.MaxRune {
			continue
		}
		r++
		if r == 0xD800 {
			r = 0xE000
		}
		return prefix + string(r), true
	}
	return "", false
}
