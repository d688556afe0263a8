// Command triggers shows three triggers of package hooks at work: a
// PreSignUp that admits one email domain, a CustomMessage in the
// product's voice and a PreTokenGeneration that adds a tenant claim.
//
//	go run ./examples/triggers
//
// Messages are printed instead of sent, codes included.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/triggers/hooks"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run does the work of main; tests pass options such as cheap password
// hashing.
func run(ctx context.Context, w io.Writer, opts ...userpool.Option) error {
	var code string // the last code sent, as the user would read it
	printer := userpool.SenderFunc(func(ctx context.Context, m userpool.Message) error {
		fmt.Fprintf(w, "  to %s: %q\n  %s\n", m.To, m.Subject, m.Body)
		code = m.Code
		return nil
	})
	const client = "webapp"
	pool, err := userpool.New(ctx, "Acme", append([]userpool.Option{
		userpool.WithClient(userpool.ClientConfig{
			Name: "web", ID: client,
			AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken},
		}),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithSender(printer),
		userpool.WithTriggers(userpool.Triggers{
			PreSignUp:          hooks.AllowDomain("example.com"),
			CustomMessage:      hooks.BrandedMessages("Acme"),
			PreTokenGeneration: hooks.AddTenantClaim(map[string]string{"example.com": "acme"}),
		}),
	}, opts...)...)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "eve@evil.test signs up:")
	_, err = pool.SignUp(ctx, userpool.SignUpInput{
		ClientID: client, Username: "eve", Password: "Correct-horse-9",
		UserAttributes: map[string]string{"email": "eve@evil.test"},
	})
	fmt.Fprintf(w, "  refused: %v\n", err)

	fmt.Fprintln(w, "ana@example.com signs up:")
	if _, err := pool.SignUp(ctx, userpool.SignUpInput{
		ClientID: client, Username: "ana", Password: "Correct-horse-9",
		UserAttributes: map[string]string{"email": "ana@example.com"},
	}); err != nil {
		return err
	}
	if _, err := pool.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{ClientID: client, Username: "ana", ConfirmationCode: code}); err != nil {
		return err
	}
	fmt.Fprintln(w, "  confirmed with the code")

	fmt.Fprintln(w, "ana signs in:")
	out, err := pool.InitiateAuth(ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: client,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": "Correct-horse-9"},
	})
	if err != nil {
		return err
	}
	if out.AuthenticationResult == nil {
		return fmt.Errorf("sign-in: unexpected challenge %s", out.ChallengeName)
	}
	// An application verifies the token before trusting any claim in it.
	claims, err := pool.Verifier().Verify(ctx, out.AuthenticationResult.IDToken, userpool.TokenUseID)
	if err != nil {
		return err
	}
	var id struct {
		Email  string `json:"email"`
		Tenant string `json:"tenant"`
	}
	if err := claims.Decode(&id); err != nil {
		return err
	}
	fmt.Fprintf(w, "  ID token of %s, tenant %q\n", id.Email, id.Tenant)
	return nil
}
