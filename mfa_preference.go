package userpool

import (
	"context"
	"slices"

	"github.com/userpool/userpool/storage"
)

// MFASettings is one factor's setting in [SetUserMFAPreferenceInput],
// named as Cognito's SMSMfaSettingsType and its kin.
type MFASettings struct {
	// Enabled turns the factor on or off for the user.
	Enabled bool
	// PreferredMfa makes it the factor sign-in asks for; it needs
	// Enabled. Only one factor can be preferred.
	PreferredMfa bool
}

// SetUserMFAPreferenceInput is the request of [Pool.SetUserMFAPreference]
// and, with Username, [Pool.AdminSetUserMFAPreference]. A nil setting
// leaves that factor as it is.
type SetUserMFAPreferenceInput struct {
	// AccessToken names the user of SetUserMFAPreference.
	AccessToken string
	// Username names the user of AdminSetUserMFAPreference.
	Username                 string
	SMSMfaSettings           *MFASettings
	SoftwareTokenMfaSettings *MFASettings
	EmailMfaSettings         *MFASettings
}

// SetUserMFAPreference sets which factors the token's owner uses and
// which is preferred, mirroring Cognito's SetUserMFAPreference. A factor
// made preferred takes the preference from any other; turning off the
// preferred factor leaves none preferred (with several enabled, sign-in
// then asks with SELECT_MFA_TYPE).
//
// Errors: InvalidParameter "User has not set up software token mfa" when
// enabling a token not yet verified (VerifySoftwareToken), "User does not
// have a phone number." or "User does not have an email address." for
// SMS or email without one, "Cannot prefer a disabled MFA method." and
// "Only one MFA method can be preferred."; the access-token errors of
// [Pool.GetUser].
func (p *Pool) SetUserMFAPreference(ctx context.Context, in SetUserMFAPreferenceInput) error {
	u, _, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return err
	}
	return p.setMFAPreference(ctx, u.Sub, in)
}

// AdminSetUserMFAPreference sets a user's factors on behalf of a trusted
// server, mirroring Cognito's AdminSetUserMFAPreference; see
// [Pool.SetUserMFAPreference]. in.Username names the user (UserNotFound
// "User does not exist.").
func (p *Pool) AdminSetUserMFAPreference(ctx context.Context, in SetUserMFAPreferenceInput) error {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return err
	}
	return p.setMFAPreference(ctx, u.Sub, in)
}

// setMFAPreference checks in against the user's state and applies it.
func (p *Pool) setMFAPreference(ctx context.Context, sub string, in SetUserMFAPreferenceInput) error {
	settings := []struct {
		f Factor
		s *MFASettings
	}{{FactorSMS, in.SMSMfaSettings}, {FactorTOTP, in.SoftwareTokenMfaSettings}, {FactorEmail, in.EmailMfaSettings}}
	preferred := 0
	for _, x := range settings {
		if x.s == nil {
			continue
		}
		if x.s.PreferredMfa && !x.s.Enabled {
			return ErrInvalidParameter.With("Cannot prefer a disabled MFA method.")
		}
		if x.s.PreferredMfa {
			preferred++
		}
	}
	if preferred > 1 {
		return ErrInvalidParameter.With("Only one MFA method can be preferred.")
	}
	_, err := p.modifyUser(ctx, sub, func(u *storage.User) ([]storage.User, error) {
		for _, x := range settings {
			if x.s == nil {
				continue
			}
			name := string(x.f)
			if !x.s.Enabled {
				u.MFA.Enabled = slices.DeleteFunc(u.MFA.Enabled, func(s string) bool { return s == name })
				if u.MFA.Preferred == name {
					u.MFA.Preferred = ""
				}
				continue
			}
			if !canReceive(*u, x.f) {
				switch x.f {
				case FactorTOTP:
					return nil, ErrInvalidParameter.With("User has not set up software token mfa")
				case FactorSMS:
					return nil, ErrInvalidParameter.With("User does not have a phone number.")
				default:
					return nil, ErrInvalidParameter.With("User does not have an email address.")
				}
			}
			if !slices.Contains(u.MFA.Enabled, name) {
				u.MFA.Enabled = append(u.MFA.Enabled, name)
			}
			if x.s.PreferredMfa {
				u.MFA.Preferred = name
			}
		}
		return nil, nil
	})
	return err
}
