package userpool

import (
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// usernamePattern is Cognito's user name pattern: letters, marks, symbols,
// numbers and punctuation, so no white space, control or format
// characters (a zero-width joiner is a format character).
var usernamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)

// MaxUsernameLength is the longest user name, in characters.
const MaxUsernameLength = 128

// checkUsernameParameter applies the API model's constraints on a Username
// parameter, with the model's validation messages.
func checkUsernameParameter(name string) error {
	const prefix = "1 validation error detected: Value at 'username' failed to satisfy constraint: "
	switch {
	case name == "":
		return ErrInvalidParameter.With(prefix + "Member must have length greater than or equal to 1")
	case len(name) > 4*MaxUsernameLength || utf8.RuneCountInString(name) > MaxUsernameLength:
		return ErrInvalidParameter.With(prefix+"Member must have length less than or equal to %d", MaxUsernameLength)
	case !utf8.ValidString(name) || !usernamePattern.MatchString(name):
		return ErrInvalidParameter.With(prefix + `Member must satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+`)
	}
	return nil
}

// newUsername resolves the Username given to SignUp or AdminCreateUser
// into the user name to store, updating attrs. In pools whose user names
// are email addresses or phone numbers, name must be one; it is copied
// into that attribute and the stored user name is sub, as Cognito
// generates it. In alias pools a user name may not look like an address
// that is an alias, or signing in would be ambiguous. Every user name must
// also have a login key (see [Pool.loginKey]).
func (p *Pool) newUsername(name, sub string, attrs map[string]string) (string, error) {
	if err := checkUsernameParameter(name); err != nil {
		return "", err
	}
	if ids := p.cfg.SignIn.UsernameAttributes; len(ids) > 0 {
		attr := ""
		for _, a := range ids {
			if p.schema[a].check(name) == nil && looksLike(a, name) {
				attr = a
			}
		}
		if attr == "" {
			return "", ErrInvalidParameter.With("Username should be either an email or a phone number.")
		}
		if v, ok := attrs[attr]; ok && v != name {
			return "", ErrInvalidParameter.With("Invalid attributes given, %s must equal the user name", attr)
		}
		attrs[attr] = name
		if _, err := p.loginKey(name); err != nil {
			return "", err
		}
		return sub, nil
	}
	aliases := p.cfg.SignIn.AliasAttributes
	if slices.Contains(aliases, "email") && looksLike("email", name) {
		return "", ErrInvalidParameter.With("Username cannot be of email format, since user pool is configured for email alias.")
	}
	if slices.Contains(aliases, "phone_number") && looksLike("phone_number", name) {
		return "", ErrInvalidParameter.With("Username cannot be of phone number format, since user pool is configured for phone number alias.")
	}
	if _, err := p.loginKey(name); err != nil {
		return "", err
	}
	return name, nil
}

// looksLike reports whether name has the shape of an email address or a
// phone number.
func looksLike(attr, name string) bool {
	switch attr {
	case "email":
		return strings.Contains(name, "@") && (AttributeSchema{Name: "email", Type: TypeString}).check(name) == nil
	case "phone_number":
		return e164.MatchString(name)
	}
	return false
}
