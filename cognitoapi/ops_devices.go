package cognitoapi

import (
	"context"

	"github.com/userpool/userpool"
)

// The device operations: ConfirmDevice, GetDevice, ForgetDevice,
// UpdateDeviceStatus, ListDevices (by access token) and their Admin
// variants (signed).

type deviceType struct {
	DeviceKey                   string
	DeviceAttributes            []attributeType
	DeviceCreateDate            epochSeconds `json:",omitzero"`
	DeviceLastModifiedDate      epochSeconds `json:",omitzero"`
	DeviceLastAuthenticatedDate epochSeconds `json:",omitzero"`
}

func deviceOut(d userpool.Device) deviceType {
	return deviceType{DeviceKey: d.DeviceKey, DeviceAttributes: attributesOut(d.DeviceAttributes),
		DeviceCreateDate: epoch(d.DeviceCreateDate), DeviceLastModifiedDate: epoch(d.DeviceLastModifiedDate),
		DeviceLastAuthenticatedDate: epoch(d.DeviceLastAuthenticatedDate)}
}

type deviceSecretVerifierConfigType struct {
	PasswordVerifier string
	Salt             string
}

type confirmDeviceInput struct {
	AccessToken                string
	DeviceKey                  string
	DeviceSecretVerifierConfig *deviceSecretVerifierConfigType
	DeviceName                 string
}

func (in *confirmDeviceInput) check() error {
	return required(need("AccessToken", in.AccessToken != ""), need("DeviceKey", in.DeviceKey != ""))
}

type confirmDeviceOutput struct {
	UserConfirmationNecessary bool
}

func confirmDevice(ctx context.Context, h *Handler, in *confirmDeviceInput) (*confirmDeviceOutput, error) {
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	lib := userpool.ConfirmDeviceInput{AccessToken: in.AccessToken, DeviceKey: in.DeviceKey, DeviceName: in.DeviceName}
	if v := in.DeviceSecretVerifierConfig; v != nil {
		lib.DeviceSecretVerifierConfig = userpool.DeviceSecretVerifierConfig{PasswordVerifier: v.PasswordVerifier, Salt: v.Salt}
	}
	out, err := p.ConfirmDevice(ctx, lib)
	if err != nil {
		return nil, err
	}
	return &confirmDeviceOutput{UserConfirmationNecessary: out.UserConfirmationNecessary}, nil
}

// deviceInput names one device, by access token or by pool and user name.
type deviceInput struct {
	AccessToken            string
	UserPoolId             string
	Username               string
	DeviceKey              string
	DeviceRememberedStatus string
}

func (in *deviceInput) check() error {
	if err := required(need("DeviceKey", in.DeviceKey != "")); err != nil {
		return err
	}
	return oneOf("DeviceRememberedStatus", in.DeviceRememberedStatus, "remembered", "not_remembered")
}

// byToken checks and resolves a device call made with an access token.
func (in *deviceInput) byToken(ctx context.Context, h *Handler) (*userpool.Pool, error) {
	if err := required(need("AccessToken", in.AccessToken != "")); err != nil {
		return nil, err
	}
	return h.poolForToken(ctx, in.AccessToken)
}

// byAdmin checks and resolves an Admin device call.
func (in *deviceInput) byAdmin(ctx context.Context, h *Handler) (*userpool.Pool, error) {
	if err := required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != "")); err != nil {
		return nil, err
	}
	return h.pool(ctx, in.UserPoolId)
}

type deviceOutput struct {
	Device deviceType
}

func getDevice(ctx context.Context, h *Handler, in *deviceInput) (*deviceOutput, error) {
	p, err := in.byToken(ctx, h)
	if err != nil {
		return nil, err
	}
	d, err := p.GetDevice(ctx, in.AccessToken, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	return &deviceOutput{Device: deviceOut(d)}, nil
}

func adminGetDevice(ctx context.Context, h *Handler, in *deviceInput) (*deviceOutput, error) {
	p, err := in.byAdmin(ctx, h)
	if err != nil {
		return nil, err
	}
	d, err := p.AdminGetDevice(ctx, in.Username, in.DeviceKey)
	if err != nil {
		return nil, err
	}
	return &deviceOutput{Device: deviceOut(d)}, nil
}

func forgetDevice(ctx context.Context, h *Handler, in *deviceInput) (*empty, error) {
	p, err := in.byToken(ctx, h)
	if err != nil {
		return nil, err
	}
	return nil, p.ForgetDevice(ctx, in.AccessToken, in.DeviceKey)
}

func adminForgetDevice(ctx context.Context, h *Handler, in *deviceInput) (*empty, error) {
	p, err := in.byAdmin(ctx, h)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminForgetDevice(ctx, in.Username, in.DeviceKey)
}

func updateDeviceStatus(ctx context.Context, h *Handler, in *deviceInput) (*empty, error) {
	p, err := in.byToken(ctx, h)
	if err != nil {
		return nil, err
	}
	return nil, p.UpdateDeviceStatus(ctx, userpool.UpdateDeviceStatusInput{AccessToken: in.AccessToken, DeviceKey: in.DeviceKey,
		DeviceRememberedStatus: in.DeviceRememberedStatus})
}

func adminUpdateDeviceStatus(ctx context.Context, h *Handler, in *deviceInput) (*empty, error) {
	p, err := in.byAdmin(ctx, h)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminUpdateDeviceStatus(ctx, userpool.AdminUpdateDeviceStatusInput{Username: in.Username, DeviceKey: in.DeviceKey,
		DeviceRememberedStatus: in.DeviceRememberedStatus})
}

type listDevicesInput struct {
	AccessToken     string
	UserPoolId      string
	Username        string
	Limit           *int
	PaginationToken string
}

func (in *listDevicesInput) check() error { return checkLimit("Limit", in.Limit, 0, 60) }

type listDevicesOutput struct {
	Devices         []deviceType
	PaginationToken string `json:",omitempty"`
}

func devicesOut(page userpool.DevicePage) *listDevicesOutput {
	out := &listDevicesOutput{Devices: []deviceType{}, PaginationToken: page.PaginationToken}
	for _, d := range page.Devices {
		out.Devices = append(out.Devices, deviceOut(d))
	}
	return out
}

func listDevices(ctx context.Context, h *Handler, in *listDevicesInput) (*listDevicesOutput, error) {
	if err := required(need("AccessToken", in.AccessToken != "")); err != nil {
		return nil, err
	}
	p, err := h.poolForToken(ctx, in.AccessToken)
	if err != nil {
		return nil, err
	}
	page, err := p.ListDevices(ctx, in.AccessToken, intOr0(in.Limit), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return devicesOut(page), nil
}

func adminListDevices(ctx context.Context, h *Handler, in *listDevicesInput) (*listDevicesOutput, error) {
	if err := required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	page, err := p.AdminListDevices(ctx, in.Username, intOr0(in.Limit), in.PaginationToken)
	if err != nil {
		return nil, err
	}
	return devicesOut(page), nil
}
