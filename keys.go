package userpool

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/userpool/userpool/storage"
)

// Signing keys are generated on first use, kept in the store (PKCS #8 DER,
// sealed with the pool's secret key when it has one) and cached in memory
// with their go-jose signer built once. A pool has one active key that
// signs; RotateSigningKey retires it, and a retired key keeps verifying
// until every token it signed has expired (maxTokenValidity after its
// retirement, plus the leeway), after which it leaves the JWKS and the
// store.
//
// Cognito signs ID and access tokens with two different keys; a pool here
// signs both with its one active key (the store keeps one active key per
// pool). Verifiers look keys up by kid either way.

const sealSigningKey = "signing key"

// keyReloadInterval is the shortest time between two reloads caused by a
// token whose kid is unknown, so tokens with made-up kids cannot turn
// every verification into a store read.
const keyReloadInterval = time.Second

// signingKey is one parsed key of the pool.
type signingKey struct {
	kid    string
	alg    SigningAlgorithm
	public crypto.PublicKey
	jwk    jose.JSONWebKey // the public key as published
	priv   crypto.Signer
	signer jose.Signer // nil for a retired key
	verify verifyKey
	record storage.SigningKey
}

// keyring is an immutable snapshot of the pool's usable keys.
type keyring struct {
	active   *signingKey
	byKID    map[string]*signingKey
	jwks     jose.JSONWebKeySet
	loadedAt time.Time
}

// keyRetention is how long a retired key keeps verifying.
func (t *tokenState) keyRetention() time.Duration { return maxTokenValidity + t.leeway }

// activeKey returns the key that signs now, loading or creating it when
// the cache is empty or stale.
func (p *Pool) activeKey(ctx context.Context) (*signingKey, error) {
	now := p.now()
	if r := p.tokens.ring.Load(); r != nil && p.tokens.fresh(r.loadedAt, now) {
		return r.active, nil
	}
	r, err := p.reloadKeys(ctx, now, nil)
	if err != nil {
		return nil, err
	}
	return r.active, nil
}

// verificationKey returns the key with the given kid, or nil if the pool
// has no such usable key. An unknown kid reloads the keys (at most once per
// keyReloadInterval), so a key rotated by another instance is found.
func (p *Pool) verificationKey(ctx context.Context, kid string) (*signingKey, error) {
	now := p.now()
	r := p.tokens.ring.Load()
	if r != nil && p.tokens.fresh(r.loadedAt, now) {
		if k, ok := r.byKID[kid]; ok {
			return k, nil
		}
		if now.Sub(r.loadedAt) < keyReloadInterval && p.tokens.cacheTTL > 0 {
			return nil, nil
		}
	}
	r, err := p.reloadKeys(ctx, now, r)
	if err != nil {
		return nil, err
	}
	return r.byKID[kid], nil
}

// reloadKeys reads the pool's keys from the store and makes them the
// current snapshot, creating the active key if there is none or if it uses
// another algorithm than the pool's. seen is the snapshot the caller found
// wanting; if another goroutine replaced it meanwhile, that newer snapshot
// is used instead of reading again.
func (p *Pool) reloadKeys(ctx context.Context, now time.Time, seen *keyring) (*keyring, error) {
	t := p.tokens
	t.keyMu.Lock()
	defer t.keyMu.Unlock()
	if r := t.ring.Load(); r != nil && r != seen && p.tokens.fresh(r.loadedAt, now) {
		return r, nil
	}
	for range 5 {
		stored, err := p.store.SigningKeys(ctx, p.id)
		if err != nil {
			return nil, p.internal("read signing keys", err)
		}
		r, err := p.buildKeyring(ctx, stored, now)
		if err != nil {
			return nil, err
		}
		if r.active != nil && r.active.alg == t.alg {
			t.ring.Store(r)
			return r, nil
		}
		retire := ""
		if r.active != nil {
			retire = r.active.kid
		}
		if err := p.rotateKey(ctx, retire, now); err != nil && !errors.Is(err, storage.ErrConflict) {
			return nil, p.internal("store a signing key", err)
		}
		// On success or a lost race, read the keys again.
	}
	return nil, p.internal("create a signing key", errors.New("userpool: signing keys keep changing"))
}

// buildKeyring parses the stored keys, reusing keys already parsed, and
// deletes (best effort) retired keys nothing can need any more.
func (p *Pool) buildKeyring(ctx context.Context, stored []storage.SigningKey, now time.Time) (*keyring, error) {
	old := p.tokens.ring.Load()
	r := &keyring{byKID: map[string]*signingKey{}, loadedAt: now}
	for _, rec := range stored {
		retired := !rec.RetiredAt.IsZero()
		if retired && now.Sub(rec.RetiredAt) > p.tokens.keyRetention() {
			if err := p.store.DeleteSigningKey(ctx, p.id, rec.KID); err != nil && !errors.Is(err, storage.ErrNotFound) {
				p.log.Warn("userpool: delete expired signing key", "kid", rec.KID, "err", err)
			}
			continue
		}
		var k *signingKey
		if old != nil {
			if prev, ok := old.byKID[rec.KID]; ok && prev.record.RetiredAt.Equal(rec.RetiredAt) {
				k = prev
			}
		}
		if k == nil {
			var err error
			if k, err = p.parseKey(rec); err != nil {
				// An active key the pool cannot open (another secret key,
				// damaged bytes) is a misconfiguration to report, not to
				// rotate away: instances with different secret keys would
				// otherwise take turns replacing each other's keys.
				if !retired {
					return nil, p.internal("open the signing key", err)
				}
				p.log.Error("userpool: unusable retired signing key", "kid", rec.KID, "err", err)
				continue
			}
		}
		r.byKID[k.kid] = k
		r.jwks.Keys = append(r.jwks.Keys, k.jwk)
		if !retired {
			r.active = k
		}
	}
	return r, nil
}

// parseKey opens a stored key and builds its verifier and, when active,
// its signer.
func (p *Pool) parseKey(rec storage.SigningKey) (*signingKey, error) {
	der, err := p.sealer.open(sealSigningKey, rec.Private)
	if err != nil {
		return nil, err
	}
	parsed, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("userpool: signing key %s: %w", rec.KID, err)
	}
	priv, ok := parsed.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("userpool: signing key %s: %T cannot sign", rec.KID, parsed)
	}
	alg := SigningAlgorithm(rec.Algorithm)
	if err := keyFits(alg, priv.Public()); err != nil {
		return nil, fmt.Errorf("userpool: signing key %s: %w", rec.KID, err)
	}
	k := &signingKey{
		kid:    rec.KID,
		alg:    alg,
		public: priv.Public(),
		jwk:    jose.JSONWebKey{Key: priv.Public(), KeyID: rec.KID, Algorithm: string(alg), Use: "sig"},
		priv:   priv,
		verify: verifyKey{alg: jose.SignatureAlgorithm(alg), key: priv.Public()},
		record: rec,
	}
	if rec.RetiredAt.IsZero() {
		k.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.SignatureAlgorithm(alg), Key: jose.JSONWebKey{Key: priv, KeyID: rec.KID}}, nil)
		if err != nil {
			return nil, fmt.Errorf("userpool: signing key %s: %w", rec.KID, err)
		}
	}
	return k, nil
}

// keyFits checks that a public key is of the kind alg signs with.
func keyFits(alg SigningAlgorithm, pub crypto.PublicKey) error {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if alg == RS256 && k.N.BitLen() >= 2048 {
			return nil
		}
	case *ecdsa.PublicKey:
		if alg == ES256 && k.Curve == elliptic.P256() {
			return nil
		}
	case ed25519.PublicKey:
		if alg == EdDSA {
			return nil
		}
	}
	return fmt.Errorf("a %T is not a key for %s", pub, alg)
}

// rotateKey generates a key of the pool's algorithm and stores it as the
// active key in place of retire ("" when there is none). The store's
// compare-and-swap makes concurrent rotations produce one key: the loser
// gets storage.ErrConflict.
func (p *Pool) rotateKey(ctx context.Context, retire string, now time.Time) error {
	priv, err := generateKey(p.tokens.alg, p.random)
	if err != nil {
		return err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	jwk := jose.JSONWebKey{Key: priv.Public()}
	thumb, err := jwk.Thumbprint(crypto.SHA256)
	if err != nil {
		return err
	}
	sealed, err := p.sealer.seal(sealSigningKey, der)
	if err != nil {
		return err
	}
	return p.store.RotateSigningKey(ctx, retire, storage.SigningKey{
		PoolID:    p.id,
		KID:       base64.RawURLEncoding.EncodeToString(thumb), // RFC 7638 thumbprint
		Algorithm: string(p.tokens.alg),
		Private:   sealed,
		CreatedAt: now,
	})
}

func generateKey(alg SigningAlgorithm, random interface{ Read([]byte) (int, error) }) (crypto.Signer, error) {
	switch alg {
	case ES256:
		return ecdsa.GenerateKey(elliptic.P256(), random)
	case EdDSA:
		_, priv, err := ed25519.GenerateKey(random)
		return priv, err
	default:
		// Cognito's keys are RSA 2048.
		return rsa.GenerateKey(random, 2048)
	}
}

// RotateSigningKey makes a new key sign the pool's tokens from now on and
// returns its kid. The old key stays in the JWKS and keeps verifying until
// the tokens it signed have expired. Instances sharing the store pick the
// new key up within the cache TTL; until then they sign with the old key,
// whose tokens stay valid. Two instances rotating at once create one new
// key. Cognito rotates its keys itself; this has no API action.
func (p *Pool) RotateSigningKey(ctx context.Context) (string, error) {
	now := p.now()
	r, err := p.reloadKeys(ctx, now, p.tokens.ring.Load())
	if err != nil {
		return "", err
	}
	err = p.rotateKey(ctx, r.active.kid, now)
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		return "", p.internal("store a signing key", err)
	}
	r, err = p.reloadKeys(ctx, now, p.tokens.ring.Load())
	if err != nil {
		return "", err
	}
	return r.active.kid, nil
}
