package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/cognitoapi"
	"github.com/userpool/userpool/oidc"
	"github.com/userpool/userpool/passkey"
	"github.com/userpool/userpool/storage"
)

// config is the command line.
type config struct {
	addr, db, messagesDir, issuer, credentials, poolsFile string
	region, logFormat, logLevel                           string
	passkeyRPID, passkeyOrigins                           string
	maxConcurrent                                         int
	maxBody                                               int64
	shutdownTimeout                                       time.Duration
	showVersion                                           bool
}

func parseFlags(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	var c config
	fs := flag.NewFlagSet("userpoold", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:9229", "address to listen on")
	fs.StringVar(&c.db, "db", "./userpool.db", "SQLite database `path`, or a postgres:// URL")
	fs.StringVar(&c.messagesDir, "messages-dir", "", "write every outgoing message as a JSON file in `dir` (instead of logging it)")
	fs.StringVar(&c.issuer, "issuer", "", "public base `URL` of the server; tokens' iss is <issuer>/<poolId> (default http://<addr>)")
	fs.StringVar(&c.credentials, "admin-credentials", "", "`ACCESS_KEY:SECRET` that administrative calls must be signed with (or $USERPOOLD_ADMIN_CREDENTIALS)")
	fs.StringVar(&c.poolsFile, "config", "", "JSON `file` of pools to create at start: an array of CreateUserPool requests")
	fs.StringVar(&c.region, "region", "us-east-1", "region of pools created by unsigned calls")
	fs.StringVar(&c.passkeyRPID, "passkey-rp-id", "", "enable passkeys (WebAuthn) for the relying party `domain` (example.com)")
	fs.StringVar(&c.passkeyOrigins, "passkey-origins", "", "comma-separated `origins` passkey ceremonies may come from (default https://<passkey-rp-id>)")
	fs.StringVar(&c.logFormat, "log-format", "text", "log format: text or json")
	fs.StringVar(&c.logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.IntVar(&c.maxConcurrent, "max-concurrent", 64, "operations run at once; more wait briefly, then get TooManyRequestsException")
	fs.Int64Var(&c.maxBody, "max-body", cognitoapi.DefaultBodyLimit, "largest request body in bytes")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", 10*time.Second, "how long to let requests finish on SIGINT/SIGTERM")
	fs.BoolVar(&c.showVersion, "version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if c.credentials == "" {
		c.credentials = getenv("USERPOOLD_ADMIN_CREDENTIALS")
	}
	return c, nil
}

// run is the whole server; ready, if not nil, is told the listening
// address once requests are served. It returns when ctx ends (after a
// graceful shutdown) or on a startup error.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(net.Addr)) error {
	c, err := parseFlags(args, getenv, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	if err != nil {
		return err
	}
	if c.showVersion {
		fmt.Fprintln(stdout, "userpoold", version)
		return nil
	}
	log, err := newLogger(stderr, c.logFormat, c.logLevel)
	if err != nil {
		return err
	}
	var accessKey, secret string
	if c.credentials != "" {
		var ok bool
		accessKey, secret, ok = strings.Cut(c.credentials, ":")
		if !ok || accessKey == "" || secret == "" {
			return errors.New("-admin-credentials must be ACCESS_KEY:SECRET")
		}
	}
	// Refuse an unsafe address before binding it when the address says so
	// already; a host name is checked again once it is resolved.
	if accessKey == "" && !maybeLoopback(c.addr) {
		return fmt.Errorf("refusing to serve unsigned administrative calls on %s: give -admin-credentials, or listen on a loopback address", c.addr)
	}

	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	defer ln.Close()
	if accessKey == "" && !isLoopback(ln.Addr()) {
		return fmt.Errorf("refusing to serve unsigned administrative calls on %s: give -admin-credentials, or listen on a loopback address", ln.Addr())
	}

	store, err := openStore(ctx, c.db)
	if err != nil {
		return err
	}
	defer store.Close()

	issuer := strings.TrimSuffix(c.issuer, "/")
	if issuer == "" {
		issuer = defaultIssuer(ln.Addr())
	}
	poolOpts := []userpool.Option{userpool.WithLogger(log), userpool.WithIssuer(issuer)}
	if c.messagesDir != "" {
		sender, err := userpool.NewOutboxSender(c.messagesDir)
		if err != nil {
			return fmt.Errorf("-messages-dir: %w", err)
		}
		poolOpts = append(poolOpts, userpool.WithSender(sender))
	}
	if c.passkeyRPID != "" {
		origins := []string{"https://" + c.passkeyRPID}
		if c.passkeyOrigins != "" {
			origins = strings.Split(c.passkeyOrigins, ",")
		}
		ceremonies, err := passkey.New(passkey.Config{RPID: c.passkeyRPID, RPName: c.passkeyRPID, RPOrigins: origins})
		if err != nil {
			return fmt.Errorf("-passkey-rp-id: %w", err)
		}
		poolOpts = append(poolOpts, userpool.WithPasskeys(ceremonies))
	}
	apiOpts := []cognitoapi.Option{
		cognitoapi.WithLogger(log),
		cognitoapi.WithPoolOptions(poolOpts...),
		cognitoapi.WithBodyLimit(c.maxBody),
		cognitoapi.WithRegion(c.region),
		cognitoapi.WithConcurrencyLimit(c.maxConcurrent, time.Second),
	}
	if accessKey != "" {
		apiOpts = append(apiOpts, cognitoapi.WithCredentials(accessKey, secret))
	} else {
		log.Warn("no -admin-credentials: administrative calls are accepted unsigned, from this machine only", "addr", ln.Addr().String())
		apiOpts = append(apiOpts, cognitoapi.AllowUnsignedAdmin())
	}
	api, err := cognitoapi.New(store, apiOpts...)
	if err != nil {
		return err
	}
	if c.poolsFile != "" {
		if err := loadPools(ctx, api, c.poolsFile, log); err != nil {
			return err
		}
	}

	login, err := oidc.New(oidc.ForPools(api.Pool), oidc.WithLogger(log))
	if err != nil {
		return err
	}

	srv := &http.Server{
		Handler:           routes(api, login, store),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	log.Info("userpoold listening", "addr", ln.Addr().String(), "db", redactDB(c.db), "issuer", issuer, "version", version)
	if ready != nil {
		ready(ln.Addr())
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// routes serves the API, each pool's OAuth endpoints and managed login
// (under /<pool id>/, where the pool's issuer points), and the health
// check.
func routes(api, login http.Handler, store storage.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if _, err := store.ListPools(ctx, storage.PageRequest{Limit: 1}); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "store unavailable")
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/", api)
	mux.Handle("/{pool}/", login)
	return mux
}

func loadPools(ctx context.Context, api *cognitoapi.Handler, path string, log *slog.Logger) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	ids, err := api.LoadPools(ctx, f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	log.Info("pools ready", "file", path, "ids", ids)
	return nil
}

func newLogger(w io.Writer, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("-log-level: %w", err)
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	default:
		return nil, fmt.Errorf("-log-format %q: want text or json", format)
	}
}
