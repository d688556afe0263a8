package userpool_test

import (
	"slices"
	"testing"

	"github.com/userpool/userpool"
)

func TestSetUserSettings(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors)
	e.user(t, "ana", map[string]string{"phone_number": "+15550100", "email": anaEmail})
	e.user(t, "bo", nil)
	sms := []userpool.MFAOption{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
	factors := func() []userpool.Factor {
		t.Helper()
		u, err := e.pool.AdminGetUser(e.ctx, "ana")
		if err != nil {
			t.Fatal(err)
		}
		return u.MFAMethods
	}
	access := e.tokens(t, "ana", authPassword).AccessToken
	for _, tc := range []struct {
		name    string
		call    func() error
		err     *userpool.Error
		msg     string
		factors []userpool.Factor
	}{
		{"email option", func() error {
			return e.pool.SetUserSettings(e.ctx, userpool.SetUserSettingsInput{AccessToken: access,
				MFAOptions: []userpool.MFAOption{{DeliveryMedium: "EMAIL", AttributeName: "email"}}})
		}, userpool.ErrInvalidParameter, "Only phone_number attribute is currently supported as a MFA option.", nil},
		{"email medium to the phone", func() error {
			return e.pool.SetUserSettings(e.ctx, userpool.SetUserSettingsInput{AccessToken: access,
				MFAOptions: []userpool.MFAOption{{DeliveryMedium: "EMAIL", AttributeName: "phone_number"}}})
		}, userpool.ErrInvalidParameter, "Only SMS delivery medium is currently supported as a MFA option.", nil},
		{"bad token", func() error {
			return e.pool.SetUserSettings(e.ctx, userpool.SetUserSettingsInput{AccessToken: "x", MFAOptions: sms})
		}, userpool.ErrNotAuthorized, "Invalid Access Token", nil},
		{"SMS on", func() error {
			return e.pool.SetUserSettings(e.ctx, userpool.SetUserSettingsInput{AccessToken: access, MFAOptions: sms})
		}, nil, "", []userpool.Factor{userpool.FactorSMS}},
		{"SMS off", func() error {
			return e.pool.SetUserSettings(e.ctx, userpool.SetUserSettingsInput{AccessToken: access, MFAOptions: []userpool.MFAOption{}})
		}, nil, "", nil},
		{"admin SMS on", func() error {
			return e.pool.AdminSetUserSettings(e.ctx, userpool.SetUserSettingsInput{Username: "ana", MFAOptions: sms})
		}, nil, "", []userpool.Factor{userpool.FactorSMS}},
		{"admin, user without a phone", func() error {
			return e.pool.AdminSetUserSettings(e.ctx, userpool.SetUserSettingsInput{Username: "bo", MFAOptions: sms})
		}, userpool.ErrInvalidParameter, "User does not have a phone number.", []userpool.Factor{userpool.FactorSMS}},
		{"admin, unknown user", func() error {
			return e.pool.AdminSetUserSettings(e.ctx, userpool.SetUserSettingsInput{Username: "cy", MFAOptions: sms})
		}, userpool.ErrUserNotFound, "User does not exist.", []userpool.Factor{userpool.FactorSMS}},
		{"admin SMS off", func() error {
			return e.pool.AdminSetUserSettings(e.ctx, userpool.SetUserSettingsInput{Username: "ana"})
		}, nil, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if tc.err != nil {
				wantAuthErr(t, tc.name, err, tc.err, tc.msg)
			} else if err != nil {
				t.Fatal(err)
			}
			if got := factors(); !slices.Equal(got, tc.factors) {
				t.Errorf("ana's factors %v, want %v", got, tc.factors)
			}
		})
	}
	// With SMS on the legacy way, a sign-in asks for an SMS code.
	if err := e.pool.AdminSetUserSettings(e.ctx, userpool.SetUserSettingsInput{Username: "ana", MFAOptions: sms}); err != nil {
		t.Fatal(err)
	}
	e.challenge(t, "ana", userpool.ChallengeSMSMFA)
}
