// Package passkey verifies WebAuthn ceremonies for a user pool's passkeys
// with github.com/go-webauthn/webauthn:
//
//	ceremonies, err := passkey.New(passkey.Config{
//		RPID:      "example.com",
//		RPName:    "Example",
//		RPOrigins: []string{"https://example.com"},
//	})
//	pool, err := userpool.New(ctx, "shop", userpool.WithPasskeys(ceremonies),
//		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorWebAuthn))
//
// The pool keeps the credentials and each ceremony's state; this package
// turns them into go-webauthn's types and back. A credential's
// storage.Passkey Data is go-webauthn's Credential as JSON.
package passkey

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// Config names the relying party: the site passkeys are bound to.
type Config struct {
	// RPID is the relying party id, the site's domain ("example.com").
	RPID string
	// RPName is the name authenticators show.
	RPName string
	// RPOrigins are the origins ceremonies may come from
	// ("https://example.com").
	RPOrigins []string
	// UserVerificationPreferred lets authenticators skip user verification
	// (a PIN or biometric); by default it is required, as a passkey that
	// signs in alone must be two factors.
	UserVerificationPreferred bool
}

// Ceremonies implements userpool.PasskeyCeremonies. A pool's own relying
// party (userpool.WithWebAuthnConfiguration) replaces Config's RPID for its
// ceremonies, so one Ceremonies can serve pools of several sites, provided
// their origins are all among RPOrigins.
type Ceremonies struct {
	w  *webauthn.WebAuthn
	uv protocol.UserVerificationRequirement
}

// verification is the user verification of u's ceremonies.
func (cs *Ceremonies) verification(u userpool.PasskeyUser) protocol.UserVerificationRequirement {
	switch u.UserVerification {
	case "required":
		return protocol.VerificationRequired
	case "preferred":
		return protocol.VerificationPreferred
	}
	return cs.uv
}

var _ userpool.PasskeyCeremonies = (*Ceremonies)(nil)

// New returns the ceremonies of the relying party c.
func New(c Config) (*Ceremonies, error) {
	uv := protocol.VerificationRequired
	if c.UserVerificationPreferred {
		uv = protocol.VerificationPreferred
	}
	w, err := webauthn.New(&webauthn.Config{
		RPID:          c.RPID,
		RPDisplayName: c.RPName,
		RPOrigins:     c.RPOrigins,
		AuthenticatorSelection: protocol.AuthenticatorSelection{
			ResidentKey:      protocol.ResidentKeyRequirementPreferred,
			UserVerification: uv,
		},
	})
	if err != nil {
		return nil, fmt.Errorf("passkey: %w", err)
	}
	return &Ceremonies{w: w, uv: uv}, nil
}

// BeginRegistration implements userpool.PasskeyCeremonies.
func (cs *Ceremonies) BeginRegistration(u userpool.PasskeyUser) (options, state []byte, err error) {
	wu, err := newUser(u)
	if err != nil {
		return nil, nil, err
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range wu.creds {
		exclude = append(exclude, c.Descriptor())
	}
	opts := []webauthn.RegistrationOption{webauthn.WithExclusions(exclude), webauthn.WithAuthenticatorSelection(protocol.AuthenticatorSelection{
		ResidentKey: protocol.ResidentKeyRequirementPreferred, UserVerification: cs.verification(u),
	})}
	if u.RelyingPartyID != "" {
		opts = append(opts, webauthn.WithRegistrationRelyingPartyID(u.RelyingPartyID), webauthn.WithRegistrationRelyingPartyName(u.RelyingPartyID))
	}
	creation, session, err := cs.w.BeginRegistration(wu, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin registration: %w", err)
	}
	return marshalPair(creation.Response, session)
}

// FinishRegistration implements userpool.PasskeyCeremonies.
func (cs *Ceremonies) FinishRegistration(u userpool.PasskeyUser, state, response []byte) (storage.Passkey, error) {
	wu, session, err := begun(u, state)
	if err != nil {
		return storage.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return storage.Passkey{}, fmt.Errorf("passkey: registration response: %w", err)
	}
	cred, err := cs.w.CreateCredential(wu, session, parsed)
	if err != nil {
		return storage.Passkey{}, fmt.Errorf("passkey: registration: %w", err)
	}
	return toPasskey(storage.Passkey{}, cred)
}

// BeginLogin implements userpool.PasskeyCeremonies.
func (cs *Ceremonies) BeginLogin(u userpool.PasskeyUser) (options, state []byte, err error) {
	wu, err := newUser(u)
	if err != nil {
		return nil, nil, err
	}
	opts := []webauthn.LoginOption{webauthn.WithUserVerification(cs.verification(u))}
	if u.RelyingPartyID != "" {
		opts = append(opts, webauthn.WithLoginRelyingPartyID(u.RelyingPartyID))
	}
	assertion, session, err := cs.w.BeginLogin(wu, opts...)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: begin login: %w", err)
	}
	return marshalPair(assertion.Response, session)
}

// FinishLogin implements userpool.PasskeyCeremonies.
func (cs *Ceremonies) FinishLogin(u userpool.PasskeyUser, state, response []byte) (storage.Passkey, error) {
	wu, session, err := begun(u, state)
	if err != nil {
		return storage.Passkey{}, err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return storage.Passkey{}, fmt.Errorf("passkey: assertion: %w", err)
	}
	cred, err := cs.w.ValidateLogin(wu, session, parsed)
	if err != nil {
		return storage.Passkey{}, fmt.Errorf("passkey: assertion: %w", err)
	}
	if cred.Authenticator.CloneWarning {
		return storage.Passkey{}, errors.New("passkey: the sign count went back: the authenticator may be cloned")
	}
	for _, pk := range u.Passkeys {
		if string(pk.ID) == string(cred.ID) {
			return toPasskey(pk, cred)
		}
	}
	return storage.Passkey{}, errors.New("passkey: the assertion names no credential of the user")
}

// user adapts a userpool.PasskeyUser to go-webauthn.
type user struct {
	u     userpool.PasskeyUser
	creds []webauthn.Credential
}

func newUser(u userpool.PasskeyUser) (*user, error) {
	wu := &user{u: u}
	for _, pk := range u.Passkeys {
		c := webauthn.Credential{ID: pk.ID}
		if len(pk.Data) > 0 {
			if err := json.Unmarshal(pk.Data, &c); err != nil {
				return nil, fmt.Errorf("passkey: stored credential: %w", err)
			}
		}
		wu.creds = append(wu.creds, c)
	}
	return wu, nil
}

func (wu *user) WebAuthnID() []byte                         { return wu.u.ID }
func (wu *user) WebAuthnName() string                       { return wu.u.Name }
func (wu *user) WebAuthnDisplayName() string                { return wu.u.DisplayName }
func (wu *user) WebAuthnCredentials() []webauthn.Credential { return wu.creds }

// begun restores a ceremony's user and session.
func begun(u userpool.PasskeyUser, state []byte) (*user, webauthn.SessionData, error) {
	var session webauthn.SessionData
	if err := json.Unmarshal(state, &session); err != nil {
		return nil, session, fmt.Errorf("passkey: ceremony state: %w", err)
	}
	wu, err := newUser(u)
	return wu, session, err
}

func marshalPair(options any, session *webauthn.SessionData) ([]byte, []byte, error) {
	o, err := json.Marshal(options)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: options: %w", err)
	}
	s, err := json.Marshal(session)
	if err != nil {
		return nil, nil, fmt.Errorf("passkey: ceremony state: %w", err)
	}
	return o, s, nil
}

// toPasskey stores cred in pk.
func toPasskey(pk storage.Passkey, cred *webauthn.Credential) (storage.Passkey, error) {
	data, err := json.Marshal(cred)
	if err != nil {
		return storage.Passkey{}, fmt.Errorf("passkey: credential: %w", err)
	}
	pk.ID, pk.Data = cred.ID, data
	return pk, nil
}
