// Package softauthn is a software WebAuthn authenticator for tests: it
// answers the options a relying party sends to navigator.credentials
// create and get with the responses a browser would return, signed with an
// ECDSA P-256 key it holds, with "none" attestation and user presence and
// verification set.
package softauthn

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"

	"github.com/fxamacker/cbor/v2"
)

// Authenticator holds one credential for one relying party.
type Authenticator struct {
	// Origin is the origin the responses say the ceremony ran on.
	Origin string
	key    *ecdsa.PrivateKey
	id     []byte
	user   []byte
	rpID   string
	count  uint32
}

// New returns an authenticator with a fresh key and credential id.
func New(origin string) (*Authenticator, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, err
	}
	return &Authenticator{Origin: origin, key: key, id: id}, nil
}

// CredentialID is the credential's id, base64url without padding.
func (a *Authenticator) CredentialID() string { return b64(a.id) }

// Flags of authenticator data.
const (
	flagUP = 0x01
	flagUV = 0x04
	flagAT = 0x40
)

// Register answers credential creation options (the publicKey member, as
// JSON) with a registration response.
func (a *Authenticator) Register(options []byte) ([]byte, error) {
	var o struct {
		Challenge string `json:"challenge"`
		RP        struct {
			ID string `json:"id"`
		} `json:"rp"`
		User struct {
			ID string `json:"id"`
		} `json:"user"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	user, err := base64.RawURLEncoding.DecodeString(o.User.ID)
	if err != nil {
		return nil, err
	}
	a.rpID, a.user = o.RP.ID, user
	clientData, err := a.clientData("webauthn.create", o.Challenge)
	if err != nil {
		return nil, err
	}
	x, y := a.key.X.FillBytes(make([]byte, 32)), a.key.Y.FillBytes(make([]byte, 32))
	coseKey, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: x, -3: y})
	if err != nil {
		return nil, err
	}
	authData := a.authData(flagUP | flagUV | flagAT)
	authData = append(authData, make([]byte, 16)...) // AAGUID
	authData = binary.BigEndian.AppendUint16(authData, uint16(len(a.id)))
	authData = append(authData, a.id...)
	authData = append(authData, coseKey...)
	attestation, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": authData})
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64(a.id), "rawId": b64(a.id), "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64(clientData), "attestationObject": b64(attestation), "transports": []string{"internal"},
		},
	})
}

// Assert answers credential request options (the publicKey member, as
// JSON) with an assertion by the registered credential.
func (a *Authenticator) Assert(options []byte) ([]byte, error) {
	if a.rpID == "" {
		return nil, errors.New("softauthn: no credential registered")
	}
	var o struct {
		Challenge string `json:"challenge"`
	}
	if err := json.Unmarshal(options, &o); err != nil {
		return nil, err
	}
	clientData, err := a.clientData("webauthn.get", o.Challenge)
	if err != nil {
		return nil, err
	}
	a.count++
	authData := a.authData(flagUP | flagUV)
	digest := sha256.Sum256(clientData)
	signed := sha256.Sum256(append(append([]byte{}, authData...), digest[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, a.key, signed[:])
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]any{
		"id": b64(a.id), "rawId": b64(a.id), "type": "public-key", "authenticatorAttachment": "platform",
		"clientExtensionResults": map[string]any{},
		"response": map[string]any{
			"clientDataJSON": b64(clientData), "authenticatorData": b64(authData),
			"signature": b64(sig), "userHandle": b64(a.user),
		},
	})
}

func (a *Authenticator) clientData(typ, challenge string) ([]byte, error) {
	return json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": a.Origin, "crossOrigin": false})
}

// authData is the rpIdHash, the flags and the sign count.
func (a *Authenticator) authData(flags byte) []byte {
	h := sha256.Sum256([]byte(a.rpID))
	b := append(h[:], flags)
	return binary.BigEndian.AppendUint32(b, a.count)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
