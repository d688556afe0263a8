package cognitoapi_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/storage/memory"
)

func TestProtocolErrors(t *testing.T) {
	srv, _ := newServer(t, cognitoapi.WithBodyLimit(1024))
	tests := []struct {
		name       string
		call       call
		wantStatus int
		wantType   string
		wantMsg    string
	}{
		{"malformed JSON", call{op: "ListUserPools", body: `{"MaxResults": 1`},
			400, "SerializationException", "Malformed JSON"},
		{"not an object", call{op: "ListUserPools", body: `[1,2]`},
			400, "SerializationException", "must be a JSON object"},
		{"invalid UTF-8", call{op: "CreateUserPool", body: "{\"PoolName\":\"a\xff\"}"},
			400, "SerializationException", "UTF-8"},
		{"unknown operation", call{op: "FlyToTheMoon", body: `{}`},
			400, "UnknownOperationException", `Operation "FlyToTheMoon" is not supported`},
		{"missing target", call{body: `{}`},
			400, "UnknownOperationException", "Missing X-Amz-Target"},
		{"other service's target", call{body: `{}`, headers: map[string]string{"X-Amz-Target": "DynamoDB_20120810.ListTables"}},
			400, "UnknownOperationException", "Unknown target"},
		{"wrong content type", call{op: "ListUserPools", body: `{"MaxResults":1}`, contentType: "text/plain"},
			400, "UnknownOperationException", "Content-Type"},
		{"oversized body", call{op: "CreateUserPool", body: `{"PoolName":"` + strings.Repeat("a", 2000) + `"}`},
			413, "RequestEntityTooLargeException", "larger than 1024 bytes"},
		{"mistyped field", call{op: "ListUserPools", body: `{"MaxResults":"ten"}`},
			400, "InvalidParameterException", "Value at 'maxResults' failed to satisfy constraint: Member must be an integer, not string"},
		{"mistyped nested field", call{op: "CreateUserPool", body: `{"PoolName":"p","Policies":{"PasswordPolicy":{"MinimumLength":"8"}}}`},
			400, "InvalidParameterException", "'policies.passwordPolicy.minimumLength'"},
		{"mistyped embedded field", call{op: "CreateUserPool", body: `{"PoolName":"p","MfaConfiguration":1}`},
			400, "InvalidParameterException", "'mfaConfiguration'"},
		{"missing required field", call{op: "CreateUserPool", body: `{}`},
			400, "InvalidParameterException", "1 validation error detected: Value null at 'poolName' failed to satisfy constraint: Member must not be null"},
		{"bad enum", call{op: "CreateUserPool", body: `{"PoolName":"p","MfaConfiguration":"SOMETIMES"}`},
			400, "InvalidParameterException", "Member must satisfy enum value set: [OFF, ON, OPTIONAL]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := signedCall(t, srv, tt.call)
			if r.status != tt.wantStatus || r.errType != tt.wantType || !strings.Contains(r.message, tt.wantMsg) {
				t.Fatalf("got %d %s %q, want %d %s containing %q", r.status, r.errType, r.message, tt.wantStatus, tt.wantType, tt.wantMsg)
			}
			if got := r.header.Get("x-amzn-ErrorType"); got != tt.wantType+":" {
				t.Errorf("x-amzn-ErrorType = %q, want %q", got, tt.wantType+":")
			}
			if r.header.Get("x-amzn-RequestId") == "" {
				t.Error("no x-amzn-RequestId")
			}
			if ct := r.header.Get("Content-Type"); ct != "application/x-amz-json-1.1" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}

func TestUnknownFieldsAreIgnored(t *testing.T) {
	srv, _ := newServer(t)
	r := signedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":1,"SomethingNew":{"x":[1,2]}}`})
	if r.status != 200 {
		t.Fatalf("got %d %s %q, want 200", r.status, r.errType, r.message)
	}
	if string(r.body) != `{"UserPools":[]}` {
		t.Errorf("body = %s", r.body)
	}
}

func TestSuccessHeaders(t *testing.T) {
	srv, _ := newServer(t)
	r := signedCall(t, srv, call{op: "CreateUserPool", body: `{"PoolName":"p"}`})
	if r.status != 200 {
		t.Fatalf("got %d %s %q", r.status, r.errType, r.message)
	}
	for h, want := range map[string]string{
		"Content-Type":                  "application/x-amz-json-1.1",
		"Access-Control-Allow-Origin":   "*",
		"Access-Control-Expose-Headers": "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date",
	} {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	if id := r.header.Get("x-amzn-RequestId"); len(id) != 36 {
		t.Errorf("x-amzn-RequestId = %q, want a UUID", id)
	}
	// Timestamps are epoch seconds (numbers), never strings.
	if !strings.Contains(string(r.body), `"CreationDate":1`) {
		t.Errorf("CreationDate is not a number of seconds: %s", r.body)
	}
	if strings.Contains(string(r.body), "null") {
		t.Errorf("response carries null members: %s", r.body)
	}
}

func TestPreflightAndOtherMethods(t *testing.T) {
	srv, _ := newServer(t)
	req, _ := http.NewRequest(http.MethodOptions, srv.URL+"/", nil)
	req.Header.Set("Origin", "https://app.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	req.Header.Set("Access-Control-Request-Headers", "content-type,x-amz-target,x-amz-user-agent")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent || resp.Header.Get("Access-Control-Allow-Origin") != "*" ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type,x-amz-target,x-amz-user-agent" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}

	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/", nil)
	r := do(t, srv.Client(), req)
	if r.status != http.StatusMethodNotAllowed || r.errType != "UnknownOperationException" {
		t.Errorf("GET /: %d %s %q", r.status, r.errType, r.message)
	}
}

// TestPanicsBecomeInternalErrors uses a store that panics: the client
// gets a 500 InternalErrorException and the server goes on.
func TestPanicsBecomeInternalErrors(t *testing.T) {
	srv := serve(t, newHandler(t, panicStore{memory.New()}))
	r := signedCall(t, srv, call{op: "DescribeUserPool", body: `{"UserPoolId":"us-east-1_abc"}`})
	if r.status != 500 || r.errType != "InternalErrorException" {
		t.Fatalf("got %d %s %q, want 500 InternalErrorException", r.status, r.errType, r.message)
	}
	if strings.Contains(r.message, "boom") {
		t.Errorf("internal detail leaked: %q", r.message)
	}
}
