package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/oidc"
	"github.com/userpool/userpool/storage/sqlite"
)

// config is what main's flags set; tests fill it directly.
type config struct {
	Addr   string // listen address, used when Listener is nil
	DB     string // SQLite file; "" keeps the pool in memory
	Outbox string // outbox directory; "" means webapp-outbox next to DB
	Dev    bool   // log codes and serve /outbox
	Admin  string // email that joins the admin group on sign-in

	Logger   *slog.Logger
	Out      io.Writer         // where the URL is printed (stdout when nil)
	Listener net.Listener      // tests listen first, to know the URL
	Options  []userpool.Option // extra pool options (tests: cheap hashing)
	Ready    func(a *app)      // called once the app serves (tests)
}

// clientName is the name of the webapp's app client.
const clientName = "webapp"

// clientFlows are the flows the app's client uses: the password, a code by
// email (choice-based sign-in), and refresh.
var clientFlows = []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowUserAuth, userpool.FlowRefreshToken}

// run serves the application until ctx is done.
func run(ctx context.Context, cfg config) error {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Out == nil {
		cfg.Out = os.Stdout
	}
	ln := cfg.Listener
	if ln == nil {
		var err error
		if ln, err = net.Listen("tcp", cfg.Addr); err != nil {
			return err
		}
	}
	defer ln.Close()
	base := baseURL(ln.Addr())

	a, closeApp, err := newApp(ctx, cfg, base)
	if err != nil {
		return err
	}
	defer closeApp()

	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	fmt.Fprintf(cfg.Out, "webapp: open %s/ in a browser\n", base)
	if cfg.Dev {
		fmt.Fprintf(cfg.Out, "webapp: codes appear here and at %s/outbox\n", base)
	}
	fmt.Fprintf(cfg.Out, "webapp: OpenID Connect provider at %s/.well-known/openid-configuration\n", a.pool.Issuer())
	if cfg.Ready != nil {
		cfg.Ready(a)
	}
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Requests in flight get five seconds; connections still busy after
	// that (a browser's, say) are closed.
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		cfg.Logger.Warn("webapp: closing connections still busy after the shutdown grace period", "err", err)
		srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// baseURL is the URL of a server listening on addr; a wildcard address
// (-addr :8080) is reached at localhost.
func baseURL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String()
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// newApp opens the store, the outbox and the pool for a server at base.
func newApp(ctx context.Context, cfg config, base string) (*app, func(), error) {
	closers := []func(){}
	closeAll := func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i]()
		}
	}
	outDir := cfg.Outbox
	if outDir == "" {
		dir := "."
		if cfg.DB != "" {
			dir = filepath.Dir(cfg.DB)
		}
		outDir = filepath.Join(dir, "webapp-outbox")
	}
	outbox, err := userpool.NewOutboxSender(outDir)
	if err != nil {
		return nil, nil, err
	}
	var sender userpool.Sender = outbox
	if cfg.Dev {
		// Development only: the codes are printed, so a newcomer needs no
		// mail server.
		logs := userpool.NewLogSender(cfg.Logger, true)
		sender = userpool.SenderFunc(func(ctx context.Context, m userpool.Message) error {
			if err := outbox.Send(ctx, m); err != nil {
				return err
			}
			return logs.Send(ctx, m)
		})
	}
	opts := append(poolOptions(), userpool.WithSender(sender), userpool.WithLogger(cfg.Logger),
		// The OIDC provider is mounted at /oidc/, so the tokens' issuer is
		// <base>/oidc/<pool id>.
		userpool.WithIssuer(base+"/oidc"))
	if cfg.DB != "" {
		store, err := sqlite.Open(ctx, cfg.DB)
		if err != nil {
			return nil, nil, err
		}
		closers = append(closers, func() { store.Close() })
		opts = append(opts, userpool.WithStore(store))
	}
	opts = append(opts, cfg.Options...)
	pool, err := userpool.New(ctx, "Demo User Pool", opts...)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	// Sessions outlive a restart when the pool does.
	var sessionStore *sessionStore
	if cfg.DB != "" {
		if sessionStore, err = openSessionStore(ctx, cfg.DB); err != nil {
			closeAll()
			return nil, nil, err
		}
		closers = append(closers, func() { sessionStore.Close() })
	}
	a, err := newAppFor(ctx, pool, outbox, sessionStore, cfg)
	if err != nil {
		closeAll()
		return nil, nil, err
	}
	return a, closeAll, nil
}

// poolOptions are the walk-through's settings (examples/quickstart), but
// with self sign-up on and optional TOTP MFA, and the webapp's client.
func poolOptions() []userpool.Option {
	return []userpool.Option{
		userpool.WithUsernameAttributes("email"),
		userpool.WithRequiredAttributes("address", "email", "gender", "name", "phone_number", "profile"),
		userpool.WithPasswordPolicy(userpool.DefaultPasswordPolicy()),
		userpool.WithSelfSignUp(),
		userpool.WithMFA(userpool.MFAOptional, userpool.FactorTOTP),
		// Sign-in by a code sent to the verified email, as well as by password.
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorEmailOTP),
		userpool.WithAccountRecovery(userpool.RecoveryVerifiedEmail),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithVerificationMessage(userpool.VerificationMessage{
			DefaultEmailOption: userpool.ConfirmWithCode,
			EmailSubject:       "Your verification code",
		}),
		userpool.WithTags(map[string]string{"Name": "MyUserPool"}),
		userpool.WithDevices(userpool.DevicesOff, false),
		userpool.WithClient(userpool.ClientConfig{
			Name:      clientName,
			AuthFlows: clientFlows,
			// Unknown users look like wrong passwords.
			PreventUserExistenceErrors: true,
		}),
	}
}

// mountOIDC returns the pool's OIDC provider for /oidc/.
func mountOIDC(pool *userpool.Pool, l *slog.Logger) (http.Handler, error) {
	h, err := oidc.New(oidc.ForPool(pool), oidc.WithLogger(l))
	if err != nil {
		return nil, err
	}
	return http.StripPrefix("/oidc", h), nil
}
