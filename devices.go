package userpool

import (
	"context"
	"time"

	"github.com/userpool/userpool/storage"
)

// Device is a remembered (or tracked) device, as Cognito's DeviceType.
type Device struct {
	DeviceKey string
	// DeviceAttributes are device_name and dev:device_remembered_status
	// ("remembered" or "not_remembered").
	DeviceAttributes            map[string]string
	DeviceCreateDate            time.Time
	DeviceLastModifiedDate      time.Time
	DeviceLastAuthenticatedDate time.Time
}

// The DeviceRememberedStatus values of UpdateDeviceStatus.
const (
	DeviceRemembered    = "remembered"
	DeviceNotRemembered = "not_remembered"
)

// DeviceSecretVerifierConfig is the device's SRP verifier, as the client
// computes it: base64 of the padHex bytes of the verifier and the salt.
type DeviceSecretVerifierConfig struct {
	PasswordVerifier string
	Salt             string
}

// ConfirmDeviceInput is the request of [Pool.ConfirmDevice].
type ConfirmDeviceInput struct {
	AccessToken                string
	DeviceKey                  string
	DeviceSecretVerifierConfig DeviceSecretVerifierConfig
	DeviceName                 string
}

// ConfirmDeviceOutput is the result of [Pool.ConfirmDevice].
type ConfirmDeviceOutput struct {
	// UserConfirmationNecessary is true when the pool remembers devices
	// only on the user's word (DevicesOptIn): call UpdateDeviceStatus.
	UserConfirmationNecessary bool
}

// maxDeviceName bounds DeviceName, as Cognito's model does.
const maxDeviceName = 1024

// errDevicesOff refuses the device operations of a pool that does not
// track devices.
var errDevicesOff = ErrInvalidParameter.With("Device tracking is not enabled for this user pool.")

// ConfirmDevice starts tracking the device a sign-in named in
// NewDeviceMetadata, mirroring Cognito's ConfirmDevice: the key must be
// the one the access token's sign-in issued (its device_key claim;
// ResourceNotFound "Device does not exist." otherwise), and the verifier
// is what later DEVICE_SRP_AUTH sign-ins prove against. In DevicesAlways
// mode the device is remembered at once; in DevicesOptIn the result asks
// for the user's confirmation. A key already confirmed gives
// DeviceKeyExists.
func (p *Pool) ConfirmDevice(ctx context.Context, in ConfirmDeviceInput) (ConfirmDeviceOutput, error) {
	if in.DeviceKey == "" {
		return ConfirmDeviceOutput{}, missing("DeviceKey")
	}
	if len(in.DeviceName) > maxDeviceName {
		return ConfirmDeviceOutput{}, ErrInvalidParameter.With("1 validation error detected: Value at 'deviceName' failed to satisfy constraint: Member must have length less than or equal to %d", maxDeviceName)
	}
	claims, err := p.authorize(ctx, in.AccessToken)
	if err != nil {
		return ConfirmDeviceOutput{}, err
	}
	u, _, err := p.tokenUser(ctx, in.AccessToken)
	if err != nil {
		return ConfirmDeviceOutput{}, err
	}
	if !p.devicesOn() {
		return ConfirmDeviceOutput{}, errDevicesOff
	}
	if claims.DeviceKey == "" || claims.DeviceKey != in.DeviceKey {
		return ConfirmDeviceOutput{}, errDeviceNotFound
	}
	rec, err := p.srpDeviceVerifier(in.DeviceSecretVerifierConfig.Salt, in.DeviceSecretVerifierConfig.PasswordVerifier)
	if err != nil {
		return ConfirmDeviceOutput{}, err
	}
	switch _, err := p.store.GetDevice(ctx, p.id, in.DeviceKey); {
	case err == nil:
		return ConfirmDeviceOutput{}, ErrDeviceKeyExists.With("Device key already exists.")
	case !isNotFound(err):
		return ConfirmDeviceOutput{}, p.internal("read a device", err)
	}
	now := p.now()
	d := storage.Device{
		PoolID: p.id, Key: in.DeviceKey, Sub: u.Sub, GroupKey: p.deviceGroupKey(u.Sub),
		Name: in.DeviceName, Remembered: p.cfg.Devices.Mode == DevicesAlways, SRP: rec,
		CreatedAt: now, UpdatedAt: now, LastAuthenticatedAt: now,
	}
	if in.DeviceName != "" {
		d.Attributes = map[string]string{"device_name": in.DeviceName}
	}
	if err := p.store.PutDevice(ctx, d); err != nil {
		if isNotFound(err) {
			return ConfirmDeviceOutput{}, ErrUserNotFound.With("User does not exist.")
		}
		return ConfirmDeviceOutput{}, p.internal("store a device", err)
	}
	return ConfirmDeviceOutput{UserConfirmationNecessary: p.cfg.Devices.Mode == DevicesOptIn}, nil
}

// tokenDevice returns the user of an access token and one of the user's
// devices.
func (p *Pool) tokenDevice(ctx context.Context, accessToken, key string) (storage.User, storage.Device, error) {
	if key == "" {
		return storage.User{}, storage.Device{}, missing("DeviceKey")
	}
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return storage.User{}, storage.Device{}, err
	}
	d, err := p.userDevice(ctx, u, key)
	return u, d, err
}

// adminDevice returns a user named by an administrator and one of the
// user's devices.
func (p *Pool) adminDevice(ctx context.Context, username, key string) (storage.User, storage.Device, error) {
	if key == "" {
		return storage.User{}, storage.Device{}, missing("DeviceKey")
	}
	u, err := p.lookup(ctx, username)
	if err != nil {
		return storage.User{}, storage.Device{}, err
	}
	d, err := p.userDevice(ctx, u, key)
	return u, d, err
}

// userDevice reads device key of user u; another user's device does not
// exist for u.
func (p *Pool) userDevice(ctx context.Context, u storage.User, key string) (storage.Device, error) {
	d, err := p.store.GetDevice(ctx, p.id, key)
	if isNotFound(err) || (err == nil && d.Sub != u.Sub) {
		return storage.Device{}, errDeviceNotFound
	}
	if err != nil {
		return storage.Device{}, p.internal("read a device", err)
	}
	return d, nil
}

// GetDevice returns one of the token owner's devices, mirroring Cognito's
// GetDevice. Errors: ResourceNotFound "Device does not exist." (also for
// another user's device), and those of the access token.
func (p *Pool) GetDevice(ctx context.Context, accessToken, deviceKey string) (Device, error) {
	_, d, err := p.tokenDevice(ctx, accessToken, deviceKey)
	if err != nil {
		return Device{}, err
	}
	return publicDevice(d), nil
}

// AdminGetDevice returns one of a user's devices, mirroring Cognito's
// AdminGetDevice.
func (p *Pool) AdminGetDevice(ctx context.Context, username, deviceKey string) (Device, error) {
	_, d, err := p.adminDevice(ctx, username, deviceKey)
	if err != nil {
		return Device{}, err
	}
	return publicDevice(d), nil
}

// ForgetDevice stops tracking one of the token owner's devices, mirroring
// Cognito's ForgetDevice: a later sign-in presenting it gets
// ResourceNotFound "Device does not exist.", and the refresh tokens bound
// to it stop working ("Invalid Refresh Token.").
func (p *Pool) ForgetDevice(ctx context.Context, accessToken, deviceKey string) error {
	_, d, err := p.tokenDevice(ctx, accessToken, deviceKey)
	if err != nil {
		return err
	}
	return p.forgetDevice(ctx, d)
}

// AdminForgetDevice stops tracking one of a user's devices, mirroring
// Cognito's AdminForgetDevice; as with ForgetDevice, the device's refresh
// tokens stop working.
func (p *Pool) AdminForgetDevice(ctx context.Context, username, deviceKey string) error {
	_, d, err := p.adminDevice(ctx, username, deviceKey)
	if err != nil {
		return err
	}
	return p.forgetDevice(ctx, d)
}

func (p *Pool) forgetDevice(ctx context.Context, d storage.Device) error {
	err := p.store.DeleteDevice(ctx, p.id, d.Key)
	if isNotFound(err) {
		return errDeviceNotFound
	}
	if err != nil {
		return p.internal("forget a device", err)
	}
	return nil
}

// UpdateDeviceStatusInput is the request of [Pool.UpdateDeviceStatus].
type UpdateDeviceStatusInput struct {
	AccessToken string
	DeviceKey   string
	// DeviceRememberedStatus is DeviceRemembered or DeviceNotRemembered.
	DeviceRememberedStatus string
}

// UpdateDeviceStatus marks one of the token owner's devices remembered or
// not, mirroring Cognito's UpdateDeviceStatus. A remembered device lets
// its sign-ins skip MFA.
func (p *Pool) UpdateDeviceStatus(ctx context.Context, in UpdateDeviceStatusInput) error {
	remembered, err := parseRememberedStatus(in.DeviceRememberedStatus)
	if err != nil {
		return err
	}
	_, d, err := p.tokenDevice(ctx, in.AccessToken, in.DeviceKey)
	if err != nil {
		return err
	}
	return p.setRemembered(ctx, d, remembered)
}

// AdminUpdateDeviceStatusInput is the request of
// [Pool.AdminUpdateDeviceStatus].
type AdminUpdateDeviceStatusInput struct {
	Username               string
	DeviceKey              string
	DeviceRememberedStatus string
}

// AdminUpdateDeviceStatus marks one of a user's devices remembered or
// not, mirroring Cognito's AdminUpdateDeviceStatus.
func (p *Pool) AdminUpdateDeviceStatus(ctx context.Context, in AdminUpdateDeviceStatusInput) error {
	remembered, err := parseRememberedStatus(in.DeviceRememberedStatus)
	if err != nil {
		return err
	}
	_, d, err := p.adminDevice(ctx, in.Username, in.DeviceKey)
	if err != nil {
		return err
	}
	return p.setRemembered(ctx, d, remembered)
}

func parseRememberedStatus(s string) (bool, error) {
	switch s {
	case DeviceRemembered:
		return true, nil
	case DeviceNotRemembered:
		return false, nil
	}
	return false, ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'deviceRememberedStatus' failed to satisfy constraint: Member must satisfy enum value set: [remembered, not_remembered]", s)
}

func (p *Pool) setRemembered(ctx context.Context, d storage.Device, remembered bool) error {
	d.Remembered = remembered
	d.UpdatedAt = p.now()
	err := p.store.PutDevice(ctx, d)
	if isNotFound(err) {
		return ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return p.internal("update a device", err)
	}
	return nil
}

// DevicePage is a page of [Pool.ListDevices] or [Pool.AdminListDevices].
type DevicePage struct {
	Devices []Device
	// PaginationToken continues the listing; "" on the last page.
	PaginationToken string
}

// maxDeviceListLimit is Cognito's bound on ListDevices' Limit.
const maxDeviceListLimit = 60

// ListDevices returns a page of the token owner's devices ordered by key,
// mirroring Cognito's ListDevices: limit 0 means 60, the most.
func (p *Pool) ListDevices(ctx context.Context, accessToken string, limit int, paginationToken string) (DevicePage, error) {
	u, _, err := p.tokenUser(ctx, accessToken)
	if err != nil {
		return DevicePage{}, err
	}
	return p.listDevices(ctx, u, limit, paginationToken)
}

// AdminListDevices returns a page of a user's devices ordered by key,
// mirroring Cognito's AdminListDevices.
func (p *Pool) AdminListDevices(ctx context.Context, username string, limit int, paginationToken string) (DevicePage, error) {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return DevicePage{}, err
	}
	return p.listDevices(ctx, u, limit, paginationToken)
}

func (p *Pool) listDevices(ctx context.Context, u storage.User, limit int, token string) (DevicePage, error) {
	switch {
	case limit == 0:
		limit = maxDeviceListLimit
	case limit < 0 || limit > maxDeviceListLimit:
		return DevicePage{}, ErrInvalidParameter.With("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 0 and %d", limit, maxDeviceListLimit)
	}
	cursor, err := p.openPage(ctx, "ListDevices", u.Sub, "PaginationToken", token)
	if err != nil {
		return DevicePage{}, err
	}
	page, err := p.store.ListDevices(ctx, p.id, u.Sub, storage.PageRequest{Limit: limit, Cursor: cursor})
	if err != nil {
		return DevicePage{}, p.internal("list devices", err)
	}
	next, err := p.sealPage(ctx, "ListDevices", u.Sub, page.Next)
	if err != nil {
		return DevicePage{}, err
	}
	out := DevicePage{Devices: make([]Device, 0, len(page.Items)), PaginationToken: next}
	for _, d := range page.Items {
		out.Devices = append(out.Devices, publicDevice(d))
	}
	return out, nil
}

// publicDevice is the DeviceType of a stored device.
func publicDevice(d storage.Device) Device {
	attrs := map[string]string{}
	for k, v := range d.Attributes {
		attrs[k] = v
	}
	if d.Name != "" {
		attrs["device_name"] = d.Name
	}
	attrs["dev:device_remembered_status"] = DeviceNotRemembered
	if d.Remembered {
		attrs["dev:device_remembered_status"] = DeviceRemembered
	}
	return Device{
		DeviceKey:                   d.Key,
		DeviceAttributes:            attrs,
		DeviceCreateDate:            d.CreatedAt,
		DeviceLastModifiedDate:      d.UpdatedAt,
		DeviceLastAuthenticatedDate: d.LastAuthenticatedAt,
	}
}
