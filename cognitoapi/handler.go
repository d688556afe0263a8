package cognitoapi

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// targetPrefix starts every X-Amz-Target of the Cognito user-pool API.
const targetPrefix = "AWSCognitoIdentityProviderService."

// contentType is what Cognito answers with and expects.
const contentType = "application/x-amz-json-1.1"

// DefaultBodyLimit is the largest request body accepted unless
// WithBodyLimit says otherwise.
const DefaultBodyLimit = 1 << 20

// Handler serves Cognito's JSON API for every pool in one store. It is an
// http.Handler, safe for concurrent use; several Handlers (in one process
// or many) may share a store.
type Handler struct {
	store         storage.Store
	poolOpts      []userpool.Option
	accessKey     string
	secretKey     string
	allowUnsigned bool
	log           *slog.Logger
	maxBody       int64
	now           func() time.Time
	random        io.Reader
	region        string
	maxInFlight   int
	queueWait     time.Duration

	ops     map[string]operation
	pools   poolCache
	clients clientIndex
	slots   chan struct{}
	mux     *http.ServeMux
}

// New returns a Handler serving the pools kept in store.
func New(store storage.Store, opts ...Option) (*Handler, error) {
	if store == nil {
		return nil, errors.New("cognitoapi: store is nil")
	}
	h := &Handler{store: store, maxBody: DefaultBodyLimit, region: "us-east-1"}
	for _, opt := range opts {
		opt(h)
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.random == nil {
		h.random = rand.Reader
	} else {
		h.random = &lockedReader{r: h.random}
	}
	switch {
	case (h.accessKey == "") != (h.secretKey == ""):
		return nil, errors.New("cognitoapi: credentials need both an access key and a secret")
	case h.maxBody < 1:
		return nil, fmt.Errorf("cognitoapi: body limit %d is less than 1", h.maxBody)
	case h.maxInFlight < 0 || h.queueWait < 0:
		return nil, errors.New("cognitoapi: concurrency limit and queue wait cannot be negative")
	}
	if h.maxInFlight > 0 {
		h.slots = make(chan struct{}, h.maxInFlight)
	}
	h.ops = operations()
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("POST /", h.serveAPI)
	h.mux.HandleFunc("OPTIONS /", h.servePreflight)
	h.mux.HandleFunc("/", h.serveOther)
	// Per-pool OIDC documents (/{poolId}/.well-known/jwks.json and
	// openid-configuration) are registered here once pools publish keys.
	return h, nil
}

// ServeHTTP answers one request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// requestInfo is what an operation may need to know about its request.
type requestInfo struct {
	id     string
	region string // from the signature's credential scope, if any
}

type infoKey struct{}

func infoFrom(ctx context.Context) requestInfo {
	info, _ := ctx.Value(infoKey{}).(requestInfo)
	return info
}

// serveAPI runs one operation: content type, target, body, authorization,
// decoding, the operation itself, in that order, so the cheapest checks
// refuse a bad request first.
func (h *Handler) serveAPI(w http.ResponseWriter, r *http.Request) {
	start := h.now()
	info := requestInfo{id: h.requestID()}
	setCommonHeaders(w, info.id)
	opName := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), targetPrefix)
	status, code := http.StatusOK, ""
	defer func() {
		if p := recover(); p != nil {
			h.log.ErrorContext(r.Context(), "cognitoapi: panic", "op", opName, "requestId", info.id, "panic", fmt.Sprint(p))
			status, code = writeError(w, errInternal)
		}
		level := slog.LevelInfo
		if status >= 500 {
			level = slog.LevelError
		}
		h.log.LogAttrs(r.Context(), level, "request", slog.String("op", opName), slog.Int("status", status),
			slog.String("error", code), slog.String("requestId", info.id), slog.Duration("duration", h.now().Sub(start)))
	}()
	fail := func(err error) {
		var api *apiError
		if !errors.As(err, &api) && !isClientError(err) {
			h.log.ErrorContext(r.Context(), "cognitoapi: internal error", "op", opName, "requestId", info.id, "err", err)
		}
		status, code = writeError(w, err)
	}

	op, err := h.route(r)
	if err != nil {
		fail(err)
		return
	}
	body, err := readBody(w, r, h.maxBody)
	if err != nil {
		fail(err)
		return
	}
	if info.region, err = h.authorize(r, body, op.auth); err != nil {
		fail(err)
		return
	}
	release, err := h.acquire(r.Context())
	if err != nil {
		fail(err)
		return
	}
	defer release()
	out, err := op.handle(context.WithValue(r.Context(), infoKey{}, info), h, body)
	if err != nil {
		fail(err)
		return
	}
	if err := writeJSON(w, http.StatusOK, out); err != nil {
		h.log.WarnContext(r.Context(), "cognitoapi: write response", "requestId", info.id, "err", err)
	}
}

// route checks the content type and finds the operation named by
// X-Amz-Target.
func (h *Handler) route(r *http.Request) (operation, error) {
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != contentType && mt != "application/x-amz-json-1.0") {
		return operation{}, &apiError{code: "UnknownOperationException",
			message: fmt.Sprintf("Content-Type %q is not supported: send %s", ct, contentType)}
	}
	target := r.Header.Get("X-Amz-Target")
	if target == "" {
		return operation{}, &apiError{code: "UnknownOperationException", message: "Missing X-Amz-Target header: expected " + targetPrefix + "<Operation>"}
	}
	name, ok := strings.CutPrefix(target, targetPrefix)
	if !ok {
		return operation{}, &apiError{code: "UnknownOperationException", message: fmt.Sprintf("Unknown target %q: expected %s<Operation>", target, targetPrefix)}
	}
	op, ok := h.ops[name]
	if !ok {
		return operation{}, &apiError{code: "UnknownOperationException", message: fmt.Sprintf("Operation %q is not supported", name)}
	}
	return op, nil
}

// readBody reads the whole body, refusing one over limit.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, tooLarge(limit)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return nil, tooLarge(limit)
	}
	if err != nil {
		return nil, &apiError{code: "SerializationException", message: "Could not read the request body: " + err.Error()}
	}
	return body, nil
}

func tooLarge(limit int64) error {
	return &apiError{status: http.StatusRequestEntityTooLarge, code: "RequestEntityTooLargeException",
		message: fmt.Sprintf("Request body is larger than %d bytes", limit)}
}

// acquire takes a slot of the concurrency limit, waiting at most queueWait.
func (h *Handler) acquire(ctx context.Context) (release func(), err error) {
	if h.slots == nil {
		return func() {}, nil
	}
	release = func() { <-h.slots }
	select {
	case h.slots <- struct{}{}:
		return release, nil
	default:
	}
	if h.queueWait > 0 {
		t := time.NewTimer(h.queueWait)
		defer t.Stop()
		select {
		case h.slots <- struct{}{}:
			return release, nil
		case <-t.C:
		case <-ctx.Done():
		}
	}
	return nil, userpool.ErrTooManyRequests.With("Too many requests")
}

// requestID returns a random UUID (version 4 form) for x-amzn-RequestId.
func (h *Handler) requestID() string {
	var b [16]byte
	if _, err := io.ReadFull(h.random, b[:]); err != nil {
		return "00000000-0000-4000-8000-000000000000"
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// exposedHeaders are the response headers browsers may read, as Cognito
// exposes them.
const exposedHeaders = "x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date"

func setCommonHeaders(w http.ResponseWriter, requestID string) {
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("x-amzn-RequestId", requestID)
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Expose-Headers", exposedHeaders)
}

// servePreflight answers CORS preflights, so browser clients
// (amazon-cognito-identity-js, Amplify) can call the API as they call
// Cognito. Allowing any origin grants nothing: admin calls need a
// signature, and unsigned admin calls are refused when they carry an
// Origin (see AllowUnsignedAdmin).
func (h *Handler) servePreflight(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	hd.Set("Access-Control-Allow-Origin", "*")
	hd.Set("Access-Control-Allow-Methods", "POST, OPTIONS")
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		hd.Set("Access-Control-Allow-Headers", req)
	}
	hd.Set("Access-Control-Expose-Headers", exposedHeaders)
	hd.Set("Access-Control-Max-Age", "86400")
	w.WriteHeader(http.StatusNoContent)
}

// serveOther answers any other method or path with a JSON error.
func (h *Handler) serveOther(w http.ResponseWriter, r *http.Request) {
	setCommonHeaders(w, h.requestID())
	w.Header().Set("Allow", "POST, OPTIONS")
	writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: "UnknownOperationException",
		message: fmt.Sprintf("%s %s is not an operation: Cognito's API takes POST with X-Amz-Target", r.Method, r.URL.Path)})
}

// lockedReader serialises reads of a caller's random source, which need
// not be safe for concurrent use (crypto/rand's is).
type lockedReader struct {
	mu sync.Mutex
	r  io.Reader
}

func (l *lockedReader) Read(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.r.Read(p)
}
