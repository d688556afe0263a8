package oidc

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/userpool/userpool"
)

// PoolResolver returns the pool with the given id. An unknown id gives an
// error matching userpool.ErrResourceNotFound, which the handler answers
// with 404.
type PoolResolver func(ctx context.Context, poolID string) (*userpool.Pool, error)

// Option configures a Handler.
type Option func(*Handler)

// ForPool serves one pool. Requests for any other pool id get 404.
func ForPool(p *userpool.Pool) Option {
	return func(h *Handler) {
		h.resolve = func(_ context.Context, id string) (*userpool.Pool, error) {
			if id != p.ID() {
				return nil, userpool.ErrResourceNotFound.With("User pool %s does not exist.", id)
			}
			return p, nil
		}
	}
}

// ForPools serves every pool resolve knows, each under /<pool id>/.
func ForPools(resolve PoolResolver) Option {
	return func(h *Handler) { h.resolve = resolve }
}

// WithCodeLifetime sets how long an authorization code may be redeemed
// (5 minutes by default, as Cognito's; at most 10 minutes).
func WithCodeLifetime(d time.Duration) Option {
	return func(h *Handler) { h.codeTTL = d }
}

// WithLogger sets the logger of unexpected errors (slog.Default() by
// default).
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) { h.log = l }
}

// Handler serves the OAuth 2.0 / OpenID Connect endpoints and the managed
// login pages of one or many pools, each under /<pool id>/. It keeps no
// state of its own: authorization codes and sign-ins in progress live in
// the pool's store, and CSRF keys derive from the pool's secret, so any
// number of instances can serve the same pools.
//
// Each pool's issuer ([userpool.Pool.Issuer], set with
// [userpool.WithIssuer]) must be the URL the pool is served at: the
// endpoints are the issuer followed by their path, and OpenID clients
// fetch <issuer>/.well-known/openid-configuration. Mount the handler at the
// issuer's base URL (with [http.StripPrefix] when that has a path).
type Handler struct {
	resolve PoolResolver
	codeTTL time.Duration
	log     *slog.Logger
	mux     *http.ServeMux
}

// The default and longest lifetimes of an authorization code.
const (
	defaultCodeTTL = 5 * time.Minute
	maxCodeTTL     = 10 * time.Minute
)

// New returns a handler configured by opts; ForPool or ForPools is
// required.
func New(opts ...Option) (*Handler, error) {
	h := &Handler{codeTTL: defaultCodeTTL}
	for _, opt := range opts {
		opt(h)
	}
	if h.resolve == nil {
		return nil, errors.New("oidc: New needs ForPool or ForPools")
	}
	if h.codeTTL <= 0 || h.codeTTL > maxCodeTTL {
		return nil, errors.New("oidc: the code lifetime must be above zero and at most 10 minutes")
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.routes()
	return h, nil
}

// Paths of the endpoints and pages below /<pool id>.
const (
	pathDiscovery = "/.well-known/openid-configuration"
	pathJWKS      = "/.well-known/jwks.json"
	pathAuthorize = "/oauth2/authorize"
	pathToken     = "/oauth2/token"
	pathUserInfo  = "/oauth2/userInfo"
	pathRevoke    = "/oauth2/revoke"
	pathLogout    = "/logout"
	pathLogin     = "/login"
	pathChallenge = "/challenge"
	pathSignUp    = "/signup"
	pathConfirm   = "/confirm"
	pathForgot    = "/forgotPassword"
	pathReset     = "/confirmForgotPassword"
)

func (h *Handler) routes() {
	m := http.NewServeMux()
	handle := func(pattern string, fn func(w http.ResponseWriter, r *http.Request, s *site)) {
		method, path, _ := strings.Cut(pattern, " ")
		m.HandleFunc(method+" /{pool}"+path, func(w http.ResponseWriter, r *http.Request) {
			s, err := h.site(r)
			if err != nil {
				h.noPool(w, err)
				return
			}
			fn(w, r, s)
		})
	}
	handle("GET "+pathDiscovery, h.discovery)
	handle("GET "+pathJWKS, h.jwks)
	handle("GET "+pathAuthorize, h.authorize)
	handle("POST "+pathToken, h.token)
	handle("GET "+pathUserInfo, h.userInfo)
	handle("POST "+pathUserInfo, h.userInfo)
	handle("POST "+pathRevoke, h.revoke)
	handle("GET "+pathLogout, h.logout)
	handle("GET "+pathLogin, h.signInPage)
	handle("POST "+pathLogin, h.signIn)
	handle("POST "+pathChallenge, h.answerChallenge)
	handle("GET "+pathSignUp, h.signUpPage)
	handle("POST "+pathSignUp, h.signUp)
	handle("GET "+pathConfirm, h.confirmPage)
	handle("POST "+pathConfirm, h.confirm)
	handle("GET "+pathForgot, h.forgotPage)
	handle("POST "+pathForgot, h.forgot)
	handle("GET "+pathReset, h.resetPage)
	handle("POST "+pathReset, h.reset)
	h.mux = m
}

// ServeHTTP serves the endpoints of the pool named by the first path
// segment.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// site is one request's pool and the URLs derived from its issuer.
type site struct {
	pool   *userpool.Pool
	issuer string
	// cookiePath is the issuer's path: cookies go only to this pool's
	// pages.
	cookiePath string
	// secure says whether cookies get the Secure attribute: the request
	// came over TLS or the issuer is an https URL (TLS ends at a proxy).
	secure bool
}

func (h *Handler) site(r *http.Request) (*site, error) {
	p, err := h.resolve(r.Context(), r.PathValue("pool"))
	if err != nil {
		return nil, err
	}
	issuer := p.Issuer()
	u, err := url.Parse(issuer)
	if err != nil {
		return nil, err
	}
	return &site{
		pool:       p,
		issuer:     issuer,
		cookiePath: u.Path + "/",
		secure:     r.TLS != nil || u.Scheme == "https",
	}, nil
}

// url returns the absolute URL of one of the pool's endpoints.
func (s *site) url(path string) string { return s.issuer + path }

// local returns the path of one of the pool's pages, with query q, for
// links and form actions.
func (s *site) local(path string, q url.Values) string {
	u := s.cookiePath[:len(s.cookiePath)-1] + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	return u
}

func (h *Handler) noPool(w http.ResponseWriter, err error) {
	if errors.Is(err, userpool.ErrResourceNotFound) {
		http.Error(w, "404 page not found", http.StatusNotFound)
		return
	}
	h.log.Error("oidc: resolve a pool", "err", err)
	http.Error(w, "internal error", http.StatusInternalServerError)
}
