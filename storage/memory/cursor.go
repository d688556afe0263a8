package memory

import (
	"fmt"
	"slices"

	"github.com/userpool/userpool/storage"
)

// position is where a page ends: the sort key and sub of its last record.
// Listings sorted by a single key leave sub empty.
type position struct{ key, sub string }

// encodeCursor makes the opaque cursor for pos in the listing named kind.
func encodeCursor(kind string, pos position) string {
	return storage.EncodeCursor(kind, pos.key, pos.sub)
}

// decodeCursor reverses encodeCursor (see storage.DecodeCursor).
func decodeCursor(kind, cursor string) (position, error) {
	key, sub, err := storage.DecodeCursor(kind, cursor)
	if err != nil {
		return position{}, fmt.Errorf("memory: %w", err)
	}
	return position{key: key, sub: sub}, nil
}

// parsePage checks a page request before the store is locked. It returns
// the position to continue after, or nil for the first page.
func parsePage(kind string, req storage.PageRequest) (*position, error) {
	if req.Limit < 1 {
		return nil, fmt.Errorf("memory: %s: page limit %d is less than 1", kind, req.Limit)
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

// pageOf returns the page of at most limit records whose ids follow after
// (all of them when after is nil), in id order. ids need not be sorted.
func pageOf[T any](kind string, ids []string, after *position, limit int, get func(id string) T) storage.Page[T] {
	slices.Sort(ids)
	i := 0
	if after != nil {
		var found bool
		i, found = slices.BinarySearch(ids, after.key)
		if found {
			i++
		}
	}
	end := min(i+limit, len(ids))
	var page storage.Page[T]
	page.Items = make([]T, 0, end-i)
	for _, id := range ids[i:end] {
		page.Items = append(page.Items, get(id))
	}
	if end < len(ids) {
		page.Next = encodeCursor(kind, position{key: ids[end-1]})
	}
	return page
}
