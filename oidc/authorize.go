package oidc

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// authzRequest is a validated authorization request (RFC 6749 §4.1.1 with
// PKCE, RFC 7636, and OpenID's nonce). The login pages carry it from page
// to page in their URLs' query, as Cognito's do, and check it again on
// every request: nothing about it is kept on the server until a code is
// issued.
type authzRequest struct {
	ClientID      string
	RedirectURI   string
	Scopes        []string
	State         string
	Nonce         string
	CodeChallenge string
	client        userpool.Client
}

// query returns the request as the query of the login pages' URLs.
func (a *authzRequest) query() url.Values {
	q := url.Values{
		"client_id":     {a.ClientID},
		"response_type": {"code"},
		"redirect_uri":  {a.RedirectURI},
		"scope":         {strings.Join(a.Scopes, " ")},
	}
	if a.State != "" {
		q.Set("state", a.State)
	}
	if a.Nonce != "" {
		q.Set("nonce", a.Nonce)
	}
	if a.CodeChallenge != "" {
		q.Set("code_challenge", a.CodeChallenge)
		q.Set("code_challenge_method", "S256")
	}
	return q
}

// authzError is a refused authorization request. Until the client and the
// redirect URI are known good (redirect false) the error is shown to the
// user; after, it goes back to the client at its redirect URI (RFC 6749
// §4.1.2.1), never to an unchecked address.
type authzError struct {
	redirect    bool
	code        string
	description string
}

func (e *authzError) Error() string { return e.code + ": " + e.description }

// Bounds of the request's strings: enough for any real client, small
// enough that the query cannot bloat the pages or the stored code.
const (
	maxStateLen = 2048
	maxNonceLen = 512
	maxScopeLen = 2048
)

// codeChallengePattern is an S256 challenge: base64url of 32 bytes.
var codeChallengePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// parseAuthz validates an authorization request from its query, in the
// order that decides where an error may go.
func parseAuthz(ctx context.Context, p *userpool.Pool, q url.Values) (*authzRequest, *authzError) {
	show := func(code, desc string) *authzError { return &authzError{code: code, description: desc} }
	back := func(code, desc string) *authzError { return &authzError{redirect: true, code: code, description: desc} }
	for _, name := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "nonce", "code_challenge", "code_challenge_method"} {
		if len(q[name]) > 1 {
			return nil, show("invalid_request", name+" is repeated")
		}
	}
	a := &authzRequest{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri")}
	if a.ClientID == "" {
		return nil, show("invalid_request", "client_id is missing")
	}
	c, err := p.DescribeClient(ctx, a.ClientID)
	if err != nil {
		if errors.Is(err, userpool.ErrResourceNotFound) || errors.Is(err, userpool.ErrInvalidParameter) {
			return nil, show("invalid_client", "unknown client")
		}
		return nil, show("server_error", "the client could not be read")
	}
	a.client = c
	if a.RedirectURI == "" {
		a.RedirectURI = c.DefaultRedirectURI
	}
	// Exact comparison (RFC 9700 §4.1.3): no prefix, no normalisation.
	if a.RedirectURI == "" || !slices.Contains(c.CallbackURLs, a.RedirectURI) {
		return nil, show("invalid_request", "redirect_mismatch: the redirect_uri is not a callback URL of the client")
	}
	// From here errors go back to the client, with its state.
	a.State = q.Get("state")
	if len(a.State) > maxStateLen {
		a.State = ""
		return a, back("invalid_request", "state is too long")
	}
	switch rt := q.Get("response_type"); {
	case rt == "":
		return a, back("invalid_request", "response_type is missing")
	case rt != "code":
		return a, back("unsupported_response_type", "only the code response type is supported")
	case !slices.Contains(c.AllowedOAuthFlows, "code"):
		return a, back("unauthorized_client", "the client may not use the authorization code grant")
	}
	scopes, aerr := grantScopes(ctx, p, c, q.Get("scope"))
	if aerr != nil {
		return a, aerr
	}
	a.Scopes = scopes
	a.Nonce = q.Get("nonce")
	if len(a.Nonce) > maxNonceLen {
		return a, back("invalid_request", "nonce is too long")
	}
	a.CodeChallenge = q.Get("code_challenge")
	method := q.Get("code_challenge_method")
	switch {
	case a.CodeChallenge == "" && method != "":
		return a, back("invalid_request", "code_challenge_method without code_challenge")
	case a.CodeChallenge == "" && c.Secret == "":
		// A public client cannot prove who redeems its code but by PKCE.
		return a, back("invalid_request", "code_challenge is required for public clients")
	case a.CodeChallenge != "" && method != "S256":
		return a, back("invalid_request", "code_challenge_method must be S256")
	case a.CodeChallenge != "" && !codeChallengePattern.MatchString(a.CodeChallenge):
		return a, back("invalid_request", "code_challenge is not an S256 challenge")
	}
	// The pages keep no sign-in between requests, so a request that
	// forbids showing them cannot succeed (OpenID Connect Core §3.1.2.6).
	if slices.Contains(strings.Fields(q.Get("prompt")), "none") {
		return a, back("login_required", "the user must sign in")
	}
	return a, nil
}

// grantScopes checks the requested scopes against the client's allowed
// ones and the pool's; no scope means every scope the client is allowed.
func grantScopes(ctx context.Context, p *userpool.Pool, c userpool.Client, requested string) ([]string, *authzError) {
	back := func(desc string) *authzError {
		return &authzError{redirect: true, code: "invalid_scope", description: desc}
	}
	if len(requested) > maxScopeLen {
		return nil, back("scope is too long")
	}
	known, err := p.OAuthScopes(ctx)
	if err != nil {
		return nil, &authzError{redirect: true, code: "server_error", description: "the scopes could not be read"}
	}
	var scopes []string
	for _, s := range strings.Fields(requested) {
		if !slices.Contains(scopes, s) {
			scopes = append(scopes, s)
		}
	}
	if len(scopes) == 0 {
		scopes = slices.DeleteFunc(slices.Clone(c.AllowedOAuthScopes), func(s string) bool { return !slices.Contains(known, s) })
	}
	if len(scopes) == 0 {
		return nil, back("the client is allowed no scope")
	}
	for _, s := range scopes {
		if !slices.Contains(c.AllowedOAuthScopes, s) || !slices.Contains(known, s) {
			return nil, back("scope " + s + " is not allowed for the client")
		}
	}
	// Cognito grants the OpenID attribute scopes only with openid.
	for _, s := range []string{userpool.ScopeEmail, userpool.ScopePhone, userpool.ScopeProfile} {
		if slices.Contains(scopes, s) && !slices.Contains(scopes, userpool.ScopeOpenID) {
			return nil, back("scope " + s + " requires openid")
		}
	}
	return scopes, nil
}

// authorize serves /oauth2/authorize: a valid request is sent on to the
// sign-in page with the same parameters; an invalid one is refused to the
// client or, when the client or redirect URI cannot be trusted, shown.
func (h *Handler) authorize(w http.ResponseWriter, r *http.Request, s *site) {
	a, aerr := parseAuthz(r.Context(), s.pool, r.URL.Query())
	if aerr != nil {
		h.authzFailed(w, r, s, a, aerr)
		return
	}
	http.Redirect(w, r, s.local(pathLogin, a.query()), http.StatusFound)
}

// authzFailed answers a refused authorization request.
func (h *Handler) authzFailed(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, aerr *authzError) {
	if !aerr.redirect || a == nil {
		h.render(w, r, s, http.StatusBadRequest, "error", &page{
			Title: "Something went wrong",
			Error: "The sign-in request is not valid (" + aerr.code + ": " + aerr.description + ").",
		})
		return
	}
	q := url.Values{"error": {aerr.code}, "error_description": {aerr.description}}
	if a.State != "" {
		q.Set("state", a.State)
	}
	http.Redirect(w, r, addQuery(a.RedirectURI, q), http.StatusFound)
}

// addQuery appends q to the query of a registered redirect URI, keeping
// the query it has.
func addQuery(uri string, q url.Values) string {
	sep := "?"
	if strings.Contains(uri, "?") {
		sep = "&"
	}
	return uri + sep + q.Encode()
}
