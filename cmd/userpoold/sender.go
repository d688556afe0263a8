package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"github.com/userpool/userpool"
)

// fileSender writes each message as a JSON file in a directory, for
// development: a test or a developer reads codes from there. Files are
// named <unix nanos>-<sequence>.json so they sort in sending order, and
// appear whole (written to a temporary name, then renamed).
//
// It stands in for the library's outbox sender until that is available.
type fileSender struct {
	dir string
	seq atomic.Uint64
}

func newFileSender(dir string) (*fileSender, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("-messages-dir: %w", err)
	}
	return &fileSender{dir: dir}, nil
}

// Send writes m to a new file.
func (s *fileSender) Send(_ context.Context, m userpool.Message) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("%d-%06d.json", time.Now().UnixNano(), s.seq.Add(1))
	tmp := filepath.Join(s.dir, "."+name+".tmp")
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(s.dir, name))
}
