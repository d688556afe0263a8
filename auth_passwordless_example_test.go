package userpool_test

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/userpool/userpool"
)

// ExampleWithAllowedFirstAuthFactors signs a user in with a code sent by
// email instead of a password: the pool allows EMAIL_OTP as a first
// factor, the client allows choice-based sign-in (USER_AUTH), the user
// asks for the factor, and the code from the email gives the tokens.
func ExampleWithAllowedFirstAuthFactors() {
	ctx := context.Background()
	outbox := &smsOutbox{} // keeps the last message; an email here
	pool, err := userpool.New(ctx, "Example shop",
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorEmailOTP),
		userpool.WithSender(outbox),
		userpool.WithRandom(rand.NewChaCha8([32]byte{3})),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), // tests and examples only
	)
	if err != nil {
		panic(err)
	}
	client, err := pool.CreateClient(ctx, userpool.ClientConfig{
		Name:      "web",
		AuthFlows: []userpool.AuthFlow{userpool.FlowUserAuth, userpool.FlowRefreshToken},
	})
	if err != nil {
		panic(err)
	}
	_, err = pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username:       "ana@example.com",
		UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"},
		MessageAction:  userpool.MessageSuppress,
	})
	if err != nil {
		panic(err)
	}
	if err := pool.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana@example.com", Password: "Correct-horse-9", Permanent: true}); err != nil {
		panic(err)
	}

	// Without a preference, the pool lists the first factors on offer.
	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUser, ClientID: client.ID,
		AuthParameters: map[string]string{"USERNAME": "ana@example.com"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.ChallengeName, out.AvailableChallenges)

	out, err = pool.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID: client.ID, ChallengeName: out.ChallengeName, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ana@example.com", "ANSWER": userpool.FirstFactorEmailOTP},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.ChallengeName, out.ChallengeParameters["CODE_DELIVERY_DESTINATION"], "->", outbox.last.To)

	out, err = pool.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID: client.ID, ChallengeName: out.ChallengeName, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ana@example.com", "EMAIL_OTP_CODE": outbox.last.Code},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tokens:", out.AuthenticationResult != nil)
	// Output:
	// SELECT_CHALLENGE [PASSWORD PASSWORD_SRP EMAIL_OTP]
	// EMAIL_OTP a***@e*** -> ana@example.com
	// tokens: true
}
