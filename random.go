package userpool

import (
	"crypto/rand"
	"io"
	"sync"
)

// lockedReader serialises reads from a source that may not be safe for
// concurrent use (a seeded reader given to WithRandom in tests); the pool
// reads randomness from many goroutines at once.
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(b)
}

// safeRandom returns r made safe for concurrent use; crypto/rand's reader
// already is and is returned as it is.
func safeRandom(r io.Reader) io.Reader {
	if r == rand.Reader {
		return r
	}
	return &lockedReader{r: r}
}
