package postgres

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// errCursor is wrapped by every error about a cursor the store did not
// make. It deliberately matches neither storage.ErrNotFound nor
// storage.ErrConflict: a bad cursor is a caller's bug, not a missing record.
var errCursor = errors.New("postgres: malformed cursor")

// cursorVersion is the first byte of every cursor, so the format can change
// without old cursors being misread.
const cursorVersion = 1

// position is where a page ends: the sort key and sub of its last record.
// Listings sorted by a single key leave sub empty. Cursors hold positions,
// never offsets, so pages stay right while rows come and go between them
// (keyset pagination: each page is an index range scan from the position).
type position struct{ key, sub string }

// encodeCursor makes the opaque cursor for pos in the listing named kind.
// Strings are length-prefixed, so any bytes in keys survive the round trip.
func encodeCursor(kind string, pos position) string {
	b := []byte{cursorVersion}
	for _, s := range [...]string{kind, pos.key, pos.sub} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reverses encodeCursor. A cursor made for another listing is
// malformed too: reading it as a position here would give a wrong page.
func decodeCursor(kind, cursor string) (position, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
	if err != nil || len(b) == 0 || b[0] != cursorVersion {
		return position{}, fmt.Errorf("%w %q", errCursor, cursor)
	}
	b = b[1:]
	var parts [3]string
	for i := range parts {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return position{}, fmt.Errorf("%w %q", errCursor, cursor)
		}
		parts[i] = string(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if len(b) != 0 || parts[0] != kind {
		return position{}, fmt.Errorf("%w %q for %s", errCursor, cursor, kind)
	}
	pos := position{key: parts[1], sub: parts[2]}
	// Only the store's own encoding is accepted (no other spelling of the
	// same bytes), and only keys PostgreSQL can compare.
	if !storable(pos.key) || !storable(pos.sub) || encodeCursor(kind, pos) != cursor {
		return position{}, fmt.Errorf("%w %q for %s", errCursor, cursor, kind)
	}
	return pos, nil
}

// parsePage checks a page request. It returns the position to continue
// after, or nil for the first page.
func parsePage(kind string, req storage.PageRequest) (*position, error) {
	if req.Limit < 1 {
		return nil, fmt.Errorf("postgres: %s: page limit %d is less than 1", kind, req.Limit)
	}
	if req.Cursor == "" {
		return nil, nil
	}
	pos, err := decodeCursor(kind, req.Cursor)
	if err != nil {
		return nil, err
	}
	return &pos, nil
}
