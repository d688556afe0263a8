package postgres

import (
	"fmt"

	"github.com/userpool/userpool/storage"
)

// position is where a page ends: the sort key and sub of its last record.
// Listings sorted by a single key leave sub empty. Cursors hold positions,
// never offsets, so pages stay right while rows come and go between them
// (keyset pagination: each page is an index range scan from the position).
type position struct{ key, sub string }

// encodeCursor makes the opaque cursor for pos in the listing named kind.
func encodeCursor(kind string, pos position) string {
	return storage.EncodeCursor(kind, pos.key, pos.sub)
}

// decodeCursor reverses encodeCursor (see storage.DecodeCursor).
func decodeCursor(kind, cursor string) (position, error) {
	key, sub, err := storage.DecodeCursor(kind, cursor)
	if err != nil {
		return position{}, fmt.Errorf("postgres: %w", err)
	}
	// Only keys PostgreSQL can compare.
	if !storable(key) || !storable(sub) {
		return position{}, fmt.Errorf("postgres: %w %q for %s", storage.ErrBadCursor, cursor, kind)
	}
	return position{key: key, sub: sub}, nil
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
