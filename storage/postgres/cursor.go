package postgres

import (
	"fmt"

	"github.com/userpool/userpool/storage"
)

// parsePage checks a page request (see storage.ParsePage); a cursor must
// also hold only keys PostgreSQL can compare. Cursors hold positions,
// never offsets, so pages stay right while rows come and go between them
// (keyset pagination: each page is an index range scan from the position).
func parsePage(kind string, req storage.PageRequest) (*storage.Position, error) {
	after, err := storage.ParsePage(kind, req)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if after != nil && (!storable(after.Key) || !storable(after.Sub)) {
		return nil, fmt.Errorf("postgres: %w %q for %s", storage.ErrBadCursor, req.Cursor, kind)
	}
	return after, nil
}
