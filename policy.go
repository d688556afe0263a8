package userpool

import (
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// PasswordPolicy is the pool's password rules: Cognito's password policy
// plus a history rule Cognito reserves for its top tier.
//
// The zero value is not the default: use [DefaultPasswordPolicy] and change
// what differs.
type PasswordPolicy struct {
	// MinLength is the minimum number of characters, 6 to 99.
	MinLength int `json:"minLength"`
	// RequireNumbers, RequireSymbols, RequireUppercase and RequireLowercase
	// each demand at least one character of their class. Symbols are
	// Cognito's set: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - and space.
	RequireNumbers   bool `json:"requireNumbers"`
	RequireSymbols   bool `json:"requireSymbols"`
	RequireUppercase bool `json:"requireUppercase"`
	RequireLowercase bool `json:"requireLowercase"`
	// TemporaryPasswordValidityDays is how long a password set by an
	// administrator works before it must be reset, 1 to 365 days.
	TemporaryPasswordValidityDays int `json:"temporaryPasswordValidityDays"`
	// HistorySize refuses a new password equal to one of the user's last
	// HistorySize passwords, 0 (off) to 24.
	HistorySize int `json:"historySize"`
}

// DefaultPasswordPolicy returns Cognito's default policy: at least 8
// characters with a number, a symbol, an upper- and a lower-case letter, and
// temporary passwords valid for 7 days.
func DefaultPasswordPolicy() PasswordPolicy {
	return PasswordPolicy{
		MinLength:                     8,
		RequireNumbers:                true,
		RequireSymbols:                true,
		RequireUppercase:              true,
		RequireLowercase:              true,
		TemporaryPasswordValidityDays: 7,
	}
}

// MaxPasswordLength is the longest password, in characters, the pool
// accepts anywhere (sign-up, sign-in, changes), as Cognito's API model
// does. Longer passwords are refused with [ErrInvalidParameter] before any
// hashing, so an attacker cannot make the pool hash megabytes, and nothing
// is ever silently truncated.
const MaxPasswordLength = 256

// maxPasswordBytes bounds the encoded length too: 256 characters of at most
// four bytes each. It lets the cheap byte check run before rune counting.
const maxPasswordBytes = 4 * MaxPasswordLength

// passwordSymbols is Cognito's set of symbol characters, space included.
const passwordSymbols = "^$*.[]{}()?\"!@#%&/\\,><':;|_~`=+- "

// Validate checks password against the policy as Cognito does and returns
// nil or one error for the first rule broken, in Cognito's order and words:
//
//   - a password that is empty, longer than [MaxPasswordLength] characters,
//     not valid UTF-8, starts or ends with white space, or contains a NUL
//     or another control character is refused with [ErrInvalidParameter]
//     (Cognito's API model refuses these before the policy is consulted);
//   - then [ErrInvalidPassword] with "Password did not conform with policy:
//     Password not long enough", "... must have uppercase characters",
//     "lowercase characters", "numeric characters" or "symbol characters".
//
// Length counts characters (runes), not bytes. Upper- and lower-case letters
// and digits are Basic Latin only (A-Z, a-z, 0-9), as Cognito counts them:
// an "É" counts towards the length but not as an upper-case letter. Symbols
// are the set listed on [PasswordPolicy]. Validate does not consult the
// history or a [CompromisedPasswordChecker]; those need the user and a
// context.
func (p PasswordPolicy) Validate(password string) error {
	if err := checkPasswordParameter("password", password); err != nil {
		return err
	}
	var upper, lower, digit, symbol bool
	n := 0
	for _, r := range password {
		n++
		switch {
		case 'A' <= r && r <= 'Z':
			upper = true
		case 'a' <= r && r <= 'z':
			lower = true
		case '0' <= r && r <= '9':
			digit = true
		case r < utf8.RuneSelf && strings.IndexByte(passwordSymbols, byte(r)) >= 0:
			symbol = true
		}
	}
	const prefix = "Password did not conform with policy: "
	switch {
	case n < p.MinLength:
		return ErrInvalidPassword.With(prefix + "Password not long enough")
	case p.RequireUppercase && !upper:
		return ErrInvalidPassword.With(prefix + "Password must have uppercase characters")
	case p.RequireLowercase && !lower:
		return ErrInvalidPassword.With(prefix + "Password must have lowercase characters")
	case p.RequireNumbers && !digit:
		return ErrInvalidPassword.With(prefix + "Password must have numeric characters")
	case p.RequireSymbols && !symbol:
		return ErrInvalidPassword.With(prefix + "Password must have symbol characters")
	}
	return nil
}

// checkPasswordParameter applies the checks Cognito's API model makes on
// every password parameter (field names it in the message: "password",
// "proposedPassword", "previousPassword"). Every path that hashes or
// verifies a password calls it first, so an over-long or malformed password
// costs nothing. The pattern Cognito publishes is ^[\S]+.*[\S]+$ with at
// most 256 characters; we also refuse control characters anywhere (NUL,
// tab, line breaks, DEL, C1), which that pattern's "." lets through in part
// and which no one types on purpose.
func checkPasswordParameter(field, password string) error {
	const prefix = "1 validation error detected: Value at '%s' failed to satisfy constraint: "
	if len(password) > maxPasswordBytes || utf8.RuneCountInString(password) > MaxPasswordLength {
		return ErrInvalidParameter.With(prefix+"Member must have length less than or equal to %d", field, MaxPasswordLength)
	}
	bad := password == "" || !utf8.ValidString(password)
	if !bad {
		first, _ := utf8.DecodeRuneInString(password)
		last, _ := utf8.DecodeLastRuneInString(password)
		bad = unicode.IsSpace(first) || unicode.IsSpace(last) ||
			strings.ContainsFunc(password, unicode.IsControl)
	}
	if bad {
		return ErrInvalidParameter.With(prefix+`Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$`, field)
	}
	return nil
}

// WithCompromisedPasswordCheck refuses new passwords that check reports as
// compromised (none are checked by default). The pool calls it only for
// passwords that already satisfy the policy, and never at sign-in.
func WithCompromisedPasswordCheck(check CompromisedPasswordChecker) Option {
	return func(o *options) {
		o.compromised = check
		o.set("CompromisedPasswordCheck", "WithCompromisedPasswordCheck")
	}
}

// Character classes for generated passwords. The symbols are the subset of
// Cognito's set that survives being pasted into an email, an SMS, HTML or a
// shell unquoted: no space (it could land at either end, which the pattern
// check refuses), no quotes, backslash, backtick, ampersand or angle
// brackets.
const (
	genUpper   = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	genLower   = "abcdefghijklmnopqrstuvwxyz"
	genDigits  = "0123456789"
	genSymbols = "^$*.[]{}()?!@#%/,:;|_~=+-"
	genAll     = genUpper + genLower + genDigits + genSymbols
)

// temporaryPasswordLength is the shortest generated password: 12 characters
// from 87 give about 77 bits, enough for a password that lives for days.
const temporaryPasswordLength = 12

// generateTemporary returns a random password that satisfies p: at least
// max(p.MinLength, 12) characters, one of each class the policy requires and
// the rest drawn from all classes, then shuffled. Every choice is uniform
// (rejection sampling over bytes read from r), so r must be a
// cryptographically strong source such as the pool's; an error from r is
// returned as is.
func (p PasswordPolicy) generateTemporary(r io.Reader) (string, error) {
	n := max(p.MinLength, temporaryPasswordLength)
	src := uniformSource{r: r}
	out := make([]byte, 0, n)
	for _, class := range []struct {
		required bool
		chars    string
	}{
		{p.RequireUppercase, genUpper},
		{p.RequireLowercase, genLower},
		{p.RequireNumbers, genDigits},
		{p.RequireSymbols, genSymbols},
	} {
		if class.required {
			i, err := src.intn(len(class.chars))
			if err != nil {
				return "", err
			}
			out = append(out, class.chars[i])
		}
	}
	for len(out) < n {
		i, err := src.intn(len(genAll))
		if err != nil {
			return "", err
		}
		out = append(out, genAll[i])
	}
	// Fisher-Yates, so the required characters are not always in front.
	for i := len(out) - 1; i > 0; i-- {
		j, err := src.intn(i + 1)
		if err != nil {
			return "", err
		}
		out[i], out[j] = out[j], out[i]
	}
	return string(out), nil
}

// uniformSource draws uniform small integers from a byte stream, reading it
// in blocks so a slow reader (crypto/rand) is called rarely.
type uniformSource struct {
	r   io.Reader
	buf [64]byte
	pos int
	end int
}

// intn returns a uniform integer in [0, n) for 0 < n <= 256. Bytes at or
// above the largest multiple of n are discarded rather than reduced modulo
// n, which would favour small values.
func (s *uniformSource) intn(n int) (int, error) {
	limit := 256 - 256%n
	for {
		if s.pos == s.end {
			if _, err := io.ReadFull(s.r, s.buf[:]); err != nil {
				return 0, fmt.Errorf("userpool: generate password: %w", err)
			}
			s.pos, s.end = 0, len(s.buf)
		}
		b := int(s.buf[s.pos])
		s.pos++
		if b < limit {
			return b % n, nil
		}
	}
}
