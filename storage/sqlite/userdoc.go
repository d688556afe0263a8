package sqlite

import (
	"encoding/json"
	"time"

	"github.com/userpool/userpool/storage"
)

// userDoc is the part of a user kept as JSON in users.doc: everything no
// query looks at. It has its own field tags, independent of the storage
// structs' Go names, so renaming a field there cannot silently drop stored
// data; a new field is added here with omitempty and needs no migration.
//
// Maps, slices and byte slices carry no omitempty: JSON null and an empty
// value decode differently, so nil and empty survive the round trip.
type userDoc struct {
	Logins            []loginDoc        `json:"logins"`
	Attributes        map[string]string `json:"attrs"`
	PendingAttributes map[string]string `json:"pending"`
	PasswordHash      string            `json:"pw,omitempty"`
	PasswordHistory   []string          `json:"pw_history"`
	PasswordExpiresAt time.Time         `json:"pw_expires"`
	SRPSalt           []byte            `json:"srp_salt"`
	SRPVerifier       []byte            `json:"srp_verifier"`
	MFA               mfaDoc            `json:"mfa"`
	TokensValidAfter  time.Time         `json:"tokens_valid_after"`
	UpdatedAt         time.Time         `json:"updated_at"`
}

type loginDoc struct {
	Name string `json:"n"`
	Key  string `json:"k"`
}

type mfaDoc struct {
	Enabled           []string `json:"enabled"`
	Preferred         string   `json:"preferred,omitempty"`
	TOTPSecret        []byte   `json:"totp"`
	PendingTOTPSecret []byte   `json:"totp_pending"`
	TOTPLastStep      int64    `json:"totp_step,omitempty"`
	TOTPDeviceName    string   `json:"totp_device,omitempty"`
}

// encodeUser returns the JSON document for u. Times are stored in UTC,
// as every other time in the store.
func encodeUser(u *storage.User) ([]byte, error) {
	for _, t := range []time.Time{u.PasswordExpiresAt, u.TokensValidAfter, u.UpdatedAt} {
		if _, err := enc(t); err != nil {
			return nil, err
		}
	}
	d := userDoc{
		Attributes:        u.Attributes,
		PendingAttributes: u.PendingAttributes,
		PasswordHash:      u.PasswordHash,
		PasswordHistory:   u.PasswordHistory,
		PasswordExpiresAt: u.PasswordExpiresAt.UTC(),
		SRPSalt:           u.SRP.Salt,
		SRPVerifier:       u.SRP.Verifier,
		MFA: mfaDoc{
			Enabled:           u.MFA.Enabled,
			Preferred:         u.MFA.Preferred,
			TOTPSecret:        u.MFA.TOTPSecret,
			PendingTOTPSecret: u.MFA.PendingTOTPSecret,
			TOTPLastStep:      u.MFA.TOTPLastStep,
			TOTPDeviceName:    u.MFA.TOTPDeviceName,
		},
		TokensValidAfter: u.TokensValidAfter.UTC(),
		UpdatedAt:        u.UpdatedAt.UTC(),
	}
	if u.Logins != nil {
		d.Logins = make([]loginDoc, len(u.Logins))
		for i, l := range u.Logins {
			d.Logins[i] = loginDoc{Name: l.Name, Key: l.Key}
		}
	}
	return json.Marshal(d)
}

// decodeUser fills the document's fields of u from b.
func decodeUser(b []byte, u *storage.User) error {
	var d userDoc
	if err := json.Unmarshal(b, &d); err != nil {
		return err
	}
	if d.Logins != nil {
		u.Logins = make([]storage.Login, len(d.Logins))
		for i, l := range d.Logins {
			u.Logins[i] = storage.Login{Name: l.Name, Key: l.Key}
		}
	}
	u.Attributes = d.Attributes
	u.PendingAttributes = d.PendingAttributes
	u.PasswordHash = d.PasswordHash
	u.PasswordHistory = d.PasswordHistory
	u.PasswordExpiresAt = zeroUTC(d.PasswordExpiresAt)
	u.SRP = storage.SRPVerifier{Salt: d.SRPSalt, Verifier: d.SRPVerifier}
	u.MFA = storage.UserMFA{
		Enabled:           d.MFA.Enabled,
		Preferred:         d.MFA.Preferred,
		TOTPSecret:        d.MFA.TOTPSecret,
		PendingTOTPSecret: d.MFA.PendingTOTPSecret,
		TOTPLastStep:      d.MFA.TOTPLastStep,
		TOTPDeviceName:    d.MFA.TOTPDeviceName,
	}
	u.TokensValidAfter = zeroUTC(d.TokensValidAfter)
	u.UpdatedAt = zeroUTC(d.UpdatedAt)
	return nil
}

// zeroUTC returns t, with a zero time as time.Time{} exactly.
func zeroUTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
