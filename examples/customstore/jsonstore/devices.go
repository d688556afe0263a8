package jsonstore

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// PutDevice creates or replaces a device of an existing user.
func (s *Store) PutDevice(ctx context.Context, dev storage.Device) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.user(dev.PoolID, dev.Sub)
		if err != nil {
			return err
		}
		p.Devices[dev.Key] = clone(dev)
		return nil
	})
}

// device returns a stored device, or an error matching storage.ErrNotFound.
func (d *data) device(poolID, key string) (*pool, storage.Device, error) {
	p := d.poolOrEmpty(poolID)
	dev, ok := p.Devices[key]
	if !ok {
		return nil, storage.Device{}, fmt.Errorf("jsonstore: device %q: %w", key, storage.ErrNotFound)
	}
	return p, dev, nil
}

// GetDevice returns a device by key.
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (storage.Device, error) {
	return view(ctx, s, func(d *data) (storage.Device, error) {
		_, dev, err := d.device(poolID, key)
		return clone(dev), err
	})
}

// ListDevices returns a user's devices ordered by key.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Device], error) {
	after, err := parsePage("devices", req)
	if err != nil {
		return storage.Page[storage.Device]{}, err
	}
	return view(ctx, s, func(d *data) (storage.Page[storage.Device], error) {
		var mine []storage.Device
		for _, dev := range d.poolOrEmpty(poolID).Devices {
			if dev.Sub == sub {
				mine = append(mine, dev)
			}
		}
		return paginate("devices", mine, byKey(func(dev storage.Device) string { return dev.Key }), after, req.Limit), nil
	})
}

// DeleteDevice removes a device.
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.device(poolID, key)
		if err != nil {
			return err
		}
		delete(p.Devices, key)
		return nil
	})
}
