package postgres

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/userpool/userpool/storage"
)

// userDoc is the part of a user that no query looks inside, kept as the
// users.doc JSON object. Fields are added freely: a missing field reads as
// its zero value, so old rows need no migration.
type userDoc struct {
	Logins            []storage.Login     `json:"logins,omitempty"`
	Attributes        map[string]string   `json:"attributes,omitempty"`
	PendingAttributes map[string]string   `json:"pending_attributes,omitempty"`
	PasswordHash      string              `json:"password_hash,omitempty"`
	PasswordHistory   []string            `json:"password_history,omitempty"`
	PasswordExpiresAt time.Time           `json:"password_expires_at,omitzero"`
	SRP               storage.SRPVerifier `json:"srp,omitzero"`
	MFA               storage.UserMFA     `json:"mfa,omitzero"`
	Passkeys          []storage.Passkey   `json:"passkeys,omitempty"`
	TokensValidAfter  time.Time           `json:"tokens_valid_after,omitzero"`
	UpdatedAt         time.Time           `json:"updated_at,omitzero"`
}

// searchableColumns are the users columns holding storage.Searchable
// attributes, folded; their names are the attributes' names.
var searchableColumns = storage.Searchable

// userRow holds the column values of u, in the order of userColumns after
// pool_id and sub.
func userRow(u storage.User) ([]any, error) {
	doc, err := json.Marshal(userDoc{
		Logins: u.Logins, Attributes: u.Attributes, PendingAttributes: u.PendingAttributes,
		PasswordHash: u.PasswordHash, PasswordHistory: u.PasswordHistory, PasswordExpiresAt: u.PasswordExpiresAt,
		SRP: u.SRP, MFA: u.MFA, Passkeys: u.Passkeys, TokensValidAfter: u.TokensValidAfter, UpdatedAt: u.UpdatedAt,
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: user %q: %w", u.Sub, err)
	}
	row := []any{u.Username, u.Status, u.Enabled, string(doc)}
	for _, name := range searchableColumns {
		if v, ok := u.Attributes[name]; ok {
			row = append(row, storage.Fold(v))
		} else {
			row = append(row, nil)
		}
	}
	return row, nil
}

// userColumns are read by scanUser, in this order; "u." lets queries join.
const userColumns = "u.pool_id, u.sub, u.username, u.status, u.enabled, u.version, u.created_at, u.doc"

// listedUserColumns are userColumns for a listing, whose users carry no
// secrets (storage.User.WithoutSecrets): the database drops them from the
// document, so they never cross the connection. The keys are userDoc's
// JSON names; the conformance suite fails if one is missed.
const listedUserColumns = "u.pool_id, u.sub, u.username, u.status, u.enabled, u.version, u.created_at, " +
	"u.doc - 'password_hash' - 'password_history' - 'srp' - 'passkeys' #- '{mfa,TOTPSecret}' #- '{mfa,PendingTOTPSecret}'"

// scanUser reads userColumns, then any extra columns into extra.
func scanUser(row pgx.Row, extra ...any) (storage.User, error) {
	var u storage.User
	var created *time.Time
	var doc []byte
	dest := append([]any{&u.PoolID, &u.Sub, &u.Username, &u.Status, &u.Enabled, &u.Version, &created, &doc}, extra...)
	if err := row.Scan(dest...); err != nil {
		return storage.User{}, err
	}
	u.CreatedAt = fromTZ(created)
	var d userDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return storage.User{}, fmt.Errorf("user %q: corrupt doc: %w", u.Sub, err)
	}
	u.Logins, u.Attributes, u.PendingAttributes = d.Logins, d.Attributes, d.PendingAttributes
	u.PasswordHash, u.PasswordHistory, u.PasswordExpiresAt = d.PasswordHash, d.PasswordHistory, d.PasswordExpiresAt
	u.SRP, u.MFA, u.TokensValidAfter, u.UpdatedAt = d.SRP, d.MFA, d.TokensValidAfter, d.UpdatedAt
	u.Passkeys = d.Passkeys
	return u, nil
}

func collectUsers(rows pgx.Rows) ([]storage.User, error) {
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (storage.User, error) { return scanUser(r) })
}
