package memory

import (
	"fmt"
	"slices"

	"github.com/userpool/userpool/storage"
)

// parsePage checks a page request before the store is locked (see
// storage.ParsePage).
func parsePage(kind string, req storage.PageRequest) (*storage.Position, error) {
	after, err := storage.ParsePage(kind, req)
	if err != nil {
		return nil, fmt.Errorf("memory: %w", err)
	}
	return after, nil
}

// pageOf returns the page of at most limit records whose ids follow after
// (all of them when after is nil), in id order. ids need not be sorted.
func pageOf[T any](kind string, ids []string, after *storage.Position, limit int, get func(id string) T) storage.Page[T] {
	slices.Sort(ids)
	i := 0
	if after != nil {
		var found bool
		i, found = slices.BinarySearch(ids, after.Key)
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
		page.Next = storage.Position{Key: ids[end-1]}.Cursor(kind)
	}
	return page
}
