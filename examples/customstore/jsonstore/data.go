package jsonstore

import (
	"encoding/json"
	"fmt"

	"github.com/userpool/userpool/storage"
)

// format is the version of the file's layout, so a later layout can tell
// an old file from a damaged one.
const format = 1

// data is the whole store, exactly as the file holds it.
type data struct {
	Format int              `json:"format"`
	Pools  map[string]*pool `json:"pools"`
}

// pool holds a user pool and every record that belongs to it, so that
// DeletePool is one map deletion and nothing is visible across pools.
type pool struct {
	Meta    storage.Pool              `json:"meta"`
	Clients map[string]storage.Client `json:"clients"`
	Users   map[string]storage.User   `json:"users"` // by sub
	// Logins maps each login key to the sub holding it. A map key is
	// unique, which is the whole of the uniqueness rule for logins; it is
	// written with the users, so the two never disagree.
	Logins   map[string]string                  `json:"logins"`
	Groups   map[string]storage.Group           `json:"groups"`
	Members  map[string]map[string]bool         `json:"members"` // group -> subs
	Codes    map[string]map[string]storage.Code `json:"codes"`   // sub -> purpose -> code
	Sessions map[string]storage.Session         `json:"sessions"`
	Tokens   map[string]storage.RefreshToken    `json:"tokens"`  // by hash
	Devices  map[string]storage.Device          `json:"devices"` // by key
	Keys     map[string]storage.SigningKey      `json:"keys"`    // by kid
	Attempts map[string]storage.AttemptCount    `json:"attempts"`
	Revoked  map[string]storage.RevokedOrigin   `json:"revoked"` // by origin_jti
}

func newData() *data { return &data{Format: format, Pools: map[string]*pool{}} }

func encode(d *data) ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "\t")
	if err != nil {
		return nil, fmt.Errorf("jsonstore: encode: %w", err)
	}
	return b, nil
}

func decode(b []byte) (*data, error) {
	var d data
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("jsonstore: decode: %w", err)
	}
	if d.Format != format {
		return nil, fmt.Errorf("jsonstore: file format %d, want %d", d.Format, format)
	}
	if d.Pools == nil {
		d.Pools = map[string]*pool{}
	}
	for _, p := range d.Pools {
		p.fill()
	}
	return &d, nil
}

// fill makes the maps that JSON left nil ("null" or absent), so methods
// can write to any of them.
func (p *pool) fill() {
	initMap(&p.Clients)
	initMap(&p.Users)
	initMap(&p.Logins)
	initMap(&p.Groups)
	initMap(&p.Members)
	initMap(&p.Codes)
	initMap(&p.Sessions)
	initMap(&p.Tokens)
	initMap(&p.Devices)
	initMap(&p.Keys)
	initMap(&p.Attempts)
	initMap(&p.Revoked)
}

func initMap[K comparable, V any](m *map[K]V) {
	if *m == nil {
		*m = map[K]V{}
	}
}

// pool returns the pool with the given id, or an error matching
// storage.ErrNotFound.
func (d *data) pool(id string) (*pool, error) {
	if p, ok := d.Pools[id]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("jsonstore: pool %q: %w", id, storage.ErrNotFound)
}

// user returns a user's pool and record, or an error matching
// storage.ErrNotFound if either is missing.
func (d *data) user(poolID, sub string) (*pool, storage.User, error) {
	if p, ok := d.Pools[poolID]; ok {
		if u, ok := p.Users[sub]; ok {
			return p, u, nil
		}
	}
	return nil, storage.User{}, fmt.Errorf("jsonstore: user %q: %w", sub, storage.ErrNotFound)
}

// poolOrEmpty returns the pool, or an empty one for a missing id, for
// reads where a missing pool behaves like a missing record.
func (d *data) poolOrEmpty(id string) *pool {
	if p, ok := d.Pools[id]; ok {
		return p
	}
	p := &pool{}
	p.fill()
	return p
}
