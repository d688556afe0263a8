package cognitoapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/internal/clienttest"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

const (
	testAccessKey = "AKIDEXAMPLE"
	testSecret    = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// quietLogger discards logs, so test output shows only failures.
func quietLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// testPoolOptions are the pool options of every test handler: quiet, and
// the cheap password hashing profile.
func testPoolOptions() []userpool.Option {
	return []userpool.Option{
		userpool.WithLogger(quietLogger()),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
	}
}

// newHandler returns a Handler over store with test credentials and the
// cheap pool settings tests use.
func newHandler(t testing.TB, store storage.Store, opts ...cognitoapi.Option) *cognitoapi.Handler {
	t.Helper()
	all := append([]cognitoapi.Option{
		cognitoapi.WithCredentials(testAccessKey, testSecret),
		cognitoapi.WithLogger(quietLogger()),
		cognitoapi.WithPoolOptions(testPoolOptions()...),
	}, opts...)
	h, err := cognitoapi.New(store, all...)
	if err != nil {
		t.Fatalf("cognitoapi.New: %v", err)
	}
	return h
}

// serve starts an httptest server for h.
func serve(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newServer starts a Handler over a fresh memory store.
func newServer(t *testing.T, opts ...cognitoapi.Option) (*httptest.Server, storage.Store) {
	t.Helper()
	store := memory.New()
	return serve(t, newHandler(t, store, opts...)), store
}

// sdkClient returns the real AWS SDK client pointed at srv, signing with
// the given key pair.
func sdkClient(srv *httptest.Server, accessKey, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(srv.URL),
		Credentials:      credentials.NewStaticCredentialsProvider(accessKey, secret, ""),
		HTTPClient:       &http.Client{Transport: clienttest.BufferedTransport(srv.Client().Transport)},
		RetryMaxAttempts: 1,
	})
}

// call is a raw API request.
type call struct {
	op          string // without the service prefix; "" sends no target
	body        string
	contentType string // application/x-amz-json-1.1 when empty
	headers     map[string]string
}

// response is what came back, with the error body decoded.
type response struct {
	status  int
	header  http.Header
	body    []byte
	errType string
	message string
}

// signRequest signs req with the SDK signer at t.
func signRequest(t testing.TB, req *http.Request, body []byte, accessKey, secret string, at time.Time) {
	t.Helper()
	sum := sha256.Sum256(body)
	err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: accessKey, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "cognito-idp", "us-east-1", at)
	if err != nil {
		t.Fatalf("sign: %v", err)
	}
}

// newRequest builds a raw request for c.
func newRequest(t testing.TB, url string, c call) *http.Request {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader([]byte(c.body)))
	if err != nil {
		t.Fatal(err)
	}
	ct := c.contentType
	if ct == "" {
		ct = "application/x-amz-json-1.1"
	}
	req.Header.Set("Content-Type", ct)
	if c.op != "" {
		req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+c.op)
	}
	for k, v := range c.headers {
		req.Header.Set(k, v)
	}
	return req
}

// do sends req and decodes the answer.
func do(t *testing.T, client *http.Client, req *http.Request) response {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", req.Header.Get("X-Amz-Target"), err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := response{status: resp.StatusCode, header: resp.Header, body: body}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body %q is not JSON: %v", body, err)
		}
		r.errType, r.message = e.Type, e.Message
	}
	return r
}

// signedCall sends c signed with the test credentials at the current time.
func signedCall(t *testing.T, srv *httptest.Server, c call) response {
	t.Helper()
	req := newRequest(t, srv.URL, c)
	signRequest(t, req, []byte(c.body), testAccessKey, testSecret, time.Now())
	return do(t, srv.Client(), req)
}

// unsignedCall sends c without a signature.
func unsignedCall(t *testing.T, srv *httptest.Server, c call) response {
	t.Helper()
	return do(t, srv.Client(), newRequest(t, srv.URL, c))
}

// newUnsignedHandler returns a Handler without credentials.
func newUnsignedHandler(store storage.Store, allow bool) (*cognitoapi.Handler, error) {
	opts := []cognitoapi.Option{cognitoapi.WithLogger(quietLogger()), cognitoapi.WithPoolOptions(testPoolOptions()...)}
	if allow {
		opts = append(opts, cognitoapi.AllowUnsignedAdmin())
	}
	return cognitoapi.New(store, opts...)
}

// panicStore panics on GetPool.
type panicStore struct{ storage.Store }

func (panicStore) GetPool(context.Context, string) (storage.Pool, error) { panic("boom") }

// blockingStore blocks GetPool until release is closed, after signalling
// entered.
type blockingStore struct {
	storage.Store
	entered chan struct{}
	release chan struct{}
}

func (s blockingStore) GetPool(ctx context.Context, id string) (storage.Pool, error) {
	s.entered <- struct{}{}
	<-s.release
	return s.Store.GetPool(ctx, id)
}
