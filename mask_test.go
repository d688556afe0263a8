package userpool

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestMask(t *testing.T) {
	tests := []struct {
		ch         Channel
		value, out string
	}{
		{ChannelEmail, "ana@example.com", "a***@e***"},
		{ChannelEmail, "Élodie@exämple.org", "É***@e***"},
		{ChannelEmail, "odd@local@example.com", "o***@e***"},
		{ChannelEmail, "nobody", "n***"},
		{ChannelEmail, "", "***"},
		{ChannelSMS, "+12065550100", "+*******0100"},
		{ChannelSMS, "+441632960961", "+********0961"},
		{ChannelSMS, "+1234", "+****"},
	}
	for _, tt := range tests {
		if got := mask(tt.ch, tt.value); got != tt.out {
			t.Errorf("mask(%s, %q) = %q, want %q", tt.ch, tt.value, got, tt.out)
		}
	}
}

// FuzzMask checks that masking never panics and never shows more than the
// first character of each part of an address or the last four digits of a
// number.
func FuzzMask(f *testing.F) {
	for _, s := range []string{"ana@example.com", "+12065550100", "@", "", "a@", "\xff@\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		email := mask(ChannelEmail, s)
		if n := strings.Count(email, "***"); n < 1 || n > 2 {
			t.Fatalf("mask(%q) = %q", s, email)
		}
		if shown := utf8.RuneCountInString(strings.NewReplacer("***", "", "@", "").Replace(email)); shown > 2 {
			t.Fatalf("mask(%q) = %q shows %d characters", s, email, shown)
		}
		phone := mask(ChannelSMS, s)
		if !strings.HasPrefix(phone, "+") || len(strings.Trim(phone[1:], "*")) > 4 {
			t.Fatalf("mask(%q) = %q", s, phone)
		}
	})
}

// FuzzNewUsername checks the user name parser: it never panics, and a name
// it accepts satisfies Cognito's constraints and has a stable login key.
func FuzzNewUsername(f *testing.F) {
	for _, s := range []string{"ana", "ＡＮＡ", "a\u200db", "ana@example.com", "+12065550100", "ΟΔΟΣ", "a b", "", "\x00", strings.Repeat("x", 129)} {
		f.Add(s, false)
		f.Add(s, true)
	}
	plain := &Pool{cfg: Config{}, schema: newSchema(standardAttributes)}
	byEmail := &Pool{cfg: Config{SignIn: SignInConfig{UsernameAttributes: []string{"email", "phone_number"}}}, schema: newSchema(standardAttributes)}
	f.Fuzz(func(t *testing.T, name string, addresses bool) {
		p := plain
		if addresses {
			p = byEmail
		}
		attrs := map[string]string{}
		got, err := p.newUsername(name, "sub-1", attrs)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("newUsername(%q): untyped error %v", name, err)
			}
			return
		}
		if checkUsernameParameter(name) != nil || utf8.RuneCountInString(name) > MaxUsernameLength {
			t.Fatalf("newUsername accepted %q", name)
		}
		if addresses && (got != "sub-1" || attrs["email"] != name && attrs["phone_number"] != name) {
			t.Fatalf("newUsername(%q) = %q with %v", name, got, attrs)
		}
		key, err := p.loginKey(name)
		if err != nil {
			t.Fatalf("loginKey(%q): %v", name, err)
		}
		if again, err := p.loginKey(key); err != nil || again != key {
			t.Fatalf("loginKey is not stable for %q: %q then %q (%v)", name, key, again, err)
		}
	})
}

// FuzzCheckCodeParameter checks that accepted codes satisfy the model's
// constraint.
func FuzzCheckCodeParameter(f *testing.F) {
	for _, s := range []string{"123456", "", " 1", "12\n34", "\xff", strings.Repeat("9", 2049)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, code string) {
		if checkCodeParameter(code) != nil {
			return
		}
		if code == "" || !utf8.ValidString(code) || utf8.RuneCountInString(code) > 2048 || strings.ContainsAny(code, " \t\r\n") {
			t.Fatalf("accepted %q", code)
		}
	})
}
