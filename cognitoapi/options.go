package cognitoapi

import (
	"io"
	"log/slog"
	"time"

	"github.com/userpool/userpool"
)

// Option configures a Handler in New.
type Option func(*Handler)

// WithCredentials sets the AWS key pair that signed (administrative) calls
// must be signed with.
func WithCredentials(accessKey, secret string) Option {
	return func(h *Handler) { h.accessKey, h.secretKey = accessKey, secret }
}

// AllowUnsignedAdmin accepts administrative calls without checking their
// signature when no key pair is configured. Anyone who can reach the
// handler can then manage every pool: use it only on a loopback address.
// Even so, calls that carry an Origin header (made by a web page) are
// refused, so a page open in the developer's browser cannot drive the API.
func AllowUnsignedAdmin() Option {
	return func(h *Handler) { h.allowUnsigned = true }
}

// WithPoolOptions adds options applied to every pool the Handler creates or
// opens, after the pool's stored configuration: the sender, clock, logger,
// secret key, password hashing, issuer base URL.
func WithPoolOptions(opts ...userpool.Option) Option {
	return func(h *Handler) { h.poolOpts = append(h.poolOpts, opts...) }
}

// WithLogger sets the Handler's logger (slog.Default() by default). Every
// request is logged with its operation, status and request id.
func WithLogger(l *slog.Logger) Option {
	return func(h *Handler) { h.log = l }
}

// WithBodyLimit sets the largest request body accepted, 1 MiB by default.
func WithBodyLimit(n int64) Option {
	return func(h *Handler) { h.maxBody = n }
}

// WithClock sets the clock that signature dates are checked against
// (time.Now by default).
func WithClock(now func() time.Time) Option {
	return func(h *Handler) { h.now = now }
}

// WithRandom sets the source of pool ids and request ids (crypto/rand by
// default). Only tests should set it.
func WithRandom(r io.Reader) Option {
	return func(h *Handler) { h.random = r }
}

// WithRegion sets the region of pools created by unsigned calls
// (us-east-1 by default). Signed calls create pools in the region of their
// signature's credential scope, as Cognito's regional endpoints do.
func WithRegion(region string) Option {
	return func(h *Handler) { h.region = region }
}

// WithConcurrencyLimit runs at most n operations at once; a request that
// finds no free slot within wait is refused with TooManyRequestsException.
// Zero n (the default) means no limit.
func WithConcurrencyLimit(n int, wait time.Duration) Option {
	return func(h *Handler) { h.maxInFlight, h.queueWait = n, wait }
}
