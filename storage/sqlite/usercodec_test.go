package sqlite

import (
	"reflect"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

func TestUserDocRoundTrip(t *testing.T) {
	at := time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC)
	tests := []struct {
		name string
		u    storage.User
	}{
		{"zero", storage.User{}},
		{"empty collections", storage.User{
			Logins: []storage.Login{}, Attributes: map[string]string{}, PendingAttributes: map[string]string{},
			PasswordHistory: []string{}, SRP: storage.SRPVerifier{Salt: []byte{}, Verifier: []byte{}},
			MFA:      storage.UserMFA{Enabled: []string{}, TOTPSecret: []byte{}, PendingTOTPSecret: []byte{}},
			Passkeys: []storage.Passkey{},
		}},
		{"full", storage.User{
			Logins:            []storage.Login{{Name: "username", Key: "ana"}, {Name: "email", Key: "ana@example.com"}},
			Attributes:        map[string]string{"email": "ana@example.com", "name": "Ána\x00", "": ""},
			PendingAttributes: map[string]string{"email": "new@example.com"},
			PasswordHash:      "$argon2id$v=19$m=65536,t=3,p=4$salt$hash",
			PasswordHistory:   []string{"old1", ""},
			PasswordExpiresAt: at,
			SRP:               storage.SRPVerifier{Salt: []byte{0, 1}, Verifier: make([]byte, 384)},
			MFA: storage.UserMFA{Enabled: []string{"SOFTWARE_TOKEN_MFA"}, Preferred: "SOFTWARE_TOKEN_MFA",
				TOTPSecret: []byte("s"), PendingTOTPSecret: []byte("p"), TOTPLastStep: -3, TOTPDeviceName: "phone"},
			Passkeys: []storage.Passkey{
				{ID: []byte{1, 2}, Name: "Passkey", Data: []byte(`{"publicKey":"x"}`), CreatedAt: at, LastUsedAt: at.Add(time.Minute)},
				{ID: []byte{3}, Data: []byte{}, CreatedAt: at},
			},
			TokensValidAfter: at.Add(time.Hour),
			UpdatedAt:        time.Unix(0, 0).UTC(),
		}},
	}
	for _, tc := range tests {
		b, err := encodeUser(&tc.u)
		if err != nil {
			t.Fatalf("%s: encode: %v", tc.name, err)
		}
		var got storage.User
		if err := decodeUser(b, &got, fullUser); err != nil {
			t.Fatalf("%s: decode: %v", tc.name, err)
		}
		if !reflect.DeepEqual(got, tc.u) {
			t.Errorf("%s:\ngot  %#v\nwant %#v", tc.name, got, tc.u)
		}
		var listed storage.User
		if err := decodeUser(b, &listed, listedUser); err != nil {
			t.Fatalf("%s: decode listed: %v", tc.name, err)
		}
		if want := tc.u.WithoutSecrets(); !reflect.DeepEqual(listed, want) {
			t.Errorf("%s listed:\ngot  %#v\nwant %#v", tc.name, listed, want)
		}
	}
}

// TestUserDocSkipsUnknownTags checks the promise that lets a later
// version add fields: an older reader skips tags it does not know.
func TestUserDocSkipsUnknownTags(t *testing.T) {
	u := storage.User{PasswordHash: "h"}
	b, _ := encodeUser(&u)
	b = append(b, 99, 3, 'x', 'y', 'z')
	var got storage.User
	if err := decodeUser(b, &got, fullUser); err != nil || got.PasswordHash != "h" {
		t.Fatalf("got %q, %v; want h, nil", got.PasswordHash, err)
	}
}

// FuzzDecodeUser checks that no input makes decodeUser panic, that
// whatever it accepts encodes and decodes to the same user again, and that
// the listed form of it is the user without its secrets.
func FuzzDecodeUser(f *testing.F) {
	full := storage.User{Logins: []storage.Login{{Name: "n", Key: "k"}}, Attributes: map[string]string{"a": "b"},
		PasswordHistory: []string{"x"}, UpdatedAt: time.Unix(1e9, 5).UTC(), MFA: storage.UserMFA{TOTPLastStep: 9},
		Passkeys: []storage.Passkey{{ID: []byte{1}, Name: "p", Data: []byte{2}, CreatedAt: time.Unix(1e9, 0).UTC()}}}
	b, _ := encodeUser(&full)
	f.Add(b)
	f.Add([]byte{docVersion})
	f.Add([]byte{docVersion, tagUpdatedAt, 2, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		var u storage.User
		if err := decodeUser(b, &u, fullUser); err != nil {
			return
		}
		var listed storage.User
		if err := decodeUser(b, &listed, listedUser); err != nil || !reflect.DeepEqual(listed, u.WithoutSecrets()) {
			t.Fatalf("listed %#v, %v; want %#v", listed, err, u.WithoutSecrets())
		}
		again, err := encodeUser(&u)
		if err != nil {
			return // a decoded time outside years 0-9999
		}
		var u2 storage.User
		if err := decodeUser(again, &u2, fullUser); err != nil || !reflect.DeepEqual(u, u2) {
			t.Fatalf("re-decoded %#v, %v; want %#v", u2, err, u)
		}
	})
}
