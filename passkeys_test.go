package userpool_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/softauthn"
	"github.com/userpool/userpool/passkey"
)

const passkeyOrigin = "https://shop.example"

// newPasskeyEnv is a pool that offers passkeys as a first factor, with
// ana (a user) and the USER_AUTH clients.
func newPasskeyEnv(t *testing.T) (e *authEnv, open, prevent userpool.Client) {
	t.Helper()
	c, err := passkey.New(passkey.Config{RPID: "shop.example", RPName: "Shop", RPOrigins: []string{passkeyOrigin}})
	if err != nil {
		t.Fatal(err)
	}
	e = newAuthEnv(t, userpool.WithPasskeys(c),
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorWebAuthn))
	e.user(t, "ana", map[string]string{"email": "ana@example.com"})
	open, prevent = e.choiceClients(t)
	return e, open, prevent
}

// registerPasskey gives name a passkey held by a new software
// authenticator, through the registration operations.
func (e *authEnv) registerPasskey(t *testing.T, name string) (*softauthn.Authenticator, string) {
	t.Helper()
	access := e.tokens(t, name, authPassword).AccessToken
	a, err := softauthn.New(passkeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	options, err := e.pool.StartWebAuthnRegistration(e.ctx, access)
	if err != nil {
		t.Fatalf("StartWebAuthnRegistration: %v", err)
	}
	response, err := a.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pool.CompleteWebAuthnRegistration(e.ctx, access, response); err != nil {
		t.Fatalf("CompleteWebAuthnRegistration: %v", err)
	}
	return a, access
}

// passkeySignIn starts USER_AUTH with WEB_AUTHN for name and answers with
// a's assertion.
func (e *authEnv) passkeySignIn(t *testing.T, c userpool.Client, name string, a *softauthn.Authenticator) (userpool.AuthOutput, error) {
	t.Helper()
	out, err := e.userAuth(c, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": userpool.FirstFactorWebAuthn})
	if err != nil {
		return out, err
	}
	if out.ChallengeName != userpool.ChallengeWebAuthn || out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"] == "" {
		t.Fatalf("USER_AUTH WEB_AUTHN: %+v", out)
	}
	assertion, err := a.Assert([]byte(out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]))
	if err != nil {
		t.Fatal(err)
	}
	return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: c.ID, ChallengeName: userpool.ChallengeWebAuthn,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": name, "CREDENTIAL": string(assertion)}})
}

func TestPasskeyRegistrationAndSignIn(t *testing.T) {
	e, open, _ := newPasskeyEnv(t)
	a, access := e.registerPasskey(t, "ana")
	list, err := e.pool.ListWebAuthnCredentials(e.ctx, access)
	if err != nil || len(list) != 1 || list[0].CredentialID != a.CredentialID() || list[0].FriendlyCredentialName != "Passkey" {
		t.Fatalf("ListWebAuthnCredentials: %+v, %v", list, err)
	}

	// The passkey is offered, and signs in (twice: the sign count moves).
	out, err := e.userAuth(open, map[string]string{"USERNAME": "ana"})
	if err != nil || !slices.Contains(out.AvailableChallenges, userpool.FirstFactorWebAuthn) {
		t.Fatalf("choice: %+v, %v", out, err)
	}
	for range 2 {
		e.clock.Advance(time.Minute)
		out, err = e.passkeySignIn(t, open, "ana", a)
		e.wantTokens(t, "passkey sign-in", out, err, "ana")
	}
	if list, _ := e.pool.ListWebAuthnCredentials(e.ctx, access); list[0].LastUsedAt.IsZero() {
		t.Error("LastUsedAt not set")
	}

	// Another authenticator's assertion fails like a wrong password.
	stranger, err := softauthn.New(passkeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := stranger.Register([]byte(`{"challenge":"AA","rp":{"id":"shop.example"},"user":{"id":"AA"}}`)); err != nil {
		t.Fatal(err)
	}
	_, err = e.passkeySignIn(t, open, "ana", stranger)
	wantAuthErr(t, "another authenticator", err, userpool.ErrNotAuthorized, "Incorrect username or password.")

	// A deleted passkey no longer signs in, nor is offered.
	if err := e.pool.DeleteWebAuthnCredential(e.ctx, access, a.CredentialID()); err != nil {
		t.Fatal(err)
	}
	err = e.pool.DeleteWebAuthnCredential(e.ctx, access, a.CredentialID())
	wantAuthErr(t, "delete twice", err, userpool.ErrResourceNotFound, "Credential not found.")
	_, err = e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": userpool.FirstFactorWebAuthn})
	wantAuthErr(t, "no passkey left", err, userpool.ErrInvalidParameter, "WEB_AUTHN is not available for this user: no passkey.")
}

func TestPasskeyRegistrationRefusals(t *testing.T) {
	e, _, _ := newPasskeyEnv(t)
	access := e.tokens(t, "ana", authPassword).AccessToken
	a, err := softauthn.New(passkeyOrigin)
	if err != nil {
		t.Fatal(err)
	}
	options, err := e.pool.StartWebAuthnRegistration(e.ctx, access)
	if err != nil {
		t.Fatal(err)
	}
	response, err := a.Register(options)
	if err != nil {
		t.Fatal(err)
	}
	err = e.pool.CompleteWebAuthnRegistration(e.ctx, access, json.RawMessage(`{"response":{}}`))
	wantAuthErr(t, "malformed", err, userpool.ErrInvalidParameter, "The credential is not a WebAuthn response.")
	// Five minutes later the ceremony is over.
	e.clock.Advance(6 * time.Minute)
	err = e.pool.CompleteWebAuthnRegistration(e.ctx, access, response)
	if !errors.Is(err, userpool.ErrWebAuthnChallengeNotFound) {
		t.Fatalf("expired ceremony: %v", err)
	}
	// A response from another origin does not verify, and uses up the
	// ceremony.
	access = e.tokens(t, "ana", authPassword).AccessToken
	options, err = e.pool.StartWebAuthnRegistration(e.ctx, access)
	if err != nil {
		t.Fatal(err)
	}
	a.Origin = "https://evil.example"
	if response, err = a.Register(options); err != nil {
		t.Fatal(err)
	}
	err = e.pool.CompleteWebAuthnRegistration(e.ctx, access, response)
	if !errors.Is(err, userpool.ErrWebAuthnCredentialNotSupported) {
		t.Fatalf("another origin: %v", err)
	}
	err = e.pool.CompleteWebAuthnRegistration(e.ctx, access, response)
	if !errors.Is(err, userpool.ErrWebAuthnChallengeNotFound) {
		t.Fatalf("the same ceremony twice: %v", err)
	}
	if list, _ := e.pool.ListWebAuthnCredentials(e.ctx, access); len(list) != 0 {
		t.Errorf("a refused registration left %+v", list)
	}
}

// TestPasskeyDecoy: with existence errors prevented, a name without
// passkeys gets options naming a credential, the same each time, and any
// answer fails like a wrong password.
func TestPasskeyDecoy(t *testing.T) {
	e, _, prevent := newPasskeyEnv(t)
	a, _ := e.registerPasskey(t, "ana")
	options := func(name string) string {
		t.Helper()
		out, err := e.userAuth(prevent, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": userpool.FirstFactorWebAuthn})
		if err != nil || out.ChallengeName != userpool.ChallengeWebAuthn {
			t.Fatalf("USER_AUTH WEB_AUTHN %s: %+v, %v", name, out, err)
		}
		var o struct {
			AllowCredentials []struct {
				ID string `json:"id"`
			} `json:"allowCredentials"`
		}
		if err := json.Unmarshal([]byte(out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"]), &o); err != nil || len(o.AllowCredentials) != 1 {
			t.Fatalf("options for %s: %s", name, out.ChallengeParameters["CREDENTIAL_REQUEST_OPTIONS"])
		}
		return o.AllowCredentials[0].ID
	}
	if options("ana") != a.CredentialID() {
		t.Error("ana's options do not name her passkey")
	}
	if first, again := options("nobody"), options("nobody"); first != again || first == a.CredentialID() {
		t.Errorf("decoy credential ids %q, %q", first, again)
	}
	_, err := e.passkeySignIn(t, prevent, "nobody", a)
	wantAuthErr(t, "decoy", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
}

func TestPasskeyConfiguration(t *testing.T) {
	_, err := userpool.New(t.Context(), "p", userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorWebAuthn))
	var ce *userpool.ConfigError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "WEB_AUTHN needs WithPasskeys") {
		t.Errorf("WEB_AUTHN without passkeys: %v", err)
	}
	_, err = userpool.New(t.Context(), "p", userpool.WithWebAuthnConfiguration(userpool.WebAuthnConfig{RelyingPartyID: "x.example", UserVerification: "sometimes"}))
	if !errors.As(err, &ce) {
		t.Errorf("user verification sometimes: %v", err)
	}
	e := newAuthEnv(t)
	access := func() string { e.user(t, "zed", nil); return e.tokens(t, "zed", authPassword).AccessToken }()
	_, err = e.pool.StartWebAuthnRegistration(e.ctx, access)
	wantAuthErr(t, "no passkeys", err, userpool.ErrWebAuthnNotEnabled, "Passkeys are not enabled for this user pool.")
}
