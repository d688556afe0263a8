package postgres

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/userpool/userpool/storage"
)

var _ storage.Store = (*Store)(nil)

// errClosed is returned by every method called after Close.
var errClosed = errors.New("postgres: store is closed")

// Store is a [storage.Store] in a PostgreSQL database. It is safe for
// concurrent use, and any number of Stores, in one process or many, may
// share a database and schema: they behave as one store.
type Store struct {
	db     *pgxpool.Pool
	owned  bool // Close closes db
	schema string
	closed atomic.Bool

	// queries caches the rewritten text of each query (see q).
	queries sync.Map
}

// Option configures Open and New.
type Option func(*config)

type config struct {
	schema string
}

// WithSchema keeps the store's tables in the named PostgreSQL schema,
// created if it does not exist. Without it the tables go to the first
// schema of the connection's search_path (usually "public"). Separate
// schemas hold separate stores in one database.
func WithSchema(name string) Option {
	return func(c *config) { c.schema = name }
}

// Open connects to the database named by connString (a URL such as
// "postgres://user@host:5432/db?sslmode=disable" or a key=value string),
// applies any migration the schema lacks, and returns the store. The store
// owns its connection pool: Close closes it. The connection string also
// sets the pool, as pgxpool reads it: pool_max_conns (default: the number
// of CPUs, at least 4) bounds the connections each instance holds, and
// default_query_exec_mode=exec suits a transaction-pooling proxy, which
// cannot keep the prepared statements the store otherwise caches per
// connection.
func Open(ctx context.Context, connString string, opts ...Option) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(connString)
	if err != nil {
		// The connection string may hold a password; pgx's error leaves
		// it out.
		return nil, fmt.Errorf("postgres: %w", err)
	}
	db, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	s, err := newStore(ctx, db, true, opts)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// New returns a store over a connection pool the caller owns and keeps
// owning: Close leaves db open. Like Open, it applies any missing
// migration first.
func New(ctx context.Context, db *pgxpool.Pool, opts ...Option) (*Store, error) {
	if db == nil {
		return nil, errors.New("postgres: New: nil pool")
	}
	return newStore(ctx, db, false, opts)
}

func newStore(ctx context.Context, db *pgxpool.Pool, owned bool, opts []Option) (*Store, error) {
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	s := &Store{db: db, owned: owned, schema: cfg.schema}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close makes every later call fail with an error. If Open made the
// connection pool, Close closes it, waiting for queries in progress; a
// pool given to New is left to its owner.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	if s.owned {
		s.db.Close()
	}
	return nil
}

// tableRef matches the {table} placeholders of queries and migrations.
var tableRef = regexp.MustCompile(`\{([a-z_]+)\}`)

// q returns query with every {table} replaced by the table's name in the
// store's schema. Queries are written once with placeholders so that one
// database can hold many stores (tests use a schema each), and so that a
// caller-owned pool's search_path does not matter.
func (s *Store) q(query string) string {
	if v, ok := s.queries.Load(query); ok {
		return v.(string)
	}
	prefix := ""
	if s.schema != "" {
		prefix = pgx.Identifier{s.schema}.Sanitize() + "."
	}
	out := tableRef.ReplaceAllString(query, prefix+"$1")
	s.queries.Store(query, out)
	return out
}

// ready reports why a call may not start: a done context or a closed
// store. Every method calls it first, so that a canceled call fails the
// same way whether or not it would have reached the database.
func (s *Store) ready(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.closed.Load() {
		return errClosed
	}
	return nil
}
