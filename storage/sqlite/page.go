package sqlite

import "github.com/userpool/userpool/storage"

// pageOf makes a page from up to limit+1 items fetched in order: the extra
// item only says that there is a next page, which saves callers a final
// empty page. The cursor is taken from the last item kept.
func pageOf[T any](items []T, limit int, at func(T) cursor) storage.Page[T] {
	if len(items) <= limit {
		return storage.Page[T]{Items: items}
	}
	items = items[:limit]
	return storage.Page[T]{Items: items, Next: at(items[limit-1]).String()}
}

// collect scans every row with scan, closing rows. size is the number of
// rows expected (the page limit plus one), to allocate once.
func collect[T any](rows interface {
	Next() bool
	Err() error
	Close() error
}, size int, scan func() (T, error)) ([]T, error) {
	defer rows.Close()
	out := make([]T, 0, size)
	for rows.Next() {
		v, err := scan()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// sizeHint is the capacity to allocate for a page of limit items: limit
// plus the look-ahead item, capped so a huge limit allocates only as rows
// arrive.
func sizeHint(limit int) int { return min(limit+1, 128) }
