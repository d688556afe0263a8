package storage

import (
	"context"
	"time"
)

// Device is a device a user signed in from and, when confirmed, may be
// remembered.
type Device struct {
	PoolID     string
	Key        string
	Sub        string
	GroupKey   string
	Name       string
	Remembered bool
	// SRP holds the device's SRP verifier from ConfirmDevice.
	SRP SRPVerifier
	// Attributes are Cognito's device attributes (device_name, ...).
	Attributes          map[string]string
	CreatedAt           time.Time
	UpdatedAt           time.Time
	LastAuthenticatedAt time.Time
}

// Devices persists devices.
type Devices interface {
	// PutDevice creates or replaces a device; a missing user gives
	// ErrNotFound.
	PutDevice(ctx context.Context, d Device) error
	// GetDevice returns a device by key, or ErrNotFound.
	GetDevice(ctx context.Context, poolID, key string) (Device, error)
	// ListDevices returns a user's devices ordered by key.
	ListDevices(ctx context.Context, poolID, sub string, page PageRequest) (Page[Device], error)
	// DeleteDevice removes a device, or returns ErrNotFound.
	DeleteDevice(ctx context.Context, poolID, key string) error
}
