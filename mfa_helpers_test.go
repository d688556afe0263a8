package userpool_test

import (
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

// newMFAEnv is a sign-in test pool with MFA in mode with factors; email
// and phone numbers are auto-verified, as SMS and email MFA need.
func newMFAEnv(t testing.TB, mode userpool.MFAMode, factors []userpool.Factor, opts ...userpool.Option) *authEnv {
	t.Helper()
	return newAuthEnv(t, append([]userpool.Option{
		userpool.WithMFA(mode, factors...),
		userpool.WithAutoVerifiedAttributes("email", "phone_number"),
	}, opts...)...)
}

var allFactors = []userpool.Factor{userpool.FactorTOTP, userpool.FactorSMS, userpool.FactorEmail}

// answer answers out's challenge with the app client, adding USERNAME.
func (e *authEnv) answer(out userpool.AuthOutput, responses map[string]string) (userpool.AuthOutput, error) {
	r := map[string]string{"USERNAME": out.ChallengeParameters["USER_ID_FOR_SRP"]}
	for k, v := range responses {
		r[k] = v
	}
	return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: out.ChallengeName, Session: out.Session, ChallengeResponses: r,
	})
}

// challenge signs name in and fails unless the answer is challenge want.
func (e *authEnv) challenge(t testing.TB, name, want string) userpool.AuthOutput {
	t.Helper()
	out, err := e.signIn(name, authPassword)
	if err != nil {
		t.Fatalf("sign-in of %s: %v", name, err)
	}
	if out.ChallengeName != want {
		t.Fatalf("sign-in of %s: challenge %q, want %q", name, out.ChallengeName, want)
	}
	return out
}

// setUpTOTP gives name a verified, enabled and preferred software token
// and returns its secret. The clock moves on a step, so the code used to
// verify is not the current one.
func (e *authEnv) setUpTOTP(t testing.TB, name string) string {
	t.Helper()
	res := e.tokens(t, name, authPassword)
	a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: res.AccessToken})
	if err != nil {
		t.Fatalf("AssociateSoftwareToken: %v", err)
	}
	_, err = e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{
		AccessToken: res.AccessToken, UserCode: totptest.Code(t, a.SecretCode, e.clock.Now()), FriendlyDeviceName: "phone",
	})
	if err != nil {
		t.Fatalf("VerifySoftwareToken: %v", err)
	}
	err = e.pool.SetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{
		AccessToken: res.AccessToken, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
	})
	if err != nil {
		t.Fatalf("SetUserMFAPreference: %v", err)
	}
	e.clock.Advance(30 * time.Second)
	return a.SecretCode
}

// enable turns factor on for name with AdminSetUserMFAPreference.
func (e *authEnv) enable(t testing.TB, name string, preferred bool, factors ...userpool.Factor) {
	t.Helper()
	in := userpool.SetUserMFAPreferenceInput{Username: name}
	s := &userpool.MFASettings{Enabled: true, PreferredMfa: preferred}
	for _, f := range factors {
		switch f {
		case userpool.FactorSMS:
			in.SMSMfaSettings = s
		case userpool.FactorEmail:
			in.EmailMfaSettings = s
		case userpool.FactorTOTP:
			in.SoftwareTokenMfaSettings = s
		}
	}
	if err := e.pool.AdminSetUserMFAPreference(e.ctx, in); err != nil {
		t.Fatalf("AdminSetUserMFAPreference(%s): %v", name, err)
	}
}

// lastMessage returns the newest message sent.
func (s *authSender) last(t testing.TB) userpool.Message {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.msgs) == 0 {
		t.Fatal("no message sent")
	}
	return s.msgs[len(s.msgs)-1]
}
