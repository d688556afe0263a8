package userpool

import "context"

// MFAOption is an entry of the legacy MFAOptions list of SetUserSettings:
// SMS codes sent to the phone_number attribute, the only option Cognito
// ever accepted there.
type MFAOption struct {
	// DeliveryMedium is "SMS".
	DeliveryMedium string
	// AttributeName is "phone_number".
	AttributeName string
}

// SetUserSettingsInput is the request of [Pool.SetUserSettings] and
// [Pool.AdminSetUserSettings].
type SetUserSettingsInput struct {
	// AccessToken names the user of SetUserSettings.
	AccessToken string
	// Username names the user of AdminSetUserSettings.
	Username string
	// MFAOptions turns SMS MFA on when it holds the SMS option and off
	// when it is empty.
	MFAOptions []MFAOption
}

// SetUserSettings turns the token owner's SMS MFA on or off the legacy
// way, mirroring Cognito's SetUserSettings, which amazon-cognito-identity-js
// still calls from enableMFA and disableMFA. New code uses
// [Pool.SetUserMFAPreference], which covers every factor and the
// preference. Errors: InvalidParameter for an option other than SMS to
// phone_number, "User does not have a phone number." when turning SMS on
// without one; the access-token errors of [Pool.GetUser].
func (p *Pool) SetUserSettings(ctx context.Context, in SetUserSettingsInput) error {
	pref, err := legacySMSPreference(in.MFAOptions)
	if err != nil {
		return err
	}
	u, _, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return err
	}
	return p.setMFAPreference(ctx, u.Sub, pref)
}

// AdminSetUserSettings is [Pool.SetUserSettings] on behalf of a trusted
// server, mirroring Cognito's AdminSetUserSettings; in.Username names the
// user (UserNotFound "User does not exist.").
func (p *Pool) AdminSetUserSettings(ctx context.Context, in SetUserSettingsInput) error {
	pref, err := legacySMSPreference(in.MFAOptions)
	if err != nil {
		return err
	}
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return err
	}
	return p.setMFAPreference(ctx, u.Sub, pref)
}

// legacySMSPreference translates MFAOptions into the SMS setting it
// stands for. It leaves the preferred factor alone, as the legacy call
// has no notion of one.
func legacySMSPreference(options []MFAOption) (SetUserMFAPreferenceInput, error) {
	for _, o := range options {
		if o.AttributeName != "phone_number" {
			return SetUserMFAPreferenceInput{}, ErrInvalidParameter.With("Only phone_number attribute is currently supported as a MFA option.")
		}
		if o.DeliveryMedium != "SMS" {
			// Cognito's wording for the attribute, applied to the medium.
			return SetUserMFAPreferenceInput{}, ErrInvalidParameter.With("Only SMS delivery medium is currently supported as a MFA option.")
		}
	}
	return SetUserMFAPreferenceInput{SMSMfaSettings: &MFASettings{Enabled: len(options) > 0}}, nil
}
