package userpool_test

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/userpool/userpool"
)

func TestParseFilter(t *testing.T) {
	tests := []struct {
		in   string
		want userpool.Filter
	}{
		{``, userpool.Filter{}},
		{"  \t ", userpool.Filter{}},
		{`email = "a@b.com"`, userpool.Filter{Attribute: "email", Value: "a@b.com"}},
		{`email="a@b.com"`, userpool.Filter{Attribute: "email", Value: "a@b.com"}},
		{`  email   ^=   "jo"  `, userpool.Filter{Attribute: "email", Prefix: true, Value: "jo"}},
		{`phone_number ^= "+1312"`, userpool.Filter{Attribute: "phone_number", Prefix: true, Value: "+1312"}},
		{`username = "Ana"`, userpool.Filter{Attribute: "username", Value: "Ana"}},
		{`sub = "0000-1"`, userpool.Filter{Attribute: "sub", Value: "0000-1"}},
		{`name = "Ana María"`, userpool.Filter{Attribute: "name", Value: "Ana María"}},
		{`given_name = ""`, userpool.Filter{Attribute: "given_name"}},
		{`family_name = "O\"Brien"`, userpool.Filter{Attribute: "family_name", Value: `O"Brien`}},
		{`family_name = "back\\slash"`, userpool.Filter{Attribute: "family_name", Value: `back\slash`}},
		{`family_name = "\x"`, userpool.Filter{Attribute: "family_name", Value: `x`}},
		{`preferred_username ^= "a=b ^= \"c\""`, userpool.Filter{Attribute: "preferred_username", Prefix: true, Value: `a=b ^= "c"`}},
		{`cognito:user_status = "confirmed"`, userpool.Filter{Attribute: "cognito:user_status", Value: "confirmed"}},
		{`status = "Disabled"`, userpool.Filter{Attribute: "status", Value: "Disabled"}},
		{`email ^= "%_"`, userpool.Filter{Attribute: "email", Prefix: true, Value: "%_"}},
		{"email=\"\t\"", userpool.Filter{Attribute: "email", Value: "\t"}},
		{`email = "` + strings.Repeat("é", 246) + `"`, userpool.Filter{Attribute: "email", Value: strings.Repeat("é", 246)}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := userpool.ParseFilter(tt.in)
			if err != nil {
				t.Fatalf("ParseFilter(%q): %v", tt.in, err)
			}
			if got != tt.want {
				t.Fatalf("ParseFilter(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseFilterRejects(t *testing.T) {
	const parse = "Error while parsing filter."
	tests := []struct{ in, msg string }{
		{`email`, parse},
		{`email =`, parse},
		{`email = a@b.com`, parse},
		{`email = 'a@b.com'`, parse},
		{`email == "a"`, parse},
		{`email != "a"`, parse},
		{`email ~= "a"`, parse},
		{`email ^ "a"`, parse},
		{`= "a"`, parse},
		{`"a"`, parse},
		{`email = "a`, parse},
		{`email = "a\"`, parse},
		{`email = "a\`, parse},
		{`email = "a" x`, parse},
		{`email = "a" and name = "b"`, parse},
		{`email = "a""b"`, parse},
		{`e mail = "a"`, parse},
		{`email-x = "a"`, parse},
		{"email = \"\xff\"", parse},
		{`Email = "a"`, "Invalid search attribute: Email"},
		{`custom:team = "a"`, "Invalid search attribute: custom:team"},
		{`nickname = "a"`, "Invalid search attribute: nickname"},
		{`email_verified = "true"`, "Invalid search attribute: email_verified"},
		{`email = "` + strings.Repeat("é", 247) + `"`, "1 validation error detected: Value at 'filter' failed to satisfy constraint: Member must have length less than or equal to 256"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			f, err := userpool.ParseFilter(tt.in)
			var e *userpool.Error
			if !errors.Is(err, userpool.ErrInvalidParameter) || !errors.As(err, &e) {
				t.Fatalf("ParseFilter(%q) = %+v, %v; want InvalidParameter", tt.in, f, err)
			}
			if e.Message != tt.msg {
				t.Fatalf("ParseFilter(%q): message %q, want %q", tt.in, e.Message, tt.msg)
			}
		})
	}
}

// FuzzParseFilter checks that the parser never panics, that whatever it
// accepts is a searchable attribute within the length limit, and that an
// accepted filter renders to text that parses back to the same filter.
func FuzzParseFilter(f *testing.F) {
	for _, s := range []string{
		``, `email = "a@b.com"`, `email ^= "jo"`, `family_name = "O\"Brien"`, `cognito:user_status = "CONFIRMED"`,
		`status = "Enabled"`, `sub="x"`, `username ^= "\\"`, `email = "a`, `nickname = "x"`, "email = \"\xff\"",
		`  name   =   "  spaced  "  `,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := userpool.ParseFilter(s)
		if err != nil {
			if !errors.Is(err, userpool.ErrInvalidParameter) {
				t.Fatalf("ParseFilter(%q): error %v is not InvalidParameter", s, err)
			}
			return
		}
		if utf8.RuneCountInString(s) > userpool.MaxFilterLength {
			t.Fatalf("ParseFilter accepted %d characters", utf8.RuneCountInString(s))
		}
		if got.Attribute == "" {
			if got != (userpool.Filter{}) || strings.TrimSpace(s) != "" {
				t.Fatalf("ParseFilter(%q) = %+v without an attribute", s, got)
			}
			return
		}
		r := got.String()
		if utf8.RuneCountInString(r) > userpool.MaxFilterLength {
			return // the canonical form adds spaces; only its length can fail
		}
		again, err := userpool.ParseFilter(r)
		if err != nil || again != got {
			t.Fatalf("ParseFilter(%q) = %+v renders as %q, which parses to %+v, %v", s, got, r, again, err)
		}
	})
}
