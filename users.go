package userpool

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// UserStatus is Cognito's user status.
type UserStatus string

// The user statuses. Whether a user is disabled is not a status: see
// User.Enabled.
const (
	StatusUnconfirmed         UserStatus = "UNCONFIRMED"
	StatusConfirmed           UserStatus = "CONFIRMED"
	StatusForceChangePassword UserStatus = "FORCE_CHANGE_PASSWORD"
	StatusResetRequired       UserStatus = "RESET_REQUIRED"
	StatusExternalProvider    UserStatus = "EXTERNAL_PROVIDER"
)

// User is a user as AdminGetUser and ListUsers show it.
type User struct {
	// Username is the user's immutable user name: the one chosen at
	// sign-up, or a generated UUID in pools where the email or phone
	// number is the user name.
	Username string
	// Sub is the user's unique, immutable id; it is also in Attributes.
	Sub string
	// Attributes are the user's attributes, sub included, booleans as
	// "true"/"false".
	Attributes     map[string]string
	Status         UserStatus
	Enabled        bool
	CreatedAt      time.Time
	LastModifiedAt time.Time
	// PreferredMFA and MFAMethods are the preferred and enabled factors.
	PreferredMFA Factor
	MFAMethods   []Factor
}

// publicUser converts a stored user to what callers see.
func publicUser(u storage.User) User {
	attrs := maps.Clone(u.Attributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	attrs["sub"] = u.Sub
	out := User{
		Username:       u.Username,
		Sub:            u.Sub,
		Attributes:     attrs,
		Status:         UserStatus(u.Status),
		Enabled:        u.Enabled,
		CreatedAt:      u.CreatedAt,
		LastModifiedAt: u.UpdatedAt,
		PreferredMFA:   Factor(u.MFA.Preferred),
	}
	for _, f := range u.MFA.Enabled {
		out.MFAMethods = append(out.MFAMethods, Factor(f))
	}
	return out
}

// newUUID returns a random (version 4) UUID read from the pool's random
// source.
func (p *Pool) newUUID() (string, error) {
	var b [16]byte
	if _, err := io.ReadFull(p.random, b[:]); err != nil {
		return "", fmt.Errorf("userpool: random: %w", err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16]), nil
}

// lookup finds the user a caller names: by user name or by any alias that
// currently works for sign-in (a verified email or phone, a
// preferred_username, or the email or phone of username-attribute pools).
// An unknown user gives ErrUserNotFound "User does not exist.".
func (p *Pool) lookup(ctx context.Context, name string) (storage.User, error) {
	key, err := p.loginKey(name)
	if err != nil {
		return storage.User{}, ErrUserNotFound.With("User does not exist.")
	}
	u, err := p.store.UserByLogin(ctx, p.id, key)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return storage.User{}, p.internal("look up user", err)
	}
	return u, nil
}

// logins computes the keys that find u: its user name, the username
// attributes of username-attribute pools (verified or not: they are the
// user name), and in alias pools the verified email and phone number and
// the preferred_username.
func (p *Pool) logins(u storage.User) ([]storage.Login, error) {
	var out []storage.Login
	add := func(name, value string) error {
		if value == "" {
			return nil
		}
		key, err := p.loginKey(value)
		if err != nil {
			return ErrInvalidParameter.With("Invalid value for attribute %s", name)
		}
		// A preferred_username equal to the user's own name is one key,
		// not two: the store refuses a key listed twice.
		if !slices.ContainsFunc(out, func(l storage.Login) bool { return l.Key == key }) {
			out = append(out, storage.Login{Name: name, Key: key})
		}
		return nil
	}
	if err := add("username", u.Username); err != nil {
		return nil, err
	}
	for _, a := range p.cfg.SignIn.UsernameAttributes {
		if err := add(a, u.Attributes[a]); err != nil {
			return nil, err
		}
	}
	for _, a := range p.cfg.SignIn.AliasAttributes {
		if a != "preferred_username" && u.Attributes[a+"_verified"] != "true" {
			continue
		}
		if err := add(a, u.Attributes[a]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// internal wraps an unexpected store failure. The message stays generic:
// store errors may name tables or values a caller should not see.
func (p *Pool) internal(what string, err error) error {
	p.log.Error("userpool: "+what, "err", err)
	return ErrInternal.Wrap(err, "Internal error while trying to %s", what)
}
