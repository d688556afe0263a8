package userpool

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
