package userpool

import (
	"golang.org/x/text/secure/precis"
)

// loginKey returns the key that identifies a user name or alias: the
// value under the PRECIS UsernameCaseMapped profile of RFC 8265 (width
// mapping, NFC, and case folding) when the pool is case-insensitive, or
// UsernameCasePreserved when it is not. The value the user typed is kept
// for display; only keys are compared, so visually equal spellings find the
// same user and confusable or invisible characters are refused outright.
func (p *Pool) loginKey(value string) (string, error) {
	profile := precis.UsernameCaseMapped
	if p.cfg.SignIn.CaseSensitive {
		profile = precis.UsernameCasePreserved
	}
	key, err := profile.String(value)
	if err != nil {
		return "", ErrInvalidParameter.Wrap(err, "Invalid user name")
	}
	return key, nil
}
