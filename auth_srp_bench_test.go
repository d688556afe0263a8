package userpool_test

import (
	"context"
	"crypto/rand"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// BenchmarkUserSRPAuth measures USER_SRP_AUTH sign-ins through the public
// API, both round trips (InitiateAuth with SRP_A giving PASSWORD_VERIFIER,
// RespondToAuthChallenge giving the tokens), against the bare cost of the
// server's three 3072-bit modular exponentiations (g^b, v^u and
// (A·v^u)^b), interleaved in the same run. The client's own arithmetic
// (a, x, S, the signature) runs outside the measured time. It reports
// both rates (from medians) and their ratio; the target is at least 0.80,
// that is, everything the server does besides its exponentiations (user
// lookup, sessions, lockout counter, token minting, the stored refresh
// token) costs under a quarter of them.
//
// The target holds with EdDSA or ES256 tokens. With RS256 (the default)
// the two RSA-2048 signatures of the ID and access tokens cost about as
// much as the exponentiations themselves, so that ratio is near 0.5: the
// sub-benchmarks show both.
//
//	go test -run '^$' -bench BenchmarkUserSRPAuth -benchtime 200x .
func BenchmarkUserSRPAuth(b *testing.B) {
	for _, alg := range []userpool.SigningAlgorithm{userpool.EdDSA, userpool.ES256, userpool.RS256} {
		b.Run(string(alg), func(b *testing.B) { benchmarkUserSRPAuth(b, alg) })
	}
}

func benchmarkUserSRPAuth(b *testing.B, alg userpool.SigningAlgorithm) {
	ctx := context.Background()
	p, err := userpool.New(ctx, "bench-srp",
		userpool.WithSigningAlgorithm(alg),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
		userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	c, err := p.CreateClient(ctx, userpool.ClientConfig{Name: "srp"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: "ana", MessageAction: userpool.MessageSuppress, TemporaryPassword: tempPassword}); err != nil {
		b.Fatal(err)
	}
	if err := p.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: authPassword, Permanent: true}); err != nil {
		b.Fatal(err)
	}
	_, poolName, _ := strings.Cut(p.ID(), "_")

	// signIn runs one sign-in and returns the time spent in the pool.
	signIn := func() time.Duration {
		cl := userpool.NewSRPClientForTest(rand.Reader)
		t := time.Now()
		out, err := p.InitiateAuth(ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserSRP, ClientID: c.ID,
			AuthParameters: map[string]string{"USERNAME": "ana", "SRP_A": cl.A()}})
		d := time.Since(t)
		if err != nil {
			b.Fatalf("InitiateAuth: %v", err)
		}
		cp := out.ChallengeParameters
		ts := userpool.SRPTimestampForTest(time.Now())
		r := map[string]string{
			"USERNAME": cp["USER_ID_FOR_SRP"], "TIMESTAMP": ts, "PASSWORD_CLAIM_SECRET_BLOCK": cp["SECRET_BLOCK"],
			"PASSWORD_CLAIM_SIGNATURE": cl.Sign(poolName, cp["USER_ID_FOR_SRP"], authPassword, cp["SALT"], cp["SRP_B"], cp["SECRET_BLOCK"], ts),
		}
		t = time.Now()
		res, err := p.RespondToAuthChallenge(ctx, userpool.RespondInput{ClientID: c.ID, ChallengeName: userpool.ChallengePasswordVerifier, ChallengeResponses: r})
		d += time.Since(t)
		if err != nil || res.AuthenticationResult == nil {
			b.Fatalf("RespondToAuthChallenge: %+v, %v", res, err)
		}
		return d
	}
	// One sign-in first, so key generation and caches are not measured.
	signIn()
	exp := userpool.SRPServerExpsForTest(rand.Reader)
	var signIns, exps []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		run := []func(){
			func() { signIns = append(signIns, signIn()) },
			func() {
				t := time.Now()
				exp()
				exps = append(exps, time.Since(t))
			},
		}
		if i%2 == 1 {
			run[0], run[1] = run[1], run[0]
		}
		run[0]()
		run[1]()
	}
	s := 1 / durationMedian(signIns).Seconds()
	x := 1 / durationMedian(exps).Seconds()
	b.ReportMetric(s, "signins/s")
	b.ReportMetric(x, "exps/s")
	b.ReportMetric(s/x, "ratio")
}
