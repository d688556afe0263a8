package storage

import (
	"context"
	"encoding/base64"
	"strings"
	"time"
)

// User is one user of a pool. The store treats most fields as opaque data;
// the ones it must understand are the key (PoolID, Sub), the login keys, the
// searchable attributes, Status and Enabled.
type User struct {
	PoolID string
	// Sub is the user's immutable, unique identifier (a UUID), the record's
	// key within the pool.
	Sub string
	// Username is the user name as given at creation, kept for display.
	Username string
	// Logins are the keys that find this user in UserByLogin: the
	// normalised user name and each alias that currently works for sign-in
	// (a verified email, a verified phone number, a preferred_username).
	// A key is unique across every login of every user of the pool.
	Logins []Login
	// Attributes holds every attribute but sub, values as strings
	// ("true"/"false" for booleans), as Cognito renders them.
	Attributes map[string]string
	// PendingAttributes holds new values of attributes that stay inactive
	// until verified (an email or phone number being changed).
	PendingAttributes map[string]string
	// Status is Cognito's user status: UNCONFIRMED, CONFIRMED,
	// FORCE_CHANGE_PASSWORD, RESET_REQUIRED or EXTERNAL_PROVIDER.
	Status  string
	Enabled bool

	// PasswordHash is the password hash, or "" when the user has none: an
	// argon2id PHC string, or an imported bcrypt, scrypt or PBKDF2 hash
	// (see userpool.ValidatePasswordHash for the accepted formats).
	PasswordHash string
	// PasswordHistory holds earlier password hashes, newest first.
	PasswordHistory []string
	// PasswordExpiresAt is when a temporary password stops working; zero
	// for a permanent password.
	PasswordExpiresAt time.Time

	// SRP holds the user's SRP salt and verifier, possibly encrypted.
	SRP SRPVerifier
	// MFA holds the user's factors and preferences.
	MFA UserMFA
	// Passkeys are the user's WebAuthn credentials, in registration order.
	Passkeys []Passkey
	// TokensValidAfter revokes every token issued before it (global sign-out).
	TokensValidAfter time.Time

	CreatedAt time.Time
	UpdatedAt time.Time
	// Version is 1 after CreateUser and grows by one on every update.
	Version int64
}

// Login is one key that finds a user: Name says what it is ("username",
// "email", "phone_number", "preferred_username"), Key is the normalised
// value that must be unique in the pool.
type Login struct {
	Name string
	Key  string
}

// SRPVerifier is what the server keeps for SRP sign-in: the salt and the
// verifier, both opaque bytes to the store.
type SRPVerifier struct {
	Salt     []byte
	Verifier []byte
}

// UserMFA is a user's multi-factor state.
type UserMFA struct {
	// Enabled lists the enabled factors (SMS_MFA, SOFTWARE_TOKEN_MFA, EMAIL_OTP).
	Enabled []string
	// Preferred is the preferred factor, or "".
	Preferred string
	// TOTPSecret is the verified software-token secret (possibly encrypted).
	TOTPSecret []byte
	// PendingTOTPSecret is a secret associated but not yet verified.
	PendingTOTPSecret []byte
	// TOTPLastStep is the last time step accepted, so a code is never
	// accepted twice.
	TOTPLastStep int64
	// TOTPDeviceName is the friendly name given at verification.
	TOTPDeviceName string
}

// WithoutSecrets returns u without its secrets and credentials:
// PasswordHash, PasswordHistory, SRP, MFA.TOTPSecret,
// MFA.PendingTOTPSecret and Passkeys are zero. Listings (ListUsers,
// MembersOfGroup) return users in this form.
func (u User) WithoutSecrets() User {
	u.PasswordHash, u.PasswordHistory = "", nil
	u.SRP = SRPVerifier{}
	u.MFA.TOTPSecret, u.MFA.PendingTOTPSecret = nil, nil
	u.Passkeys = nil
	return u
}

// CredentialID is pk's ID as WebAuthn shows it: base64url without padding.
func (pk Passkey) CredentialID() string { return base64.RawURLEncoding.EncodeToString(pk.ID) }

// Passkey is one WebAuthn credential of a user.
type Passkey struct {
	// ID is the credential id the authenticator chose.
	ID []byte
	// Name is a name for people ("Passkey", or one the user gave).
	Name string
	// Data is the credential as the pool's WebAuthn implementation keeps
	// it (public key, sign count, flags ...), opaque to the store.
	Data       []byte
	CreatedAt  time.Time
	LastUsedAt time.Time
}

// Searchable is the set of attributes a UserQuery may filter on, beyond
// username and sub.
var Searchable = []string{"email", "phone_number", "name", "given_name", "family_name", "preferred_username"}

// Fold is the case folding the store applies to searchable attributes and
// to filter values on them: the same function on both sides, so a backend
// can keep an indexed column of folded values.
func Fold(s string) string { return strings.ToLower(s) }

// UserQuery selects users for ListUsers. All set conditions must hold.
type UserQuery struct {
	// Attribute, when not "", is "username", "sub" or one of Searchable.
	// username and sub compare exactly; the others compare Fold(value)
	// with Fold(Value).
	Attribute string
	Value     string
	// Prefix makes the attribute condition a prefix match ("^=") instead
	// of equality. Characters such as % and _ have no special meaning.
	Prefix bool
	// Status, when not "", keeps only users with exactly this status.
	Status string
	// Enabled, when not nil, keeps only users with this Enabled value.
	Enabled *bool
	PageRequest
}

// Users persists users. Implementations order ListUsers by the compared
// value of the filtered attribute (by Username when there is none), ties
// broken by Sub, so pages are stable while users are added and removed.
type Users interface {
	// CreateUser stores u with Version 1. If u.Sub or any of u.Logins'
	// keys is taken in the pool it returns ErrConflict and writes nothing.
	// A missing pool gives ErrNotFound.
	CreateUser(ctx context.Context, u User) error
	// GetUser returns the user with this sub, or ErrNotFound.
	GetUser(ctx context.Context, poolID, sub string) (User, error)
	// UserByLogin returns the user holding the login key, or ErrNotFound.
	UserByLogin(ctx context.Context, poolID, key string) (User, error)
	// UpdateUsers replaces each given user, all or none: for each, the
	// stored Version must equal the given Version (else ErrConflict) and the
	// user must exist (else ErrNotFound); each stored version is
	// incremented. Logins are replaced too; a key held by a user outside
	// the call gives ErrConflict. Moving a login from one user to another
	// in one call is how a verified alias is taken over. Sub, PoolID and
	// CreatedAt never change.
	UpdateUsers(ctx context.Context, users ...User) error
	// DeleteUser removes the user with its logins, group memberships,
	// codes, refresh tokens and devices, atomically, or returns ErrNotFound.
	DeleteUser(ctx context.Context, poolID, sub string) error
	// ListUsers returns a page of the users matching q, each in the form
	// of User.WithoutSecrets. A listing exists to show users, and sign-in
	// reads one user with GetUser or UserByLogin; so a page of 60 users
	// never carries 60 password hashes, SRP verifiers, TOTP secrets and passkeys
	// through a caller's code and memory, and no backend pays for copying
	// them. A listed user is therefore never passed back to UpdateUsers,
	// which would erase its secrets.
	ListUsers(ctx context.Context, poolID string, q UserQuery) (Page[User], error)
	// CountUsers returns the number of users in the pool.
	CountUsers(ctx context.Context, poolID string) (int, error)
}
