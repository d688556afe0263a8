package cognitoapi

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	sigService   = "cognito-idp"
	amzDate      = "20060102T150405Z"
	// maxSkew is how far a signature's date may be from the clock, as AWS
	// allows.
	maxSkew = 15 * time.Minute
)

// The answers AWS gives to unsigned and badly signed calls.
var (
	errMissingToken = &apiError{code: "MissingAuthenticationTokenException", message: "Missing Authentication Token"}
	errUnrecognized = &apiError{code: "UnrecognizedClientException", message: "The security token included in the request is invalid."}
	errBadSignature = &apiError{code: "InvalidSignatureException", message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."}
)

func incomplete(format string, args ...any) error {
	return &apiError{code: "IncompleteSignatureException", message: fmt.Sprintf(format, args...)}
}

func invalidSignature(format string, args ...any) error {
	return &apiError{code: "InvalidSignatureException", message: fmt.Sprintf(format, args...)}
}

// authorize checks a request against its operation's authorization and
// returns the region of its signature's credential scope ("" when
// unsigned).
func (h *Handler) authorize(r *http.Request, body []byte, kind authKind) (string, error) {
	if kind != signed {
		return "", nil
	}
	if h.accessKey == "" {
		if !h.allowUnsigned {
			return "", errUnrecognized
		}
		if r.Header.Get("Origin") != "" {
			return "", &apiError{code: "MissingAuthenticationTokenException",
				message: "Unsigned administrative calls are not accepted from web pages (the request has an Origin header)"}
		}
		// Any signature is accepted; its region still names the region
		// of pools the call creates.
		if a, err := parseAuthorization(r.Header.Get("Authorization")); err == nil {
			return a.region, nil
		}
		return "", nil
	}
	a, err := h.verifySignature(r, body)
	if err != nil {
		return "", err
	}
	return a.region, nil
}

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	accessKey, date, region, service string
	signedHeaders                    string
	signature                        string
}

// parseAuthorization reads
// "AWS4-HMAC-SHA256 Credential=AKID/20260102/us-east-1/cognito-idp/aws4_request, SignedHeaders=a;b, Signature=hex".
func parseAuthorization(v string) (authorization, error) {
	var a authorization
	if v == "" {
		return a, errMissingToken
	}
	alg, rest, _ := strings.Cut(v, " ")
	if alg != sigAlgorithm {
		return a, incomplete("Authorization header must use %s, not %q", sigAlgorithm, alg)
	}
	params := map[string]string{}
	for part := range strings.SplitSeq(rest, ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			params[k] = val
		}
	}
	for _, k := range []string{"Credential", "SignedHeaders", "Signature"} {
		if params[k] == "" {
			return a, incomplete("Authorization header requires '%s' parameter.", k)
		}
	}
	cred := strings.Split(params["Credential"], "/")
	if len(cred) != 5 || cred[4] != "aws4_request" || cred[0] == "" {
		return a, incomplete("Credential must have the form <access key>/<date>/<region>/<service>/aws4_request")
	}
	a.accessKey, a.date, a.region, a.service = cred[0], cred[1], cred[2], cred[3]
	a.signedHeaders, a.signature = params["SignedHeaders"], params["Signature"]
	return a, nil
}

// mustSign are the headers a signature must cover: the host and date, and
// the target, without which a signed body could be replayed as another
// operation.
var mustSign = []string{"host", "x-amz-date", "x-amz-target"}

// unsignable are headers the SDK signer never signs, so a signature over
// them cannot be recomputed here.
var unsignable = []string{"authorization", "user-agent", "x-amzn-trace-id", "expect", "transfer-encoding"}

// verifySignature checks the request's SigV4 signature with the
// configured key pair: it rebuilds the request from the headers the client
// signed, signs it with the SDK's signer at the client's date over the
// actual body, and compares the signatures in constant time.
func (h *Handler) verifySignature(r *http.Request, body []byte) (authorization, error) {
	a, err := parseAuthorization(r.Header.Get("Authorization"))
	if err != nil {
		return a, err
	}
	if subtle.ConstantTimeCompare([]byte(a.accessKey), []byte(h.accessKey)) != 1 {
		return a, errUnrecognized
	}
	if a.service != sigService {
		return a, invalidSignature("Credential should be scoped to correct service: '%s'.", sigService)
	}
	signedList := strings.Split(a.signedHeaders, ";")
	if !slices.IsSorted(signedList) || len(slices.Compact(slices.Clone(signedList))) != len(signedList) ||
		strings.ToLower(a.signedHeaders) != a.signedHeaders {
		return a, incomplete("SignedHeaders must be sorted, lower-case header names")
	}
	for _, name := range mustSign {
		if !slices.Contains(signedList, name) {
			return a, incomplete("SignedHeaders must include %s", strings.Join(mustSign, ", "))
		}
	}
	date := r.Header.Get("X-Amz-Date")
	t, err := time.Parse(amzDate, date)
	if err != nil {
		return a, incomplete("X-Amz-Date %q is not a date of the form 20060102T150405Z", date)
	}
	if a.date != date[:8] {
		return a, invalidSignature("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s', from '%s'.", a.date, date[:8], date)
	}
	now := h.now().UTC()
	switch {
	case t.Before(now.Add(-maxSkew)):
		return a, invalidSignature("Signature expired: %s is now earlier than %s (%s - 15 min.)", date, now.Add(-maxSkew).Format(amzDate), now.Format(amzDate))
	case t.After(now.Add(maxSkew)):
		return a, invalidSignature("Signature not yet current: %s is still later than %s (%s + 15 min.)", date, now.Add(maxSkew).Format(amzDate), now.Format(amzDate))
	}

	clone := &http.Request{
		Method: r.Method,
		URL:    &url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery},
		Host:   r.Host,
		Header: http.Header{},
	}
	for _, name := range signedList {
		switch {
		case name == "host":
		case name == "content-length":
			clone.ContentLength = r.ContentLength
		case slices.Contains(unsignable, name):
			return a, errBadSignature
		default:
			values := r.Header.Values(name)
			if len(values) == 0 {
				return a, invalidSignature("Signed header %s is missing from the request", name)
			}
			clone.Header[http.CanonicalHeaderKey(name)] = values
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: h.accessKey, SecretAccessKey: h.secretKey}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, clone, hex.EncodeToString(sum[:]), sigService, a.region, t); err != nil {
		return a, errBadSignature
	}
	want, err := parseAuthorization(clone.Header.Get("Authorization"))
	if err != nil || want.signedHeaders != a.signedHeaders ||
		subtle.ConstantTimeCompare([]byte(want.signature), []byte(a.signature)) != 1 {
		return a, errBadSignature
	}
	return a, nil
}
