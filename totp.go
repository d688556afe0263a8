package userpool

// TOTP software tokens (RFC 6238): the secrets AssociateSoftwareToken
// hands out, the codes VerifySoftwareToken and the SOFTWARE_TOKEN_MFA
// challenge accept, and the per-user state that keeps a code from being
// accepted twice.
//
// Codes are what every authenticator app produces by default: HMAC-SHA1,
// 30-second steps, 6 digits. A code is accepted for the current step and
// one step either side (clock drift of up to 30 s between the phone and the
// pool), and only for a step later than the last one accepted for the
// user: pquerna/otp's Validate accepts the same code as long as it is
// current, so the pool keeps the last accepted step (storage.UserMFA.
// TOTPLastStep) and refuses anything at or before it.

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/base32"
	"errors"
	"fmt"
	"image/png"
	"io"
	"slices"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/userpool/userpool/storage"
)

const (
	// totpSecretLen is the secret's length in bytes: 160 bits, RFC 4226's
	// recommendation, which base32 writes as 32 characters, the length of
	// Cognito's SecretCode.
	totpSecretLen = 20
	totpPeriod    = 30
	totpSkew      = 1 // steps accepted either side of the current one
	totpDigits    = otp.DigitsSix
	// totpMaxDeviceName bounds FriendlyDeviceName.
	totpMaxDeviceName = 256
	// sealTOTPSecret is the sealing purpose of TOTP secrets.
	sealTOTPSecret = "totp secret"
)

var totpBase32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// totpOpts are the code parameters authenticator apps assume.
var totpOpts = totp.ValidateOpts{Period: totpPeriod, Digits: totpDigits, Algorithm: otp.AlgorithmSHA1}

// totpNewSecret returns a fresh secret from the pool's random source, in
// base32 without padding (Cognito's SecretCode form).
func (p *Pool) totpNewSecret() (string, error) {
	raw := make([]byte, totpSecretLen)
	if _, err := io.ReadFull(p.random, raw); err != nil {
		return "", fmt.Errorf("userpool: random source: %w", err)
	}
	return totpBase32.EncodeToString(raw), nil
}

// totpKey returns the otpauth:// key of secret for account, with issuer
// (the pool's name) as the label's prefix and issuer parameter, so an
// authenticator app lists it as "issuer (account)".
func totpKey(issuer, account, secret string) (*otp.Key, error) {
	raw, err := totpBase32.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("userpool: totp secret: %w", err)
	}
	return totp.Generate(totp.GenerateOpts{
		Issuer:      issuer,
		AccountName: account,
		Period:      totpPeriod,
		Secret:      raw,
		Digits:      totpDigits,
		Algorithm:   otp.AlgorithmSHA1,
	})
}

// totpQRCode returns a PNG of the key's otpauth:// URI as a QR code, size
// pixels square, for a page that lets the user scan it.
func totpQRCode(key *otp.Key, size int) ([]byte, error) {
	img, err := key.Image(size, size)
	if err != nil {
		return nil, fmt.Errorf("userpool: totp qr code: %w", err)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("userpool: totp qr code: %w", err)
	}
	return buf.Bytes(), nil
}

// totpValidate reports whether code is secret's code for one of the steps
// around now (the current one and totpSkew either side) later than
// lastStep, and returns the latest such step, which the caller stores as
// the user's new last step. A code that is not exactly six ASCII digits
// never matches. Every candidate is computed and compared in constant
// time, so the time taken says nothing of which step matched.
func totpValidate(secret, code string, now time.Time, lastStep int64) (step int64, ok bool) {
	if len(code) != totpDigits.Length() {
		return 0, false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return 0, false
		}
	}
	current := now.Unix() / totpPeriod
	if now.Unix() < 0 {
		return 0, false // before 1970: no pool clock is
	}
	for s := current - totpSkew; s <= current+totpSkew; s++ {
		if s <= lastStep || s < 0 {
			continue
		}
		want, err := totp.GenerateCodeCustom(secret, time.Unix(s*totpPeriod, 0), totpOpts)
		if err != nil {
			return 0, false
		}
		if subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			step, ok = s, true // keep the latest: a code equal for two steps spends both
		}
	}
	return step, ok
}

// totpSeal seals a secret for the store (encrypted when the pool has a
// secret key).
func (p *Pool) totpSeal(secret string) ([]byte, error) {
	return p.sealer.seal(sealTOTPSecret, []byte(secret))
}

// totpOpen returns a secret sealed by totpSeal. A secret written before
// the pool had a secret key is still read, with reseal set so the caller
// seals it on its next write (a store writer who could plant one could as
// well turn the user's MFA off).
func (p *Pool) totpOpen(sealed []byte) (secret string, reseal bool, err error) {
	raw, reseal, err := p.sealer.openOrMigrate(sealTOTPSecret, sealed)
	if err != nil {
		return "", false, err
	}
	return string(raw), reseal, nil
}

// totpEnabled reports whether the pool offers software tokens.
func (p *Pool) totpEnabled() bool {
	return p.cfg.MFA.Mode != MFAOff && slices.Contains(p.cfg.MFA.Factors, FactorTOTP)
}

// totpAssociate is the core of AssociateSoftwareToken for the user with
// sub: it draws a new secret, keeps it sealed as the user's pending
// secret (replacing any earlier pending one; a verified token stays in
// force until the new one is verified) and returns it.
// SoftwareTokenMFANotFound when the pool offers no software tokens;
// ConcurrentModification when the user changed meanwhile.
func (p *Pool) totpAssociate(ctx context.Context, sub string) (string, error) {
	if !p.totpEnabled() {
		return "", ErrSoftwareTokenMFANotFound.With("Software Token MFA has not been enabled by the userPool")
	}
	u, err := p.store.GetUser(ctx, p.id, sub)
	if errors.Is(err, storage.ErrNotFound) {
		return "", ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return "", p.internal("associate a software token", err)
	}
	secret, err := p.totpNewSecret()
	if err != nil {
		return "", p.internal("associate a software token", err)
	}
	sealed, err := p.totpSeal(secret)
	if err != nil {
		return "", p.internal("associate a software token", err)
	}
	u.MFA.PendingTOTPSecret = sealed
	u.UpdatedAt = p.now()
	err = p.store.UpdateUsers(ctx, u)
	switch {
	case errors.Is(err, storage.ErrConflict):
		return "", ErrConcurrentModification.With("The user was modified concurrently; try again.")
	case errors.Is(err, storage.ErrNotFound):
		return "", ErrUserNotFound.With("User does not exist.")
	case err != nil:
		return "", p.internal("associate a software token", err)
	}
	return secret, nil
}

// totpVerifyPending is the core of VerifySoftwareToken for the user with
// sub: code must be a fresh code of the pending secret. It then becomes
// the user's verified secret, named friendlyName, and the code's step the
// last accepted one. It does not make TOTP enabled or preferred (that is
// SetUserMFAPreference's job, as in Cognito). A wrong code gives
// EnableSoftwareTokenMFA "Code mismatch and fail enable Software Token MFA".
func (p *Pool) totpVerifyPending(ctx context.Context, sub, code, friendlyName string) error {
	if len(friendlyName) > totpMaxDeviceName {
		return ErrInvalidParameter.With("FriendlyDeviceName must be at most %d characters long.", totpMaxDeviceName)
	}
	return p.totpAccept(ctx, sub, code, true, func(u *storage.User, step int64) {
		u.MFA.TOTPSecret, u.MFA.PendingTOTPSecret = u.MFA.PendingTOTPSecret, nil
		u.MFA.TOTPDeviceName = friendlyName
	})
}

// totpCheck is the core of the SOFTWARE_TOKEN_MFA challenge: code must be
// a fresh code of the user's verified secret. A wrong or reused code gives
// CodeMismatch "Invalid code received for user".
func (p *Pool) totpCheck(ctx context.Context, sub, code string) error {
	return p.totpAccept(ctx, sub, code, false, func(*storage.User, int64) {})
}

// totpAccept validates code against the user's pending (or verified)
// secret and, if it matches a step after the last accepted one, stores
// that step with change applied, all under the user's version: of
// concurrent submissions of one code, exactly one is accepted, the others
// see the new last step when they retry and are refused.
func (p *Pool) totpAccept(ctx context.Context, sub, code string, pending bool, change func(*storage.User, int64)) error {
	mismatch := ErrCodeMismatch.With("Invalid code received for user")
	what := "verify a software token code"
	if pending {
		mismatch = ErrEnableSoftwareTokenMFA.With("Code mismatch and fail enable Software Token MFA")
		what = "verify a software token"
	}
	for {
		u, err := p.store.GetUser(ctx, p.id, sub)
		if errors.Is(err, storage.ErrNotFound) {
			return ErrUserNotFound.With("User does not exist.")
		}
		if err != nil {
			return p.internal(what, err)
		}
		sealed := u.MFA.TOTPSecret
		if pending {
			sealed = u.MFA.PendingTOTPSecret
		}
		if len(sealed) == 0 {
			return ErrSoftwareTokenMFANotFound.With("User has not set up software token mfa")
		}
		secret, reseal, err := p.totpOpen(sealed)
		if err != nil {
			return p.internal(what, err)
		}
		// A pending secret has never had a code accepted: the last step
		// of the previous secret does not apply to it (a user who signed
		// in with the old token and verifies the new one in the same 30
		// seconds is not refused). Its accepted step is then stored, so
		// the verification code cannot answer a challenge afterwards.
		last := u.MFA.TOTPLastStep
		if pending {
			last = 0
		}
		step, ok := totpValidate(secret, code, p.now(), last)
		if !ok {
			return mismatch
		}
		change(&u, step)
		u.MFA.TOTPLastStep = step
		if reseal { // change put the opened secret in TOTPSecret if it was pending
			if u.MFA.TOTPSecret, err = p.totpSeal(secret); err != nil {
				return p.internal(what, err)
			}
		}
		u.UpdatedAt = p.now()
		err = p.store.UpdateUsers(ctx, u)
		if errors.Is(err, storage.ErrConflict) {
			if err := ctx.Err(); err != nil {
				return err
			}
			continue // changed meanwhile: validate again against the new state
		}
		if errors.Is(err, storage.ErrNotFound) {
			return ErrUserNotFound.With("User does not exist.")
		}
		if err != nil {
			return p.internal(what, err)
		}
		return nil
	}
}
