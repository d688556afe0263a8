package oidc

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// codeGrant is what an authorization code stands for: the sign-in it
// ends and everything the token request must match. It is stored with
// the pool's sessions under the hash of the code, so the store never
// holds a code that could be redeemed, and any instance can redeem it.
type codeGrant struct {
	ClientID      string   `json:"clientId"`
	RedirectURI   string   `json:"redirectUri"`
	Scopes        []string `json:"scopes"`
	Nonce         string   `json:"nonce,omitempty"`
	CodeChallenge string   `json:"codeChallenge,omitempty"`
	Sub           string   `json:"sub"`
	AuthTime      int64    `json:"authTime"`
}

// codeBytes is the entropy of an authorization code.
const codeBytes = 32

// codePattern is the form of the codes issueCode makes: anything else is
// refused before the store is asked.
var codePattern = regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`)

// codeID is the store key of a code. The prefix keeps codes apart from the
// sign-in sessions sharing the pool's session table.
func codeID(code string) string {
	sum := sha256.Sum256([]byte(code))
	return "oauth2-code:" + hex.EncodeToString(sum[:])
}

// issueCode stores g and returns a new code for it, valid for the
// handler's code lifetime by the pool's clock.
func (h *Handler) issueCode(ctx context.Context, p *userpool.Pool, g codeGrant) (string, error) {
	b := make([]byte, codeBytes)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	code := base64.RawURLEncoding.EncodeToString(b)
	data, err := json.Marshal(g)
	if err != nil {
		return "", err
	}
	err = p.Store().PutSession(ctx, storage.Session{
		PoolID: p.ID(), ID: codeID(code), Data: data, ExpiresAt: p.Now().Add(h.codeTTL),
	})
	if err != nil {
		return "", fmt.Errorf("oidc: store a code: %w", err)
	}
	return code, nil
}

// errBadCode is any code that cannot be redeemed: unknown, used, expired.
var errBadCode = errors.New("oidc: invalid authorization code")

// redeemCode consumes a code: of concurrent redemptions exactly one gets
// its grant (storage.Sessions.TakeSession), and a code is void once its
// lifetime has passed.
func redeemCode(ctx context.Context, p *userpool.Pool, code string) (codeGrant, error) {
	if !codePattern.MatchString(code) {
		return codeGrant{}, errBadCode
	}
	rec, err := p.Store().TakeSession(ctx, p.ID(), codeID(code), p.Now())
	if errors.Is(err, storage.ErrNotFound) {
		return codeGrant{}, errBadCode
	}
	if err != nil {
		return codeGrant{}, fmt.Errorf("oidc: redeem a code: %w", err)
	}
	var g codeGrant
	if err := json.Unmarshal(rec.Data, &g); err != nil {
		return codeGrant{}, fmt.Errorf("oidc: redeem a code: %w", err)
	}
	return g, nil
}

// verifierPattern is a PKCE code verifier (RFC 7636 §4.1).
var verifierPattern = regexp.MustCompile(`^[A-Za-z0-9._~-]{43,128}$`)

// pkceMatches reports whether verifier is the one whose S256 challenge is
// challenge, in constant time.
func pkceMatches(challenge, verifier string) bool {
	if !verifierPattern.MatchString(verifier) {
		return false
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}
