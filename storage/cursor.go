package storage

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
)

// ErrBadCursor is wrapped by the error for a cursor the store did not make.
// It deliberately matches neither ErrNotFound nor ErrConflict: a bad cursor
// is a caller's bug, not a missing record.
var ErrBadCursor = errors.New("storage: malformed cursor")

// cursorVersion is the first byte of every cursor, so the format can change
// without old cursors being misread.
const cursorVersion = 1

// EncodeCursor makes an opaque cursor for a page that ended at the record
// with sort key key and sub (empty for listings sorted by one key) in the
// listing named kind. Backends may use it for PageRequest.Cursor and
// Page.Next; a cursor holds a position, never an offset, so pages stay
// right while records come and go between them. Strings are
// length-prefixed, so any bytes in keys survive the round trip.
func EncodeCursor(kind, key, sub string) string {
	b := []byte{cursorVersion}
	for _, s := range [...]string{kind, key, sub} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// DecodeCursor reverses EncodeCursor. Only the exact encoding EncodeCursor
// makes is accepted, and a cursor made for another listing is refused too:
// reading it here would give a wrong page. Errors wrap ErrBadCursor.
func DecodeCursor(kind, cursor string) (key, sub string, err error) {
	bad := fmt.Errorf("%w %q for %s", ErrBadCursor, cursor, kind)
	b, err := base64.RawURLEncoding.Strict().DecodeString(cursor)
	if err != nil || len(b) == 0 || b[0] != cursorVersion {
		return "", "", bad
	}
	b = b[1:]
	var parts [3]string
	for i := range parts {
		n, w := binary.Uvarint(b)
		if w <= 0 || n > uint64(len(b)-w) {
			return "", "", bad
		}
		parts[i] = string(b[w : w+int(n)])
		b = b[w+int(n):]
	}
	if len(b) != 0 || parts[0] != kind || EncodeCursor(kind, parts[1], parts[2]) != cursor {
		return "", "", bad
	}
	return parts[1], parts[2], nil
}

// Position is where a page ended: the sort key and the sub of its last
// record. Listings sorted by one key leave Sub empty.
type Position struct{ Key, Sub string }

// Cursor is the cursor EncodeCursor makes for p in the listing kind.
func (p Position) Cursor(kind string) string { return EncodeCursor(kind, p.Key, p.Sub) }

// ParsePage checks a page request for the listing named kind: a limit of
// at least 1, and a cursor EncodeCursor made for that listing. It returns
// the position to continue after, or nil for the first page. A bad cursor
// gives an error wrapping ErrBadCursor.
func ParsePage(kind string, req PageRequest) (*Position, error) {
	if req.Limit < 1 {
		return nil, fmt.Errorf("%s: page limit %d is less than 1", kind, req.Limit)
	}
	if req.Cursor == "" {
		return nil, nil
	}
	key, sub, err := DecodeCursor(kind, req.Cursor)
	if err != nil {
		return nil, err
	}
	return &Position{Key: key, Sub: sub}, nil
}
