package userpool

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"
)

func testSchema() schema {
	attrs := append([]AttributeSchema(nil), standardAttributes...)
	for i := range attrs {
		if attrs[i].Name == "email" || attrs[i].Name == "name" {
			attrs[i].Required = true
		}
	}
	min, max := int64(1), int64(10)
	return newSchema(append(attrs,
		AttributeSchema{Name: "custom:tier", Type: TypeString, Mutable: true, MinLength: 2, MaxLength: 5},
		AttributeSchema{Name: "custom:level", Type: TypeNumber, Mutable: true, MinValue: &min, MaxValue: &max},
		AttributeSchema{Name: "custom:since", Type: TypeDateTime, Mutable: true},
		AttributeSchema{Name: "custom:vip", Type: TypeBoolean, Mutable: true},
		AttributeSchema{Name: "custom:origin", Type: TypeString},
	))
}

func TestAttributeValidation(t *testing.T) {
	valid := map[string]string{"email": "ana@example.com", "name": "Ana"}
	with := func(k, v string) map[string]string {
		m := map[string]string{"email": "ana@example.com", "name": "Ana"}
		m[k] = v
		return m
	}
	tests := []struct {
		name    string
		attrs   map[string]string
		writer  attrWriter
		wantErr string // substring of the message; "" means valid
	}{
		{"valid sign-up", valid, userCreates, ""},
		{"required missing", map[string]string{"email": "ana@example.com"}, userCreates, "Invalid attributes given, name is missing"},
		{"admin may omit required", map[string]string{"email": "ana@example.com"}, adminCreates, ""},
		{"unknown attribute", with("shoe_size", "42"), userCreates, "Attribute does not exist in the schema: shoe_size"},
		{"unknown custom", with("custom:nope", "x"), userCreates, "custom:nope"},
		{"sub not writable", with("sub", "x"), adminCreates, "sub"},
		{"user sets verified flag", with("email_verified", "true"), userCreates, "email_verified"},
		{"user updates verified flag", map[string]string{"phone_number_verified": "true"}, userUpdates, "phone_number_verified"},
		{"admin sets verified flag", with("email_verified", "true"), adminCreates, ""},
		{"verified flag not boolean", with("email_verified", "yes"), adminCreates, "not true or false"},
		{"bad email", with("email", "not-an-email"), userCreates, "email: not an email address"},
		{"email with display name", with("email", "Ana <ana@example.com>"), userCreates, "not an email address"},
		{"phone E.164", with("phone_number", "+14155550100"), userCreates, ""},
		{"phone without plus", with("phone_number", "14155550100"), userCreates, "E.164"},
		{"phone with spaces", with("phone_number", "+1 415 555 0100"), userCreates, "E.164"},
		{"birthdate", with("birthdate", "1990-02-28"), userCreates, ""},
		{"birthdate year withheld", with("birthdate", "0000-02-28"), userCreates, ""},
		{"birthdate bad day", with("birthdate", "1990-02-30"), userCreates, "YYYY-MM-DD"},
		{"birthdate format", with("birthdate", "28/02/1990"), userCreates, "birthdate"},
		{"updated_at number", with("updated_at", "1700000000"), userCreates, ""},
		{"updated_at negative", with("updated_at", "-1"), userCreates, "less than 0"},
		{"updated_at text", with("updated_at", "yesterday"), userCreates, "not an integer"},
		{"too long", with("nickname", strings.Repeat("a", 2049)), userCreates, "longer than 2048"},
		{"2048 is fine", with("nickname", strings.Repeat("é", 2048)), userCreates, ""},
		{"NUL byte", with("nickname", "a\x00b"), userCreates, "control characters"},
		{"newline in name", with("name", "a\nb"), userCreates, "control characters"},
		{"newline in address", with("address", "1 Main St\nSpringfield"), userCreates, ""},
		{"invalid UTF-8", with("nickname", "\xff"), userCreates, "UTF-8"},
		{"custom string bounds low", with("custom:tier", "a"), userCreates, "shorter than 2"},
		{"custom string bounds high", with("custom:tier", "abcdef"), userCreates, "longer than 5"},
		{"custom number", with("custom:level", "7"), userCreates, ""},
		{"custom number high", with("custom:level", "11"), userCreates, "greater than 10"},
		{"custom number text", with("custom:level", "1.5"), userCreates, "not an integer"},
		{"custom datetime", with("custom:since", "2024-05-01T10:00:00Z"), userCreates, ""},
		{"custom datetime bad", with("custom:since", "May 1st"), userCreates, "RFC 3339"},
		{"custom boolean", with("custom:vip", "false"), userCreates, ""},
		{"custom boolean bad", with("custom:vip", "1"), userCreates, "not true or false"},
		{"immutable set at creation", with("custom:origin", "web"), userCreates, ""},
		{"immutable refused on user update", map[string]string{"custom:origin": "app"}, userUpdates, "non-mutable attribute custom:origin"},
		{"immutable refused on admin update", map[string]string{"custom:origin": "app"}, adminUpdates, "non-mutable attribute custom:origin"},
	}
	s := testSchema()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.validate(tt.attrs, tt.writer)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("got %v, want InvalidParameterException", err)
			}
			if !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("got %q, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

// FuzzAttributeValue checks that validation never panics, and that what it
// accepts respects the invariants every store and token relies on.
func FuzzAttributeValue(f *testing.F) {
	for _, seed := range []string{"ana@example.com", "+14155550100", "1990-02-28", "1700000000", "true", "2024-05-01T10:00:00Z", "a\x00b", "\xff", ""} {
		f.Add("email", seed)
		f.Add("custom:level", seed)
		f.Add("birthdate", seed)
	}
	s := testSchema()
	f.Fuzz(func(t *testing.T, name, value string) {
		err := s.validate(map[string]string{name: value}, adminCreates)
		if err != nil {
			if !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("error %v is not InvalidParameterException", err)
			}
			return
		}
		if !utf8.ValidString(value) || utf8.RuneCountInString(value) > MaxAttributeLength || strings.ContainsRune(value, 0) {
			t.Fatalf("accepted %s=%q", name, value)
		}
	})
}
