// Command quickstart creates the user pool of the Cognito console
// walk-through ("Demo User Pool") in a SQLite file, adds the walk-through's
// group and a user, and prints the pool's review page and its users.
//
//	go run ./examples/quickstart            # keeps the pool in ./quickstart.db
//	go run ./examples/quickstart -db ''     # in memory, forgotten on exit
//
// Run it twice: the second run finds the pool, the group and the user
// where the first left them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage/sqlite"
)

func main() {
	db := flag.String("db", "quickstart.db", "SQLite file that keeps the pool; empty keeps it in memory")
	flag.Parse()
	if err := run(context.Background(), os.Stdout, *db); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, db string) error {
	opts := walkthrough()
	if db != "" {
		// A real program keeps its users in a durable store; the memory
		// store (the default) suits tests.
		store, err := sqlite.Open(ctx, db)
		if err != nil {
			return err
		}
		defer store.Close()
		opts = append(opts, userpool.WithStore(store))
	}
	pool, err := userpool.New(ctx, "Demo User Pool", opts...)
	if err != nil {
		return err
	}

	_, err = pool.CreateGroup(ctx, userpool.GroupInput{GroupName: "Development", Description: "Developments"})
	if err != nil && !errors.Is(err, userpool.ErrGroupExists) {
		return err
	}
	_, err = pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username: "jane@example.com",
		UserAttributes: map[string]string{
			"name": "Jane Doe", "gender": "female", "address": "1 Main Street", "profile": "https://example.com/jane",
			"phone_number": "+14155550100", "email_verified": "true",
		},
		// The invitation with the temporary password would go through the
		// pool's Sender; the default one logs it, with the password redacted.
		MessageAction: userpool.MessageSuppress,
	})
	if err != nil && !errors.Is(err, userpool.ErrUsernameExists) {
		return err
	}
	if err := pool.AdminAddUserToGroup(ctx, "jane@example.com", "Development"); err != nil {
		return err
	}

	d, err := pool.Describe(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, "Your user pool is ready.")
	fmt.Fprintln(out)
	fmt.Fprint(out, d)
	fmt.Fprintln(out)
	users, err := pool.ListUsers(ctx, userpool.ListUsersInput{})
	if err != nil {
		return err
	}
	for _, u := range users.Users {
		groups, err := pool.AdminListGroupsForUser(ctx, u.Attributes["email"], 0, "")
		if err != nil {
			return err
		}
		var names []string
		for _, g := range groups.Groups {
			names = append(names, g.GroupName)
		}
		fmt.Fprintf(out, "User %s (%s), groups %v\n", u.Attributes["email"], u.Status, names)
	}
	return nil
}

// walkthrough returns the options of the console walk-through's pool.
func walkthrough() []userpool.Option {
	return []userpool.Option{
		// Users sign in with their email address, whatever its case.
		userpool.WithUsernameAttributes("email"),
		userpool.WithRequiredAttributes("address", "email", "gender", "name", "phone_number", "profile"),
		// At least 8 characters with numbers, symbols, upper and lower case.
		userpool.WithPasswordPolicy(userpool.DefaultPasswordPolicy()),
		userpool.WithAdminCreateUserOnly(),
		userpool.WithMFA(userpool.MFAOff),
		userpool.WithAccountRecovery(userpool.RecoveryVerifiedEmail),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithVerificationMessage(userpool.VerificationMessage{
			DefaultEmailOption: userpool.ConfirmWithCode,
			EmailSubject:       "Your verification code",
		}),
		userpool.WithTags(map[string]string{"Name": "MyUserPool"}),
		userpool.WithDevices(userpool.DevicesOff, false),
	}
}
