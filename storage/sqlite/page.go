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

// collect scans every row with scan, closing rows.
func collect[T any](rows interface {
	Next() bool
	Err() error
	Close() error
}, scan func() (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan()
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
