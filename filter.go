package userpool

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// MaxFilterLength is the longest ListUsers filter, in characters.
const MaxFilterLength = 256

// SearchableAttributes are the names a ListUsers filter may test: the
// user name, sub, six standard attributes, the user status
// (cognito:user_status) and whether the user is enabled (status, with the
// values "Enabled" and "Disabled"). Custom attributes are not searchable.
var SearchableAttributes = append([]string{"username", "sub", "cognito:user_status", "status"}, storage.Searchable...)

// Filter is a parsed ListUsers filter: `<attribute> = "<value>"` for
// equality or `<attribute> ^= "<value>"` for a prefix. The zero Filter
// matches every user.
//
// username and sub compare exactly; the six standard attributes compare
// without regard to case; cognito:user_status takes a status in any case
// ("confirmed" finds CONFIRMED users); status takes "Enabled" or
// "Disabled", case-sensitively.
type Filter struct {
	// Attribute is one of SearchableAttributes, or "" for no filter.
	Attribute string
	// Prefix makes the filter a prefix match (^=) instead of equality (=).
	Prefix bool
	// Value is the value compared, unescaped.
	Value string
}

// ParseFilter parses a filter in Cognito's syntax, for example
//
//	email ^= "jo"
//	cognito:user_status = "CONFIRMED"
//	family_name = "O\"Brien"
//
// White space around the parts is optional; the value must be in double
// quotes, and a backslash takes the character after it literally. An empty
// or blank filter matches every user. Anything else, a filter longer than
// MaxFilterLength characters, or an attribute that is not searchable gives
// an error matching ErrInvalidParameter.
func ParseFilter(s string) (Filter, error) {
	if utf8.RuneCountInString(s) > MaxFilterLength {
		return Filter{}, ErrInvalidParameter.With("1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to %d", MaxFilterLength)
	}
	bad := ErrInvalidParameter.With("Error while parsing filter.")
	if !utf8.ValidString(s) {
		return Filter{}, bad
	}
	r := strings.TrimLeft(s, " \t\r\n")
	if strings.TrimRight(r, " \t\r\n") == "" {
		return Filter{}, nil
	}
	// The attribute: the longest run of name characters.
	i := strings.IndexFunc(r, func(c rune) bool { return !isFilterNameChar(c) })
	if i <= 0 {
		return Filter{}, bad
	}
	f := Filter{Attribute: r[:i]}
	r = strings.TrimLeft(r[i:], " \t\r\n")
	switch {
	case strings.HasPrefix(r, "^="):
		f.Prefix, r = true, r[2:]
	case strings.HasPrefix(r, "="):
		r = r[1:]
	default:
		return Filter{}, bad
	}
	r = strings.TrimLeft(r, " \t\r\n")
	if !strings.HasPrefix(r, `"`) {
		return Filter{}, bad
	}
	var v strings.Builder
	closed := false
	for i = 1; i < len(r); i++ {
		c := r[i]
		if c == '\\' {
			i++
			if i == len(r) {
				return Filter{}, bad
			}
			_, n := utf8.DecodeRuneInString(r[i:])
			v.WriteString(r[i : i+n])
			i += n - 1
			continue
		}
		if c == '"' {
			closed = true
			break
		}
		v.WriteByte(c)
	}
	if !closed || strings.TrimRight(r[i+1:], " \t\r\n") != "" {
		return Filter{}, bad
	}
	f.Value = v.String()
	if !slices.Contains(SearchableAttributes, f.Attribute) {
		return Filter{}, ErrInvalidParameter.With("Invalid search attribute: %s", f.Attribute)
	}
	return f, nil
}

// isFilterNameChar reports whether c may appear in an attribute name:
// letters, digits, '_' and ':' (for cognito:user_status and custom:...,
// which are then refused as not searchable rather than as bad syntax).
func isFilterNameChar(c rune) bool {
	return c == '_' || c == ':' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// String renders the filter in Cognito's syntax (`email ^= "jo"`), quoting
// '"' and '\' in the value; the empty filter renders as "". ParseFilter of
// the result gives f back.
func (f Filter) String() string {
	if f.Attribute == "" {
		return ""
	}
	op := " = "
	if f.Prefix {
		op = " ^= "
	}
	var b strings.Builder
	b.WriteString(f.Attribute + op + `"`)
	for _, c := range f.Value {
		if c == '"' || c == '\\' {
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	b.WriteByte('"')
	return b.String()
}

// userStatuses are the statuses a user can be in, for prefix filters on
// cognito:user_status. Their first letters differ, so a non-empty prefix
// names at most one.
var userStatuses = []UserStatus{StatusUnconfirmed, StatusConfirmed, StatusForceChangePassword, StatusResetRequired, StatusExternalProvider}

// query turns the filter into the store's query. none reports a filter that
// no user can match (a status prefix that starts no status), for which the
// store need not be asked.
func (f Filter) query() (q storage.UserQuery, none bool) {
	switch f.Attribute {
	case "":
		return q, false
	case "cognito:user_status":
		want := strings.ToUpper(f.Value)
		if !f.Prefix {
			q.Status = want
			return q, false
		}
		var found []UserStatus
		for _, s := range userStatuses {
			if strings.HasPrefix(string(s), want) {
				found = append(found, s)
			}
		}
		switch len(found) {
		case 0:
			return q, true
		case 1:
			q.Status = string(found[0])
		}
		return q, false
	case "status":
		var found []bool
		for _, s := range []struct {
			name    string
			enabled bool
		}{{"Enabled", true}, {"Disabled", false}} {
			if f.Value == s.name || f.Prefix && strings.HasPrefix(s.name, f.Value) {
				found = append(found, s.enabled)
			}
		}
		switch len(found) {
		case 0:
			return q, true
		case 1:
			q.Enabled = &found[0]
		}
		return q, false
	}
	q.Attribute, q.Value, q.Prefix = f.Attribute, f.Value, f.Prefix
	return q, false
}
