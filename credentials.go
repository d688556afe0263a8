package userpool

import (
	"fmt"
	"io"
	"sync"
)

// credentials is what a pool needs to keep the credentials other than the
// password hash: SRP verifiers (users' and remembered devices'), SRP
// exponents in flight, and TOTP secrets. It is safe for concurrent use.
type credentials struct {
	// sealer encrypts verifiers, exponents and TOTP secrets at rest with
	// the pool's secret key (and marks them plain when there is none).
	sealer *sealer

	// mu guards random: the reader given to WithRandom need not be safe
	// for concurrent use (a seeded test reader is not).
	mu     sync.Mutex
	random io.Reader
}

func newCredentials(secretKey []byte, random io.Reader) *credentials {
	c := &credentials{random: random}
	// The sealer draws its nonces through c, so that every use of the
	// reader here is under the one lock.
	c.sealer = newSealer(secretKey, lockedReader{c})
	return c
}

// read fills b from the pool's random source.
func (c *credentials) read(b []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := io.ReadFull(c.random, b); err != nil {
		return fmt.Errorf("userpool: random source: %w", err)
	}
	return nil
}

// lockedReader reads the pool's random source under the credentials' lock.
type lockedReader struct{ c *credentials }

func (r lockedReader) Read(b []byte) (int, error) {
	r.c.mu.Lock()
	defer r.c.mu.Unlock()
	return r.c.random.Read(b)
}
