package userpool_test

import (
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

// testDevice is a device as identity-js keeps it after ConfirmDevice.
type testDevice struct {
	key, group, password string
}

// claims verifies an access token.
func (e *authEnv) claims(t testing.TB, access string) *userpool.Claims {
	t.Helper()
	c, err := e.pool.Verifier().Verify(e.ctx, access, userpool.TokenUseAccess)
	if err != nil {
		t.Fatalf("access token: %v", err)
	}
	return c
}

// newDevice signs name in with SRP (no device), confirms the device the
// sign-in names, and returns it with the sign-in's tokens.
func (e *authEnv) newDevice(t testing.TB, name string) (testDevice, *userpool.AuthenticationResult) {
	t.Helper()
	s := e.mustSRP(t, e.srp, name)
	out, err := s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "SRP sign-in", out, err, name)
	res := out.AuthenticationResult
	md := res.NewDeviceMetadata
	if md == nil {
		t.Fatal("no NewDeviceMetadata in a pool that remembers devices")
	}
	pw, salt, verifier := userpool.DeviceVerifierForTest(srpRandom(99), md.DeviceGroupKey, md.DeviceKey)
	_, err = e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{
		AccessToken: res.AccessToken, DeviceKey: md.DeviceKey, DeviceName: "phone",
		DeviceSecretVerifierConfig: userpool.DeviceSecretVerifierConfig{PasswordVerifier: verifier, Salt: salt},
	})
	if err != nil {
		t.Fatalf("ConfirmDevice: %v", err)
	}
	return testDevice{key: md.DeviceKey, group: md.DeviceGroupKey, password: pw}, res
}

// deviceChallenge answers DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
// for dev, proving password.
func (e *authEnv) deviceChallenge(t testing.TB, c userpool.Client, out userpool.AuthOutput, dev testDevice, password string) (userpool.AuthOutput, error) {
	t.Helper()
	if out.ChallengeName != userpool.ChallengeDeviceSRPAuth {
		t.Fatalf("got challenge %q, want DEVICE_SRP_AUTH", out.ChallengeName)
	}
	name := out.ChallengeParameters["USERNAME"]
	cl := userpool.NewSRPClientForTest(srpRandom(42))
	out, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: c.ID, ChallengeName: userpool.ChallengeDeviceSRPAuth, Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": name, "DEVICE_KEY": dev.key, "SRP_A": cl.A()},
	})
	if err != nil {
		return out, err
	}
	if out.ChallengeName != userpool.ChallengeDevicePasswordVerifier {
		t.Fatalf("got challenge %q, want DEVICE_PASSWORD_VERIFIER", out.ChallengeName)
	}
	p := out.ChallengeParameters
	if p["DEVICE_KEY"] != dev.key || p["SALT"] == "" || p["SRP_B"] == "" || p["SECRET_BLOCK"] == "" {
		t.Fatalf("DEVICE_PASSWORD_VERIFIER parameters %v", p)
	}
	ts := userpool.SRPTimestampForTest(e.clock.Now())
	return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: c.ID, ChallengeName: userpool.ChallengeDevicePasswordVerifier, Session: out.Session,
		ChallengeResponses: map[string]string{
			"USERNAME": name, "DEVICE_KEY": dev.key, "TIMESTAMP": ts,
			"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
			"PASSWORD_CLAIM_SIGNATURE":    cl.Sign(dev.group, dev.key, password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts),
		},
	})
}

// deviceSRPSignIn signs in with SRP, presenting dev in the
// PASSWORD_VERIFIER answer as identity-js does, up to DEVICE_SRP_AUTH.
func (e *authEnv) deviceSRPSignIn(t testing.TB, name string, dev testDevice) (userpool.AuthOutput, error) {
	t.Helper()
	s := e.mustSRP(t, e.srp, name)
	return s.answer(s.responses(authPassword, func(r map[string]string) { r["DEVICE_KEY"] = dev.key }))
}

func (e *authEnv) refreshWith(res *userpool.AuthenticationResult, c userpool.Client, deviceKey string) error {
	params := map[string]string{"REFRESH_TOKEN": res.RefreshToken}
	if deviceKey != "" {
		params["DEVICE_KEY"] = deviceKey
	}
	_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthRefreshToken, ClientID: c.ID, AuthParameters: params})
	return err
}

func TestDeviceNewMetadataAndConfirm(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(t, "alice", nil)
	e.user(t, "bob", nil)
	dev, res := e.newDevice(t, "alice")
	if !strings.HasPrefix(dev.key, strings.SplitN(e.pool.ID(), "_", 2)[0]+"_") || !strings.HasPrefix(dev.group, "-") {
		t.Errorf("device key %q, group %q", dev.key, dev.group)
	}
	if got := e.claims(t, res.AccessToken).DeviceKey; got != dev.key {
		t.Errorf("access token device_key %q, want %q", got, dev.key)
	}
	// The sign-in's refresh token is bound to the new device.
	wantAuthErr(t, "refresh without DEVICE_KEY", e.refreshWith(res, e.srp, ""), userpool.ErrNotAuthorized, "Invalid Refresh Token.")
	if err := e.refreshWith(res, e.srp, dev.key); err != nil {
		t.Fatalf("refresh with the device: %v", err)
	}
	// Every device of a user has the same group key.
	other, _ := e.newDevice(t, "alice")
	if other.group != dev.group || other.key == dev.key {
		t.Errorf("second device %+v, first %+v", other, dev)
	}

	_, pwSalt, pwVerifier := userpool.DeviceVerifierForTest(srpRandom(5), dev.group, dev.key)
	cfg := userpool.DeviceSecretVerifierConfig{PasswordVerifier: pwVerifier, Salt: pwSalt}
	_, err := e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: dev.key, DeviceSecretVerifierConfig: cfg})
	wantAuthErr(t, "ConfirmDevice again", err, userpool.ErrDeviceKeyExists, "")
	_, err = e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: other.key + "x", DeviceSecretVerifierConfig: cfg})
	wantAuthErr(t, "ConfirmDevice of a key the sign-in did not issue", err, userpool.ErrResourceNotFound, "Device does not exist.")
	_, err = e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{AccessToken: res.AccessToken, DeviceKey: dev.key, DeviceSecretVerifierConfig: userpool.DeviceSecretVerifierConfig{PasswordVerifier: "AA==", Salt: pwSalt}})
	wantAuthErr(t, "ConfirmDevice with verifier 0", err, userpool.ErrInvalidParameter, "")

	d, err := e.pool.GetDevice(e.ctx, res.AccessToken, dev.key)
	if err != nil {
		t.Fatal(err)
	}
	if d.DeviceAttributes["device_name"] != "phone" || d.DeviceAttributes["dev:device_remembered_status"] != userpool.DeviceRemembered {
		t.Errorf("GetDevice attributes %v", d.DeviceAttributes)
	}
	bobTokens := e.tokens(t, "bob", authPassword)
	_, err = e.pool.GetDevice(e.ctx, bobTokens.AccessToken, dev.key)
	wantAuthErr(t, "another user's device", err, userpool.ErrResourceNotFound, "Device does not exist.")
	err = e.pool.ForgetDevice(e.ctx, bobTokens.AccessToken, dev.key)
	wantAuthErr(t, "forget another user's device", err, userpool.ErrResourceNotFound, "Device does not exist.")
}

func TestDeviceOptInConfirm(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesOptIn, false))
	e.user(t, "carol", nil)
	s := e.mustSRP(t, e.srp, "carol")
	out, err := s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "sign-in", out, err, "carol")
	res := out.AuthenticationResult
	md := res.NewDeviceMetadata
	_, salt, verifier := userpool.DeviceVerifierForTest(srpRandom(3), md.DeviceGroupKey, md.DeviceKey)
	got, err := e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{
		AccessToken: res.AccessToken, DeviceKey: md.DeviceKey,
		DeviceSecretVerifierConfig: userpool.DeviceSecretVerifierConfig{PasswordVerifier: verifier, Salt: salt},
	})
	if err != nil || !got.UserConfirmationNecessary {
		t.Fatalf("ConfirmDevice in opt-in mode: %+v, %v; want UserConfirmationNecessary", got, err)
	}
	d, err := e.pool.AdminGetDevice(e.ctx, "carol", md.DeviceKey)
	if err != nil || d.DeviceAttributes["dev:device_remembered_status"] != userpool.DeviceNotRemembered {
		t.Fatalf("AdminGetDevice: %+v, %v; want not remembered", d, err)
	}
	err = e.pool.UpdateDeviceStatus(e.ctx, userpool.UpdateDeviceStatusInput{AccessToken: res.AccessToken, DeviceKey: md.DeviceKey, DeviceRememberedStatus: "sometimes"})
	wantAuthErr(t, "bad status", err, userpool.ErrInvalidParameter, "")
	err = e.pool.UpdateDeviceStatus(e.ctx, userpool.UpdateDeviceStatusInput{AccessToken: res.AccessToken, DeviceKey: md.DeviceKey, DeviceRememberedStatus: userpool.DeviceRemembered})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = e.pool.AdminGetDevice(e.ctx, "carol", md.DeviceKey)
	if d.DeviceAttributes["dev:device_remembered_status"] != userpool.DeviceRemembered {
		t.Fatalf("after UpdateDeviceStatus: %v", d.DeviceAttributes)
	}
	err = e.pool.AdminUpdateDeviceStatus(e.ctx, userpool.AdminUpdateDeviceStatusInput{Username: "carol", DeviceKey: md.DeviceKey, DeviceRememberedStatus: userpool.DeviceNotRemembered})
	if err != nil {
		t.Fatal(err)
	}
	d, _ = e.pool.GetDevice(e.ctx, res.AccessToken, md.DeviceKey)
	if d.DeviceAttributes["dev:device_remembered_status"] != userpool.DeviceNotRemembered {
		t.Fatalf("after AdminUpdateDeviceStatus: %v", d.DeviceAttributes)
	}
}

func TestDeviceSRPSignIn(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesOptIn, false))
	e.user(t, "dana", nil)
	dev, first := e.newDevice(t, "dana")
	sub := e.claims(t, first.AccessToken).Subject

	signIn := func(t *testing.T) *userpool.AuthenticationResult {
		t.Helper()
		out, err := e.deviceSRPSignIn(t, "dana", dev)
		if err != nil {
			t.Fatalf("PASSWORD_VERIFIER with DEVICE_KEY: %v", err)
		}
		out, err = e.deviceChallenge(t, e.srp, out, dev, dev.password)
		e.wantTokens(t, "device sign-in", out, err, "dana")
		return out.AuthenticationResult
	}

	t.Run("not remembered", func(t *testing.T) {
		res := signIn(t)
		if res.NewDeviceMetadata != nil {
			t.Errorf("NewDeviceMetadata %+v for a known device", res.NewDeviceMetadata)
		}
		if got := e.claims(t, res.AccessToken).DeviceKey; got != dev.key {
			t.Errorf("device_key %q, want %q", got, dev.key)
		}
		if remembered, ok := userpool.DeviceRememberedForTest(sub); !ok || remembered {
			t.Errorf("MFA step told remembered=%v (reached %v), want false", remembered, ok)
		}
	})
	t.Run("remembered", func(t *testing.T) {
		err := e.pool.UpdateDeviceStatus(e.ctx, userpool.UpdateDeviceStatusInput{AccessToken: first.AccessToken, DeviceKey: dev.key, DeviceRememberedStatus: userpool.DeviceRemembered})
		if err != nil {
			t.Fatal(err)
		}
		res := signIn(t)
		if remembered, ok := userpool.DeviceRememberedForTest(sub); !ok || !remembered {
			t.Errorf("MFA step told remembered=%v (reached %v), want true", remembered, ok)
		}
		d, err := e.pool.GetDevice(e.ctx, res.AccessToken, dev.key)
		if err != nil || d.DeviceLastAuthenticatedDate.IsZero() {
			t.Errorf("GetDevice: %+v, %v", d, err)
		}
		// Refresh tokens are bound to the device.
		if err := e.refreshWith(res, e.srp, dev.key); err != nil {
			t.Fatalf("refresh with the device key: %v", err)
		}
		wantAuthErr(t, "refresh with another device key", e.refreshWith(res, e.srp, dev.key+"0"), userpool.ErrNotAuthorized, "Invalid Refresh Token.")
		wantAuthErr(t, "refresh without a device key", e.refreshWith(res, e.srp, ""), userpool.ErrNotAuthorized, "Invalid Refresh Token.")
	})
	t.Run("password flow with DEVICE_KEY", func(t *testing.T) {
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthUserPassword, ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "dana", "PASSWORD": authPassword, "DEVICE_KEY": dev.key},
		})
		if err != nil {
			t.Fatal(err)
		}
		out, err = e.deviceChallenge(t, e.app, out, dev, dev.password)
		e.wantTokens(t, "password and device", out, err, "dana")
	})
	t.Run("wrong device password", func(t *testing.T) {
		out, err := e.deviceSRPSignIn(t, "dana", dev)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.deviceChallenge(t, e.srp, out, dev, "not the device's password")
		wantAuthErr(t, "wrong device password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	})
	t.Run("bad SRP_A", func(t *testing.T) {
		out, err := e.deviceSRPSignIn(t, "dana", dev)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.srp.ID, ChallengeName: userpool.ChallengeDeviceSRPAuth, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "dana", "DEVICE_KEY": dev.key, "SRP_A": userpool.SRPModulusHexForTest()},
		})
		wantAuthErr(t, "A = N", err, userpool.ErrInvalidParameter, "SRP_A is not valid.")
		// Refused for its form: the session is still good.
		out, err = e.deviceChallenge(t, e.srp, out, dev, dev.password)
		e.wantTokens(t, "after a bad SRP_A", out, err, "dana")
	})
}

func TestDeviceForgottenThenUsed(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(t, "erin", nil)

	t.Run("password flow", func(t *testing.T) {
		dev, res := e.newDevice(t, "erin")
		if err := e.refreshWith(res, e.srp, dev.key); err != nil {
			t.Fatalf("refresh before forgetting: %v", err)
		}
		if err := e.pool.ForgetDevice(e.ctx, res.AccessToken, dev.key); err != nil {
			t.Fatal(err)
		}
		// The device's refresh tokens go with it.
		wantAuthErr(t, "refresh bound to the forgotten device", e.refreshWith(res, e.srp, dev.key), userpool.ErrNotAuthorized, "Invalid Refresh Token.")
		_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthUserPassword, ClientID: e.app.ID,
			AuthParameters: map[string]string{"USERNAME": "erin", "PASSWORD": authPassword, "DEVICE_KEY": dev.key},
		})
		wantAuthErr(t, "forgotten device", err, userpool.ErrResourceNotFound, "Device does not exist.")
		_, err = e.pool.GetDevice(e.ctx, res.AccessToken, dev.key)
		wantAuthErr(t, "GetDevice of a forgotten device", err, userpool.ErrResourceNotFound, "Device does not exist.")
		err = e.pool.ForgetDevice(e.ctx, res.AccessToken, dev.key)
		wantAuthErr(t, "forget twice", err, userpool.ErrResourceNotFound, "Device does not exist.")
	})
	t.Run("SRP, identity-js retries without the device", func(t *testing.T) {
		dev, res := e.newDevice(t, "erin")
		if err := e.pool.AdminForgetDevice(e.ctx, "erin", dev.key); err != nil {
			t.Fatal(err)
		}
		wantAuthErr(t, "refresh bound to a device an administrator forgot", e.refreshWith(res, e.srp, dev.key), userpool.ErrNotAuthorized, "Invalid Refresh Token.")
		// identity-js sends DEVICE_KEY with InitiateAuth and the answer.
		s, err := e.srpInitiate(e.srp, "erin", map[string]string{"DEVICE_KEY": dev.key})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.answer(s.responses(authPassword, func(r map[string]string) { r["DEVICE_KEY"] = dev.key }))
		wantAuthErr(t, "forgotten device", err, userpool.ErrResourceNotFound, "Device does not exist.")
		out, err := s.answer(s.responses(authPassword, nil))
		e.wantTokens(t, "same exchange without DEVICE_KEY", out, err, "erin")
		if out.AuthenticationResult.NewDeviceMetadata == nil {
			t.Error("no NewDeviceMetadata after the device was forgotten")
		}
	})
	t.Run("forgotten during the device challenge", func(t *testing.T) {
		dev, _ := e.newDevice(t, "erin")
		out, err := e.deviceSRPSignIn(t, "erin", dev)
		if err != nil {
			t.Fatal(err)
		}
		cl := userpool.NewSRPClientForTest(srpRandom(8))
		out, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.srp.ID, ChallengeName: userpool.ChallengeDeviceSRPAuth, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "erin", "DEVICE_KEY": dev.key, "SRP_A": cl.A()},
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.pool.AdminForgetDevice(e.ctx, "erin", dev.key); err != nil {
			t.Fatal(err)
		}
		p := out.ChallengeParameters
		ts := userpool.SRPTimestampForTest(e.clock.Now())
		_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.srp.ID, ChallengeName: userpool.ChallengeDevicePasswordVerifier, Session: out.Session,
			ChallengeResponses: map[string]string{
				"USERNAME": "erin", "DEVICE_KEY": dev.key, "TIMESTAMP": ts,
				"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
				"PASSWORD_CLAIM_SIGNATURE":    cl.Sign(dev.group, dev.key, dev.password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts),
			},
		})
		wantAuthErr(t, "forgotten meanwhile", err, userpool.ErrResourceNotFound, "Device does not exist.")
	})
	t.Run("another user's device", func(t *testing.T) {
		e.user(t, "fred", nil)
		dev, _ := e.newDevice(t, "fred")
		s := e.mustSRP(t, e.srp, "erin")
		_, err := s.answer(s.responses(authPassword, func(r map[string]string) { r["DEVICE_KEY"] = dev.key }))
		wantAuthErr(t, "fred's device for erin", err, userpool.ErrResourceNotFound, "Device does not exist.")
	})
}

func TestDeviceList(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(t, "gwen", nil)
	var keys []string
	var res *userpool.AuthenticationResult
	for range 3 {
		var dev testDevice
		dev, res = e.newDevice(t, "gwen")
		keys = append(keys, dev.key)
	}
	var got []string
	token := ""
	for {
		page, err := e.pool.ListDevices(e.ctx, res.AccessToken, 2, token)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range page.Devices {
			got = append(got, d.DeviceKey)
		}
		if token = page.PaginationToken; token == "" {
			break
		}
	}
	if len(got) != 3 {
		t.Fatalf("ListDevices: %v, want %v", got, keys)
	}
	admin, err := e.pool.AdminListDevices(e.ctx, "gwen", 0, "")
	if err != nil || len(admin.Devices) != 3 {
		t.Fatalf("AdminListDevices: %+v, %v", admin, err)
	}
	_, err = e.pool.ListDevices(e.ctx, res.AccessToken, 61, "")
	wantAuthErr(t, "limit 61", err, userpool.ErrInvalidParameter, "")
	_, err = e.pool.AdminListDevices(e.ctx, "nobody", 0, "")
	wantAuthErr(t, "unknown user", err, userpool.ErrUserNotFound, "")
}

func TestDevicesOffIgnoresDeviceKey(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "hank", nil)
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "hank", "PASSWORD": authPassword, "DEVICE_KEY": "us-east-1_whatever"},
	})
	e.wantTokens(t, "DEVICE_KEY without device tracking", out, err, "hank")
	if out.AuthenticationResult.NewDeviceMetadata != nil {
		t.Error("NewDeviceMetadata without device tracking")
	}
	_, err = e.pool.ConfirmDevice(e.ctx, userpool.ConfirmDeviceInput{AccessToken: out.AuthenticationResult.AccessToken, DeviceKey: "k"})
	wantAuthErr(t, "ConfirmDevice without device tracking", err, userpool.ErrInvalidParameter, "")
}

// A device presented with InitiateAuth only still gets DEVICE_SRP_AUTH.
func TestDeviceKeyInInitiateAuthOnly(t *testing.T) {
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesAlways, false))
	e.user(t, "ike", nil)
	dev, _ := e.newDevice(t, "ike")
	s, err := e.srpInitiate(e.srp, "ike", map[string]string{"DEVICE_KEY": dev.key})
	if err != nil {
		t.Fatal(err)
	}
	out, err := s.answer(s.responses(authPassword, nil))
	if err != nil {
		t.Fatal(err)
	}
	out, err = e.deviceChallenge(t, e.srp, out, dev, dev.password)
	e.wantTokens(t, "device from InitiateAuth", out, err, "ike")
}

// TestDeviceAfterCustomAuth: identity-js sends its remembered device with
// CUSTOM_AUTH too; once DefineAuthChallenge issues tokens, the device is
// proven as after a password, and the tokens are bound to it.
func TestDeviceAfterCustomAuth(t *testing.T) {
	q := &quizTriggers{}
	e := newAuthEnv(t, userpool.WithDevices(userpool.DevicesAlways, false), userpool.WithTriggers(q.triggers()))
	e.user(t, "gina", nil)
	dev, _ := e.newDevice(t, "gina")
	start := func(deviceKey string) userpool.AuthOutput {
		t.Helper()
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthCustom, ClientID: e.srp.ID,
			AuthParameters: map[string]string{"USERNAME": "gina", "DEVICE_KEY": deviceKey},
		})
		if err != nil {
			t.Fatalf("InitiateAuth: %v", err)
		}
		return out
	}

	out, err := e.answerCustom(e.srp.ID, "gina", start(dev.key).Session, "42")
	if err != nil {
		t.Fatalf("custom answer: %v", err)
	}
	out, err = e.deviceChallenge(t, e.srp, out, dev, dev.password)
	e.wantTokens(t, "custom sign-in with the device", out, err, "gina")
	res := out.AuthenticationResult
	if res.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v for a device already confirmed", res.NewDeviceMetadata)
	}
	if got := e.claims(t, res.AccessToken).DeviceKey; got != dev.key {
		t.Errorf("device_key claim %q, want %q", got, dev.key)
	}
	if err := e.refreshWith(res, e.srp, dev.key); err != nil {
		t.Errorf("refresh with the device: %v", err)
	}

	// A wrong device proof fails the sign-in; a forgotten device is
	// refused once the custom challenge passes.
	out, err = e.answerCustom(e.srp.ID, "gina", start(dev.key).Session, "42")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.deviceChallenge(t, e.srp, out, dev, "not the device password")
	wantAuthErr(t, "wrong device password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	if err := e.pool.AdminForgetDevice(e.ctx, "gina", dev.key); err != nil {
		t.Fatal(err)
	}
	_, err = e.answerCustom(e.srp.ID, "gina", start(dev.key).Session, "42")
	wantAuthErr(t, "forgotten device", err, userpool.ErrResourceNotFound, "Device does not exist.")
}
