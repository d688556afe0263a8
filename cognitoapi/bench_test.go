package cognitoapi_test

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"testing"
	"time"

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
