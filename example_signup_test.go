package userpool_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/userpool/userpool"
)

// ExamplePool_SignUp signs a user up and confirms the account with the code
// the pool sent. The Sender here keeps the last message, as a test would;
// a program plugs in its email or SMS delivery.
func ExamplePool_SignUp() {
	ctx := context.Background()
	var last userpool.Message
	pool, err := userpool.New(ctx, "shop",
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithSender(userpool.SenderFunc(func(ctx context.Context, m userpool.Message) error {
			last = m
			return nil
		})),
		userpool.WithClock(func() time.Time { return time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC) }),
		userpool.WithRandom(rand.NewChaCha8([32]byte{})),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), // for a fast example; never in production
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := pool.SignUp(ctx, userpool.SignUpInput{
		Username:       "ana",
		Password:       "Correct-horse-9",
		UserAttributes: map[string]string{"email": "ana@example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("confirmed:", out.UserConfirmed)
	fmt.Println("code sent to:", out.CodeDeliveryDetails.Destination, "by", out.CodeDeliveryDetails.DeliveryMedium)

	_, err = pool.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: last.Code})
	if err != nil {
		fmt.Println(err)
		return
	}
	u, err := pool.AdminGetUser(ctx, "ana")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(u.Status, "email_verified:", u.Attributes["email_verified"])
	// Output:
	// confirmed: false
	// code sent to: a***@e*** by EMAIL
	// CONFIRMED email_verified: true
}
