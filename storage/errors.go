package storage

import "errors"

// Sentinel errors returned by every backend. Backends wrap them with context
// (fmt.Errorf("...: %w", storage.ErrNotFound)); callers test with errors.Is.
var (
	// ErrNotFound reports that the record asked for does not exist.
	ErrNotFound = errors.New("storage: not found")
	// ErrConflict reports a uniqueness violation or a stale version: the
	// write was refused and nothing changed.
	ErrConflict = errors.New("storage: conflict")
)
