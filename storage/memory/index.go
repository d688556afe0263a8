package memory

import (
	"cmp"
	"slices"

	"github.com/userpool/userpool/storage"
)

// sortable lists the orders ListUsers can page in: username (no filter),
// sub, and each searchable attribute.
var sortable = append([]string{"username", "sub"}, storage.Searchable...)

// entry is one user's place in an index: its sort key and its sub, which
// breaks ties.
type entry struct{ key, sub string }

func compareEntry(a, b entry) int {
	if c := cmp.Compare(a.key, b.key); c != 0 {
		return c
	}
	return cmp.Compare(a.sub, b.sub)
}

// index keeps entries sorted by (key, sub). Inserting and removing cost a
// binary search and a copy of the tail, which for an in-memory pool is far
// cheaper than sorting on every page.
type index struct{ entries []entry }

func (x *index) insert(e entry) {
	i, found := slices.BinarySearchFunc(x.entries, e, compareEntry)
	if !found {
		x.entries = slices.Insert(x.entries, i, e)
	}
}

func (x *index) remove(e entry) {
	if i, found := slices.BinarySearchFunc(x.entries, e, compareEntry); found {
		x.entries = slices.Delete(x.entries, i, i+1)
	}
}

// from returns the position of the first entry not less than e.
func (x *index) from(e entry) int {
	i, _ := slices.BinarySearchFunc(x.entries, e, compareEntry)
	return i
}

// after returns the position of the first entry greater than e.
func (x *index) after(e entry) int {
	i, found := slices.BinarySearchFunc(x.entries, e, compareEntry)
	if found {
		i++
	}
	return i
}

// sortKey is u's key in the named index, and whether u has one there: a
// user without the attribute is absent from that index, so it matches no
// filter on it.
func sortKey(u *storage.User, name string) (string, bool) {
	switch name {
	case "username":
		return u.Username, true
	case "sub":
		return u.Sub, true
	}
	v, ok := u.Attributes[name]
	return storage.Fold(v), ok
}

// reindex moves u's entries from their place for old (nil for a new user)
// to their place for u (nil for a deleted user).
func (p *pool) reindex(old, u *storage.User) {
	for _, name := range sortable {
		var oldKey, newKey string
		var hadOld, hasNew bool
		if old != nil {
			oldKey, hadOld = sortKey(old, name)
		}
		if u != nil {
			newKey, hasNew = sortKey(u, name)
		}
		if hadOld == hasNew && oldKey == newKey {
			continue
		}
		x := p.index[name]
		if hadOld {
			x.remove(entry{oldKey, old.Sub})
		}
		if hasNew {
			x.insert(entry{newKey, u.Sub})
		}
	}
}
