package memory

import (
	"context"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// PutDevice creates or replaces a device of an existing user.
func (s *Store) PutDevice(ctx context.Context, d storage.Device) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, _, err := s.user(d.PoolID, d.Sub)
	if err != nil {
		return err
	}
	if old, ok := p.devices[d.Key]; ok {
		p.devicesOf.remove(old.Sub, d.Key)
	}
	p.devices[d.Key] = copyDevice(d)
	p.devicesOf.add(d.Sub, d.Key)
	return nil
}

// device returns a stored device; the caller holds s.mu.
func (s *Store) device(poolID, key string) (*pool, storage.Device, error) {
	if p, ok := s.pools[poolID]; ok {
		if d, ok := p.devices[key]; ok {
			return p, d, nil
		}
	}
	return nil, storage.Device{}, fmt.Errorf("memory: device %q: %w", key, storage.ErrNotFound)
}

// GetDevice returns a device by key.
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (storage.Device, error) {
	if err := s.rlock(ctx); err != nil {
		return storage.Device{}, err
	}
	defer s.mu.RUnlock()
	_, d, err := s.device(poolID, key)
	if err != nil {
		return storage.Device{}, err
	}
	return copyDevice(d), nil
}

// ListDevices returns a user's devices ordered by key.
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, req storage.PageRequest) (storage.Page[storage.Device], error) {
	after, err := parsePage("devices", req)
	if err != nil {
		return storage.Page[storage.Device]{}, err
	}
	if err := s.rlock(ctx); err != nil {
		return storage.Page[storage.Device]{}, err
	}
	defer s.mu.RUnlock()
	p, ok := s.pools[poolID]
	if !ok {
		return storage.Page[storage.Device]{}, nil
	}
	return pageOf("devices", p.devicesOf.keys(sub), after, req.Limit,
		func(key string) storage.Device { return copyDevice(p.devices[key]) }), nil
}

// DeleteDevice removes a device.
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	if err := s.lock(ctx); err != nil {
		return err
	}
	defer s.mu.Unlock()
	p, d, err := s.device(poolID, key)
	if err != nil {
		return err
	}
	delete(p.devices, key)
	p.devicesOf.remove(d.Sub, key)
	return nil
}
