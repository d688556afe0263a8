package userpool_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

func TestAssociateSoftwareToken(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, []userpool.Factor{userpool.FactorTOTP})
	e.user(t, "ana", nil)
	res := e.tokens(t, "ana", authPassword)

	a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.SecretCode) != 32 || strings.Trim(a.SecretCode, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") != "" {
		t.Errorf("SecretCode %q: want 32 base32 characters", a.SecretCode)
	}
	if a.Session != "" {
		t.Errorf("Session %q with an access token", a.Session)
	}
	if !strings.HasPrefix(a.OTPAuthURI, "otpauth://totp/signin:ana?") || !strings.Contains(a.OTPAuthURI, "issuer=signin") ||
		!strings.Contains(a.OTPAuthURI, "secret="+a.SecretCode) {
		t.Errorf("OTPAuthURI %q", a.OTPAuthURI)
	}
	if !bytes.HasPrefix(a.QRCodePNG, []byte("\x89PNG\r\n\x1a\n")) {
		t.Errorf("QRCodePNG is not a PNG")
	}

	// Preference before verification.
	err = e.pool.SetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{
		AccessToken: res.AccessToken, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true},
	})
	wantAuthErr(t, "preference before verify", err, userpool.ErrInvalidParameter, "User has not set up software token mfa")

	code := totptest.Code(t, a.SecretCode, e.clock.Now())
	_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: totptest.WrongCode(code)})
	wantAuthErr(t, "wrong code", err, userpool.ErrEnableSoftwareTokenMFA, "Code mismatch and fail enable Software Token MFA")
	v, err := e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: code, FriendlyDeviceName: "Ana's phone"})
	if err != nil || v.Status != "SUCCESS" {
		t.Fatalf("VerifySoftwareToken: %+v, %v", v, err)
	}
	// Verified is not enabled: sign-in still ends with the tokens.
	e.tokens(t, "ana", authPassword)

	err = e.pool.SetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{
		AccessToken: res.AccessToken, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	g, err := e.pool.GetUser(e.ctx, res.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	if g.PreferredMFASetting != "SOFTWARE_TOKEN_MFA" || !slices.Equal(g.UserMFASettingList, []string{"SOFTWARE_TOKEN_MFA"}) {
		t.Errorf("GetUser: preferred %q, list %v", g.PreferredMFASetting, g.UserMFASettingList)
	}
	out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
	if out.ChallengeParameters["FRIENDLY_DEVICE_NAME"] != "Ana's phone" {
		t.Errorf("params %v", out.ChallengeParameters)
	}
}

func TestSoftwareTokenMFAChallenge(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, []userpool.Factor{userpool.FactorTOTP})
	e.user(t, "ana", nil)
	secret := e.setUpTOTP(t, "ana")
	answer := func(out userpool.AuthOutput, code string) (userpool.AuthOutput, error) {
		return e.answer(out, map[string]string{"SOFTWARE_TOKEN_MFA_CODE": code})
	}

	t.Run("wrong code then right code", func(t *testing.T) {
		out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		code := totptest.Code(t, secret, e.clock.Now())
		_, err := answer(out, totptest.WrongCode(code))
		wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "Invalid code received for user")
		_, err = answer(out, "")
		wantAuthErr(t, "no code", err, userpool.ErrInvalidParameter, "Missing required parameter SOFTWARE_TOKEN_MFA_CODE")
		got, err := answer(out, code)
		e.wantTokens(t, "right code", got, err, "ana")
	})
	t.Run("reused code", func(t *testing.T) {
		// The code of this step was accepted just above.
		out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		_, err := answer(out, totptest.Code(t, secret, e.clock.Now()))
		wantAuthErr(t, "reused code", err, userpool.ErrCodeMismatch, "Invalid code received for user")
		// An earlier step's code is refused too.
		_, err = answer(out, totptest.Code(t, secret, e.clock.Now().Add(-30*time.Second)))
		wantAuthErr(t, "earlier code", err, userpool.ErrCodeMismatch, "")
		e.clock.Advance(30 * time.Second)
		got, err := answer(out, totptest.Code(t, secret, e.clock.Now()))
		e.wantTokens(t, "next step's code", got, err, "ana")
	})
	t.Run("drift of one step", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		got, err := answer(out, totptest.Code(t, secret, e.clock.Now().Add(30*time.Second)))
		e.wantTokens(t, "code of the next step", got, err, "ana")
		e.clock.Advance(90 * time.Second)
		out = e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		_, err = answer(out, totptest.Code(t, secret, e.clock.Now().Add(60*time.Second)))
		wantAuthErr(t, "two steps ahead", err, userpool.ErrCodeMismatch, "")
		got, err = answer(out, totptest.Code(t, secret, e.clock.Now()))
		e.wantTokens(t, "current code", got, err, "ana")
	})
	t.Run("expired session", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		e.clock.Advance(3*time.Minute + time.Second)
		_, err := answer(out, totptest.Code(t, secret, e.clock.Now()))
		wantAuthErr(t, "expired", err, userpool.ErrNotAuthorized, "Invalid session for the user, session is expired.")
	})
	t.Run("too many tries", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		out := e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		code := totptest.Code(t, secret, e.clock.Now())
		for range 5 {
			_, err := answer(out, totptest.WrongCode(code))
			wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "")
		}
		// The session is spent after five wrong answers ...
		_, err := answer(out, code)
		wantAuthErr(t, "spent session", err, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once.")
		// ... and a new sign-in does not buy more guesses.
		out = e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		_, err = answer(out, code)
		wantAuthErr(t, "locked", err, userpool.ErrTooManyFailedAttempts, "")
		// Once the lock has passed the right code works.
		e.clock.Advance(2 * time.Minute)
		out = e.challenge(t, "ana", userpool.ChallengeSoftwareTokenMFA)
		got, err := answer(out, totptest.Code(t, secret, e.clock.Now()))
		e.wantTokens(t, "after the lock", got, err, "ana")
	})
}

func TestSoftwareTokenOff(t *testing.T) {
	for _, tc := range []struct {
		name    string
		mode    userpool.MFAMode
		factors []userpool.Factor
	}{
		{"MFA off", userpool.MFAOff, nil},
		{"email only", userpool.MFAOptional, []userpool.Factor{userpool.FactorEmail}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMFAEnv(t, tc.mode, tc.factors)
			e.user(t, "ana", nil)
			res := e.tokens(t, "ana", authPassword)
			const msg = "Software Token MFA has not been enabled by the userPool"
			_, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
			wantAuthErr(t, "associate", err, userpool.ErrSoftwareTokenMFANotFound, msg)
			_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: "123456"})
			wantAuthErr(t, "verify", err, userpool.ErrSoftwareTokenMFANotFound, msg)
		})
	}
}

func TestSoftwareTokenRequests(t *testing.T) {
	e := newMFAEnv(t, userpool.MFAOptional, []userpool.Factor{userpool.FactorTOTP})
	e.user(t, "ana", nil)
	res := e.tokens(t, "ana", authPassword)
	_, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{})
	wantAuthErr(t, "neither", err, userpool.ErrInvalidParameter, "")
	_, err = e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken, Session: strings.Repeat("s", 40)})
	wantAuthErr(t, "both", err, userpool.ErrInvalidParameter, "")
	_, err = e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{Session: strings.Repeat("s", 40)})
	wantAuthErr(t, "unknown session", err, userpool.ErrNotAuthorized, "")
	_, err = e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: "not a token"})
	wantAuthErr(t, "bad token", err, userpool.ErrNotAuthorized, "")
	_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: "123456"})
	wantAuthErr(t, "nothing pending", err, userpool.ErrSoftwareTokenMFANotFound, "")
	_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken})
	wantAuthErr(t, "no code", err, userpool.ErrInvalidParameter, "")
}

// TestSoftwareTokenSealed: with a secret key the store never holds a TOTP
// secret in the clear; without one it does (and the pool still works).
func TestSoftwareTokenSealed(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  []userpool.Option
		clear bool
	}{
		{"secret key", []userpool.Option{userpool.WithSecretKey(bytes.Repeat([]byte{9}, 32))}, false},
		{"no secret key", nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newMFAEnv(t, userpool.MFAOptional, []userpool.Factor{userpool.FactorTOTP}, tc.opts...)
			e.user(t, "ana", nil)
			res := e.tokens(t, "ana", authPassword)
			a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
			if err != nil {
				t.Fatal(err)
			}
			pub, err := e.pool.AdminGetUser(e.ctx, "ana")
			if err != nil {
				t.Fatal(err)
			}
			u, err := e.store.GetUser(e.ctx, e.pool.ID(), pub.Sub)
			if err != nil {
				t.Fatal(err)
			}
			if got := bytes.Contains(u.MFA.PendingTOTPSecret, []byte(a.SecretCode)); got != tc.clear {
				t.Errorf("secret in the clear: %v, want %v", got, tc.clear)
			}
			e.clock.Advance(30 * time.Second)
			_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{AccessToken: res.AccessToken, UserCode: totptest.Code(t, a.SecretCode, e.clock.Now())})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
