// Command quickstart creates the user pool of the Cognito console
// walk-through ("Demo User Pool") and prints its review page.
//
//	go run ./examples/quickstart
package main

import (
	"context"
	"fmt"
	"log"

	"github.com/userpool/userpool"
)

func main() {
	ctx := context.Background()
	pool, err := userpool.New(ctx, "Demo User Pool",
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
	)
	if err != nil {
		log.Fatal(err)
	}
	d, err := pool.Describe(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("Your user pool was created successfully.")
	fmt.Println()
	fmt.Print(d)
}
