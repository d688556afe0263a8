package userpool_test

import (
	"context"
	"regexp"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestCreateClientDefaultsAndFormats(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	c := f.public
	if !regexp.MustCompile(`^[0-9a-z]{26}$`).MatchString(c.ID) {
		t.Errorf("client id %q: want 26 lower-case letters and digits", c.ID)
	}
	if c.Secret != "" {
		t.Errorf("public client: got secret %q, want none", c.Secret)
	}
	if !regexp.MustCompile(`^[0-9a-z]{51}$`).MatchString(f.secret.Secret) {
		t.Errorf("client secret %q: want 51 lower-case letters and digits", f.secret.Secret)
	}
	if c.AccessTokenValidity != time.Hour || c.IDTokenValidity != time.Hour || c.RefreshTokenValidity != 30*24*time.Hour || c.AuthSessionValidity != 3*time.Minute {
		t.Errorf("validities: got %v %v %v %v, want Cognito's defaults", c.AccessTokenValidity, c.IDTokenValidity, c.RefreshTokenValidity, c.AuthSessionValidity)
	}
	for _, flow := range []userpool.AuthFlow{userpool.FlowRefreshToken, userpool.FlowUserSRP, userpool.FlowCustom} {
		if !c.Allows(flow) {
			t.Errorf("default flows: %s not allowed", flow)
		}
	}
	if c.Allows(userpool.FlowUserPassword) {
		t.Errorf("default flows allow USER_PASSWORD_AUTH")
	}
	if !c.RevocationEnabled() {
		t.Errorf("token revocation is off by default, want on")
	}
	got, err := f.pool.DescribeClient(ctx, f.secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret != f.secret.Secret || got.Name != "server" || got.PoolID != f.pool.ID() {
		t.Errorf("DescribeClient: got %+v", got)
	}
}

func TestClientSecretSealedAtRest(t *testing.T) {
	key := make([]byte, 32)
	f := newTokenFixture(t, userpool.WithSecretKey(key))
	rec, err := f.store.GetClient(context.Background(), f.pool.ID(), f.secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if regexp.MustCompile(f.secret.Secret).Match(rec.Settings) {
		t.Errorf("the stored settings hold the client secret in clear")
	}
	got, err := f.pool.DescribeClient(context.Background(), f.secret.ID)
	if err != nil || got.Secret != f.secret.Secret {
		t.Errorf("DescribeClient: got %q, %v; want the secret back", got.Secret, err)
	}
}

func TestCreateClientRejectsBadSettings(t *testing.T) {
	f := newTokenFixture(t)
	tests := []struct {
		name string
		cfg  userpool.ClientConfig
	}{
		{"no name", userpool.ClientConfig{}},
		{"bad name", userpool.ClientConfig{Name: "a/b"}},
		{"access validity too short", userpool.ClientConfig{Name: "x", AccessTokenValidity: time.Minute}},
		{"id validity too long", userpool.ClientConfig{Name: "x", IDTokenValidity: 25 * time.Hour}},
		{"refresh validity too long", userpool.ClientConfig{Name: "x", RefreshTokenValidity: 3651 * 24 * time.Hour}},
		{"session validity", userpool.ClientConfig{Name: "x", AuthSessionValidity: 16 * time.Minute}},
		{"unknown flow", userpool.ClientConfig{Name: "x", AuthFlows: []userpool.AuthFlow{"ALLOW_MAGIC"}}},
		{"flows without refresh", userpool.ClientConfig{Name: "x", AuthFlows: []userpool.AuthFlow{userpool.FlowUserSRP}}},
		{"unknown read attribute", userpool.ClientConfig{Name: "x", ReadAttributes: []string{"custom:nope"}}},
		{"write a verified flag", userpool.ClientConfig{Name: "x", WriteAttributes: []string{"email", "email_verified"}}},
		{"bad id", userpool.ClientConfig{Name: "x", ID: "a b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := f.pool.CreateClient(context.Background(), tc.cfg)
			wantAuthErr(t, "CreateClient", err, userpool.ErrInvalidParameter, "")
		})
	}
	list, err := f.pool.ListClients(context.Background(), 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Clients) != 2 {
		t.Errorf("after refused creations: got %d clients, want the fixture's 2", len(list.Clients))
	}
}

func TestUpdateClientReplacesAndKeepsSecret(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	f.clock.Advance(time.Minute)
	up, err := f.pool.UpdateClient(ctx, userpool.ClientConfig{
		ID: f.secret.ID, Name: "renamed", AccessTokenValidity: 10 * time.Minute,
		AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken},
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.pool.DescribeClient(ctx, f.secret.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "renamed" || got.Secret != f.secret.Secret || got.AccessTokenValidity != 10*time.Minute ||
		got.IDTokenValidity != time.Hour || !got.Allows(userpool.FlowUserPassword) || got.Allows(userpool.FlowUserSRP) {
		t.Errorf("after UpdateClient: got %+v", got)
	}
	if !got.CreatedAt.Equal(f.secret.CreatedAt) || !got.LastModifiedAt.Equal(f.clock.Now()) || !up.LastModifiedAt.Equal(got.LastModifiedAt) {
		t.Errorf("dates: created %v, modified %v", got.CreatedAt, got.LastModifiedAt)
	}
	_, err = f.pool.UpdateClient(ctx, userpool.ClientConfig{ID: "nope", Name: "x"})
	wantAuthErr(t, "UpdateClient of an unknown client", err, userpool.ErrResourceNotFound, "User pool client nope does not exist.")
}

func TestDeleteAndListClients(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	for _, name := range []string{"a", "b", "c"} {
		if _, err := f.pool.CreateClient(ctx, userpool.ClientConfig{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	pages := 0
	for next := ""; ; {
		page, err := f.pool.ListClients(ctx, 2, next)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, c := range page.Clients {
			seen[c.ID] = true
		}
		if next = page.NextToken; next == "" {
			break
		}
	}
	if len(seen) != 5 || pages != 3 {
		t.Errorf("ListClients by twos: got %d clients in %d pages, want 5 in 3", len(seen), pages)
	}
	res := f.signIn(t, f.public.ID)
	if err := f.pool.DeleteClient(ctx, f.public.ID); err != nil {
		t.Fatal(err)
	}
	_, err := f.pool.DescribeClient(ctx, f.public.ID)
	wantAuthErr(t, "DescribeClient after delete", err, userpool.ErrResourceNotFound, "User pool client "+f.public.ID+" does not exist.")
	_, err = f.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken})
	wantAuthErr(t, "refresh with a deleted client", err, userpool.ErrResourceNotFound, "")
	wantAuthErr(t, "second DeleteClient", f.pool.DeleteClient(ctx, f.public.ID), userpool.ErrResourceNotFound, "")
	_, err = f.pool.ListClients(ctx, 61, "")
	wantAuthErr(t, "ListClients(61)", err, userpool.ErrInvalidParameter, "")
	_, err = f.pool.ListClients(ctx, 10, "garbage")
	wantAuthErr(t, "ListClients with a bad token", err, userpool.ErrInvalidParameter, "")
}

func TestDeclaredClientsCreatedOnce(t *testing.T) {
	ctx := context.Background()
	f := newTokenFixture(t)
	opts := []userpool.Option{
		userpool.WithStore(f.store), userpool.WithClock(f.clock.Now), userpool.WithIssuer("https://auth.example.com"),
		userpool.WithClient(userpool.ClientConfig{Name: "declared", GenerateSecret: true}),
		userpool.WithClient(userpool.ClientConfig{Name: "fixed", ID: "fixedclientid"}),
	}
	var secrets []string
	for range 2 {
		p, err := userpool.New(ctx, "tokens", opts...)
		if err != nil {
			t.Fatal(err)
		}
		list, err := p.ListClients(ctx, 60, "")
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]int{}
		var declared string
		for _, c := range list.Clients {
			names[c.Name]++
			if c.Name == "declared" {
				declared = c.ID
			}
		}
		if names["declared"] != 1 || names["fixed"] != 1 {
			t.Fatalf("clients after New: %v, want one of each declared", names)
		}
		c, err := p.DescribeClient(ctx, declared)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, c.Secret)
		if _, err := p.DescribeClient(ctx, "fixedclientid"); err != nil {
			t.Fatal(err)
		}
	}
	if secrets[0] == "" || secrets[0] != secrets[1] {
		t.Errorf("declared client secret across restarts: %q, %q", secrets[0], secrets[1])
	}
}

func TestSecretHash(t *testing.T) {
	// The example of the reference: computed independently.
	if got, want := userpool.SecretHash("bob", "1example23456789", "abc123secret"), "JnEXIaggTXsmc8wfNeNlJEMiycoLP8icfNu9EhWlNxw="; got != want {
		t.Errorf("SecretHash: got %s, want %s", got, want)
	}
	f := newTokenFixture(t)
	ctx := context.Background()
	id := f.secret.ID
	good := userpool.SecretHash(fixtureUser, id, f.secret.Secret)
	tests := []struct {
		name, client, user, hash string
		want                     *userpool.Error
		msg                      string
	}{
		{"good", id, fixtureUser, good, nil, ""},
		{"missing", id, fixtureUser, "", userpool.ErrNotAuthorized, "Client " + id + " is configured with secret but SECRET_HASH was not received"},
		{"other user", id, "bob", good, userpool.ErrNotAuthorized, "Unable to verify secret hash for client " + id},
		{"garbage", id, fixtureUser, "not base64!", userpool.ErrNotAuthorized, "Unable to verify secret hash for client " + id},
		{"other secret", id, fixtureUser, userpool.SecretHash(fixtureUser, id, "wrong"), userpool.ErrNotAuthorized, "Unable to verify secret hash for client " + id},
		{"public client ignores it", f.public.ID, fixtureUser, "anything", nil, ""},
		{"unknown client", "nope", fixtureUser, "", userpool.ErrResourceNotFound, "User pool client nope does not exist."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := userpool.CheckClientForTest(ctx, f.pool, tc.client, tc.user, tc.hash)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("got %v, want success", err)
				}
				return
			}
			wantAuthErr(t, "checkClient", err, tc.want, tc.msg)
		})
	}
}

func TestClientChangesSeenByOtherInstanceWithinTTL(t *testing.T) {
	f := newTokenFixture(t)
	ctx := context.Background()
	p2, err := userpool.New(ctx, "tokens", userpool.WithStore(f.store), userpool.WithClock(f.clock.Now),
		userpool.WithIssuer("https://auth.example.com"), userpool.WithSigningAlgorithm(userpool.ES256))
	if err != nil {
		t.Fatal(err)
	}
	res := f.signIn(t, f.public.ID)
	in := userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken}
	if _, err := p2.RefreshTokens(ctx, in); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.DeleteClient(ctx, f.public.ID); err != nil {
		t.Fatal(err)
	}
	// This instance knows at once; the other within the cache TTL.
	_, err = f.pool.RefreshTokens(ctx, in)
	wantAuthErr(t, "same instance", err, userpool.ErrResourceNotFound, "")
	f.clock.Advance(userpool.DefaultCacheTTL)
	_, err = p2.RefreshTokens(ctx, in)
	wantAuthErr(t, "other instance after the TTL", err, userpool.ErrResourceNotFound, "")
}

func TestTokenOptionsValidated(t *testing.T) {
	tests := []struct {
		name string
		opt  userpool.Option
	}{
		{"algorithm", userpool.WithSigningAlgorithm("HS256")},
		{"leeway", userpool.WithTokenLeeway(time.Hour)},
		{"negative leeway", userpool.WithTokenLeeway(-time.Second)},
		{"cache TTL", userpool.WithCacheTTL(-time.Second)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := userpool.New(context.Background(), "tokens", tc.opt)
			wantAuthErr(t, "New", err, userpool.ErrInvalidParameter, "")
		})
	}
}
