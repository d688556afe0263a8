package userpool

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"math/rand/v2"
	"net/url"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/userpool/userpool/storage"
)

func TestTOTPNewSecret(t *testing.T) {
	p := newSRPTestPool(t, nil, time.Now)
	seen := map[string]bool{}
	for range 20 {
		s, err := p.totpNewSecret()
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`^[A-Z2-7]{32}$`).MatchString(s) {
			t.Errorf("secret %q is not 32 base32 characters", s)
		}
		if raw, err := totpBase32.DecodeString(s); err != nil || len(raw) != totpSecretLen {
			t.Errorf("secret %q decodes to %d bytes, %v", s, len(raw), err)
		}
		if seen[s] {
			t.Errorf("secret %q drawn twice", s)
		}
		seen[s] = true
	}
}

func TestTOTPKeyURIAndQRCode(t *testing.T) {
	secret := "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
	key, err := totpKey("My Shop", "ana@example.com", secret)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(key.URL())
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	for field, pair := range map[string][2]string{
		"scheme":    {u.Scheme, "otpauth"},
		"host":      {u.Host, "totp"},
		"label":     {u.Path, "/My Shop:ana@example.com"},
		"issuer":    {q.Get("issuer"), "My Shop"},
		"secret":    {q.Get("secret"), secret},
		"period":    {q.Get("period"), "30"},
		"digits":    {q.Get("digits"), "6"},
		"algorithm": {q.Get("algorithm"), "SHA1"},
	} {
		if pair[0] != pair[1] {
			t.Errorf("%s: got %q, want %q", field, pair[0], pair[1])
		}
	}
	if key.Issuer() != "My Shop" || key.AccountName() != "ana@example.com" || key.Secret() != secret {
		t.Errorf("key reads back as %q %q %q", key.Issuer(), key.AccountName(), key.Secret())
	}

	img, err := totpQRCode(key, 256)
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := png.Decode(bytes.NewReader(img))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	if b := decoded.Bounds(); b.Dx() != 256 || b.Dy() != 256 {
		t.Errorf("QR code is %v, want 256x256", b)
	}
	if _, err := totpKey("i", "a", "not base32!"); err == nil {
		t.Error("key of a bad secret: no error")
	}
}

// TestTOTPValidate: RFC 6238's SHA-1 vectors, the ±1 step window, reuse
// and code format.
func TestTOTPValidate(t *testing.T) {
	// RFC 6238 appendix B: the ASCII secret "12345678901234567890".
	secret := totpBase32.EncodeToString([]byte("12345678901234567890"))
	at := func(unix int64) time.Time { return time.Unix(unix, 0) }
	code := func(step int64) string {
		c, err := totp.GenerateCodeCustom(secret, at(step*totpPeriod), totpOpts)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	now := at(1111111109) // step 37037036, code 081804
	cur := now.Unix() / totpPeriod
	tests := []struct {
		name     string
		code     string
		now      time.Time
		last     int64
		wantStep int64
		wantOK   bool
	}{
		{"RFC 6238 T=59", "287082", at(59), 0, 1, true},
		{"RFC 6238 T=1111111109", "081804", now, 0, cur, true},
		{"RFC 6238 T=1234567890", "005924", at(1234567890), 0, 1234567890 / 30, true},
		{"previous step", code(cur - 1), now, 0, cur - 1, true},
		{"next step", code(cur + 1), now, 0, cur + 1, true},
		{"two steps back", code(cur - 2), now, 0, 0, false},
		{"two steps ahead", code(cur + 2), now, 0, 0, false},
		{"first second of a step", code(cur - 1), at(cur * totpPeriod), 0, cur - 1, true},
		{"last second of a step", code(cur + 1), at(cur*totpPeriod + 29), 0, cur + 1, true},
		{"one second past the window", code(cur - 1), at((cur + 1) * totpPeriod), 0, 0, false},
		{"reused: same step", "081804", now, cur, 0, false},
		{"reused: an earlier step after a later one", code(cur - 1), now, cur, 0, false},
		{"after the last step", code(cur + 1), now, cur, cur + 1, true},
		{"wrong code", "000000", now, 0, 0, false},
		{"five digits", "81804", now, 0, 0, false},
		{"seven digits", "0081804", now, 0, 0, false},
		{"eight-digit RFC code", "07081804", now, 0, 0, false},
		{"space", " 81804", now, 0, 0, false},
		{"sign", "+81804", now, 0, 0, false},
		{"letters", "08180a", now, 0, 0, false},
		{"full-width digits", "０８１８０４", now, 0, 0, false},
		{"empty", "", now, 0, 0, false},
		{"before 1970", "000000", at(-100), 0, 0, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			step, ok := totpValidate(secret, tc.code, tc.now, tc.last)
			if ok != tc.wantOK || step != tc.wantStep {
				t.Errorf("got step %d, %v; want %d, %v", step, ok, tc.wantStep, tc.wantOK)
			}
		})
	}
	if _, ok := totpValidate("not base32!", "000000", now, 0); ok {
		t.Error("bad secret accepted")
	}
}

func newTOTPTestPool(t *testing.T, secretKey []byte, clock *srpTestClock, opts ...Option) (*Pool, string) {
	t.Helper()
	p := newSRPTestPool(t, secretKey, clock.now, append([]Option{WithMFA(MFAOptional, FactorTOTP)}, opts...)...)
	sub := "0f9e8d7c-6b5a-4493-a281-706f5e4d3c2b"
	err := p.store.CreateUser(context.Background(), storage.User{
		PoolID: p.id, Sub: sub, Username: "ana",
		Logins: []storage.Login{{Name: "username", Key: "ana"}},
		Status: "CONFIRMED", Enabled: true, CreatedAt: clock.now(), UpdatedAt: clock.now(),
	})
	if err != nil {
		t.Fatal(err)
	}
	return p, sub
}

func totpCode(t *testing.T, secret string, now time.Time) string {
	t.Helper()
	c, err := totp.GenerateCodeCustom(secret, now, totpOpts)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestTOTPAssociateAndVerify(t *testing.T) {
	ctx := context.Background()
	for _, secretKey := range [][]byte{nil, bytes.Repeat([]byte{1}, 32)} {
		clock := &srpTestClock{t: time.Date(2024, 11, 5, 9, 3, 4, 0, time.UTC)}
		p, sub := newTOTPTestPool(t, secretKey, clock)

		secret, err := p.totpAssociate(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := p.store.GetUser(ctx, p.id, sub)
		if len(u.MFA.PendingTOTPSecret) == 0 || u.MFA.TOTPSecret != nil {
			t.Fatalf("after associate: %+v", u.MFA)
		}
		if secretKey != nil && bytes.Contains(u.MFA.PendingTOTPSecret, []byte(secret)) {
			t.Error("TOTP secret stored in the clear despite the secret key")
		}

		var e *Error
		err = p.totpVerifyPending(ctx, sub, "000000", "phone")
		if !errors.Is(err, ErrEnableSoftwareTokenMFA) || !errors.As(err, &e) || e.Message != "Code mismatch and fail enable Software Token MFA" {
			t.Errorf("wrong code: got %v", err)
		}
		code := totpCode(t, secret, clock.now())
		if err := p.totpVerifyPending(ctx, sub, code, "Ana's phone"); err != nil {
			t.Fatalf("verify: %v", err)
		}
		u, _ = p.store.GetUser(ctx, p.id, sub)
		if u.MFA.PendingTOTPSecret != nil || u.MFA.TOTPDeviceName != "Ana's phone" || u.MFA.TOTPLastStep != clock.now().Unix()/30 {
			t.Errorf("after verify: %+v", u.MFA)
		}
		if got, _, err := p.totpOpen(u.MFA.TOTPSecret); err != nil || got != secret {
			t.Errorf("stored secret opens to %q, %v", got, err)
		}
		if len(u.MFA.Enabled) != 0 || u.MFA.Preferred != "" {
			t.Errorf("verify changed the preferences: %+v", u.MFA)
		}

		// The code that verified the token cannot answer a challenge.
		err = p.totpCheck(ctx, sub, code)
		if !errors.Is(err, ErrCodeMismatch) || !errors.As(err, &e) || e.Message != "Invalid code received for user" {
			t.Errorf("verification code reused: got %v", err)
		}
		clock.add(30 * time.Second)
		next := totpCode(t, secret, clock.now())
		if err := p.totpCheck(ctx, sub, next); err != nil {
			t.Errorf("next code: %v", err)
		}
		if err := p.totpCheck(ctx, sub, next); !errors.Is(err, ErrCodeMismatch) {
			t.Errorf("next code reused: got %v", err)
		}
		// A code one step ahead (a phone clock running fast) is accepted,
		// and then the current one, being earlier, is not.
		ahead := totpCode(t, secret, clock.now().Add(30*time.Second))
		clock.add(time.Second)
		if err := p.totpCheck(ctx, sub, ahead); err != nil {
			t.Errorf("code one step ahead: %v", err)
		}
		if err := p.totpCheck(ctx, sub, totpCode(t, secret, clock.now())); !errors.Is(err, ErrCodeMismatch) {
			t.Errorf("code of a step before the last accepted: got %v", err)
		}

		// Associating again leaves the verified token in force until the
		// new one is verified.
		clock.add(time.Minute)
		secret2, err := p.totpAssociate(ctx, sub)
		if err != nil {
			t.Fatal(err)
		}
		if err := p.totpCheck(ctx, sub, totpCode(t, secret, clock.now())); err != nil {
			t.Errorf("old token while a new one is pending: %v", err)
		}
		// ... and the new one can be verified in the same step.
		if err := p.totpVerifyPending(ctx, sub, totpCode(t, secret2, clock.now()), ""); err != nil {
			t.Errorf("verify the new token: %v", err)
		}
	}
}

func TestTOTPRefusals(t *testing.T) {
	ctx := context.Background()
	clock := &srpTestClock{t: time.Date(2024, 11, 5, 9, 3, 4, 0, time.UTC)}

	off := newSRPTestPool(t, nil, clock.now)
	if _, err := off.totpAssociate(ctx, "x"); !errors.Is(err, ErrSoftwareTokenMFANotFound) {
		t.Errorf("pool without TOTP: got %v", err)
	}
	smsOnly := newSRPTestPool(t, nil, clock.now, WithMFA(MFAOptional, FactorSMS), WithAutoVerifiedAttributes("phone_number"))
	if _, err := smsOnly.totpAssociate(ctx, "x"); !errors.Is(err, ErrSoftwareTokenMFANotFound) {
		t.Errorf("pool with SMS MFA only: got %v", err)
	}

	p, sub := newTOTPTestPool(t, nil, clock)
	if _, err := p.totpAssociate(ctx, "nobody"); !errors.Is(err, ErrUserNotFound) {
		t.Errorf("unknown user: got %v", err)
	}
	if err := p.totpCheck(ctx, sub, "123456"); !errors.Is(err, ErrSoftwareTokenMFANotFound) {
		t.Errorf("challenge without a token: got %v", err)
	}
	if err := p.totpVerifyPending(ctx, sub, "123456", ""); !errors.Is(err, ErrSoftwareTokenMFANotFound) {
		t.Errorf("verify without associate: got %v", err)
	}
	long := string(bytes.Repeat([]byte{'x'}, totpMaxDeviceName+1))
	if err := p.totpVerifyPending(ctx, sub, "123456", long); !errors.Is(err, ErrInvalidParameter) {
		t.Errorf("long device name: got %v", err)
	}
	before, _ := p.store.GetUser(ctx, p.id, sub)
	if before.Version != 1 {
		t.Errorf("refusals changed the user: version %d", before.Version)
	}
}

// TestTOTPSingleUse: 50 parallel submissions of the right code give
// exactly one success.
func TestTOTPSingleUse(t *testing.T) {
	ctx := context.Background()
	clock := &srpTestClock{t: time.Date(2024, 11, 5, 9, 3, 4, 0, time.UTC)}
	p, sub := newTOTPTestPool(t, bytes.Repeat([]byte{2}, 32), clock)
	secret, err := p.totpAssociate(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.totpVerifyPending(ctx, sub, totpCode(t, secret, clock.now()), ""); err != nil {
		t.Fatal(err)
	}
	clock.add(30 * time.Second)
	code := totpCode(t, secret, clock.now())
	var ok, mismatch atomic.Int32
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			switch err := p.totpCheck(ctx, sub, code); {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, ErrCodeMismatch):
				mismatch.Add(1)
			default:
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	wg.Wait()
	if ok.Load() != 1 || mismatch.Load() != 49 {
		t.Errorf("got %d successes and %d mismatches, want 1 and 49", ok.Load(), mismatch.Load())
	}
}

func FuzzTOTPValidate(f *testing.F) {
	secret := totpBase32.EncodeToString([]byte("12345678901234567890"))
	now := time.Unix(1111111109, 0)
	for _, s := range []string{"081804", "000000", "", "12345", "１２３４５６", "+12345", "0818040"} {
		f.Add(s, int64(0))
	}
	f.Fuzz(func(t *testing.T, code string, last int64) {
		step, ok := totpValidate(secret, code, now, last)
		if !ok {
			return
		}
		if step <= last || step < now.Unix()/30-1 || step > now.Unix()/30+1 {
			t.Fatalf("accepted step %d (last %d)", step, last)
		}
		if want := totpCode(t, secret, time.Unix(step*30, 0)); want != code {
			t.Fatalf("accepted %q for step %d, whose code is %q", code, step, want)
		}
	})
}

// TestTOTPAndSRPKeyAdded: secrets and verifiers written before the pool
// had a secret key still work once it has one, and a TOTP secret is
// sealed at its next accepted code.
func TestTOTPAndSRPKeyAdded(t *testing.T) {
	ctx := context.Background()
	clock := &srpTestClock{t: time.Date(2024, 11, 5, 9, 3, 4, 0, time.UTC)}
	before, sub := newTOTPTestPool(t, nil, clock)
	secret, err := before.totpAssociate(ctx, sub)
	if err != nil {
		t.Fatal(err)
	}
	if err := before.totpVerifyPending(ctx, sub, totpCode(t, secret, clock.now()), ""); err != nil {
		t.Fatal(err)
	}
	rec, err := before.srpVerifierFor(ctx, "ana", "pw")
	if err != nil {
		t.Fatal(err)
	}

	after := newSRPTestPool(t, bytes.Repeat([]byte{6}, 32), clock.now, WithStore(before.store), WithMFA(MFAOptional, FactorTOTP))
	if after.id != before.id {
		t.Fatalf("pool ids differ: %s, %s", after.id, before.id)
	}
	if err := srpRoundTrip(t, after, rand.NewChaCha8([32]byte{}), after.srpPoolName(), "ana", "pw", false, rec); err != nil {
		t.Errorf("SRP with a verifier from before the key: %v", err)
	}
	clock.add(30 * time.Second)
	if err := after.totpCheck(ctx, sub, totpCode(t, secret, clock.now())); err != nil {
		t.Fatalf("TOTP with a secret from before the key: %v", err)
	}
	u, _ := after.store.GetUser(ctx, after.id, sub)
	if u.MFA.TOTPSecret[0] != sealedAESGCM {
		t.Errorf("TOTP secret not sealed after its next use: version %d", u.MFA.TOTPSecret[0])
	}
	if _, _, err := before.totpOpen(u.MFA.TOTPSecret); err == nil {
		t.Error("a pool without the key opened the sealed secret")
	}
}
