package jsonstore

import (
	"context"
	"crypto/subtle"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// PutCode stores c for an existing user, replacing the user's code for
// the same purpose.
func (s *Store) PutCode(ctx context.Context, c storage.Code) error {
	return change(ctx, s, func(d *data) error {
		p, _, err := d.user(c.PoolID, c.Sub)
		if err != nil {
			return err
		}
		if p.Codes[c.Sub] == nil {
			p.Codes[c.Sub] = map[string]storage.Code{}
		}
		p.Codes[c.Sub][c.Purpose] = clone(c)
		return nil
	})
}

// code returns a stored code, or an error matching storage.ErrNotFound.
func (d *data) code(poolID, sub, purpose string) (*pool, storage.Code, error) {
	p := d.poolOrEmpty(poolID)
	c, ok := p.Codes[sub][purpose]
	if !ok {
		return nil, storage.Code{}, fmt.Errorf("jsonstore: code %q of user %q: %w", purpose, sub, storage.ErrNotFound)
	}
	return p, c, nil
}

// GetCode returns the user's code for a purpose.
func (s *Store) GetCode(ctx context.Context, poolID, sub, purpose string) (storage.Code, error) {
	return view(ctx, s, func(d *data) (storage.Code, error) {
		_, c, err := d.code(poolID, sub, purpose)
		return clone(c), err
	})
}

// ConsumeCode deletes the code if its hash matches. The check and the
// deletion are one step under the store's lock, so of concurrent callers
// exactly one succeeds; the comparison takes constant time.
func (s *Store) ConsumeCode(ctx context.Context, poolID, sub, purpose string, hash []byte) error {
	return change(ctx, s, func(d *data) error {
		p, c, err := d.code(poolID, sub, purpose)
		if err != nil {
			return err
		}
		if subtle.ConstantTimeCompare(c.Hash, hash) != 1 {
			return fmt.Errorf("jsonstore: code %q of user %q: wrong hash: %w", purpose, sub, storage.ErrNotFound)
		}
		delete(p.Codes[sub], purpose)
		return nil
	})
}

// DeleteCode removes the code if there is one.
func (s *Store) DeleteCode(ctx context.Context, poolID, sub, purpose string) error {
	return change(ctx, s, func(d *data) error {
		delete(d.poolOrEmpty(poolID).Codes[sub], purpose)
		return nil
	})
}
