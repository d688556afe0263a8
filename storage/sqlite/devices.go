package sqlite

import (
	"context"
	"encoding/json"
	"time"

	"github.com/userpool/userpool/storage"
)

// deviceDoc is the part of a device kept as JSON in devices.doc. Devices
// are read one at a time or a few per user, so JSON's cost does not matter
// here as it does for users (see usercodec.go). The tags are independent of
// the Go field names, so renaming a storage field cannot drop stored data,
// and collections carry no omitempty, so nil and empty stay apart.
type deviceDoc struct {
	GroupKey            string            `json:"group_key"`
	Name                string            `json:"name"`
	Remembered          bool              `json:"remembered"`
	SRPSalt             []byte            `json:"srp_salt"`
	SRPVerifier         []byte            `json:"srp_verifier"`
	Attributes          map[string]string `json:"attrs"`
	CreatedAt           time.Time         `json:"created_at"`
	UpdatedAt           time.Time         `json:"updated_at"`
	LastAuthenticatedAt time.Time         `json:"last_auth_at"`
}

// PutDevice implements [storage.Devices]: an upsert by key. The foreign
// key to users turns a missing user into ErrNotFound.
func (s *Store) PutDevice(ctx context.Context, d storage.Device) error {
	if _, err := times(d.CreatedAt, d.UpdatedAt, d.LastAuthenticatedAt); err != nil {
		return translate("put device", err)
	}
	doc, err := json.Marshal(deviceDoc{
		GroupKey: d.GroupKey, Name: d.Name, Remembered: d.Remembered,
		SRPSalt: d.SRP.Salt, SRPVerifier: d.SRP.Verifier, Attributes: d.Attributes,
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC(), LastAuthenticatedAt: d.LastAuthenticatedAt.UTC(),
	})
	if err != nil {
		return translate("put device", err)
	}
	return translate("put device", s.write(ctx, func(tx *wtx) error {
		_, err := tx.exec(ctx, `INSERT INTO devices (pool_id, key, sub, doc) VALUES (?, ?, ?, ?)
			ON CONFLICT (pool_id, key) DO UPDATE SET sub = excluded.sub, doc = excluded.doc`,
			d.PoolID, d.Key, d.Sub, doc)
		return err
	}))
}

func scanDevice(row scanner) (storage.Device, error) {
	var (
		d   storage.Device
		doc []byte
		dd  deviceDoc
	)
	if err := row.Scan(&d.PoolID, &d.Key, &d.Sub, &doc); err != nil {
		return storage.Device{}, err
	}
	if err := json.Unmarshal(doc, &dd); err != nil {
		return storage.Device{}, err
	}
	d.GroupKey, d.Name, d.Remembered = dd.GroupKey, dd.Name, dd.Remembered
	d.SRP = storage.SRPVerifier{Salt: dd.SRPSalt, Verifier: dd.SRPVerifier}
	d.Attributes = dd.Attributes
	d.CreatedAt, d.UpdatedAt = zeroUTC(dd.CreatedAt), zeroUTC(dd.UpdatedAt)
	d.LastAuthenticatedAt = zeroUTC(dd.LastAuthenticatedAt)
	return d, nil
}

// GetDevice implements [storage.Devices].
func (s *Store) GetDevice(ctx context.Context, poolID, key string) (storage.Device, error) {
	d, err := scanDevice(s.r.QueryRowContext(ctx, `SELECT pool_id, key, sub, doc FROM devices WHERE pool_id = ? AND key = ?`, poolID, key))
	return d, translate("get device", err)
}

// ListDevices implements [storage.Devices].
func (s *Store) ListDevices(ctx context.Context, poolID, sub string, page storage.PageRequest) (storage.Page[storage.Device], error) {
	const kind = "devices"
	var none storage.Page[storage.Device]
	if err := checkLimit(page.Limit); err != nil {
		return none, translate("list devices", err)
	}
	c, after, err := parseCursor(page.Cursor, kind)
	if err != nil {
		return none, translate("list devices", err)
	}
	q, args := `SELECT pool_id, key, sub, doc FROM devices WHERE pool_id = ? AND sub = ?`, []any{poolID, sub}
	if after {
		q, args = q+` AND key > ?`, append(args, c.Val)
	}
	rows, err := s.r.QueryContext(ctx, q+` ORDER BY key LIMIT ?`, append(args, page.Limit+1)...)
	if err != nil {
		return none, translate("list devices", err)
	}
	items, err := collect(rows, sizeHint(page.Limit), func() (storage.Device, error) { return scanDevice(rows) })
	if err != nil {
		return none, translate("list devices", err)
	}
	return pageOf(items, page.Limit, func(d storage.Device) cursor { return cursor{Kind: kind, Val: d.Key} }), nil
}

// DeleteDevice implements [storage.Devices].
func (s *Store) DeleteDevice(ctx context.Context, poolID, key string) error {
	return translate("delete device", s.write(ctx, func(tx *wtx) error {
		n, err := tx.affected(ctx, `DELETE FROM devices WHERE pool_id = ? AND key = ?`, poolID, key)
		if err == nil && n == 0 {
			err = notFound("delete device")
		}
		return err
	}))
}

// zeroUTC returns t in UTC, with a zero time as time.Time{} exactly.
func zeroUTC(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}
