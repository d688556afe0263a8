package userpool

import (
	"crypto/hkdf"
	"crypto/sha256"
	"fmt"
	"io"
)

// newPoolSecret returns fresh key material for a new pool record.
func (p *Pool) newPoolSecret() ([]byte, error) {
	secret := make([]byte, 32)
	if _, err := io.ReadFull(p.random, secret); err != nil {
		return nil, fmt.Errorf("userpool: pool secret: %w", err)
	}
	return secret, nil
}

// derivedKey returns a 32-byte key for one purpose (pagination tokens,
// decoys for unknown users ...), the same on every instance serving the
// pool. It derives from the secret key given with WithSecretKey when there
// is one, which keeps what it protects safe even from someone holding the
// store; otherwise from the random secret stored with the pool, which is
// enough where the store itself is not the threat. Keys are derived once
// per purpose and cached.
func (p *Pool) derivedKey(purpose string) []byte {
	if k, ok := p.keys.Load(purpose); ok {
		return k.([]byte)
	}
	root := p.secretKey
	if root == nil {
		root = p.poolSecret
	}
	key, err := hkdf.Key(sha256.New, root, []byte(p.id), "userpool "+purpose, 32)
	if err != nil {
		// HKDF fails only for an output longer than 255 hashes.
		panic(fmt.Sprintf("userpool: derive key: %v", err))
	}
	k, _ := p.keys.LoadOrStore(purpose, key)
	return k.([]byte)
}
