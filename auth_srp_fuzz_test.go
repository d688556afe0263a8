package userpool_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

// FuzzPasswordVerifier feeds arbitrary SRP_A values to USER_SRP_AUTH and
// arbitrary answers to its PASSWORD_VERIFIER: every input ends in a pool
// error (no one can sign without the password), never a panic or tokens.
func FuzzPasswordVerifier(f *testing.F) {
	e := newAuthEnv(f, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(f, "ana", nil)
	good := userpool.NewSRPClientForTest(srpRandom(1)).A()
	for _, seed := range []struct{ a, block, ts, sig, device string }{
		{good, "", "Sun Mar 1 09:00:00 UTC 2026", "c2ln", ""},
		{"0", "AQ==", "Sun Mar 01 09:00:00 UTC 2026", "", ""},
		{userpool.SRPModulusHexForTest(), "", "", "", "us-east-1_x"},
		{"ffff", "AQ" + strings.Repeat("A", 42), "Mon Mar 1 09:00:00 UTC 2026", "x", ""},
	} {
		f.Add(seed.a, seed.block, seed.ts, seed.sig, seed.device)
	}
	f.Fuzz(func(t *testing.T, a, block, ts, sig, device string) {
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthUserSRP, ClientID: e.srp.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "SRP_A": a},
		})
		if err != nil {
			var pe *userpool.Error
			if !errors.As(err, &pe) {
				t.Fatalf("InitiateAuth: got %T %v, want a *userpool.Error", err, err)
			}
			return
		}
		if block == "" {
			block = out.ChallengeParameters["SECRET_BLOCK"]
		}
		r := map[string]string{"USERNAME": "ana", "PASSWORD_CLAIM_SECRET_BLOCK": block, "TIMESTAMP": ts, "PASSWORD_CLAIM_SIGNATURE": sig}
		if device != "" {
			r["DEVICE_KEY"] = device
		}
		res, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.srp.ID, ChallengeName: userpool.ChallengePasswordVerifier, ChallengeResponses: r,
		})
		var pe *userpool.Error
		if err == nil || !errors.As(err, &pe) || res.AuthenticationResult != nil {
			t.Fatalf("answer %v: got %+v, %v; want a pool error", r, res, err)
		}
	})
}

// FuzzConfirmDevice feeds arbitrary DeviceSecretVerifierConfig values to
// ConfirmDevice: a pool error or a stored device, never a panic.
func FuzzConfirmDevice(f *testing.F) {
	e := newAuthEnv(f, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(f, "ana", nil)
	res := e.tokens(f, "ana", authPassword)
	key := res.NewDeviceMetadata.DeviceKey
	_, salt, verifier := userpool.DeviceVerifierForTest(srpRandom(2), res.NewDeviceMetadata.DeviceGroupKey, key)
	for _, seed := range [][2]string{{verifier, salt}, {"AA==", salt}, {"", ""}, {"!!", "%%"}, {strings.Repeat("/w", 300), "AAAA"}} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, v, s string) {
		_, err := e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{
			AccessToken: res.AccessToken, DeviceKey: key,
			DeviceSecretVerifierConfig: userpool.DeviceSecretVerifierConfig{PasswordVerifier: v, Salt: s},
		})
		if err == nil {
			_ = e.pool.AdminForgetDevice(e.ctx, "ana", key)
			return
		}
		var pe *userpool.Error
		if !errors.As(err, &pe) {
			t.Fatalf("got %T %v, want a *userpool.Error", err, err)
		}
	})
}
