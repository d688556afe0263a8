package jsonstore

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/userpool/userpool/storage"
)

// position is where a page ended: the sort key and sub of its last record
// (sub is empty in listings sorted by one key). Pages continue after a
// position, never at an offset, so records added or removed between pages
// are neither skipped nor repeated.
type position struct {
	List string `json:"l"`
	Key  string `json:"k"`
	Sub  string `json:"s,omitempty"`
}

func (a position) compare(b position) int {
	return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Sub, b.Sub))
}

// encodeCursor uses the storage package's cursor format, which any
// backend may share: opaque to callers, and refused by other listings.
func encodeCursor(p position) string {
	return storage.EncodeCursor(p.List, p.Key, p.Sub)
}

// parsePage checks a page request for the listing named list with
// storage.ParsePage and returns the position to continue after, or nil for
// the first page. A cursor of another listing is refused: read here it
// would give a wrong page.
func parsePage(list string, req storage.PageRequest) (*position, error) {
	after, err := storage.ParsePage(list, req)
	if err != nil {
		return nil, fmt.Errorf("jsonstore: %w", err)
	}
	if after == nil {
		return nil, nil
	}
	return &position{List: list, Key: after.Key, Sub: after.Sub}, nil
}

// paginate returns the page of at most limit items after the position
// (from the start when after is nil). at gives each item's position; items
// need not be sorted. Items are cloned on the way out.
func paginate[T any](list string, items []T, at func(T) position, after *position, limit int) storage.Page[T] {
	slices.SortFunc(items, func(a, b T) int { return at(a).compare(at(b)) })
	i := 0
	if after != nil {
		i, _ = slices.BinarySearchFunc(items, *after, func(it T, p position) int { return at(it).compare(p) })
		if i < len(items) && at(items[i]).compare(*after) == 0 {
			i++
		}
	}
	end := min(i+limit, len(items))
	page := storage.Page[T]{Items: make([]T, 0, end-i)}
	for _, it := range items[i:end] {
		page.Items = append(page.Items, clone(it))
	}
	if end < len(items) {
		last := at(items[end-1])
		last.List = list
		page.Next = encodeCursor(last)
	}
	return page
}

// byKey is the position function of listings sorted by one key.
func byKey[T any](key func(T) string) func(T) position {
	return func(it T) position { return position{Key: key(it)} }
}
