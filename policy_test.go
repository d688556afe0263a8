package userpool

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"testing/iotest"
	"unicode"
	"unicode/utf8"
)

const notConform = "Password did not conform with policy: "

func TestPasswordPolicyValidate(t *testing.T) {
	def := DefaultPasswordPolicy()
	none := PasswordPolicy{MinLength: 6}
	tests := []struct {
		name     string
		policy   PasswordPolicy
		password string
		want     *Error // nil: accepted
		message  string
	}{
		{"all classes", def, "Password1!", nil, ""},
		{"space is a symbol", def, "Pass word1", nil, ""},
		{"too short", def, "Pa1!", ErrInvalidPassword, notConform + "Password not long enough"},
		{"length is checked first", def, "abc", ErrInvalidPassword, notConform + "Password not long enough"},
		{"no uppercase", def, "password1!", ErrInvalidPassword, notConform + "Password must have uppercase characters"},
		{"no lowercase", def, "PASSWORD1!", ErrInvalidPassword, notConform + "Password must have lowercase characters"},
		{"no number", def, "Password!!", ErrInvalidPassword, notConform + "Password must have numeric characters"},
		{"no symbol", def, "Password12", ErrInvalidPassword, notConform + "Password must have symbol characters"},
		{"upper before lower", def, "12345678!", ErrInvalidPassword, notConform + "Password must have uppercase characters"},
		{"non-Latin capitals do not count", def, "ÉÉÉÉÉÉÉÉa1!", ErrInvalidPassword, notConform + "Password must have uppercase characters"},
		{"non-Latin small letters do not count", def, "Aééééééé1!", ErrInvalidPassword, notConform + "Password must have lowercase characters"},
		{"full-width digits do not count", def, "Password１!", ErrInvalidPassword, notConform + "Password must have numeric characters"},
		{"non-Cognito symbols do not count", def, "Password1€§", ErrInvalidPassword, notConform + "Password must have symbol characters"},
		{"length counts runes: 8 runes, 12 bytes", def, "Aa1!éééé", nil, ""},
		{"length counts runes: 7 runes, 10 bytes", def, "Aa1!ééé", ErrInvalidPassword, notConform + "Password not long enough"},
		{"no classes required", none, "éééééé", nil, ""},
		{"256 characters", def, "Aa1!" + strings.Repeat("a", 252), nil, ""},
		{"256 four-byte characters", none, strings.Repeat("😀", 256), nil, ""},
		{"257 characters", def, "Aa1!" + strings.Repeat("a", 253), ErrInvalidParameter,
			"1 validation error detected: Value at 'password' failed to satisfy constraint: Member must have length less than or equal to 256"},
		{"empty", def, "", ErrInvalidParameter, ""},
		{"leading space", def, " Password1!", ErrInvalidParameter,
			`1 validation error detected: Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[\S]+.*[\S]+$`},
		{"trailing space", def, "Password1! ", ErrInvalidParameter, ""},
		{"trailing tab", def, "Password1!\t", ErrInvalidParameter, ""},
		{"leading no-break space", def, "\u00a0Password1!", ErrInvalidParameter, ""},
		{"NUL inside", def, "Pass\x00word1!", ErrInvalidParameter, ""},
		{"line feed inside", def, "Pass\nword1!", ErrInvalidParameter, ""},
		{"DEL inside", def, "Pass\x7fword1!", ErrInvalidParameter, ""},
		{"C1 control inside", def, "Pass\u0085word1!", ErrInvalidParameter, ""},
		{"invalid UTF-8", def, "Password1!\xff", ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.policy.Validate(tt.password)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate(%q) = %v, want nil", tt.password, err)
				}
				return
			}
			var e *Error
			if !errors.Is(err, tt.want) || !errors.As(err, &e) {
				t.Fatalf("Validate(%q) = %v, want %s", tt.password, err, tt.want.Code)
			}
			if tt.message != "" && e.Message != tt.message {
				t.Errorf("message = %q, want %q", e.Message, tt.message)
			}
		})
	}
}

// TestPasswordPolicySymbols checks each of Cognito's symbols on its own.
func TestPasswordPolicySymbols(t *testing.T) {
	p := DefaultPasswordPolicy()
	for _, s := range passwordSymbols {
		if err := p.Validate("Abcdef1" + string(s) + "x"); err != nil {
			t.Errorf("symbol %q: %v", s, err)
		}
	}
}

func FuzzPasswordPolicy(f *testing.F) {
	for _, s := range []string{"Password1!", "Pa1!", "password", "Aa1!éééé", " x ", "\x00", "\xff\xfe", "ÉÉÉÉÉÉÉÉa1!",
		strings.Repeat("a", 257), "Pass word1", "１２３ＡＢＣ", "A\u0085b1!cdef"} {
		f.Add(s, uint8(0xff), uint8(8))
		f.Add(s, uint8(0), uint8(6))
	}
	f.Fuzz(func(t *testing.T, password string, flags, minLength uint8) {
		p := PasswordPolicy{
			MinLength:        6 + int(minLength)%94,
			RequireUppercase: flags&1 != 0,
			RequireLowercase: flags&2 != 0,
			RequireNumbers:   flags&4 != 0,
			RequireSymbols:   flags&8 != 0,
		}
		err := p.Validate(password)
		if err != nil {
			if !errors.Is(err, ErrInvalidPassword) && !errors.Is(err, ErrInvalidParameter) {
				t.Fatalf("Validate(%q) = %v, want InvalidPassword or InvalidParameter", password, err)
			}
			if errors.Is(err, ErrInvalidPassword) && checkPasswordParameter("password", password) != nil {
				t.Fatalf("Validate(%q): policy error for a password the parameter check refuses", password)
			}
			return
		}
		n := utf8.RuneCountInString(password)
		if !utf8.ValidString(password) || n < p.MinLength || n > MaxPasswordLength {
			t.Fatalf("accepted %q: %d characters, valid UTF-8 %t", password, n, utf8.ValidString(password))
		}
		first, _ := utf8.DecodeRuneInString(password)
		last, _ := utf8.DecodeLastRuneInString(password)
		if unicode.IsSpace(first) || unicode.IsSpace(last) || strings.ContainsFunc(password, unicode.IsControl) {
			t.Fatalf("accepted %q with edge white space or a control character", password)
		}
		has := func(set string) bool { return strings.ContainsAny(password, set) }
		if p.RequireUppercase && !has(genUpper) || p.RequireLowercase && !has(genLower) ||
			p.RequireNumbers && !has(genDigits) || p.RequireSymbols && !has(passwordSymbols) {
			t.Fatalf("accepted %q missing a required class (policy %+v)", password, p)
		}
	})
}

func seeded(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0], s[1] = byte(seed), byte(seed>>8)
	return rand.NewChaCha8(s)
}

func TestGenerateTemporary(t *testing.T) {
	var policies []PasswordPolicy
	for classes := range 16 {
		for _, n := range []int{6, 8, 12, 13, 40, 99} {
			policies = append(policies, PasswordPolicy{
				MinLength:        n,
				RequireUppercase: classes&1 != 0,
				RequireLowercase: classes&2 != 0,
				RequireNumbers:   classes&4 != 0,
				RequireSymbols:   classes&8 != 0,
			})
		}
	}
	for seed := range uint64(50) {
		r := seeded(seed)
		for _, p := range policies {
			pw, err := p.generateTemporary(r)
			if err != nil {
				t.Fatal(err)
			}
			if want := max(p.MinLength, 12); len(pw) != want {
				t.Fatalf("policy %+v: got %d characters, want %d", p, len(pw), want)
			}
			if strings.Trim(pw, genAll) != "" {
				t.Fatalf("policy %+v: %q has characters outside the generator's alphabet", p, pw)
			}
			if err := p.Validate(pw); err != nil {
				t.Fatalf("policy %+v: generated %q fails its own policy: %v", p, pw, err)
			}
		}
	}
}

func TestGenerateTemporaryDeterministicAndSpread(t *testing.T) {
	p := PasswordPolicy{MinLength: 12, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true}
	a, _ := p.generateTemporary(seeded(7))
	b, _ := p.generateTemporary(seeded(7))
	if a != b {
		t.Fatalf("same seed gave %q and %q", a, b)
	}
	// The shuffle must move the required characters: over many passwords
	// every position holds a symbol at least once.
	seen := make([]bool, 12)
	r := seeded(1)
	for range 500 {
		pw, err := p.generateTemporary(r)
		if err != nil {
			t.Fatal(err)
		}
		for i := range pw {
			if strings.IndexByte(genSymbols, pw[i]) >= 0 {
				seen[i] = true
			}
		}
	}
	for i, ok := range seen {
		if !ok {
			t.Errorf("no symbol ever at position %d", i)
		}
	}
}

func TestGenerateTemporaryReaderError(t *testing.T) {
	boom := errors.New("boom")
	_, err := DefaultPasswordPolicy().generateTemporary(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Fatalf("got %v, want the reader's error", err)
	}
}

func TestUniformSourceRejects(t *testing.T) {
	// For n = 10 bytes 250..255 would favour 0..5, so they are skipped.
	buf := append([]byte{255, 250, 3}, make([]byte, 61)...)
	s := uniformSource{r: bytes.NewReader(buf)}
	got, err := s.intn(10)
	if err != nil || got != 3 {
		t.Fatalf("intn(10) = %d, %v; want 3", got, err)
	}
}
