package userpool_test

import (
	"context"
	"fmt"

	"github.com/userpool/userpool"
)

// ExampleNew creates the pool of the Cognito console walk-through: users
// sign in with their email address, six attributes are required, only
// administrators create users, and recovery goes by email only. Then, as
// the walk-through goes on to do, it creates the group "Development" and a
// user, who appears in ListUsers.
func ExampleNew() {
	ctx := context.Background()
	pool, err := userpool.New(ctx, "Demo User Pool",
		userpool.WithUsernameAttributes("email"),
		userpool.WithRequiredAttributes("address", "email", "gender", "name", "phone_number", "profile"),
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
		fmt.Println(err)
		return
	}
	d, err := pool.Describe(ctx)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(d)

	if _, err := pool.CreateGroup(ctx, userpool.GroupInput{GroupName: "Development", Description: "Developments"}); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username:       "jane@example.com",
		UserAttributes: map[string]string{"name": "Jane Doe"},
		MessageAction:  userpool.MessageSuppress,
	}); err != nil {
		fmt.Println(err)
		return
	}
	if err := pool.AdminAddUserToGroup(ctx, "jane@example.com", "Development"); err != nil {
		fmt.Println(err)
		return
	}
	page, err := pool.ListUsers(ctx, userpool.ListUsersInput{Filter: `email ^= "jane"`})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, u := range page.Users {
		fmt.Println("User:", u.Attributes["email"], u.Status)
	}
	groups, err := pool.AdminListGroupsForUser(ctx, "jane@example.com", 0, "")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, g := range groups.Groups {
		fmt.Printf("Group: %s (%s)\n", g.GroupName, g.Description)
	}
	// Output:
	// Pool name: Demo User Pool
	// Pool Id: us-east-1_badFSBvUS
	// Pool ARN: arn:aws:cognito-idp:us-east-1:000000000000:userpool/us-east-1_badFSBvUS
	// Estimated number of users: 0
	// Required attributes: address, email, gender, name, phone_number, profile
	// Alias attributes: none
	// Username attributes: email
	// Enable case insensitivity?: Yes
	// Custom attributes: none
	// Minimum password length: 8
	// Password policy: uppercase letters, lowercase letters, special characters, numbers
	// User sign ups allowed?: Only administrators can create users
	// Temporary passwords expire after: 7 days
	// FROM email address: Default
	// MFA: Off
	// Account recovery: Email only
	// Verifications: Email (by code)
	// Verification email subject: Your verification code
	// Tags: Name=MyUserPool
	// Remember devices: No
	// App clients: none
	// User: jane@example.com FORCE_CHANGE_PASSWORD
	// Group: Development (Developments)
}
