// Command webapp is a small web application on a user pool: sign-up with a
// confirmation code, sign-in (with a new password when one is required and
// a TOTP code when the user has set one up), TOTP setup with a QR code,
// forgotten passwords, a profile page, sign-out (here or everywhere) and an
// administrators' page. It also serves the pool as an OpenID Connect
// provider, with its managed login pages, under /oidc/.
//
//	go run ./examples/webapp                 # http://127.0.0.1:8080, users in ./webapp.db
//	go run ./examples/webapp -db ''          # users in memory, forgotten on exit
//	go run ./examples/webapp -dev=false      # no outbox page, codes not logged
//
// No email is sent: with -dev (the default) the codes the pool would send
// are printed in the terminal and shown on the /outbox page, and kept as
// JSON files in ./webapp-outbox/, so a newcomer can finish a sign-up with
// nothing else installed. A real deployment turns -dev off and gives the
// pool a Sender that delivers mail.
//
// Sessions keep the tokens on the server, under a random id that an
// HttpOnly, SameSite=Lax cookie carries (Secure over TLS) and that changes
// at sign-in; the refresh token never reaches the browser. Every form
// carries the session's CSRF token. Each request verifies the access token
// (signature, expiry, revocation) and renews it with the refresh token once
// it has expired. Sign-out revokes the refresh token; sign-out everywhere
// revokes all of the user's.
//
// The pool's OpenID Connect provider is at /oidc/<pool id>/ (discovery at
// /oidc/<pool id>/.well-known/openid-configuration): other applications
// sign the same users in through its managed login pages.
//
// Administrators are the members of the group "admin". The first user to
// confirm a sign-up joins it (so the person who starts the app can manage
// it), and so does the user whose email -admin names when they sign in.
package main

import (
	"context"
	"flag"
	"log"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	cfg := config{Logger: slog.New(slog.NewTextHandler(os.Stderr, nil))}
	flag.StringVar(&cfg.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	flag.StringVar(&cfg.DB, "db", "webapp.db", "SQLite file that keeps the pool; empty keeps it in memory")
	flag.StringVar(&cfg.Outbox, "outbox", "", "directory of the development outbox (default: webapp-outbox next to -db)")
	flag.BoolVar(&cfg.Dev, "dev", true, "development mode: log codes and serve the /outbox page")
	flag.StringVar(&cfg.Admin, "admin", "", "email of a user who joins the admin group on sign-in")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		log.Fatal(err)
	}
}
