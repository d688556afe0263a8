package userpool_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/userpool/userpool"
)

// BenchmarkSignIn measures USER_PASSWORD_AUTH sign-ins (user lookup,
// lockout counter, argon2id verification, session-free success, token
// minting and the stored refresh token) against bare argon2id hashes with
// the same parameters (the default profile: the thing being measured), in
// the same run and interleaved, so both see the same machine. It reports
// both rates (from the median time of each) and their ratio; the target is a ratio of at least 0.90,
// that is, everything a sign-in does besides the hash costs under a tenth
// of it.
//
//	go test -run '^$' -bench BenchmarkSignIn -benchtime 100x .
func BenchmarkSignIn(b *testing.B) {
	ctx := context.Background()
	profile := userpool.DefaultPasswordHashing()
	p, err := userpool.New(ctx, "bench", userpool.WithPasswordHashing(profile), userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		b.Fatal(err)
	}
	c, err := p.CreateClient(ctx, userpool.ClientConfig{Name: "app", AuthFlows: passwordFlows})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := p.AdminCreateUser(ctx, userpool.AdminCreateUserInput{Username: "ana", MessageAction: userpool.MessageSuppress, TemporaryPassword: tempPassword}); err != nil {
		b.Fatal(err)
	}
	if err := p.AdminSetUserPassword(ctx, userpool.AdminSetUserPasswordInput{Username: "ana", Password: authPassword, Permanent: true}); err != nil {
		b.Fatal(err)
	}
	in := userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: c.ID,
		AuthParameters: map[string]string{"USERNAME": "ana", "PASSWORD": authPassword}}
	// One sign-in first, so key generation and caches are not measured.
	if _, err := p.InitiateAuth(ctx, in); err != nil {
		b.Fatal(err)
	}
	salt := make([]byte, 16)
	var signIn, hash []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		// Alternate the order so neither always runs on a warm cache.
		run := []func(){
			func() {
				t := time.Now()
				out, err := p.InitiateAuth(ctx, in)
				signIn = append(signIn, time.Since(t))
				if err != nil || out.AuthenticationResult == nil {
					b.Fatalf("sign-in: %+v, %v", out, err)
				}
			},
			func() {
				t := time.Now()
				argon2.IDKey([]byte(authPassword), salt, profile.Time, profile.Memory, profile.Threads, 32)
				hash = append(hash, time.Since(t))
			},
		}
		if i%2 == 1 {
			run[0], run[1] = run[1], run[0]
		}
		run[0]()
		run[1]()
	}
	// Medians, not means: on a shared machine a few stalled iterations
	// would otherwise decide the ratio.
	signIns := 1 / durationMedian(signIn).Seconds()
	hashes := 1 / durationMedian(hash).Seconds()
	b.ReportMetric(signIns, "signins/s")
	b.ReportMetric(hashes, "argon2id/s")
	b.ReportMetric(signIns/hashes, "ratio")
}

func durationMedian(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
