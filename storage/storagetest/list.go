package storagetest

import (
	"fmt"
	"testing"

	"github.com/userpool/userpool/storage"
)

// listUsers returns the subs of every user matching q, following cursors
// with pages of limit.
func listUsers(t *testing.T, s storage.Store, q storage.UserQuery, limit int) []string {
	t.Helper()
	var subs []string
	for _, u := range listAll(t, limit, func(r storage.PageRequest) (storage.Page[storage.User], error) {
		q.PageRequest = r
		return s.ListUsers(t.Context(), pid, q)
	}) {
		subs = append(subs, u.Sub)
	}
	return subs
}

// addUsers creates users from (sub, username, email) triples; an empty
// email leaves the attribute out.
func addUsers(t *testing.T, s storage.Store, rows ...[3]string) {
	t.Helper()
	for _, r := range rows {
		u := newUser(pid, r[0], r[1])
		if r[2] != "" {
			u.Attributes["email"] = r[2]
		}
		createUser(t, s, u)
	}
}

var listTests = []test{
	{"ListByUsername", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createPool(t, s, "other")
		createUser(t, s, newUser("other", "x", "aaa"))
		addUsers(t, s, [3]string{"s3", "carl", ""}, [3]string{"s1", "bob", ""}, [3]string{"s2", "ana", ""})
		equal(t, "subs", listUsers(t, s, storage.UserQuery{}, 2), []string{"s2", "s1", "s3"})
	}},
	{"ListFilterEqual", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		// Email is not a login key here, so two users may share it; ties
		// are ordered by sub.
		addUsers(t, s,
			[3]string{"s2", "ana", "team@example.com"},
			[3]string{"s1", "bob", "team@example.com"},
			[3]string{"s3", "carl", "team@example.com.au"},
			[3]string{"s4", "dan", ""})
		q := storage.UserQuery{Attribute: "email", Value: "team@example.com"}
		equal(t, "email = team@example.com", listUsers(t, s, q, 1), []string{"s1", "s2"})
		q.Attribute, q.Value = "username", "carl"
		equal(t, "username = carl", listUsers(t, s, q, 5), []string{"s3"})
		q.Attribute, q.Value = "sub", "s4"
		equal(t, "sub = s4", listUsers(t, s, q, 5), []string{"s4"})
	}},
	{"ListFilterPrefix", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		addUsers(t, s,
			[3]string{"s1", "ana", "b@example.com"},
			[3]string{"s2", "bob", "a2@example.com"},
			[3]string{"s3", "carl", "a1@example.com"},
			[3]string{"s4", "dan", "c@example.com"},
			[3]string{"s5", "eve", ""})
		q := storage.UserQuery{Attribute: "email", Value: "a", Prefix: true}
		// Ordered by the filtered attribute, not by user name.
		equal(t, `email ^= "a"`, listUsers(t, s, q, 1), []string{"s3", "s2"})
		q.Value = ""
		equal(t, `email ^= "" (users without email never match)`, listUsers(t, s, q, 3), []string{"s3", "s2", "s1", "s4"})
		q.Attribute, q.Value = "username", "ca"
		equal(t, `username ^= "ca"`, listUsers(t, s, q, 3), []string{"s3"})
	}},
	{"ListFilterPrefixLiteralPercent", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		addUsers(t, s,
			[3]string{"s1", "u1", "a%b@example.com"},
			[3]string{"s2", "u2", "axb@example.com"},
			[3]string{"s3", "u3", "a_c@example.com"},
			[3]string{"s4", "u4", "abc@example.com"},
			[3]string{"s5", "u5", `a\d@example.com`})
		for _, tc := range []struct {
			value  string
			prefix bool
			want   []string
		}{
			{"a%", true, []string{"s1"}},
			{"a_", true, []string{"s3"}},
			{`a\`, true, []string{"s5"}},
			{"a_c@example.com", false, []string{"s3"}},
			{"a%b@example.com", false, []string{"s1"}},
		} {
			q := storage.UserQuery{Attribute: "email", Value: tc.value, Prefix: tc.prefix}
			equal(t, fmt.Sprintf("email %q prefix=%v", tc.value, tc.prefix), listUsers(t, s, q, 5), tc.want)
		}
	}},
	{"ListFoldsCase", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		addUsers(t, s, [3]string{"s1", "Ana", "Ana@Example.COM"}, [3]string{"s2", "bob", "bob@example.com"})
		for _, tc := range []struct {
			attr, value string
			prefix      bool
			want        []string
		}{
			{"email", "ana@example.com", false, []string{"s1"}},
			{"email", "ANA@EXAMPLE.COM", false, []string{"s1"}},
			{"email", "AN", true, []string{"s1"}},
			{"email", "BOB@", true, []string{"s2"}},
			{"username", "Ana", false, []string{"s1"}},
			{"username", "ana", false, nil}, // user name and sub compare exactly
			{"username", "B", true, nil},
		} {
			q := storage.UserQuery{Attribute: tc.attr, Value: tc.value, Prefix: tc.prefix}
			equal(t, fmt.Sprintf("%s %q prefix=%v", tc.attr, tc.value, tc.prefix), listUsers(t, s, q, 5), tc.want)
		}
	}},
	{"ListStatusEnabled", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		for _, u := range []struct {
			sub, status string
			enabled     bool
		}{
			{"s1", "CONFIRMED", true}, {"s2", "UNCONFIRMED", true}, {"s3", "CONFIRMED", false},
			{"s4", "CONFIRMED", true}, {"s5", "UNCONFIRMED", false},
		} {
			v := newUser(pid, u.sub, "user-"+u.sub)
			v.Status, v.Enabled = u.status, u.enabled
			v.Attributes["email"] = "x@example.com"
			createUser(t, s, v)
		}
		yes, no := true, false
		for _, tc := range []struct {
			name string
			q    storage.UserQuery
			want []string
		}{
			{"status", storage.UserQuery{Status: "CONFIRMED"}, []string{"s1", "s3", "s4"}},
			{"enabled", storage.UserQuery{Enabled: &yes}, []string{"s1", "s2", "s4"}},
			{"disabled", storage.UserQuery{Enabled: &no}, []string{"s3", "s5"}},
			{"both", storage.UserQuery{Status: "UNCONFIRMED", Enabled: &no}, []string{"s5"}},
			{"with attribute", storage.UserQuery{Attribute: "email", Value: "x@", Prefix: true, Status: "CONFIRMED", Enabled: &yes}, []string{"s1", "s4"}},
		} {
			// Pages of one make the store skip non-matching users
			// between pages too.
			equal(t, tc.name, listUsers(t, s, tc.q, 1), tc.want)
		}
	}},
	{"ListSeesUpdates", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		addUsers(t, s, [3]string{"s1", "ana", "old@example.com"})
		u := getUser(t, s, pid, "s1")
		u.Attributes["email"] = "new@example.com"
		u.Username = "zed"
		must(t, s.UpdateUsers(t.Context(), u))
		q := storage.UserQuery{Attribute: "email", Value: "old@example.com"}
		equal(t, "old email", listUsers(t, s, q, 5), []string(nil))
		q.Value = "new@example.com"
		equal(t, "new email", listUsers(t, s, q, 5), []string{"s1"})
		q = storage.UserQuery{Attribute: "username", Value: "zed"}
		equal(t, "new user name", listUsers(t, s, q, 5), []string{"s1"})
		must(t, s.DeleteUser(t.Context(), pid, "s1"))
		equal(t, "after DeleteUser", listUsers(t, s, storage.UserQuery{}, 5), []string(nil))
	}},
	{"ListLastPageHasNoNext", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		addUsers(t, s, [3]string{"s1", "a", ""}, [3]string{"s2", "b", ""}, [3]string{"s3", "c", ""}, [3]string{"s4", "d", ""})
		list := func(r storage.PageRequest) (storage.Page[storage.User], error) {
			return s.ListUsers(t.Context(), pid, storage.UserQuery{PageRequest: r})
		}
		equal(t, "page sizes", pageSizes(t, 2, list), []int{2, 2})
		equal(t, "page sizes", pageSizes(t, 4, list), []int{4})
	}},
	{"ListPaginationStable", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		for i := range 10 {
			addUsers(t, s, [3]string{fmt.Sprintf("s%02d", i), fmt.Sprintf("user%02d", 2*i), ""})
		}
		q := storage.UserQuery{PageRequest: storage.PageRequest{Limit: 3}}
		seen := map[string]int{}
		for page := 0; ; page++ {
			p, err := s.ListUsers(t.Context(), pid, q)
			must(t, err)
			for _, u := range p.Items {
				seen[u.Sub]++
			}
			if p.Next == "" {
				break
			}
			// Between pages, add one user before the cursor and one after
			// it, and delete one not yet seen: an offset would skip or
			// repeat a user.
			addUsers(t, s,
				[3]string{fmt.Sprintf("early%d", page), fmt.Sprintf("user%02da", 2*page), ""},
				[3]string{fmt.Sprintf("late%d", page), fmt.Sprintf("user%02da", 19-page), ""})
			if page == 0 {
				must(t, s.DeleteUser(t.Context(), pid, "s09"))
			}
			q.Cursor = p.Next
		}
		want := map[string]int{"late0": 1, "early0": 0, "s09": 0}
		for i := range 9 {
			want[fmt.Sprintf("s%02d", i)] = 1
		}
		for sub, n := range want {
			if seen[sub] != n {
				t.Errorf("%s listed %d times, want %d", sub, seen[sub], n)
			}
		}
		for sub, n := range seen {
			if n != 1 {
				t.Errorf("%s listed %d times, want once", sub, n)
			}
		}
	}},
}
