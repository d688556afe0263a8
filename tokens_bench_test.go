package userpool_test

import (
	"context"
	"slices"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"

	"github.com/userpool/userpool"
)

// The token benchmarks report their rate with a ratio to a go-jose
// baseline measured in the same run, interleaved operation by operation
// with the measured one, so that load from other processes and frequency
// changes hit both alike and the ratio means the same on any machine:
//
//	go test -run '^$' -bench 'RefreshTokenAuth|VerifyAccessToken' -benchtime 3s .
//
// refresh_ratio is REFRESH_TOKEN_AUTH/s divided by half the raw RS256
// signing rate (a refresh signs two tokens); the target is >= 0.80.
// verify_ratio is verifications/s (revocation check included) divided by
// raw go-jose parse-and-verify/s; the target is >= 0.90. Rates come from
// median times per operation; ns/op includes the interleaved baseline, so
// read the rates and ratios instead.

// interleave runs ours and then base once per iteration and returns the
// median nanoseconds of each. Medians, not means: on a shared machine a
// preempted operation takes many times its cost, and such outliers would
// fall on either side at random.
func interleave(b *testing.B, ours, base func(i int)) (oursNs, baseNs float64) {
	var o, r []time.Duration
	i := 0
	for b.Loop() {
		t0 := time.Now()
		ours(i)
		t1 := time.Now()
		base(i)
		t2 := time.Now()
		o = append(o, t1.Sub(t0))
		r = append(r, t2.Sub(t1))
		i++
	}
	return median(o), median(r)
}

func median(d []time.Duration) float64 {
	slices.Sort(d)
	return float64(d[len(d)/2].Nanoseconds())
}

func BenchmarkRefreshTokenAuth(b *testing.B) {
	f := newTokenFixture(b, userpool.WithSigningAlgorithm(userpool.RS256))
	addGroup(b, f, "admins", "", new(int64(1)))
	ctx := context.Background()
	res := f.signIn(b, f.public.ID)
	in := userpool.RefreshInput{ClientID: f.public.ID, RefreshToken: res.RefreshToken}
	out, err := f.pool.RefreshTokens(ctx, in)
	if err != nil {
		b.Fatal(err)
	}
	// The baseline: go-jose RS256 signing of the two new tokens' payloads
	// with a signer built once.
	sign := rawTokenSigner(b, userpool.RS256, out.IDToken, out.AccessToken)
	ours, base := interleave(b, func(int) {
		if _, err := f.pool.RefreshTokens(ctx, in); err != nil {
			b.Fatal(err)
		}
	}, func(int) { sign() })
	b.ReportMetric(1e9/ours, "refresh/s")
	b.ReportMetric(2e9/base, "raw_sign/s")
	b.ReportMetric(base/ours, "refresh_ratio")
}

func BenchmarkVerifyAccessToken(b *testing.B) {
	f := newTokenFixture(b, userpool.WithSigningAlgorithm(userpool.RS256))
	ctx := context.Background()
	// Distinct tokens of several sessions, so nothing per token is cached.
	var tokens []string
	for range 16 {
		tokens = append(tokens, f.signIn(b, f.public.ID).AccessToken)
	}
	set, err := f.pool.JWKS(ctx)
	if err != nil {
		b.Fatal(err)
	}
	pub := set.Keys[0].Key
	v := f.pool.Verifier()
	for _, tok := range tokens { // warm the caches, as a running server has them
		if _, err := v.Verify(ctx, tok, userpool.TokenUseAccess); err != nil {
			b.Fatal(err)
		}
	}
	ours, base := interleave(b, func(i int) {
		if _, err := v.Verify(ctx, tokens[i%len(tokens)], userpool.TokenUseAccess); err != nil {
			b.Fatal(err)
		}
	}, func(i int) {
		jws, err := jose.ParseSignedCompact(tokens[i%len(tokens)], []jose.SignatureAlgorithm{jose.RS256})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := jws.Verify(pub); err != nil {
			b.Fatal(err)
		}
	})
	b.ReportMetric(1e9/ours, "verify/s")
	b.ReportMetric(1e9/base, "raw_verify/s")
	b.ReportMetric(base/ours, "verify_ratio")
}
