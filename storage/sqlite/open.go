package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// Store is a [storage.Store] kept in one SQLite database file. It is safe
// for concurrent use by many goroutines; several processes may open the
// same file, though one process per file is the expected deployment.
type Store struct {
	// w is the only connection that writes. Every write runs in a
	// BEGIN IMMEDIATE transaction on it, so writes are serialised in Go
	// rather than by SQLite lock retries, and a read-modify-write inside
	// one transaction cannot interleave with another.
	w *sql.DB
	// r is a pool of query_only connections. In WAL mode readers never
	// block the writer and each statement sees one committed snapshot.
	r *sql.DB
	// readStmts caches prepared read statements by their text (see
	// prepared): parsing a listing's SQL was a tenth of a page's cost.
	readStmts sync.Map // string -> *sql.Stmt

	// fault, when set by tests, runs before every statement of a write
	// transaction and before its commit; an error it returns fails that
	// step. See export_test.go.
	fault func(query string) error
}

var _ storage.Store = (*Store)(nil)

// Option configures [Open].
type Option func(*config)

type config struct {
	busyTimeout time.Duration
	readers     int
}

// WithBusyTimeout sets how long a statement waits for a lock held by
// another process before failing with SQLITE_BUSY. The default is 5s.
// Within one Store writers queue in Go and do not need it.
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.busyTimeout = d } }

// WithReaders sets the largest number of read connections. The default is
// twice GOMAXPROCS, at least 4.
func WithReaders(n int) Option { return func(c *config) { c.readers = n } }

// Open opens the database at path, creating it if needed, and applies any
// pending schema migrations before returning. ctx bounds only the opening
// and migration; the Store outlives it. Close the Store when done.
//
// The database is put in WAL mode with synchronous=FULL and foreign keys
// enforced; see the package documentation for why.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := config{busyTimeout: 5 * time.Second, readers: max(4, 2*runtime.GOMAXPROCS(0))}
	for _, o := range opts {
		o(&cfg)
	}
	switch {
	case path == "":
		return nil, errors.New("storage/sqlite: open: path is empty")
	case cfg.busyTimeout < 0:
		return nil, fmt.Errorf("storage/sqlite: open: busy timeout %v is negative", cfg.busyTimeout)
	case cfg.readers < 1:
		return nil, fmt.Errorf("storage/sqlite: open: readers is %d, want at least 1", cfg.readers)
	}
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("storage/sqlite: open: %w", err)
	}

	w, err := sql.Open("sqlite", dsn(abs, cfg, false))
	if err != nil {
		return nil, fmt.Errorf("storage/sqlite: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	// Keep the one connection open: reopening it costs a schema parse.
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	s := &Store{w: w}
	// Migrating on the writer also creates the file and switches it to
	// WAL, which the readers' query_only connections could not do.
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}

	r, err := sql.Open("sqlite", dsn(abs, cfg, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("storage/sqlite: open: %w", err)
	}
	r.SetMaxOpenConns(cfg.readers)
	r.SetMaxIdleConns(cfg.readers)
	if err := r.PingContext(ctx); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("storage/sqlite: open: %w", err)
	}
	s.r = r
	return s, nil
}

// dsn builds the driver's connection string. The file: URI form keeps any
// character in the path literal; the underscore parameters are read by
// the driver and the pragmas run on every new connection.
func dsn(path string, cfg config, reader bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", cfg.busyTimeout.Milliseconds()))
	q.Add("_pragma", "foreign_keys(1)")
	// synchronous=FULL: WAL with NORMAL survives a process crash but may
	// lose the last commits on power loss or an OS crash, and an auth
	// store must not forget a consumed code or a revoked token it has
	// acknowledged. FULL syncs the WAL on every commit.
	q.Add("_pragma", "synchronous(FULL)")
	if reader {
		q.Set("_query_only", "1")
		// Readers are always in autocommit or deferred transactions.
	} else {
		// journal_mode is persistent in the file; setting it from the
		// writer is enough, and readers must not try (query_only).
		q.Add("_pragma", "journal_mode(WAL)")
		q.Set("_txlock", "immediate")
	}
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// Close closes the database. Calls after Close fail.
func (s *Store) Close() error {
	var errs []error
	s.readStmts.Range(func(_, v any) bool {
		errs = append(errs, v.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(append(errs, s.r.Close(), s.w.Close())...)
}

// prepared returns the reader pool's prepared statement for query,
// preparing it on first use. Only queries built from a fixed set of
// shapes come here (the ListUsers filters), so the cache stays small.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := s.readStmts.Load(query); ok {
		return st.(*sql.Stmt), nil
	}
	st, err := s.r.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if prev, loaded := s.readStmts.LoadOrStore(query, st); loaded {
		st.Close()
		return prev.(*sql.Stmt), nil
	}
	return st, nil
}
