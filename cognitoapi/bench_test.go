package cognitoapi_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool/storage/memory"
)

// BenchmarkDescribeUserPool measures one signed DescribeUserPool through
// the handler in process: routing, reading the body, verifying the
// signature, the cached pool's version check, and encoding the answer.
// The signature is made once; signing is the client's cost.
func BenchmarkDescribeUserPool(b *testing.B) {
	h := newHandler(b, memory.New())
	t := b
	rec := httptest.NewRecorder()
	create := newRequest(t, "http://localhost/", call{op: "CreateUserPool", body: `{"PoolName":"bench"}`})
	signRequest(t, create, []byte(`{"PoolName":"bench"}`), testAccessKey, testSecret, time.Now())
	h.ServeHTTP(rec, create)
	var out struct{ UserPool struct{ Id string } }
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil || rec.Code != 200 {
		b.Fatalf("create: %d %s", rec.Code, rec.Body)
	}
	body := []byte(`{"UserPoolId":"` + out.UserPool.Id + `"}`)
	req := newRequest(t, "http://localhost/", call{op: "DescribeUserPool", body: string(body)})
	signRequest(t, req, body, testAccessKey, testSecret, time.Now())
	b.ReportAllocs()
	for b.Loop() {
		r := req.Clone(req.Context())
		r.Body = nopCloser{bytes.NewReader(body)}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("describe: %d %s", w.Code, w.Body)
		}
	}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// BenchmarkInitiateAuthPassword measures one USER_PASSWORD_AUTH sign-in
// through the handler in process (cheap password hashing, so the figure
// is the wire's and the token minting's cost, not the hash's): finding
// the pool by client id, the sign-in, signing two JWTs, storing the
// refresh token, encoding the answer.
func BenchmarkInitiateAuthPassword(b *testing.B) {
	e := newSDKEnv(b)
	ctx := b.Context()
	if _, err := e.client.AdminCreateUser(ctx, &cip.AdminCreateUserInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bench"),
		MessageAction: types.MessageActionTypeSuppress}); err != nil {
		b.Fatal(err)
	}
	if _, err := e.client.AdminSetUserPassword(ctx, &cip.AdminSetUserPasswordInput{UserPoolId: aws.String(e.poolID), Username: aws.String("bench"),
		Password: aws.String("Bench-Pass-1"), Permanent: true}); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"ClientId":"` + e.clientID + `","AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"USERNAME":"bench","PASSWORD":"Bench-Pass-1"}}`)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		e.handler.ServeHTTP(w, newRequest(b, "http://localhost/", call{op: "InitiateAuth", body: string(body)}))
		if w.Code != 200 {
			b.Fatalf("InitiateAuth: %d %s", w.Code, w.Body)
		}
	}
}
