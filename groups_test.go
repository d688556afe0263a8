package userpool_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

const roleA = "arn:aws:iam::123456789012:role/readers"

// wantErr checks err against a sentinel (nil meaning success) and, when
// msg is not "", the exact Cognito message.
func wantErr(t *testing.T, err, want error, msg string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v, want success", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	var e *userpool.Error
	if msg != "" && (!errors.As(err, &e) || e.Message != msg) {
		t.Fatalf("got message %q, want %q", e.Message, msg)
	}
}

func TestCreateGroup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name string
		in   userpool.GroupInput
		want error
		msg  string
	}{
		{"minimal", userpool.GroupInput{GroupName: "readers"}, nil, ""},
		{"everything", userpool.GroupInput{GroupName: "admins", Description: "Administrators", Precedence: new(int64(0)), RoleARN: roleA}, nil, ""},
		{"punctuation and unicode", userpool.GroupInput{GroupName: "équipe:north_1+€"}, nil, ""},
		{"max precedence", userpool.GroupInput{GroupName: "last", Precedence: new(int64(1<<31 - 1))}, nil, ""},
		{"128 characters", userpool.GroupInput{GroupName: strings.Repeat("é", 128)}, nil, ""},
		{"role with path in another partition", userpool.GroupInput{GroupName: "cn", RoleARN: "arn:aws-cn:iam::123456789012:role/path/to/r"}, nil, ""},
		{"exists", userpool.GroupInput{GroupName: "taken"}, userpool.ErrGroupExists, "A group with the name taken already exists."},
		{"empty name", userpool.GroupInput{}, userpool.ErrInvalidParameter, ""},
		{"129 characters", userpool.GroupInput{GroupName: strings.Repeat("a", 129)}, userpool.ErrInvalidParameter, ""},
		{"white space", userpool.GroupInput{GroupName: "a b"}, userpool.ErrInvalidParameter, ""},
		{"control character", userpool.GroupInput{GroupName: "a\x00"}, userpool.ErrInvalidParameter, ""},
		{"invalid UTF-8", userpool.GroupInput{GroupName: "a\xff"}, userpool.ErrInvalidParameter, ""},
		{"long description", userpool.GroupInput{GroupName: "d", Description: strings.Repeat("x", 2049)}, userpool.ErrInvalidParameter, ""},
		{"negative precedence", userpool.GroupInput{GroupName: "n", Precedence: new(int64(-1))}, userpool.ErrInvalidParameter, ""},
		{"precedence too large", userpool.GroupInput{GroupName: "n", Precedence: new(int64(1 << 31))}, userpool.ErrInvalidParameter, ""},
		{"not a role", userpool.GroupInput{GroupName: "r", RoleARN: "arn:aws:iam::123456789012:user/bob"}, userpool.ErrInvalidParameter, ""},
		{"short account", userpool.GroupInput{GroupName: "r", RoleARN: "arn:aws:iam::1234:role/x"}, userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := newListPool(t)
			if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "taken"}); err != nil {
				t.Fatal(err)
			}
			g, err := lp.CreateGroup(ctx, tt.in)
			wantErr(t, err, tt.want, tt.msg)
			page, lerr := lp.ListGroups(ctx, 0, "")
			if lerr != nil {
				t.Fatal(lerr)
			}
			if tt.want != nil {
				if len(page.Groups) != 1 {
					t.Fatalf("a refused CreateGroup left %d groups, want 1", len(page.Groups))
				}
				return
			}
			want := userpool.Group{GroupName: tt.in.GroupName, Description: tt.in.Description, Precedence: tt.in.Precedence,
				RoleARN: tt.in.RoleARN, CreatedAt: lp.clock.Now(), LastModifiedAt: lp.clock.Now()}
			got, err := lp.GetGroup(ctx, tt.in.GroupName)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range []userpool.Group{g, got} {
				if g.GroupName != want.GroupName || g.Description != want.Description || g.RoleARN != want.RoleARN ||
					!g.CreatedAt.Equal(want.CreatedAt) || (g.Precedence == nil) != (want.Precedence == nil) ||
					g.Precedence != nil && *g.Precedence != *want.Precedence {
					t.Fatalf("got %+v, want %+v", g, want)
				}
			}
		})
	}
}

func TestCreateGroupCopiesPrecedence(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	prec := int64(3)
	g, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g", Precedence: &prec})
	if err != nil {
		t.Fatal(err)
	}
	prec, *g.Precedence = 9, 9
	got, _ := lp.GetGroup(ctx, "g")
	if *got.Precedence != 3 {
		t.Fatalf("stored precedence changed through a caller's pointer: %d", *got.Precedence)
	}
}

func TestGetGroup(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "Admins", Description: "d"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, group string
		want        error
		msg         string
	}{
		{"found", "Admins", nil, ""},
		{"case-sensitive", "admins", userpool.ErrResourceNotFound, "Group not found."},
		{"absent", "nobody", userpool.ErrResourceNotFound, "Group not found."},
		{"invalid name", "a b", userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := lp.GetGroup(ctx, tt.group)
			wantErr(t, err, tt.want, tt.msg)
			if err == nil && (g.GroupName != "Admins" || g.Description != "d") {
				t.Fatalf("got %+v", g)
			}
		})
	}
}

func TestUpdateGroup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		group   string
		update  userpool.GroupUpdate
		want    error
		check   func(userpool.Group) bool
		checked string
	}{
		{"nothing changes nothing", "g", userpool.GroupUpdate{}, nil,
			func(g userpool.Group) bool { return g.Description == "old" && *g.Precedence == 5 && g.RoleARN == roleA }, "all kept"},
		{"description only", "g", userpool.GroupUpdate{Description: new("new")}, nil,
			func(g userpool.Group) bool { return g.Description == "new" && *g.Precedence == 5 && g.RoleARN == roleA }, "description new, rest kept"},
		{"precedence", "g", userpool.GroupUpdate{Precedence: new(int64(0))}, nil,
			func(g userpool.Group) bool { return *g.Precedence == 0 && g.Description == "old" }, "precedence 0"},
		{"clear role", "g", userpool.GroupUpdate{RoleARN: new("")}, nil,
			func(g userpool.Group) bool { return g.RoleARN == "" }, "role cleared"},
		{"unknown group", "other", userpool.GroupUpdate{}, userpool.ErrResourceNotFound, nil, ""},
		{"invalid name", "", userpool.GroupUpdate{}, userpool.ErrInvalidParameter, nil, ""},
		{"long description", "g", userpool.GroupUpdate{Description: new(strings.Repeat("x", 2049))}, userpool.ErrInvalidParameter, nil, ""},
		{"bad precedence", "g", userpool.GroupUpdate{Precedence: new(int64(-5))}, userpool.ErrInvalidParameter, nil, ""},
		{"bad role", "g", userpool.GroupUpdate{RoleARN: new("role")}, userpool.ErrInvalidParameter, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := newListPool(t)
			if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g", Description: "old", Precedence: new(int64(5)), RoleARN: roleA}); err != nil {
				t.Fatal(err)
			}
			lp.clock.Advance(time.Minute)
			got, err := lp.UpdateGroup(ctx, tt.group, tt.update)
			wantErr(t, err, tt.want, "")
			stored, gerr := lp.GetGroup(ctx, "g")
			if gerr != nil {
				t.Fatal(gerr)
			}
			if tt.want != nil {
				if stored.Description != "old" || *stored.Precedence != 5 || stored.RoleARN != roleA || !stored.LastModifiedAt.Equal(stored.CreatedAt) {
					t.Fatalf("a refused update changed the group: %+v", stored)
				}
				return
			}
			for _, g := range []userpool.Group{got, stored} {
				if !tt.check(g) {
					t.Fatalf("got %+v, want %s", g, tt.checked)
				}
				if !g.LastModifiedAt.Equal(lp.clock.Now()) || g.CreatedAt.Equal(g.LastModifiedAt) {
					t.Fatalf("got times %v / %v, want creation kept and modification now", g.CreatedAt, g.LastModifiedAt)
				}
			}
		})
	}
}

func TestDeleteGroup(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	lp.add(t, testUser{username: "ana"})
	for _, name := range []string{"a", "b"} {
		if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: name}); err != nil {
			t.Fatal(err)
		}
		if err := lp.AdminAddUserToGroup(ctx, "ana", name); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name, group string
		want        error
		msg         string
	}{
		{"deletes", "a", nil, ""},
		{"already deleted", "a", userpool.ErrResourceNotFound, "Group not found."},
		{"never existed", "zzz", userpool.ErrResourceNotFound, "Group not found."},
		{"invalid name", "a b", userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErr(t, lp.DeleteGroup(ctx, tt.group), tt.want, tt.msg)
		})
	}
	// The membership went with the group; the other stays.
	page, err := lp.AdminListGroupsForUser(ctx, "ana", 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := groupNames(page.Groups); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("groups of ana after deleting a: %v, want [b]", got)
	}
	_, err = lp.ListUsersInGroup(ctx, "a", 0, "")
	wantErr(t, err, userpool.ErrResourceNotFound, "Group not found.")
	// A new group of the same name starts empty.
	if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "a"}); err != nil {
		t.Fatal(err)
	}
	users, err := lp.ListUsersInGroup(ctx, "a", 0, "")
	if err != nil || len(users.Users) != 0 {
		t.Fatalf("recreated group has members %v (err %v)", users.Users, err)
	}
}

func groupNames(gs []userpool.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.GroupName)
	}
	return out
}

func usernames(us []userpool.User) []string {
	out := []string{}
	for _, u := range us {
		out = append(out, u.Username)
	}
	return out
}

func TestListGroups(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	var want []string
	for i := range 25 {
		name := fmt.Sprintf("g%02d", i)
		want = append(want, name)
		if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: name}); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	token, pages := "", 0
	for {
		page, err := lp.ListGroups(ctx, 10, token)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, groupNames(page.Groups)...)
		if token = page.NextToken; token == "" {
			break
		}
	}
	if !slices.Equal(got, want) || pages != 3 {
		t.Fatalf("got %v in %d pages, want %v in 3", got, pages, want)
	}

	first, err := lp.ListGroups(ctx, 10, "")
	if err != nil {
		t.Fatal(err)
	}
	errs := []struct {
		name  string
		limit int
		token string
		msg   string
	}{
		{"negative limit", -1, "", ""},
		{"limit over the library maximum", userpool.MaxListLimit + 1, "", ""},
		{"garbage token", 0, "not-a-token", "Invalid NextToken."},
		{"tampered token", 0, tamper(first.NextToken), "Invalid NextToken."},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			_, err := lp.ListGroups(ctx, tt.limit, tt.token)
			wantErr(t, err, userpool.ErrInvalidParameter, tt.msg)
		})
	}
	t.Run("expired token", func(t *testing.T) {
		lp.clock.Advance(userpool.PageTokenValidity + time.Second)
		_, err := lp.ListGroups(ctx, 0, first.NextToken)
		wantErr(t, err, userpool.ErrInvalidParameter, "NextToken has expired.")
	})
}

// tamper changes one character in the middle of a token.
func tamper(token string) string {
	b := []byte(token)
	i := len(b) / 2
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func TestAdminAddUserToGroup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, user, group string
		want              error
		msg               string
	}{
		{"adds", "ana", "g", nil, ""},
		{"by another case of the user name", "ANA", "g", nil, ""},
		{"unknown user", "bob", "g", userpool.ErrUserNotFound, "User does not exist."},
		{"unknown group", "ana", "h", userpool.ErrResourceNotFound, "Group not found."},
		{"invalid group name", "ana", "", userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := newListPool(t)
			lp.add(t, testUser{username: "ana"})
			if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g"}); err != nil {
				t.Fatal(err)
			}
			wantErr(t, lp.AdminAddUserToGroup(ctx, tt.user, tt.group), tt.want, tt.msg)
			// Adding again is harmless.
			if tt.want == nil {
				wantErr(t, lp.AdminAddUserToGroup(ctx, tt.user, tt.group), nil, "")
			}
			members, err := lp.ListUsersInGroup(ctx, "g", 0, "")
			if err != nil {
				t.Fatal(err)
			}
			want := []string{}
			if tt.want == nil {
				want = []string{"ana"}
			}
			if got := usernames(members.Users); !slices.Equal(got, want) {
				t.Fatalf("members: got %v, want %v", got, want)
			}
		})
	}
}

func TestAdminAddUserToGroupLimit(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	lp.add(t, testUser{username: "ana"})
	for i := range userpool.MaxGroupsPerUser + 1 {
		if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: fmt.Sprintf("g%03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	for i := range userpool.MaxGroupsPerUser {
		if err := lp.AdminAddUserToGroup(ctx, "ana", fmt.Sprintf("g%03d", i)); err != nil {
			t.Fatalf("group %d: %v", i, err)
		}
	}
	err := lp.AdminAddUserToGroup(ctx, "ana", "g100")
	wantErr(t, err, userpool.ErrLimitExceeded, "")
	// Re-adding to a group the user is in is still fine at the limit.
	wantErr(t, lp.AdminAddUserToGroup(ctx, "ana", "g000"), nil, "")
	// After leaving one group, the 101st fits.
	wantErr(t, lp.AdminRemoveUserFromGroup(ctx, "ana", "g050"), nil, "")
	wantErr(t, lp.AdminAddUserToGroup(ctx, "ana", "g100"), nil, "")
	all, err := lp.AdminListGroupsForUser(ctx, "ana", userpool.MaxListLimit, "")
	if err != nil || len(all.Groups) != userpool.MaxGroupsPerUser {
		t.Fatalf("got %d groups (err %v), want %d", len(all.Groups), err, userpool.MaxGroupsPerUser)
	}
}

func TestAdminRemoveUserFromGroup(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, user, group string
		want              error
		msg               string
		members           []string
	}{
		{"removes", "ana", "g", nil, "", []string{"bob"}},
		{"non-member", "cy", "g", nil, "", []string{"ana", "bob"}},
		{"unknown user", "dee", "g", userpool.ErrUserNotFound, "User does not exist.", []string{"ana", "bob"}},
		{"unknown group", "ana", "h", userpool.ErrResourceNotFound, "Group not found.", []string{"ana", "bob"}},
		{"invalid group name", "ana", "a b", userpool.ErrInvalidParameter, "", []string{"ana", "bob"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lp := newListPool(t)
			lp.add(t, testUser{username: "ana"}, testUser{username: "bob"}, testUser{username: "cy"})
			if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: "g"}); err != nil {
				t.Fatal(err)
			}
			for _, u := range []string{"ana", "bob"} {
				if err := lp.AdminAddUserToGroup(ctx, u, "g"); err != nil {
					t.Fatal(err)
				}
			}
			wantErr(t, lp.AdminRemoveUserFromGroup(ctx, tt.user, tt.group), tt.want, tt.msg)
			page, err := lp.ListUsersInGroup(ctx, "g", 0, "")
			if err != nil {
				t.Fatal(err)
			}
			if got := usernames(page.Users); !slices.Equal(got, tt.members) {
				t.Fatalf("members: got %v, want %v", got, tt.members)
			}
		})
	}
}

func TestAdminListGroupsForUserOrder(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	lp.add(t, testUser{username: "ana"}, testUser{username: "bob"})
	groups := []userpool.GroupInput{
		{GroupName: "none-b"},
		{GroupName: "ten", Precedence: new(int64(10))},
		{GroupName: "zero", Precedence: new(int64(0))},
		{GroupName: "none-a"},
		{GroupName: "five-b", Precedence: new(int64(5))},
		{GroupName: "five-a", Precedence: new(int64(5))},
		{GroupName: "max", Precedence: new(int64(1<<31 - 1))},
	}
	for _, g := range groups {
		if _, err := lp.CreateGroup(ctx, g); err != nil {
			t.Fatal(err)
		}
		if err := lp.AdminAddUserToGroup(ctx, "ana", g.GroupName); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"zero", "five-a", "five-b", "ten", "max", "none-a", "none-b"}
	for _, limit := range []int{0, 1, 2, 3, 7, 60} {
		t.Run(fmt.Sprint("limit ", limit), func(t *testing.T) {
			var got []string
			token := ""
			for {
				page, err := lp.AdminListGroupsForUser(ctx, "ana", limit, token)
				if err != nil {
					t.Fatal(err)
				}
				if limit > 0 && len(page.Groups) > limit {
					t.Fatalf("page of %d, limit %d", len(page.Groups), limit)
				}
				got = append(got, groupNames(page.Groups)...)
				if token = page.NextToken; token == "" {
					break
				}
			}
			if !slices.Equal(got, want) {
				t.Fatalf("got %v, want %v", got, want)
			}
		})
	}

	t.Run("changes between pages", func(t *testing.T) {
		page, err := lp.AdminListGroupsForUser(ctx, "ana", 3, "")
		if err != nil {
			t.Fatal(err)
		}
		// Remove a group already seen and one not yet seen; neither
		// shifts the rest.
		if err := lp.AdminRemoveUserFromGroup(ctx, "ana", "zero"); err != nil {
			t.Fatal(err)
		}
		if err := lp.AdminRemoveUserFromGroup(ctx, "ana", "max"); err != nil {
			t.Fatal(err)
		}
		rest, err := lp.AdminListGroupsForUser(ctx, "ana", 60, page.NextToken)
		if err != nil {
			t.Fatal(err)
		}
		if got := groupNames(rest.Groups); !slices.Equal(got, []string{"ten", "none-a", "none-b"}) {
			t.Fatalf("got %v after the first page", got)
		}
	})

	errs := []struct {
		name  string
		user  string
		limit int
		token func() string
		want  error
		msg   string
	}{
		{"no groups", "bob", 0, nil, nil, ""},
		{"unknown user", "cy", 0, nil, userpool.ErrUserNotFound, "User does not exist."},
		{"bad limit", "ana", -1, nil, userpool.ErrInvalidParameter, ""},
		{"garbage token", "ana", 0, func() string { return "xyz" }, userpool.ErrInvalidParameter, "Invalid NextToken."},
		{"another user's token", "bob", 0, func() string {
			page, _ := lp.AdminListGroupsForUser(ctx, "ana", 1, "")
			return page.NextToken
		}, userpool.ErrInvalidParameter, "Invalid NextToken."},
		{"ListGroups token", "ana", 0, func() string {
			page, _ := lp.ListGroups(ctx, 1, "")
			return page.NextToken
		}, userpool.ErrInvalidParameter, "Invalid NextToken."},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			token := ""
			if tt.token != nil {
				if token = tt.token(); token == "" {
					t.Fatal("no token to test with")
				}
			}
			page, err := lp.AdminListGroupsForUser(ctx, tt.user, tt.limit, token)
			wantErr(t, err, tt.want, tt.msg)
			if err == nil && len(page.Groups) != 0 {
				t.Fatalf("got %v", groupNames(page.Groups))
			}
		})
	}
}

func TestListUsersInGroup(t *testing.T) {
	ctx := context.Background()
	lp := newListPool(t)
	var users []testUser
	for i := range 25 {
		users = append(users, testUser{username: fmt.Sprintf("user%02d", i)})
	}
	lp.add(t, users...)
	for _, g := range []string{"g", "empty"} {
		if _, err := lp.CreateGroup(ctx, userpool.GroupInput{GroupName: g}); err != nil {
			t.Fatal(err)
		}
	}
	var want []string
	for i := 0; i < 25; i += 2 {
		want = append(want, users[i].username)
		if err := lp.AdminAddUserToGroup(ctx, users[i].username, "g"); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	token := ""
	for {
		page, err := lp.ListUsersInGroup(ctx, "g", 5, token)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, usernames(page.Users)...)
		if token = page.NextToken; token == "" {
			break
		}
	}
	// Subs were assigned in user name order, so sub order is name order.
	if !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	first, _ := lp.ListUsersInGroup(ctx, "g", 5, "")
	errs := []struct {
		name, group string
		limit       int
		token       string
		want        error
		msg         string
	}{
		{"empty group", "empty", 0, "", nil, ""},
		{"unknown group", "nope", 0, "", userpool.ErrResourceNotFound, "Group not found."},
		{"invalid name", "", 0, "", userpool.ErrInvalidParameter, ""},
		{"bad limit", "g", 1001, "", userpool.ErrInvalidParameter, ""},
		{"another group's token", "empty", 0, first.NextToken, userpool.ErrInvalidParameter, "Invalid NextToken."},
		{"tampered token", "g", 0, tamper(first.NextToken), userpool.ErrInvalidParameter, "Invalid NextToken."},
	}
	for _, tt := range errs {
		t.Run(tt.name, func(t *testing.T) {
			page, err := lp.ListUsersInGroup(ctx, tt.group, tt.limit, tt.token)
			wantErr(t, err, tt.want, tt.msg)
			if err == nil && len(page.Users) != 0 {
				t.Fatalf("got %v", usernames(page.Users))
			}
		})
	}
}
