package sqlite_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

func TestSuccessor(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"abc", "abd", true},
		{"a\xff", "b", true},
		{"a\xff\xff", "b", true},
		{"\xff", "", false},
		{"", "", false},
		{"é", "\xc3\xaa", true},
	}
	for _, tc := range tests {
		got, ok := sqlite.Successor(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("Successor(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

// TestListUsersPrefixIsLiteral checks that % and _ in a prefix match only
// themselves, as they would not with LIKE, and that the match is by prefix
// on the folded value.
func TestListUsersPrefixIsLiteral(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	emails := []string{"a%b@x.com", "aXb@x.com", "a_b@x.com", "A_C@x.com", "azb@x.com", "b@x.com"}
	for i, e := range emails {
		u := user(i)
		u.Attributes["email"] = e
		u.Logins = u.Logins[:1]
		must(t, s.CreateUser(ctx, u))
	}
	tests := []struct {
		prefix string
		want   []string
	}{
		{"a%", []string{"a%b@x.com"}},
		{"a_", []string{"a_b@x.com", "A_C@x.com"}},
		{"A", []string{"a%b@x.com", "a_b@x.com", "A_C@x.com", "aXb@x.com", "azb@x.com"}},
		{"", emails},
	}
	for _, tc := range tests {
		page, err := s.ListUsers(ctx, pid, storage.UserQuery{Attribute: "email", Value: tc.prefix, Prefix: true,
			PageRequest: storage.PageRequest{Limit: 100}})
		must(t, err)
		var got []string
		for _, u := range page.Items {
			got = append(got, u.Attributes["email"])
		}
		if len(tc.want) == len(emails) {
			if len(got) != len(emails) {
				t.Errorf("prefix %q: got %d users, want %d", tc.prefix, len(got), len(emails))
			}
			continue
		}
		if strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("prefix %q: got %q, want %q", tc.prefix, got, tc.want)
		}
	}
}

// TestListUsersPages walks a filtered listing page by page and checks
// that it sees every match once, in (value, sub) order, including users
// sharing a value.
func TestListUsersPages(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	const n = 57
	for i := range n {
		u := user(i)
		u.Enabled = i%3 != 0
		must(t, s.CreateUser(ctx, u))
	}
	enabled := true
	q := storage.UserQuery{Attribute: "family_name", Value: "family1", Prefix: true, Enabled: &enabled,
		PageRequest: storage.PageRequest{Limit: 2}}
	var got []string
	for pages := 0; ; pages++ {
		page, err := s.ListUsers(ctx, pid, q)
		must(t, err)
		for _, u := range page.Items {
			got = append(got, fmt.Sprintf("%s/%s", storage.Fold(u.Attributes["family_name"]), u.Sub))
		}
		if page.Next == "" {
			break
		}
		q.Cursor = page.Next
	}
	var want []string
	for i := range n {
		u := user(i)
		if f := storage.Fold(u.Attributes["family_name"]); strings.HasPrefix(f, "family1") && i%3 != 0 {
			want = append(want, fmt.Sprintf("%s/%s", f, u.Sub))
		}
	}
	// want is built in sub order; the listing orders by value first.
	sortStrings(want)
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("got  %v\nwant %v", got, want)
	}
	// A cursor from another listing is refused.
	q.Attribute, q.Cursor = "email", mustNext(t, s, q)
	if _, err := s.ListUsers(ctx, pid, q); err == nil {
		t.Fatal("cursor from a family_name listing accepted by an email listing")
	}
}

func mustNext(t *testing.T, s *sqlite.Store, q storage.UserQuery) string {
	t.Helper()
	q.Cursor = ""
	page, err := s.ListUsers(context.Background(), pid, q)
	must(t, err)
	if page.Next == "" {
		t.Fatal("no next page")
	}
	return page.Next
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// TestListUsersUsesIndex checks with EXPLAIN QUERY PLAN that every filter
// is an index search on its own index, never a scan of the table or a
// sort, on the first page and after a cursor.
func TestListUsersUsesIndex(t *testing.T) {
	ctx := context.Background()
	s := openWithPool(t)
	for i := range 3 {
		must(t, s.CreateUser(ctx, user(i)))
	}
	cursorFor := func(q storage.UserQuery) string {
		q.Limit = 1
		page, err := s.ListUsers(ctx, pid, q)
		must(t, err)
		return page.Next
	}
	enabled := true
	type query = storage.UserQuery
	tests := []struct {
		name  string
		q     query
		index string
	}{
		{"none", query{}, "users_by_username"},
		{"status", query{Status: "CONFIRMED"}, "users_by_status"},
		{"enabled", query{Enabled: &enabled}, "users_by_enabled"},
		{"username", query{Attribute: "username", Value: "user000001"}, "users_by_username"},
		{"username prefix", query{Attribute: "username", Value: "user", Prefix: true}, "users_by_username"},
		{"sub", query{Attribute: "sub", Value: user(1).Sub}, "sqlite_autoindex_users_1"},
		{"sub prefix", query{Attribute: "sub", Value: "0000", Prefix: true}, "sqlite_autoindex_users_1"},
		{"email prefix and status", query{Attribute: "email", Value: "user", Prefix: true, Status: "CONFIRMED"}, "users_by_email"},
		{"email prefix and enabled", query{Attribute: "email", Value: "user", Prefix: true, Enabled: &enabled}, "users_by_email"},
	}
	for _, name := range storage.Searchable {
		tests = append(tests,
			struct {
				name  string
				q     query
				index string
			}{name + " prefix", query{Attribute: name, Value: "a", Prefix: true}, "users_by_" + name},
			struct {
				name  string
				q     query
				index string
			}{name, query{Attribute: name, Value: "a"}, "users_by_" + name})
	}
	for _, tc := range tests {
		for _, paged := range []bool{false, true} {
			q := tc.q
			q.Limit = 10
			if paged {
				q.Cursor = cursorFor(q)
				if q.Cursor == "" {
					// No second page for this filter; make a cursor
					// from an unfiltered-value listing of the same kind.
					continue
				}
			}
			plan, err := sqlite.ExplainListUsers(s, pid, q)
			must(t, err)
			joined := strings.Join(plan, "; ")
			if !strings.Contains(joined, "SEARCH users USING") || !strings.Contains(joined, tc.index) ||
				strings.Contains(joined, "TEMP B-TREE") || strings.Contains(joined, "SCAN users") {
				t.Errorf("%s (paged %v): plan %q, want a search on %s without a sort", tc.name, paged, joined, tc.index)
			}
		}
	}
}
