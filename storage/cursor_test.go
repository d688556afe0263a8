package storage_test

import (
	"errors"
	"testing"

	"github.com/userpool/userpool/storage"
)

func TestCursorRoundTrip(t *testing.T) {
	for _, tc := range []struct{ kind, key, sub string }{
		{"users", "ana@example.com", "0c3f"},
		{"groups", "", ""},
		{"users", "with\x00nul and ünïcode", "s"},
	} {
		c := storage.EncodeCursor(tc.kind, tc.key, tc.sub)
		key, sub, err := storage.DecodeCursor(tc.kind, c)
		if err != nil || key != tc.key || sub != tc.sub {
			t.Errorf("%+v: got %q %q %v", tc, key, sub, err)
		}
		if _, _, err := storage.DecodeCursor("other", c); !errors.Is(err, storage.ErrBadCursor) {
			t.Errorf("%+v: a cursor of another listing: got %v, want ErrBadCursor", tc, err)
		}
	}
	for _, bad := range []string{"", "!", "AA", storage.EncodeCursor("users", "a", "b") + "A", storage.EncodeCursor("users", "a", "b") + "="} {
		_, _, err := storage.DecodeCursor("users", bad)
		if !errors.Is(err, storage.ErrBadCursor) || errors.Is(err, storage.ErrNotFound) || errors.Is(err, storage.ErrConflict) {
			t.Errorf("DecodeCursor(%q): got %v, want only ErrBadCursor", bad, err)
		}
	}
}

// FuzzDecodeCursor checks that decoding never panics and accepts only
// cursors EncodeCursor makes.
func FuzzDecodeCursor(f *testing.F) {
	f.Add("users", storage.EncodeCursor("users", "a", "b"))
	f.Add("users", "AQV1c2Vycw")
	f.Fuzz(func(t *testing.T, kind, cursor string) {
		key, sub, err := storage.DecodeCursor(kind, cursor)
		if err == nil && storage.EncodeCursor(kind, key, sub) != cursor {
			t.Fatalf("accepted %q, which EncodeCursor would not make", cursor)
		}
	})
}

func TestParsePage(t *testing.T) {
	cursor := storage.Position{Key: "ana", Sub: "s1"}.Cursor("users")
	for _, tc := range []struct {
		name    string
		req     storage.PageRequest
		want    *storage.Position
		badPage bool // an error, not wrapping ErrBadCursor
		badCur  bool // an error wrapping ErrBadCursor
	}{
		{"first page", storage.PageRequest{Limit: 5}, nil, false, false},
		{"next page", storage.PageRequest{Limit: 5, Cursor: cursor}, &storage.Position{Key: "ana", Sub: "s1"}, false, false},
		{"no limit", storage.PageRequest{Cursor: cursor}, nil, true, false},
		{"another listing's cursor", storage.PageRequest{Limit: 5, Cursor: storage.Position{Key: "g"}.Cursor("groups")}, nil, false, true},
		{"not a cursor", storage.PageRequest{Limit: 5, Cursor: "x"}, nil, false, true},
	} {
		got, err := storage.ParsePage("users", tc.req)
		switch {
		case tc.badCur:
			if !errors.Is(err, storage.ErrBadCursor) {
				t.Errorf("%s: %v, want ErrBadCursor", tc.name, err)
			}
		case tc.badPage:
			if err == nil || errors.Is(err, storage.ErrBadCursor) {
				t.Errorf("%s: %v, want a limit error", tc.name, err)
			}
		case err != nil || (got == nil) != (tc.want == nil) || got != nil && *got != *tc.want:
			t.Errorf("%s: %+v, %v; want %+v", tc.name, got, err, tc.want)
		}
	}
}
