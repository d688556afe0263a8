package userpool_test

import (
	"context"
	"fmt"
	"github.com/userpool/userpool/internal/fakeclock"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage/memory"
)

// newDirectoryPool returns a pool holding five users: ana, joan, John,
// jorge (unconfirmed) and bob (disabled).
func newDirectoryPool() *userpool.Pool {
	ctx := context.Background()
	store := memory.New()
	now := func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }
	pool, err := userpool.New(ctx, "directory", userpool.WithStore(store), userpool.WithClock(now),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		panic(err)
	}
	lp := &listPool{Pool: pool, store: store, clock: fakeclock.New(now())}
	_, err = lp.addUsers(
		testUser{username: "ana", attrs: map[string]string{"email": "ana@example.com", "name": "Ana"}},
		testUser{username: "joan", attrs: map[string]string{"email": "joan@example.com", "name": "Joan"}},
		testUser{username: "John", attrs: map[string]string{"email": "John.Smith@example.com", "name": "John Smith"}},
		testUser{username: "jorge", attrs: map[string]string{"email": "jorge@example.com"}, status: userpool.StatusUnconfirmed},
		testUser{username: "bob", attrs: map[string]string{"email": "bob@example.com"}, disabled: true},
	)
	if err != nil {
		panic(err)
	}
	return pool
}

// ExamplePool_ListUsers finds users whose email address starts with "jo",
// in any case, returning only their email.
func ExamplePool_ListUsers() {
	ctx := context.Background()
	pool := newDirectoryPool()
	out, err := pool.ListUsers(ctx, userpool.ListUsersInput{
		Filter:          `email ^= "JO"`,
		AttributesToGet: []string{"email"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range out.Users {
		fmt.Println(u.Username, u.Attributes["email"], u.Status)
	}
	// Output:
	// joan joan@example.com CONFIRMED
	// John John.Smith@example.com CONFIRMED
	// jorge jorge@example.com UNCONFIRMED
}

// ExamplePool_ListUsers_status lists users by status: cognito:user_status
// tests the confirmation status, status whether the user is enabled.
func ExamplePool_ListUsers_status() {
	ctx := context.Background()
	pool := newDirectoryPool()
	for _, filter := range []string{`cognito:user_status = "unconfirmed"`, `status = "Disabled"`} {
		out, err := pool.ListUsers(ctx, userpool.ListUsersInput{Filter: filter})
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, u := range out.Users {
			fmt.Printf("%s: %s\n", filter, u.Username)
		}
	}
	// Output:
	// cognito:user_status = "unconfirmed": jorge
	// status = "Disabled": bob
}

// ExamplePool_ListUsers_pages reads every user, two at a time, passing each
// page's token to the next call with the same filter.
func ExamplePool_ListUsers_pages() {
	ctx := context.Background()
	pool := newDirectoryPool()
	in := userpool.ListUsersInput{Filter: `status = "Enabled"`, Limit: 2}
	for page := 1; ; page++ {
		out, err := pool.ListUsers(ctx, in)
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println("page", page, usernames(out.Users))
		if out.PaginationToken == "" {
			break
		}
		in.PaginationToken = out.PaginationToken
	}
	// Output:
	// page 1 [John ana]
	// page 2 [joan jorge]
}

// ExampleParseFilter shows a filter's parts and the error for an attribute
// that cannot be searched.
func ExampleParseFilter() {
	f, err := userpool.ParseFilter(`family_name ^= "O\"Br"`)
	fmt.Printf("%s %v %s\n", f.Attribute, f.Prefix, f.Value)
	fmt.Println(f, err)
	_, err = userpool.ParseFilter(`custom:team = "red"`)
	fmt.Println(err)
	// Output:
	// family_name true O"Br
	// family_name ^= "O\"Br" <nil>
	// userpool: InvalidParameterException: Invalid search attribute: custom:team
}
