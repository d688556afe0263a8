// Package clienttest holds what the tests of cognitoapi and userpoold need
// to drive a server with real clients: a transport for the AWS SDK and a
// runner for the amazon-cognito-identity-js flows script.
package clienttest

import (
	"bytes"
	"io"
	"net/http"
)

// BufferedTransport hands rt a copy of each request body. The SDK closes
// its own body as soon as response headers arrive; when a fast server
// answers before the transport has read the body's EOF, the transport
// fails writing and drops the connection mid-response ("use of closed
// network connection", aws-sdk-go-v2 issue 2737, which the SDK papers
// over with a retry). Tests run with one attempt, so they avoid the race
// instead.
func BufferedTransport(rt http.RoundTripper) http.RoundTripper { return bufferedTransport{rt} }

type bufferedTransport struct{ rt http.RoundTripper }

func (b bufferedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return b.rt.RoundTrip(r)
	}
	data, err := io.ReadAll(r.Body)
	r.Body.Close()
	if err != nil {
		return nil, err
	}
	r = r.Clone(r.Context())
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil }
	return b.rt.RoundTrip(r)
}
