package userpool_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/userpool/userpool"
)

func TestUpdateAndDeleteResourceServer(t *testing.T) {
	e := newAuthEnv(t)
	if _, err := e.pool.CreateResourceServer(e.ctx, userpool.ResourceServer{Identifier: "api", Name: "API",
		Scopes: []userpool.ResourceServerScope{{Name: "read"}, {Name: "write"}}}); err != nil {
		t.Fatal(err)
	}
	m := e.client(t, userpool.ClientConfig{Name: "machine", GenerateSecret: true, AllowedOAuthFlows: []string{"client_credentials"},
		AllowedOAuthScopes: []string{"api/read", "api/write"}})
	granted := func() string {
		t.Helper()
		res, err := e.pool.IssueClientCredentials(e.ctx, userpool.ClientCredentialsInput{ClientID: m.ID, ClientSecret: m.Secret})
		if err != nil {
			return err.Error()
		}
		return strings.Join(res.Scopes, " ")
	}
	if got := granted(); got != "api/read api/write" {
		t.Fatalf("before: %q", got)
	}

	for _, tc := range []struct {
		name string
		rs   userpool.ResourceServer
		err  *userpool.Error
	}{
		{"unknown", userpool.ResourceServer{Identifier: "nope", Name: "x"}, userpool.ErrResourceNotFound},
		{"malformed", userpool.ResourceServer{Identifier: "api", Name: "x", Scopes: []userpool.ResourceServerScope{{Name: "a/b"}}}, userpool.ErrInvalidParameter},
	} {
		if _, err := e.pool.UpdateResourceServer(e.ctx, tc.rs); !errors.Is(err, tc.err) {
			t.Errorf("update %s: got %v, want %s", tc.name, err, tc.err.Code)
		}
	}
	if got, err := e.pool.DescribeResourceServer(e.ctx, "api"); err != nil || got.Name != "API" || len(got.Scopes) != 2 {
		t.Fatalf("a refused update changed the server: %+v %v", got, err)
	}

	// An update replaces the name and the scopes: write is gone from new
	// tokens, though the client still lists it.
	updated, err := e.pool.UpdateResourceServer(e.ctx, userpool.ResourceServer{Identifier: "api", Name: "Orders API",
		Scopes: []userpool.ResourceServerScope{{Name: "read", Description: "Read orders"}}})
	if err != nil || updated.Name != "Orders API" {
		t.Fatalf("update: %+v %v", updated, err)
	}
	if got, err := e.pool.DescribeResourceServer(e.ctx, "api"); err != nil || got.Name != "Orders API" || len(got.Scopes) != 1 || got.Scopes[0].Description != "Read orders" {
		t.Errorf("after update: %+v %v", got, err)
	}
	if got := granted(); got != "api/read" {
		t.Errorf("after update: granted %q, want api/read", got)
	}

	if err := e.pool.DeleteResourceServer(e.ctx, "api"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.DescribeResourceServer(e.ctx, "api"); !errors.Is(err, userpool.ErrResourceNotFound) {
		t.Errorf("describe after delete: %v", err)
	}
	if got := granted(); !strings.Contains(got, "No scope the client may request.") {
		t.Errorf("after delete: granted %q", got)
	}
	scopes, err := e.pool.OAuthScopes(e.ctx)
	if err != nil || slices.ContainsFunc(scopes, func(s string) bool { return strings.HasPrefix(s, "api/") }) {
		t.Errorf("scopes after delete: %v %v", scopes, err)
	}
	if err := e.pool.DeleteResourceServer(e.ctx, "api"); !errors.Is(err, userpool.ErrResourceNotFound) {
		t.Errorf("delete twice: %v", err)
	}
}

// TestConcurrentResourceServerChanges: changes made at once, as by several
// instances, all land; none overwrites another.
func TestConcurrentResourceServerChanges(t *testing.T) {
	e := newAuthEnv(t)
	const n = 20
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.pool.CreateResourceServer(e.ctx, userpool.ResourceServer{Identifier: fmt.Sprintf("api-%02d", i), Name: "api"})
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	list, err := e.pool.ListResourceServers(e.ctx)
	if err != nil || len(list) != n {
		t.Fatalf("after %d concurrent creates: %d servers, %v", n, len(list), err)
	}
	for i := range n {
		wg.Go(func() {
			if i%2 == 0 {
				errs[i] = e.pool.DeleteResourceServer(e.ctx, fmt.Sprintf("api-%02d", i))
			} else {
				_, errs[i] = e.pool.UpdateResourceServer(e.ctx, userpool.ResourceServer{Identifier: fmt.Sprintf("api-%02d", i), Name: "renamed"})
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	list, err = e.pool.ListResourceServers(e.ctx)
	if err != nil || len(list) != n/2 {
		t.Fatalf("after concurrent deletes and updates: %d servers, %v", len(list), err)
	}
	for _, rs := range list {
		if rs.Name != "renamed" {
			t.Errorf("%s lost its update: %+v", rs.Identifier, rs)
		}
	}
}
