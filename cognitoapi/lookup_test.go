package cognitoapi_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// plainStore hides the optional storage.ClientLocator of the store it
// wraps, as a custom store without it would.
type plainStore struct{ storage.Store }

// TestPublicCallsFindTheirClientsPool: a public call names only its app
// client; the Handler finds the client's pool among several, by the
// store's index (storage.ClientLocator) or, for a store without one, pool
// by pool, and an unknown client is ResourceNotFound either way.
func TestPublicCallsFindTheirClientsPool(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store storage.Store
	}{
		{"ClientLocator", memory.New()},
		{"pool by pool", plainStore{memory.New()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			srv := serve(t, newHandler(t, tc.store))
			admin := sdkClient(srv, testAccessKey, testSecret)
			var clients []string
			for _, name := range []string{"first", "second", "third"} {
				pool, err := admin.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String(name)})
				if err != nil {
					t.Fatal(err)
				}
				c, err := admin.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{UserPoolId: pool.UserPool.Id, ClientName: aws.String("web"),
					ExplicitAuthFlows: []types.ExplicitAuthFlowsType{types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth}})
				if err != nil {
					t.Fatal(err)
				}
				clients = append(clients, aws.ToString(c.UserPoolClient.ClientId))
			}
			signIn := func(clientID string) error {
				_, err := admin.InitiateAuth(ctx, &cip.InitiateAuthInput{ClientId: aws.String(clientID), AuthFlow: types.AuthFlowTypeUserPasswordAuth,
					AuthParameters: map[string]string{"USERNAME": "nobody", "PASSWORD": "Pass-word-1"}})
				return err
			}
			for range 2 { // the second time from the Handler's memory
				for _, id := range clients {
					// The pool was found: it looked the user up.
					wantCode(t, "sign-in with client "+id, signIn(id), "UserNotFoundException")
				}
			}
			wantCode(t, "unknown client", signIn("abcdefghijklmnopqrstuvwxyz"), "ResourceNotFoundException")
		})
	}
}
