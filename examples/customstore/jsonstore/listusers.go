package jsonstore

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/userpool/userpool/storage"
)

// ListUsers returns a page of the users matching q, ordered by the
// compared value of the filtered attribute (the user name without a
// filter), ties broken by sub. It filters and sorts the whole pool per
// page, which is fine at the sizes this store is meant for.
func (s *Store) ListUsers(ctx context.Context, poolID string, q storage.UserQuery) (storage.Page[storage.User], error) {
	attr := q.Attribute
	if attr == "" {
		attr = "username"
	}
	if attr != "username" && attr != "sub" && !slices.Contains(storage.Searchable, attr) {
		return storage.Page[storage.User]{}, fmt.Errorf("jsonstore: cannot filter users on %q", q.Attribute)
	}
	list := "users:" + attr // a cursor of one order is no use in another
	after, err := parsePage(list, q.PageRequest)
	if err != nil {
		return storage.Page[storage.User]{}, err
	}
	want := q.Value
	if attr != "username" && attr != "sub" {
		want = storage.Fold(want)
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.User], error) {
		var matches []storage.User
		for _, u := range d.poolOrEmpty(poolID).Users {
			key, ok := sortKey(u, attr)
			switch {
			case !ok, // without the attribute, a user matches no filter on it
				q.Attribute != "" && !q.Prefix && key != want,
				q.Attribute != "" && q.Prefix && !strings.HasPrefix(key, want),
				q.Status != "" && u.Status != q.Status,
				q.Enabled != nil && u.Enabled != *q.Enabled:
				continue
			}
			matches = append(matches, u.WithoutSecrets()) // listings carry no secrets
		}
		at := func(u storage.User) position {
			key, _ := sortKey(u, attr)
			return position{Key: key, Sub: u.Sub}
		}
		return paginate(list, matches, at, after, q.Limit), nil
	})
}

// sortKey is the value u is ordered and filtered by, and whether u has
// it. User name and sub compare exactly; other attributes folded.
func sortKey(u storage.User, attr string) (string, bool) {
	switch attr {
	case "username":
		return u.Username, true
	case "sub":
		return u.Sub, true
	}
	v, ok := u.Attributes[attr]
	return storage.Fold(v), ok
}
