package cognitoapi_test

import (
	"strings"
	"testing"

	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/storage/memory"
)

// TestConcurrencyLimit holds one operation inside the store; a second
// request finds no slot and is refused with TooManyRequestsException.
func TestConcurrencyLimit(t *testing.T) {
	store := blockingStore{Store: memory.New(), entered: make(chan struct{}), release: make(chan struct{})}
	srv := serve(t, newHandler(t, store, cognitoapi.WithConcurrencyLimit(1, 0)))
	first := make(chan response, 1)
	go func() {
		first <- signedCall(t, srv, call{op: "DescribeUserPool", body: `{"UserPoolId":"us-east-1_held"}`})
	}()
	<-store.entered
	r := signedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":1}`})
	if r.status != 400 || r.errType != "TooManyRequestsException" {
		t.Errorf("second request: got %d %s %q, want 400 TooManyRequestsException", r.status, r.errType, r.message)
	}
	close(store.release)
	if r := <-first; r.errType != "ResourceNotFoundException" {
		t.Errorf("first request: got %d %s, want ResourceNotFoundException", r.status, r.errType)
	}
	// The slot is free again.
	r = signedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":1}`})
	if r.status != 200 {
		t.Errorf("after release: got %d %s", r.status, r.errType)
	}
}

func TestLoadPools(t *testing.T) {
	store := memory.New()
	h := newHandler(t, store)
	file := `[
		{"PoolName": "customers", "UsernameAttributes": ["email"], "Policies": {"PasswordPolicy": {"MinimumLength": 10}}},
		{"PoolName": "staff", "UserPoolId": "eu-west-1_Staff0001", "AdminCreateUserConfig": {"AllowAdminCreateUserOnly": true}}
	]`
	ids, err := h.LoadPools(t.Context(), strings.NewReader(file))
	if err != nil {
		t.Fatalf("LoadPools: %v", err)
	}
	if len(ids) != 2 || ids[1] != "eu-west-1_Staff0001" || !strings.HasPrefix(ids[0], "us-east-1_") {
		t.Fatalf("LoadPools ids = %v", ids)
	}
	// A second load (the next start) finds the pools and creates nothing.
	again, err := newHandler(t, store).LoadPools(t.Context(), strings.NewReader(file))
	if err != nil || again[0] != ids[0] || again[1] != ids[1] {
		t.Fatalf("second LoadPools = %v, %v; want %v", again, err, ids)
	}
	srv := serve(t, h)
	r := signedCall(t, srv, call{op: "ListUserPools", body: `{"MaxResults":10}`})
	if n := strings.Count(string(r.body), `"Id"`); n != 2 {
		t.Errorf("%d pools in the store, want 2: %s", n, r.body)
	}
	r = signedCall(t, srv, call{op: "DescribeUserPool", body: `{"UserPoolId":"eu-west-1_Staff0001"}`})
	if !strings.Contains(string(r.body), `"Arn":"arn:aws:cognito-idp:eu-west-1:`) {
		t.Errorf("pool with a given id is not in its region: %s", r.body)
	}

	for name, bad := range map[string]string{
		"not an array":   `{"PoolName":"x"}`,
		"missing name":   `[{}]`,
		"invalid policy": `[{"PoolName":"x","Policies":{"PasswordPolicy":{"MinimumLength":1}}}]`,
	} {
		if _, err := h.LoadPools(t.Context(), strings.NewReader(bad)); err == nil {
			t.Errorf("LoadPools(%s) succeeded", name)
		}
	}
}
