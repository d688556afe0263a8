package passkey_test

import (
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/softauthn"
	"github.com/userpool/userpool/passkey"
	"github.com/userpool/userpool/storage"
)

const origin = "https://shop.example"

func ceremonies(t *testing.T) *passkey.Ceremonies {
	t.Helper()
	c, err := passkey.New(passkey.Config{RPID: "shop.example", RPName: "Shop", RPOrigins: []string{origin}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// register runs a registration of a new authenticator for u and returns
// both, the user holding the new passkey.
func register(t *testing.T, c *passkey.Ceremonies, u userpool.PasskeyUser) (*softauthn.Authenticator, userpool.PasskeyUser) {
	t.Helper()
	a, err := softauthn.New(origin)
	if err != nil {
		t.Fatal(err)
	}
	options, state, err := c.BeginRegistration(u)
	if err != nil {
		t.Fatal(err)
	}
	response, err := a.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := c.FinishRegistration(u, state, response)
	if err != nil {
		t.Fatalf("FinishRegistration: %v", err)
	}
	if pk.CredentialID() != a.CredentialID() || len(pk.Data) == 0 {
		t.Fatalf("registered %+v", pk)
	}
	u.Passkeys = append(u.Passkeys, pk)
	return a, u
}

func TestRegisterAndSignIn(t *testing.T) {
	c := ceremonies(t)
	a, u := register(t, c, userpool.PasskeyUser{ID: []byte("sub-1"), Name: "ana@example.com", DisplayName: "Ana"})
	for i := range 2 {
		options, state, err := c.BeginLogin(u)
		if err != nil {
			t.Fatal(err)
		}
		response, err := a.Assert(options)
		if err != nil {
			t.Fatal(err)
		}
		used, err := c.FinishLogin(u, state, response)
		if err != nil {
			t.Fatalf("sign-in %d: %v", i+1, err)
		}
		u.Passkeys[0] = used // the new sign count
		// The same assertion again: its challenge is spent.
		if _, err := c.FinishLogin(u, state, response); err == nil {
			t.Fatal("a replayed assertion verified")
		}
	}
}

func TestRefusedAssertions(t *testing.T) {
	c := ceremonies(t)
	a, u := register(t, c, userpool.PasskeyUser{ID: []byte("sub-1"), Name: "ana@example.com", DisplayName: "Ana"})
	other, _ := register(t, c, userpool.PasskeyUser{ID: []byte("sub-2"), Name: "bo@example.com", DisplayName: "Bo"})
	for _, tc := range []struct {
		name   string
		answer func(options []byte) ([]byte, error)
	}{
		{"another origin", func(o []byte) ([]byte, error) {
			a.Origin = "https://evil.example"
			defer func() { a.Origin = origin }()
			return a.Assert(o)
		}},
		{"another user's passkey", other.Assert},
		{"tampered signature", func(o []byte) ([]byte, error) {
			r, err := a.Assert(o)
			return []byte(strings.Replace(string(r), `"signature":"M`, `"signature":"N`, 1)), err
		}},
		{"not a response", func([]byte) ([]byte, error) { return []byte(`{}`), nil }},
	} {
		options, state, err := c.BeginLogin(u)
		if err != nil {
			t.Fatal(err)
		}
		response, err := tc.answer(options)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.FinishLogin(u, state, response); err == nil {
			t.Errorf("%s: verified", tc.name)
		}
	}
}

// TestPoolRelyingParty: a user whose pool names its own relying party gets
// ceremonies bound to it, from one Ceremonies serving two sites; a
// credential of one site does not sign in at the other.
func TestPoolRelyingParty(t *testing.T) {
	c, err := passkey.New(passkey.Config{RPID: "shop.example", RPName: "Shop", RPOrigins: []string{origin, "https://blog.example"}})
	if err != nil {
		t.Fatal(err)
	}
	blogUser := userpool.PasskeyUser{ID: []byte("sub-1"), Name: "ana", DisplayName: "Ana", RelyingPartyID: "blog.example"}
	a, err := softauthn.New("https://blog.example")
	if err != nil {
		t.Fatal(err)
	}
	options, state, err := c.BeginRegistration(blogUser)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(options), `"id":"blog.example"`) {
		t.Fatalf("registration options not for blog.example: %s", options)
	}
	response, err := a.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	pk, err := c.FinishRegistration(blogUser, state, response)
	if err != nil {
		t.Fatalf("FinishRegistration: %v", err)
	}
	blogUser.Passkeys = []storage.Passkey{pk}
	options, state, err = c.BeginLogin(blogUser)
	if err != nil {
		t.Fatal(err)
	}
	assertion, err := a.Assert(options)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.FinishLogin(blogUser, state, assertion); err != nil {
		t.Fatalf("sign-in at blog.example: %v", err)
	}
	// The same credential presented for the default site.
	shopUser := blogUser
	shopUser.RelyingPartyID = ""
	options, state, err = c.BeginLogin(shopUser)
	if err != nil {
		t.Fatal(err)
	}
	if assertion, err = a.Assert(options); err != nil {
		t.Fatal(err)
	}
	if _, err := c.FinishLogin(shopUser, state, assertion); err == nil {
		t.Error("a blog.example passkey signed in at shop.example")
	}
}
