package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/json"
	"strings"

	"github.com/userpool/userpool/storage"
)

// Remembered devices in sign-in: a sign-in that presents DEVICE_KEY (in
// AuthParameters, or in the PASSWORD_VERIFIER answer as identity-js sends
// it) proves the device with DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER
// after the user's own proof and before MFA, which a remembered device
// skips (authState.DeviceRemembered). A sign-in that presents none, in a
// pool that tracks devices, ends with NewDeviceMetadata for the client to
// confirm with ConfirmDevice; its tokens are bound to the new device key,
// as Cognito's are, so refreshing them needs that DEVICE_KEY.

func init() {
	registerAfterPrimary(stepDevice, stepNameDevice, (*Pool).deviceStep)
	registerChallenge(ChallengeDeviceSRPAuth, challengeSpec{handler: (*Pool).answerDeviceSRPAuth})
	registerChallenge(ChallengeDevicePasswordVerifier, challengeSpec{handler: (*Pool).answerDevicePasswordVerifier})
}

// stepNameDevice names the device step in authState.Done.
const stepNameDevice = "device"

// privDeviceSRP is the key of authState.Private holding the device's SRP
// exchange between DEVICE_SRP_AUTH and DEVICE_PASSWORD_VERIFIER.
const privDeviceSRP = "DEVICE_SRP_EXCHANGE"

// errDeviceNotFound is the error of an unknown or forgotten device. The
// type and the word "device" matter: identity-js then forgets the device
// and signs in again without it.
var errDeviceNotFound = ErrResourceNotFound.With("Device does not exist.")

// devicesOn reports whether the pool tracks devices.
func (p *Pool) devicesOn() bool {
	return p.cfg.Devices.Mode == DevicesAlways || p.cfg.Devices.Mode == DevicesOptIn
}

// presentedDevice returns the confirmed device key of the user sub (any
// user when sub is ""), or ResourceNotFound "Device does not exist.".
func (p *Pool) presentedDevice(ctx context.Context, key, sub string) (storage.Device, error) {
	d, err := p.store.GetDevice(ctx, p.id, key)
	if isNotFound(err) {
		return storage.Device{}, errDeviceNotFound
	}
	if err != nil {
		return storage.Device{}, p.internal("read a device", err)
	}
	if (sub != "" && d.Sub != sub) || len(d.SRP.Verifier) == 0 {
		return storage.Device{}, errDeviceNotFound
	}
	return d, nil
}

// deviceStep issues DEVICE_SRP_AUTH when the sign-in presented a device,
// once.
func (p *Pool) deviceStep(ctx context.Context, st *authState, u storage.User, c Client) (string, map[string]string, error) {
	if !p.devicesOn() || st.done(stepNameDevice) {
		return "", nil, nil
	}
	key := st.PresentedDevice
	if key == "" {
		return "", nil, nil
	}
	if _, err := p.presentedDevice(ctx, key, u.Sub); err != nil {
		return "", nil, err
	}
	return ChallengeDeviceSRPAuth, map[string]string{"USERNAME": u.Username, "DEVICE_KEY": key}, nil
}

// answerDeviceSRPAuth answers DEVICE_SRP_AUTH (DEVICE_KEY, SRP_A) with
// DEVICE_PASSWORD_VERIFIER: the exchange against the device's verifier,
// whose names are the device group key and the device key.
func (p *Pool) answerDeviceSRPAuth(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st := req.state
	key, srpA := req.response("DEVICE_KEY"), req.response("SRP_A")
	switch {
	case key == "":
		return AuthOutput{}, retryable(missing("DEVICE_KEY"))
	case srpA == "":
		return AuthOutput{}, retryable(missing("SRP_A"))
	case key != st.PresentedDevice:
		return AuthOutput{}, errDeviceNotFound
	}
	if _, err := srpParseA(srpA); err != nil {
		return AuthOutput{}, retryable(err)
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	d, err := p.presentedDevice(ctx, key, u.Sub)
	if err != nil {
		return AuthOutput{}, err
	}
	ex, params, err := p.srpStart(d.GroupKey, d.Key, true, d.SRP, srpA)
	if err != nil {
		return AuthOutput{}, err
	}
	data, err := json.Marshal(ex)
	if err != nil {
		return AuthOutput{}, p.internal("sign in with a device", err)
	}
	if st.Private == nil {
		st.Private = map[string]string{}
	}
	st.Private[privDeviceSRP] = string(data)
	return p.challengeOutput(ctx, st, req.client, ChallengeDevicePasswordVerifier, map[string]string{
		"USERNAME":     u.Username,
		"DEVICE_KEY":   key,
		"SALT":         params.Salt,
		"SRP_B":        params.B,
		"SECRET_BLOCK": params.SecretBlock,
	})
}

// answerDevicePasswordVerifier checks the device's proof. A wrong one
// gives NotAuthorized "Incorrect username or password." (it does not
// count toward the user's lockout: the device's password is random, and
// the user's own was proven already); a device forgotten meanwhile gives
// ResourceNotFound. Success binds the tokens to the device and, for a
// remembered device, lets the MFA step pass.
func (p *Pool) answerDevicePasswordVerifier(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st := req.state
	key := req.response("DEVICE_KEY")
	ans := srpAnswer{
		SecretBlock: req.response("PASSWORD_CLAIM_SECRET_BLOCK"),
		Timestamp:   req.response("TIMESTAMP"),
		Signature:   req.response("PASSWORD_CLAIM_SIGNATURE"),
	}
	for _, f := range []struct{ name, v string }{
		{"DEVICE_KEY", key},
		{"PASSWORD_CLAIM_SIGNATURE", ans.Signature},
		{"PASSWORD_CLAIM_SECRET_BLOCK", ans.SecretBlock},
		{"TIMESTAMP", ans.Timestamp},
	} {
		if f.v == "" {
			return AuthOutput{}, retryable(missing(f.name))
		}
	}
	if err := srpCheckTimestamp(ans.Timestamp, p.now()); err != nil && !proofFailed(err) {
		return AuthOutput{}, retryable(err)
	}
	if key != st.PresentedDevice {
		return AuthOutput{}, errDeviceNotFound
	}
	var ex srpExchange
	if err := json.Unmarshal([]byte(st.Private[privDeviceSRP]), &ex); err != nil || !ex.Device {
		return AuthOutput{}, errSessionInvalid
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	d, err := p.presentedDevice(ctx, key, u.Sub)
	if err != nil {
		return AuthOutput{}, err
	}
	if err := p.srpFinish(ex, d.SRP, ans); err != nil {
		return AuthOutput{}, err
	}
	delete(st.Private, privDeviceSRP)
	st.PresentedDevice, st.DeviceKey = "", key
	st.DeviceRemembered = d.Remembered
	st.markDone(stepNameDevice)
	if st.TokenSource == "" {
		st.TokenSource = TokenGenerationAuthenticateDevice
	}
	d.LastAuthenticatedAt = p.now()
	if err := p.store.PutDevice(ctx, d); err != nil {
		p.log.Warn("userpool: record a device's sign-in", "err", err)
	}
	return p.continueAuth(ctx, st, u, req.client, req.ClientMetadata)
}

// signInDevice returns the device key the tokens of a completed sign-in
// are bound to and, when the sign-in presented none and the pool tracks
// devices, the metadata of the new device it names.
func (p *Pool) signInDevice(st *authState, u storage.User) (string, *NewDeviceMetadata, error) {
	if st.DeviceKey != "" || !p.devicesOn() {
		return st.DeviceKey, nil, nil
	}
	id, err := p.newUUID()
	if err != nil {
		return "", nil, p.internal("name a device", err)
	}
	region, _, _ := strings.Cut(p.id, "_")
	key := region + "_" + id
	return key, &NewDeviceMetadata{DeviceKey: key, DeviceGroupKey: p.deviceGroupKey(u.Sub)}, nil
}

// deviceGroupKey returns the user's device group key: derived, so
// ConfirmDevice can tell it without the sign-in having stored anything,
// and the same for all the user's devices, as Cognito's is.
func (p *Pool) deviceGroupKey(sub string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	m := hmac.New(sha256.New, p.derivedKey("device group key"))
	m.Write([]byte(sub))
	sum := m.Sum(nil)
	b := []byte{'-'}
	for _, c := range sum[:9] {
		b = append(b, alphabet[int(c)%len(alphabet)])
	}
	return string(b)
}
