package cognitoapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/storage/memory"
)

// The AWS SDK talks to a Handler as it talks to Cognito: point its
// endpoint at the server and sign with the Handler's key pair.
func ExampleNew() {
	quiet := slog.New(slog.DiscardHandler)
	h, err := cognitoapi.New(memory.New(),
		cognitoapi.WithCredentials("AKIDEXAMPLE", "example-secret"),
		cognitoapi.WithLogger(quiet),
		cognitoapi.WithPoolOptions(userpool.WithLogger(quiet)),
	)
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	client := cip.New(cip.Options{
		Region:       "eu-west-1",
		BaseEndpoint: aws.String(srv.URL),
		Credentials:  credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "example-secret", ""),
	})
	out, err := client.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{PoolName: aws.String("customers")})
	if err != nil {
		panic(err)
	}
	fmt.Println(aws.ToString(out.UserPool.Name), strings.HasPrefix(aws.ToString(out.UserPool.Id), "eu-west-1_"))
	// Output: customers true
}
