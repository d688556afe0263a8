package userpool_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/userpool/userpool"
)

// newMFAExamplePool returns a pool with optional MFA by factors, on the
// clock now returns, with a client allowing USER_PASSWORD_AUTH and a user
// "ana" (password "Correct-horse-9", phone number +15555550100).
func newMFAExamplePool(ctx context.Context, now func() time.Time, sender userpool.Sender, factors ...userpool.Factor) (*userpool.Pool, userpool.Client) {
	opts := []userpool.Option{
		userpool.WithClock(now),
		userpool.WithRandom(rand.NewChaCha8([32]byte{2})),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), // tests and examples only
		userpool.WithMFA(userpool.MFAOptional, factors...),
		userpool.WithAutoVerifiedAttributes("phone_number"),
	}
	if sender != nil {
		opts = append(opts, userpool.WithSender(sender))
	}
	pool, err := userpool.New(ctx, "Example shop", opts...)
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
		Username:       "ana",
		UserAttributes: map[string]string{"phone_number": "+15555550100"},
		MessageAction:  userpool.MessageSuppress,
	})
	if err != nil {
		panic(err)
	}
	err = pool.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: "Correct-horse-9", Permanent: true})
	if err != nil {
		panic(err)
	}
	return pool, client
}

// ExamplePool_AssociateSoftwareToken sets up an authenticator app for a
// signed-in user: the secret (or its QR code) goes into the app, a code
// from the app verifies it, and the user's preference turns it on. The
// next sign-in asks for a code.
func ExamplePool_AssociateSoftwareToken() {
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	pool, client := newMFAExamplePool(ctx, func() time.Time { return now }, nil, userpool.FactorTOTP)
	signIn := func() userpool.AuthOutput {
		out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthUserPassword, ClientID: client.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Correct-horse-9"},
		})
		if err != nil {
			panic(err)
		}
		return out
	}
	access := signIn().AuthenticationResult.AccessToken

	token, err := pool.AssociateSoftwareToken(ctx, userpool.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(token.SecretCode), strings.SplitN(token.OTPAuthURI, "?", 2)[0], len(token.QRCodePNG) > 0)

	// The authenticator app computes the code; here, the same library
	// that apps' codes are checked with.
	code, _ := totp.GenerateCode(token.SecretCode, now)
	v, err := pool.VerifySoftwareToken(ctx, userpool.VerifySoftwareTokenInput{
		AccessToken: access, UserCode: code, FriendlyDeviceName: "Ana's phone",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(v.Status)

	err = pool.SetUserMFAPreference(ctx, userpool.SetUserMFAPreferenceInput{
		AccessToken:              access,
		SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	now = now.Add(30 * time.Second) // a code is accepted once: wait for the next
	out := signIn()
	fmt.Println(out.ChallengeName, out.ChallengeParameters["FRIENDLY_DEVICE_NAME"])

	code, _ = totp.GenerateCode(token.SecretCode, now)
	out, err = pool.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID:      client.ID,
		ChallengeName: out.ChallengeName,
		Session:       out.Session,
		ChallengeResponses: map[string]string{
			"USERNAME":                out.ChallengeParameters["USER_ID_FOR_SRP"],
			"SOFTWARE_TOKEN_MFA_CODE": code,
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tokens:", out.AuthenticationResult != nil)
	// Output:
	// 32 otpauth://totp/Example%20shop:ana true
	// SUCCESS
	// SOFTWARE_TOKEN_MFA Ana's phone
	// tokens: true
}

// smsOutbox is a Sender that keeps the last message, standing in for an
// SMS gateway.
type smsOutbox struct{ last userpool.Message }

func (o *smsOutbox) Send(_ context.Context, m userpool.Message) error {
	o.last = m
	return nil
}

// ExamplePool_RespondToAuthChallenge_mfa signs in a user with SMS MFA:
// the password leads to SMS_MFA, and the code the pool texted to the
// tokens.
func ExamplePool_RespondToAuthChallenge_mfa() {
	ctx := context.Background()
	clock := func() time.Time { return time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC) }
	outbox := &smsOutbox{}
	pool, client := newMFAExamplePool(ctx, clock, outbox, userpool.FactorSMS)
	err := pool.AdminSetUserMFAPreference(ctx, userpool.SetUserMFAPreferenceInput{
		Username:       "ana",
		SMSMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: client.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Correct-horse-9"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.ChallengeName, out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"], out.ChallengeParameters["CODE_DELIVERY_DESTINATION"])

	out, err = pool.RespondToAuthChallenge(ctx, userpool.RespondInput{
		ClientID:      client.ID,
		ChallengeName: out.ChallengeName,
		Session:       out.Session,
		ChallengeResponses: map[string]string{
			"USERNAME":     out.ChallengeParameters["USER_ID_FOR_SRP"],
			"SMS_MFA_CODE": outbox.last.Code, // what the user types from the text
		},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tokens:", out.AuthenticationResult != nil)

	u, _ := pool.AdminGetUser(ctx, "ana")
	fmt.Println("phone_number_verified:", u.Attributes["phone_number_verified"])
	// Output:
	// SMS_MFA SMS +*******0100
	// tokens: true
	// phone_number_verified: true
}
