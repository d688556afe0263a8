package main

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"slices"

	"github.com/userpool/userpool"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// adminGroup is the group whose members see the admin page.
const adminGroup = "admin"

// app is the web application: the pool, its client, the sessions and the
// pages.
type app struct {
	pool     *userpool.Pool
	clientID string
	verifier *userpool.Verifier
	outbox   *userpool.OutboxSender
	sessions *sessions
	pages    map[string]*template.Template
	oidc     http.Handler
	log      *slog.Logger
	dev      bool
	admin    string
}

// newAppFor builds the application around an open pool.
func newAppFor(ctx context.Context, pool *userpool.Pool, outbox *userpool.OutboxSender, store *sessionStore, cfg config) (*app, error) {
	c, err := findClient(ctx, pool, clientName)
	if err != nil {
		return nil, err
	}
	// A database made by an earlier version of the app has the client
	// without the flows added since (code sign-in): WithClient creates a
	// client only when it is absent, so the app brings its own up to date.
	if missing := slices.DeleteFunc(slices.Clone(clientFlows), func(f userpool.AuthFlow) bool { return slices.Contains(c.AuthFlows, f) }); len(missing) > 0 {
		c.AuthFlows = append(c.AuthFlows, missing...)
		if c, err = pool.UpdateClient(ctx, c.ClientConfig); err != nil {
			return nil, err
		}
	}
	id := c.ID
	if _, err := pool.CreateGroup(ctx, userpool.GroupInput{GroupName: adminGroup, Description: "Administrators of the webapp"}); err != nil && !errors.Is(err, userpool.ErrGroupExists) {
		return nil, err
	}
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	o, err := mountOIDC(pool, cfg.Logger)
	if err != nil {
		return nil, err
	}
	return &app{
		pool: pool, clientID: id, verifier: pool.Verifier(userpool.WithClientIDs(id)),
		outbox: outbox, sessions: newSessions(store, cfg.Logger), pages: pages, oidc: o,
		log: cfg.Logger, dev: cfg.Dev, admin: cfg.Admin,
	}, nil
}

// findClient returns the pool's client named name.
func findClient(ctx context.Context, pool *userpool.Pool, name string) (userpool.Client, error) {
	next := ""
	for {
		l, err := pool.ListClients(ctx, 60, next)
		if err != nil {
			return userpool.Client{}, err
		}
		for _, c := range l.Clients {
			if c.Name == name {
				return pool.DescribeClient(ctx, c.ID)
			}
		}
		if next = l.NextToken; next == "" {
			return userpool.Client{}, fmt.Errorf("webapp: the pool has no client %q", name)
		}
	}
}

// parsePages parses each page with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		base := n[len("templates/") : len(n)-len(".html")]
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, err
		}
		pages[base] = t
	}
	return pages, nil
}

// routes returns the application's handler.
func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	mux.Handle("/oidc/", a.oidc)

	mux.HandleFunc("GET /{$}", a.home)
	a.authRoutes(mux)
	a.codeSignInRoutes(mux)
	a.mfaRoutes(mux)
	a.profileRoutes(mux)
	a.adminRoutes(mux)
	if a.dev {
		mux.HandleFunc("GET /outbox", a.outboxPage)
	}
	return securityHeaders(a.withSession(mux))
}

// securityHeaders forbids framing and outside content: the pages need
// nothing but themselves, their stylesheet and data: images.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if h.Get("Content-Security-Policy") == "" && !isOIDC(r) {
			h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		}
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

func isOIDC(r *http.Request) bool {
	return len(r.URL.Path) >= 6 && r.URL.Path[:6] == "/oidc/"
}

// view is what every page template gets.
type view struct {
	Title   string
	CSRF    string
	User    *signedIn
	Flash   string
	Error   string
	Dev     bool
	Data    any
	Current string
}

// render writes page name with data.
func (a *app) render(w http.ResponseWriter, r *http.Request, status int, name, title string, data any) {
	s := sessionFrom(r)
	v := view{Title: title, CSRF: s.csrf, User: userFrom(r), Dev: a.dev, Data: data, Current: r.URL.Path}
	v.Flash, v.Error = s.takeFlash()
	t, ok := a.pages[name]
	if !ok {
		http.Error(w, "no such page", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	if err := t.Execute(w, v); err != nil {
		a.log.Error("render", "page", name, "err", err)
	}
}

// fail shows page name again with the error's message.
func (a *app) fail(w http.ResponseWriter, r *http.Request, name, title string, data any, err error) {
	s := sessionFrom(r)
	s.setFlash("", message(err))
	status := http.StatusBadRequest
	var e *userpool.Error
	if !errors.As(err, &e) {
		a.log.Error("request failed", "path", r.URL.Path, "err", err)
		status = http.StatusInternalServerError
	}
	a.render(w, r, status, name, title, data)
}

// message is the text shown for err: a pool error's Cognito message.
func message(err error) string {
	var e *userpool.Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "Something went wrong; please try again."
}

// redirect sends the browser to path after a successful form, with a
// message for the next page.
func redirect(w http.ResponseWriter, r *http.Request, path, flash string) {
	if flash != "" {
		sessionFrom(r).setFlash(flash, "")
	}
	http.Redirect(w, r, path, http.StatusSeeOther)
}

func (a *app) home(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "home", "Welcome", nil)
}
