package userpool_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/userpool/userpool"
)

// newSignInExamplePool returns a pool on a fixed clock and a seeded random
// source, with an app client that allows USER_PASSWORD_AUTH, and a user
// "ana" created by an administrator with a temporary password.
func newSignInExamplePool(ctx context.Context) (*userpool.Pool, userpool.Client) {
	clock := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	pool, err := userpool.New(ctx, "example",
		userpool.WithClock(clock),
		userpool.WithRandom(rand.NewChaCha8([32]byte{1})),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), // tests and examples only
	)
	if err != nil {
		panic(err)
	}
	client, err := pool.CreateClient(ctx, userpool.ClientConfig{
		Name:      "web",
		AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken},
	})
	if err != nil {
		panic(err)
	}
	_, err = pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username:          "ana",
		TemporaryPassword: "Temp-pass-42",
		MessageAction:     userpool.MessageSuppress,
	})
	if err != nil {
		panic(err)
	}
	return pool, client
}

// ExamplePool_InitiateAuth signs in a user an administrator created: the
// temporary password leads to NEW_PASSWORD_REQUIRED, and the answer with a
// new password to the tokens.
func ExamplePool_InitiateAuth() {
	ctx := context.Background()
	pool, client := newSignInExamplePool(ctx)

	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow:       userpool.AuthUserPassword,
		ClientID:       client.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Temp-pass-42"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.ChallengeName)

	out, err = pool.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID:      client.ID,
		ChallengeName: out.ChallengeName,
		Session:       out.Session,
		ChallengeResponses: map[string]string{
			"USERNAME":     out.ChallengeParameters["USER_ID_FOR_SRP"],
			"NEW_PASSWORD": "Correct-horse-9",
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.AuthenticationResult.TokenType, out.AuthenticationResult.ExpiresIn)

	_, err = pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow:       userpool.AuthUserPassword,
		ClientID:       client.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Temp-pass-42"},
	})
	var e *userpool.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Message)
	}
	// Output:
	// NEW_PASSWORD_REQUIRED
	// Bearer 3600
	// NotAuthorizedException Incorrect username or password.
}

// ExamplePool_ForgotPassword resets a forgotten password with the code the
// pool sends to the user's verified email address.
func ExamplePool_ForgotPassword() {
	ctx := context.Background()
	sent := &authSender{}
	clock := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	pool, err := userpool.New(ctx, "example",
		userpool.WithClock(clock),
		userpool.WithRandom(rand.NewChaCha8([32]byte{1})),
		userpool.WithSender(sent),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	client, _ := pool.CreateClient(ctx, userpool.ClientConfig{Name: "web", AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken}})
	_, _ = pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username:       "ana",
		UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"},
		MessageAction:  userpool.MessageSuppress,
	})
	_ = pool.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: "Old-horse-99", Permanent: true})

	d, err := pool.ForgotPassword(ctx, userpool.ForgotPasswordInput{ClientID: client.ID, Username: "ana"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(d.DeliveryMedium, d.Destination)

	// The code arrives by email; here the test sender kept it.
	code := sent.msgs[len(sent.msgs)-1].Code
	err = pool.ConfirmForgotPassword(ctx, userpool.ConfirmForgotPasswordInput{
		ClientID: client.ID, Username: "ana", ConfirmationCode: code, Password: "Correct-horse-9",
	})
	fmt.Println(err)
	// Output:
	// EMAIL a***@e***
	// <nil>
}
