package userpool_test

import (
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

const (
	anaPhone = "+15555550100"
	anaEmail = "ana@example.com"
)

// TestCodeMFAChallenges runs SMS_MFA and EMAIL_OTP through success and
// every failure.
func TestCodeMFAChallenges(t *testing.T) {
	for _, tc := range []struct {
		factor   userpool.Factor
		answer   string
		to       string
		medium   userpool.Channel
		masked   string
		verified string
	}{
		{userpool.FactorSMS, "SMS_MFA_CODE", anaPhone, userpool.ChannelSMS, "+*******0100", "phone_number_verified"},
		{userpool.FactorEmail, "EMAIL_OTP_CODE", anaEmail, userpool.ChannelEmail, "", "email_verified"},
	} {
		t.Run(string(tc.factor), func(t *testing.T) {
			e := newMFAEnv(t, userpool.MFAOptional, allFactors)
			e.user(t, "ana", map[string]string{"phone_number": anaPhone, "email": anaEmail})
			e.enable(t, "ana", true, tc.factor)
			answer := func(out userpool.AuthOutput, code string) (userpool.AuthOutput, error) {
				return e.answer(out, map[string]string{tc.answer: code})
			}

			t.Run("wrong code then right code", func(t *testing.T) {
				out := e.challenge(t, "ana", string(tc.factor))
				if got := out.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"]; got != string(tc.medium) {
					t.Errorf("medium %q", got)
				}
				d := out.ChallengeParameters["CODE_DELIVERY_DESTINATION"]
				if d == "" || d == tc.to || (tc.masked != "" && d != tc.masked) {
					t.Errorf("destination %q", d)
				}
				m := e.sent.last(t)
				if m.To != tc.to || m.Channel != tc.medium || m.Event != "Authentication" || len(m.Code) != 6 || !strings.Contains(m.Body, m.Code) {
					t.Fatalf("message %+v", m)
				}
				_, err := answer(out, totptest.WrongCode(m.Code))
				wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "Invalid code or auth state for the user.")
				got, err := answer(out, m.Code)
				e.wantTokens(t, "right code", got, err, "ana")
				u, err := e.pool.AdminGetUser(e.ctx, "ana")
				if err != nil {
					t.Fatal(err)
				}
				if u.Attributes[tc.verified] != "true" {
					t.Errorf("%s = %q after MFA", tc.verified, u.Attributes[tc.verified])
				}
			})
			t.Run("used code", func(t *testing.T) {
				used := e.sent.last(t).Code
				out := e.challenge(t, "ana", string(tc.factor))
				if fresh := e.sent.last(t).Code; fresh == used {
					t.Skip("the new code equals the old one")
				}
				_, err := answer(out, used)
				wantAuthErr(t, "used code", err, userpool.ErrCodeMismatch, "")
				got, err := answer(out, e.sent.last(t).Code)
				e.wantTokens(t, "fresh code", got, err, "ana")
			})
			t.Run("expired code", func(t *testing.T) {
				out := e.challenge(t, "ana", string(tc.factor))
				e.clock.Advance(3*time.Minute + time.Second)
				_, err := answer(out, e.sent.last(t).Code)
				wantAuthErr(t, "expired", err, userpool.ErrNotAuthorized, "Invalid session for the user, session is expired.")
			})
			t.Run("too many tries", func(t *testing.T) {
				out := e.challenge(t, "ana", string(tc.factor))
				code := e.sent.last(t).Code
				for range 4 {
					_, err := answer(out, totptest.WrongCode(code))
					wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "")
				}
				_, err := answer(out, totptest.WrongCode(code))
				wantAuthErr(t, "fifth wrong code", err, userpool.ErrTooManyFailedAttempts, "")
				// A new sign-in sends a new code, but the guesses stay spent.
				out = e.challenge(t, "ana", string(tc.factor))
				_, err = answer(out, e.sent.last(t).Code)
				wantAuthErr(t, "locked", err, userpool.ErrTooManyFailedAttempts, "")
				e.clock.Advance(2 * time.Minute)
				out = e.challenge(t, "ana", string(tc.factor))
				got, err := answer(out, e.sent.last(t).Code)
				e.wantTokens(t, "after the lock", got, err, "ana")
			})
		})
	}
}

func TestMFACodeMessage(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors,
		userpool.WithMFAMessages("Sign-in code {####}", "Your sign-in code", "Use {####} to sign in."))
	e.user(t, "ana", map[string]string{"phone_number": anaPhone, "email": anaEmail})
	e.enable(t, "ana", true, userpool.FactorSMS)
	e.challenge(t, "ana", userpool.ChallengeSMSMFA)
	m := e.sent.last(t)
	if m.Body != "Sign-in code "+m.Code {
		t.Errorf("SMS %q", m.Body)
	}
	e.enable(t, "ana", true, userpool.FactorEmail)
	e.challenge(t, "ana", userpool.ChallengeEmailOTP)
	m = e.sent.last(t)
	if m.Subject != "Your sign-in code" || m.Body != "Use "+m.Code+" to sign in." {
		t.Errorf("email %q: %q", m.Subject, m.Body)
	}
}

func TestSelectMFAType(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors)
	e.user(t, "ana", map[string]string{"phone_number": anaPhone, "email": anaEmail})
	secret := e.setUpTOTP(t, "ana")
	// Both enabled, none preferred.
	err := e.pool.AdminSetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{
		Username:                 "ana",
		SMSMfaSettings:           &userpool.MFASettings{Enabled: true},
		SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: false},
	})
	if err != nil {
		t.Fatal(err)
	}
	e.enable(t, "ana", false, userpool.FactorTOTP)
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if u.PreferredMFA != "" || len(u.MFAMethods) != 2 {
		t.Fatalf("preferred %q, methods %v", u.PreferredMFA, u.MFAMethods)
	}
	out := e.challenge(t, "ana", userpool.ChallengeSelectMFAType)
	if got := out.ChallengeParameters["MFAS_CAN_CHOOSE"]; got != `["SMS_MFA","SOFTWARE_TOKEN_MFA"]` {
		t.Fatalf("MFAS_CAN_CHOOSE %s", got)
	}
	_, err = e.answer(out, map[string]string{"ANSWER": "EMAIL_OTP"})
	wantAuthErr(t, "factor not enabled", err, userpool.ErrInvalidParameter, "")
	next, err := e.answer(out, map[string]string{"ANSWER": "SOFTWARE_TOKEN_MFA"})
	if err != nil || next.ChallengeName != userpool.ChallengeSoftwareTokenMFA {
		t.Fatalf("choice: %+v, %v", next, err)
	}
	got, err := e.answer(next, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": totptest.Code(t, secret, e.clock.Now())})
	e.wantTokens(t, "TOTP chosen", got, err, "ana")

	out = e.challenge(t, "ana", userpool.ChallengeSelectMFAType)
	next, err = e.answer(out, map[string]string{"ANSWER": "SMS_MFA"})
	if err != nil || next.ChallengeName != userpool.ChallengeSMSMFA {
		t.Fatalf("choice: %+v, %v", next, err)
	}
	got, err = e.answer(next, map[string]string{"SMS_MFA_CODE": e.sent.code(t, anaPhone)})
	e.wantTokens(t, "SMS chosen", got, err, "ana")

	// A preference decides without asking.
	e.enable(t, "ana", true, userpool.FactorSMS)
	e.challenge(t, "ana", userpool.ChallengeSMSMFA)
}

func TestMFASetup(t *testing.T) {
	e := newMFAEnv(t, userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP, userpool.FactorEmail})
	e.user(t, "ana", nil)
	out := e.challenge(t, "ana", userpool.ChallengeMFASetup)
	if got := out.ChallengeParameters["MFAS_CAN_SETUP"]; got != `["SOFTWARE_TOKEN_MFA","EMAIL_OTP"]` {
		t.Fatalf("MFAS_CAN_SETUP %s", got)
	}
	// Answering before a token is verified is refused; the session stays.
	_, err := e.answer(out, nil)
	wantAuthErr(t, "unverified", err, userpool.ErrInvalidParameter, "")

	a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil {
		t.Fatal(err)
	}
	if a.Session == "" || a.Session == out.Session {
		t.Fatalf("Session %q", a.Session)
	}
	_, err = e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{Session: out.Session})
	wantAuthErr(t, "used session", err, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once.")

	code := totptest.Code(t, a.SecretCode, e.clock.Now())
	_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{Session: a.Session, UserCode: totptest.WrongCode(code)})
	wantAuthErr(t, "wrong code", err, userpool.ErrEnableSoftwareTokenMFA, "Code mismatch and fail enable Software Token MFA")
	v, err := e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{Session: a.Session, UserCode: code, FriendlyDeviceName: "phone"})
	if err != nil || v.Status != "SUCCESS" || v.Session == "" {
		t.Fatalf("VerifySoftwareToken: %+v, %v", v, err)
	}
	// The setup session answers MFA_SETUP, not another challenge.
	_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: userpool.ChallengeSoftwareTokenMFA, Session: v.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ana", "SOFTWARE_TOKEN_MFA_CODE": code},
	})
	wantAuthErr(t, "other challenge", err, userpool.ErrNotAuthorized, "")

	out = e.challenge(t, "ana", userpool.ChallengeMFASetup) // a verified token alone is not enabled
	a, err = e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	v, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{Session: a.Session, UserCode: totptest.Code(t, a.SecretCode, e.clock.Now())})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: userpool.ChallengeMFASetup, Session: v.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ana"},
	})
	e.wantTokens(t, "MFA_SETUP", got, err, "ana")
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if u.PreferredMFA != userpool.FactorTOTP {
		t.Errorf("preferred %q after setup", u.PreferredMFA)
	}
	e.clock.Advance(30 * time.Second)
	next := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
	got, err = e.answer(next, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": totptest.Code(t, a.SecretCode, e.clock.Now())})
	e.wantTokens(t, "TOTP after setup", got, err, "ana")
}

func TestMFASetupExpired(t *testing.T) {
	e := newMFAEnv(t, userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP})
	e.user(t, "ana", nil)
	out := e.challenge(t, "ana", userpool.ChallengeMFASetup)
	e.clock.Advance(4 * time.Minute)
	_, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{Session: out.Session})
	wantAuthErr(t, "expired", err, userpool.ErrNotAuthorized, "Invalid session for the user, session is expired.")
}

func TestMFAModes(t *testing.T) {
	attrs := map[string]string{"phone_number": anaPhone, "email": anaEmail}
	for _, tc := range []struct {
		name    string
		mode    userpool.MFAMode
		factors []userpool.Factor
		enable  []userpool.Factor
		want    string
	}{
		{"off", userpool.MFAOff, nil, nil, ""},
		{"optional without factors", userpool.MFAOptional, allFactors, nil, ""},
		{"optional with SMS", userpool.MFAOptional, allFactors, []userpool.Factor{userpool.FactorSMS}, userpool.ChallengeSMSMFA},
		{"required: the phone on file", userpool.MFARequired, allFactors, nil, userpool.ChallengeSMSMFA},
		{"required: the email on file", userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP, userpool.FactorEmail}, nil, userpool.ChallengeEmailOTP},
		{"required: TOTP only", userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP}, nil, userpool.ChallengeMFASetup},
		{"required with email enabled", userpool.MFARequired, allFactors, []userpool.Factor{userpool.FactorEmail}, userpool.ChallengeEmailOTP},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMFAEnv(t, tc.mode, tc.factors)
			e.user(t, "ana", attrs)
			if len(tc.enable) > 0 {
				e.enable(t, "ana", true, tc.enable...)
			}
			if tc.want == "" {
				e.tokens(t, "ana", authPassword)
				return
			}
			out := e.challenge(t, "ana", tc.want)
			if tc.want == userpool.ChallengeMFASetup {
				return
			}
			got, err := e.answer(out, map[string]string{tc.want + "_CODE": e.sent.last(t).Code})
			e.wantTokens(t, tc.want, got, err, "ana")
		})
	}
}

// TestMFAAfterNewPassword: a user with a temporary password changes it,
// then answers MFA.
func TestMFAAfterNewPassword(t *testing.T) {
	e := newMFAEnv(t, userpool.MFARequired, []userpool.Factor{userpool.FactorSMS})
	e.tempUser(t, "ana", map[string]string{"phone_number": anaPhone})
	out, err := e.signIn("ana", tempPassword)
	if err != nil || out.ChallengeName != userpool.ChallengeNewPasswordRequired {
		t.Fatalf("sign-in: %+v, %v", out, err)
	}
	out, err = e.answer(out, map[string]string{"NEW_PASSWORD": authPassword})
	if err != nil || out.ChallengeName != userpool.ChallengeSMSMFA {
		t.Fatalf("new password: %+v, %v", out, err)
	}
	got, err := e.answer(out, map[string]string{"SMS_MFA_CODE": e.sent.code(t, anaPhone)})
	e.wantTokens(t, "SMS after new password", got, err, "ana")
}

func TestSetUserMFAPreferenceErrors(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors)
	e.user(t, "ana", map[string]string{"email": anaEmail})
	on := &userpool.MFASettings{Enabled: true, PreferredMfa: true}
	for _, tc := range []struct {
		name string
		in   userpool.SetUserMFAPreferenceInput
		err  *userpool.Error
		msg  string
	}{
		{"two preferred", userpool.SetUserMFAPreferenceInput{Username: "ana", EmailMfaSettings: on, SMSMfaSettings: on}, userpool.ErrInvalidParameter, "Only one MFA method can be preferred."},
		{"preferred but off", userpool.SetUserMFAPreferenceInput{Username: "ana", EmailMfaSettings: &userpool.MFASettings{PreferredMfa: true}}, userpool.ErrInvalidParameter, "Cannot prefer a disabled MFA method."},
		{"no phone", userpool.SetUserMFAPreferenceInput{Username: "ana", SMSMfaSettings: on}, userpool.ErrInvalidParameter, "User does not have a phone number."},
		{"no token", userpool.SetUserMFAPreferenceInput{Username: "ana", SoftwareTokenMfaSettings: on}, userpool.ErrInvalidParameter, "User has not set up software token mfa"},
		{"unknown user", userpool.SetUserMFAPreferenceInput{Username: "bob", EmailMfaSettings: on}, userpool.ErrUserNotFound, "User does not exist."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := e.pool.AdminSetUserMFAPreference(e.ctx, tc.in)
			wantAuthErr(t, tc.name, err, tc.err, tc.msg)
			u, err := e.pool.AdminGetUser(e.ctx, "ana")
			if err != nil {
				t.Fatal(err)
			}
			if len(u.MFAMethods) != 0 || u.PreferredMFA != "" {
				t.Errorf("changed: %v %q", u.MFAMethods, u.PreferredMFA)
			}
		})
	}
	// Turning the preferred factor off leaves none preferred.
	e.enable(t, "ana", true, userpool.FactorEmail)
	err := e.pool.AdminSetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{Username: "ana", EmailMfaSettings: &userpool.MFASettings{}})
	if err != nil {
		t.Fatal(err)
	}
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.MFAMethods) != 0 || u.PreferredMFA != "" {
		t.Errorf("after turning off: %v %q", u.MFAMethods, u.PreferredMFA)
	}
	err = e.pool.SetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{AccessToken: "nope"})
	wantAuthErr(t, "bad token", err, userpool.ErrNotAuthorized, "")
}

// TestRecoveryAvoidsSMSFactor: ForgotPassword does not send to a phone
// number that is the user's SMS MFA factor, as Cognito advises.
func TestRecoveryAvoidsSMSFactor(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, allFactors,
		userpool.WithAccountRecovery(userpool.RecoveryVerifiedPhone, userpool.RecoveryVerifiedEmail))
	e.user(t, "ana", map[string]string{"phone_number": anaPhone, "phone_number_verified": "true", "email": anaEmail, "email_verified": "true"})
	forgot := func() (userpool.CodeDeliveryDetails, error) {
		return e.pool.ForgotPassword(e.ctx, userpool.ForgotPasswordInput{ClientID: e.app.ID, Username: "ana"})
	}
	d, err := forgot()
	if err != nil || d.AttributeName != "phone_number" {
		t.Fatalf("without MFA: %+v, %v", d, err)
	}
	e.enable(t, "ana", true, userpool.FactorSMS)
	d, err = forgot()
	if err != nil || d.AttributeName != "email" {
		t.Fatalf("with SMS MFA: %+v, %v", d, err)
	}
	e.enable(t, "ana", true, userpool.FactorEmail)
	_, err = forgot()
	wantAuthErr(t, "both factors", err, userpool.ErrInvalidParameter, "Cannot reset password for the user as there is no registered/verified email or phone_number")
}

// TestMFASetupEmail: a user without an email address answers MFA_SETUP
// with one, proves it with the code sent there, and has email MFA.
func TestMFASetupEmail(t *testing.T) {
	e := newMFAEnv(t, userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP, userpool.FactorEmail})
	e.user(t, "ana", nil)
	out := e.challenge(t, "ana", userpool.ChallengeMFASetup)
	_, err := e.answer(out, map[string]string{"EMAIL": "not an address"})
	wantAuthErr(t, "bad address", err, userpool.ErrInvalidParameter, "")
	next, err := e.answer(out, map[string]string{"EMAIL": anaEmail})
	if err != nil || next.ChallengeName != userpool.ChallengeEmailOTP || next.ChallengeParameters["CODE_DELIVERY_DELIVERY_MEDIUM"] != "EMAIL" {
		t.Fatalf("EMAIL answer: %+v, %v", next, err)
	}
	code := e.sent.code(t, anaEmail)
	_, err = e.answer(next, map[string]string{"EMAIL_OTP_CODE": totptest.WrongCode(code)})
	wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "Invalid code or auth state for the user.")
	got, err := e.answer(next, map[string]string{"EMAIL_OTP_CODE": code})
	e.wantTokens(t, "email set up", got, err, "ana")
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if u.Attributes["email"] != anaEmail || u.Attributes["email_verified"] != "true" || u.PreferredMFA != userpool.FactorEmail {
		t.Fatalf("after setup: %v, preferred %q", u.Attributes, u.PreferredMFA)
	}
	e.challenge(t, "ana", userpool.ChallengeEmailOTP)

	// A pool without email MFA refuses the address.
	e2 := newMFAEnv(t, userpool.MFARequired, []userpool.Factor{userpool.FactorTOTP})
	e2.user(t, "ana", nil)
	out = e2.challenge(t, "ana", userpool.ChallengeMFASetup)
	_, err = e2.answer(out, map[string]string{"EMAIL": anaEmail})
	wantAuthErr(t, "email MFA off", err, userpool.ErrInvalidParameter, "")
}
