// Command quickstart creates the user pool of the Cognito console
// walk-through ("Demo User Pool") in a SQLite file, adds the walk-through's
// group and a user, and prints the pool's review page and its users. Where
// the walk-through leaves MFA off, the quick start makes it optional with
// authenticator apps (TOTP), signs the user in and starts her TOTP set-up.
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
	"strings"

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

// password is jane's password in this demonstration.
const password = "Correct-horse-9"

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
	// An administrator may also set a permanent password, sparing the
	// user the NEW_PASSWORD_REQUIRED challenge of a temporary one.
	err = pool.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "jane@example.com", Password: password, Permanent: true})
	if err != nil {
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
	return startTOTP(ctx, out, pool)
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
		// The walk-through chose Off; optional TOTP shows the MFA API.
		userpool.WithMFA(userpool.MFAOptional, userpool.FactorTOTP),
		userpool.WithClient(userpool.ClientConfig{Name: "quickstart",
			AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken}}),
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

// startTOTP signs jane in and associates an authenticator app with her
// account: the pool answers with a secret and an otpauth:// URI to show as
// a QR code. She turns it on with VerifySoftwareToken and a first code, and
// from then on signs in with a SOFTWARE_TOKEN_MFA challenge (see the
// package's Example functions for both steps).
func startTOTP(ctx context.Context, out io.Writer, pool *userpool.Pool) error {
	clients, err := pool.ListClients(ctx, 0, "")
	if err != nil {
		return err
	}
	signIn, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow:       userpool.AuthUserPassword,
		ClientID:       clients.Clients[0].ID,
		AuthParameters: map[string]string{"USERNAME": "jane@example.com", "PASSWORD": password},
	})
	if err != nil {
		return err
	}
	if signIn.AuthenticationResult == nil {
		// Her authenticator is already on: the pool asks for its code.
		fmt.Fprintf(out, "jane signs in with a %s challenge\n", signIn.ChallengeName)
		return nil
	}
	totp, err := pool.AssociateSoftwareToken(ctx, userpool.AssociateSoftwareTokenInput{AccessToken: signIn.AuthenticationResult.AccessToken})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "jane signed in (%s token, %d s); her authenticator app is to scan %s\n",
		signIn.AuthenticationResult.TokenType, signIn.AuthenticationResult.ExpiresIn, strings.SplitN(totp.OTPAuthURI, "?", 2)[0]+"?...")
	return nil
}
