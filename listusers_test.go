package userpool_test

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage/memory"
)

// filterUsers is a small directory for filter tests, in user name order.
var filterUsers = []testUser{
	{username: "Alice", attrs: map[string]string{"email": "Alice@Example.com", "given_name": "Alice", "phone_number": "+13125550100"}},
	{username: "a_b", attrs: map[string]string{"email": "a_b@x.com", "family_name": "O\"Brien"}},
	{username: "a%c", attrs: map[string]string{"email": "a%c@x.com"}},
	{username: "axb", attrs: map[string]string{"email": "axb@x.com", "name": "Émile Zola"}, status: userpool.StatusUnconfirmed},
	{username: "bob", attrs: map[string]string{"email": "bob@x.com", "preferred_username": "Bobby"}, status: userpool.StatusUnconfirmed, disabled: true},
	{username: "carol", attrs: map[string]string{"phone_number": "+442071234567"}, status: userpool.StatusForceChangePassword},
	{username: "dave", status: userpool.StatusResetRequired, disabled: true},
}

func TestListUsersFilters(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	subs := lp.add(t, filterUsers...)
	tests := []struct {
		filter string
		want   []string
	}{
		{``, []string{"Alice", "a%c", "a_b", "axb", "bob", "carol", "dave"}},
		{`username = "bob"`, []string{"bob"}},
		{`username = "BOB"`, []string{}},
		{`username ^= "a"`, []string{"a%c", "a_b", "axb"}},
		{`username ^= "a_"`, []string{"a_b"}},
		{`sub = "` + subs[2] + `"`, []string{"a%c"}},
		{`sub ^= "00000000-0000-4000-8000-00000000000"`, []string{"Alice", "a_b", "a%c", "axb", "bob", "carol", "dave"}},
		{`email = "alice@example.com"`, []string{"Alice"}},
		{`email = "ALICE@EXAMPLE.COM"`, []string{"Alice"}},
		{`email ^= "ALI"`, []string{"Alice"}},
		{`email ^= "a"`, []string{"a%c", "a_b", "Alice", "axb"}},
		{`email ^= "a_"`, []string{"a_b"}},
		{`email ^= "a%"`, []string{"a%c"}},
		{`email ^= "%"`, []string{}},
		{`email ^= ""`, []string{"a%c", "a_b", "Alice", "axb", "bob"}},
		{`email = "nobody@x.com"`, []string{}},
		{`phone_number ^= "+1312"`, []string{"Alice"}},
		{`name = "émile zola"`, []string{"axb"}},
		{`given_name ^= "al"`, []string{"Alice"}},
		{`family_name = "o\"brien"`, []string{"a_b"}},
		{`preferred_username = "bobby"`, []string{"bob"}},
		{`cognito:user_status = "UNCONFIRMED"`, []string{"axb", "bob"}},
		{`cognito:user_status = "unconfirmed"`, []string{"axb", "bob"}},
		{`cognito:user_status = "CONFIRMED"`, []string{"Alice", "a%c", "a_b"}},
		{`cognito:user_status = "FORCE_CHANGE_PASSWORD"`, []string{"carol"}},
		{`cognito:user_status ^= "reset"`, []string{"dave"}},
		{`cognito:user_status ^= ""`, []string{"Alice", "a%c", "a_b", "axb", "bob", "carol", "dave"}},
		{`cognito:user_status ^= "X"`, []string{}},
		{`cognito:user_status = "ARCHIVED"`, []string{}},
		{`status = "Enabled"`, []string{"Alice", "a%c", "a_b", "axb", "carol"}},
		{`status = "Disabled"`, []string{"bob", "dave"}},
		{`status = "disabled"`, []string{}},
		{`status ^= "Dis"`, []string{"bob", "dave"}},
		{`status ^= ""`, []string{"Alice", "a%c", "a_b", "axb", "bob", "carol", "dave"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			out, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: tt.filter})
			if err != nil {
				t.Fatal(err)
			}
			if got := usernames(out.Users); !slices.Equal(got, tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
			if out.PaginationToken != "" {
				t.Fatalf("got a token on the only page")
			}
		})
	}
}

func TestListUsersUser(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t, userpool.WithCustomAttributes(userpool.CustomAttribute("team", userpool.TypeString)))
	subs := lp.add(t, testUser{username: "ana", attrs: map[string]string{"email": "ana@x.com", "name": "Ana", "custom:team": "red"}})
	all := map[string]string{"email": "ana@x.com", "name": "Ana", "custom:team": "red", "sub": subs[0]}
	tests := []struct {
		name string
		get  []string
		want map[string]string
	}{
		{"all attributes", nil, all},
		{"empty list means all", []string{}, all},
		{"some", []string{"email", "custom:team"}, map[string]string{"email": "ana@x.com", "custom:team": "red"}},
		{"sub", []string{"sub"}, map[string]string{"sub": subs[0]}},
		{"absent attribute left out", []string{"email", "phone_number"}, map[string]string{"email": "ana@x.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := lp.ListUsers(ctx, userpool.ListUsersInput{AttributesToGet: tt.get})
			if err != nil {
				t.Fatal(err)
			}
			if len(out.Users) != 1 {
				t.Fatalf("got %d users", len(out.Users))
			}
			u := out.Users[0]
			if !maps.Equal(u.Attributes, tt.want) {
				t.Fatalf("got attributes %v, want %v", u.Attributes, tt.want)
			}
			if u.Username != "ana" || u.Sub != subs[0] || u.Status != userpool.StatusConfirmed || !u.Enabled || !u.CreatedAt.Equal(lp.clock.Now()) {
				t.Fatalf("got %+v", u)
			}
		})
	}
}

func TestListUsersRejects(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	var users []testUser
	for i := range 3 {
		users = append(users, testUser{username: fmt.Sprintf("u%d", i), attrs: map[string]string{"email": fmt.Sprintf("u%d@x.com", i)}})
	}
	lp.add(t, users...)
	first, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: `email ^= "u"`, Limit: 1})
	if err != nil || first.PaginationToken == "" {
		t.Fatalf("first page: %v, token %q", err, first.PaginationToken)
	}
	other := newListPool(t)
	other.add(t, users...)
	otherFirst, err := other.ListUsers(ctx, userpool.ListUsersInput{Filter: `email ^= "u"`, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g2"}); err != nil {
		t.Fatal(err)
	}
	groupPage, err := lp.ListGroups(ctx, 1, "")
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		in   userpool.ListUsersInput
		msg  string
	}{
		{"malformed filter", userpool.ListUsersInput{Filter: `email = x`}, "Error while parsing filter."},
		{"unsearchable attribute", userpool.ListUsersInput{Filter: `nickname = "x"`}, "Invalid search attribute: nickname"},
		{"negative limit", userpool.ListUsersInput{Limit: -1}, ""},
		{"limit over the maximum", userpool.ListUsersInput{Limit: userpool.MaxListLimit + 1}, ""},
		{"unknown attribute to get", userpool.ListUsersInput{AttributesToGet: []string{"email", "shoe_size"}}, "Attribute does not exist in the schema: shoe_size"},
		{"garbage token", userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: "garbage"}, "Invalid PaginationToken."},
		{"tampered token", userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: tamper(first.PaginationToken)}, "Invalid PaginationToken."},
		{"truncated token", userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: first.PaginationToken[:len(first.PaginationToken)-2]}, "Invalid PaginationToken."},
		{"token of another filter", userpool.ListUsersInput{Filter: `email ^= "u1"`, PaginationToken: first.PaginationToken}, "Invalid PaginationToken."},
		{"token of no filter", userpool.ListUsersInput{PaginationToken: first.PaginationToken}, "Invalid PaginationToken."},
		{"token of another pool", userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: otherFirst.PaginationToken}, "Invalid PaginationToken."},
		{"token of ListGroups", userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: groupPage.NextToken}, "Invalid PaginationToken."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := lp.ListUsers(ctx, tt.in)
			wantErr(t, err, userpool.ErrInvalidParameter, tt.msg)
			if len(out.Users) != 0 || out.PaginationToken != "" {
				t.Fatalf("got output %+v with the error", out)
			}
		})
	}

	t.Run("same filter spelled differently", func(t *testing.T) {
		out, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: `email^="u"`, PaginationToken: first.PaginationToken, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		if got := usernames(out.Users); !slices.Equal(got, []string{"u1", "u2"}) {
			t.Fatalf("got %v", got)
		}
	})
	t.Run("expired token", func(t *testing.T) {
		lp.clock.Advance(userpool.PageTokenValidity)
		if _, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: first.PaginationToken}); err != nil {
			t.Fatalf("token refused at exactly its validity: %v", err)
		}
		lp.clock.Advance(time.Second)
		_, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: `email ^= "u"`, PaginationToken: first.PaginationToken})
		wantErr(t, err, userpool.ErrInvalidParameter, "PaginationToken has expired.")
	})
}

// TestListUsersPagination pages through 150 users, in pages of Cognito's
// maximum, and sees every user exactly once, with and without a filter,
// while users are added and removed between pages.
func TestListUsersPagination(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	var users []testUser
	for i := range 150 {
		users = append(users, testUser{username: fmt.Sprintf("user%03d", i), attrs: map[string]string{"email": fmt.Sprintf("USER%03d@x.com", 149-i)}})
	}
	lp.add(t, users...)
	for _, filter := range []string{"", `email ^= "user"`, `status = "Enabled"`} {
		t.Run(filter, func(t *testing.T) {
			seen := map[string]int{}
			var sizes []int
			token := ""
			for {
				out, err := lp.ListUsers(ctx, userpool.ListUsersInput{Filter: filter, Limit: 60, PaginationToken: token})
				if err != nil {
					t.Fatal(err)
				}
				sizes = append(sizes, len(out.Users))
				for _, u := range out.Users {
					seen[u.Username]++
				}
				if token = out.PaginationToken; token == "" {
					break
				}
			}
			if !slices.Equal(sizes, []int{60, 60, 30}) {
				t.Fatalf("page sizes %v, want [60 60 30]", sizes)
			}
			for _, u := range users {
				if seen[u.username] != 1 {
					t.Fatalf("%s seen %d times", u.username, seen[u.username])
				}
			}
		})
	}
	t.Run("default limit", func(t *testing.T) {
		out, err := lp.ListUsers(ctx, userpool.ListUsersInput{})
		if err != nil || len(out.Users) != userpool.DefaultListLimit {
			t.Fatalf("got %d users (err %v), want %d", len(out.Users), err, userpool.DefaultListLimit)
		}
	})
	t.Run("larger library limit", func(t *testing.T) {
		out, err := lp.ListUsers(ctx, userpool.ListUsersInput{Limit: userpool.MaxListLimit})
		if err != nil || len(out.Users) != 150 || out.PaginationToken != "" {
			t.Fatalf("got %d users, token %q (err %v)", len(out.Users), out.PaginationToken, err)
		}
	})
	t.Run("changes between pages", func(t *testing.T) {
		first, err := lp.ListUsers(ctx, userpool.ListUsersInput{Limit: 60})
		if err != nil {
			t.Fatal(err)
		}
		// A new user before the position and one after it; only the one
		// after it shows up, and no one else repeats or goes missing.
		lp.add(t, testUser{username: "user000a"}, testUser{username: "zed"})
		var rest []string
		token := first.PaginationToken
		for token != "" {
			out, err := lp.ListUsers(ctx, userpool.ListUsersInput{Limit: 60, PaginationToken: token})
			if err != nil {
				t.Fatal(err)
			}
			rest = append(rest, usernames(out.Users)...)
			token = out.PaginationToken
		}
		if len(rest) != 91 || rest[0] != "user060" || rest[90] != "zed" {
			t.Fatalf("got %d users after the first page, from %s to %s", len(rest), rest[0], rest[len(rest)-1])
		}
	})
}

// TestListUsersTokensAcrossInstances checks that a token from one instance
// works on another sharing the store, after a restart that rewrites the
// pool's settings, and with a secret key.
func TestListUsersTokensAcrossInstances(t *testing.T) {
	ctx := context.Background()
	secret := []byte("0123456789abcdef0123456789abcdef")
	for _, tc := range []struct {
		name string
		opts []userpool.Option
	}{
		{"stored key", nil},
		{"secret key", []userpool.Option{userpool.WithSecretKey(secret)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memory.New()
			clock := newListClock()
			open := func(extra ...userpool.Option) *userpool.Pool {
				opts := append([]userpool.Option{userpool.WithStore(store), userpool.WithClock(clock.Now), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())}, tc.opts...)
				p, err := userpool.New(ctx, "shared", append(opts, extra...)...)
				if err != nil {
					t.Fatal(err)
				}
				return p
			}
			a := open()
			lp := &listPool{Pool: a, store: store, clock: clock}
			lp.add(t, testUser{username: "a"}, testUser{username: "b"}, testUser{username: "c"})
			first, err := a.ListUsers(ctx, userpool.ListUsersInput{Limit: 1})
			if err != nil || first.PaginationToken == "" {
				t.Fatalf("first page: %v", err)
			}
			// A second instance, then a restart with a changed setting
			// that rewrites the stored settings.
			for _, p := range []*userpool.Pool{open(), open(userpool.WithTags(map[string]string{"env": "test"})), open()} {
				out, err := p.ListUsers(ctx, userpool.ListUsersInput{Limit: 1, PaginationToken: first.PaginationToken})
				if err != nil {
					t.Fatalf("token refused by another instance: %v", err)
				}
				if got := usernames(out.Users); !slices.Equal(got, []string{"b"}) {
					t.Fatalf("got %v, want [b]", got)
				}
			}
			// The stored settings still decode as the pool's configuration.
			if _, err := userpool.Open(ctx, store, a.ID(), userpool.WithClock(clock.Now)); err != nil {
				t.Fatalf("Open after storing the key: %v", err)
			}
		})
	}
}

// BenchmarkListUsersPage reads one signed page of 60 users out of 10,000,
// continuing from a token, with an email prefix filter.
func BenchmarkListUsersPage(b *testing.B) {
	ctx := context.Background()
	lp := newListPool(b)
	users := make([]testUser, 10000)
	for i := range users {
		users[i] = testUser{username: fmt.Sprintf("user%05d", i), attrs: map[string]string{"email": fmt.Sprintf("user%05d@x.com", i)}}
	}
	lp.add(b, users...)
	in := userpool.ListUsersInput{Filter: `email ^= "user0"`, Limit: 60}
	first, err := lp.ListUsers(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	in.PaginationToken = first.PaginationToken
	b.ReportAllocs()
	for b.Loop() {
		out, err := lp.ListUsers(ctx, in)
		if err != nil || len(out.Users) != 60 {
			b.Fatal(err)
		}
	}
}
