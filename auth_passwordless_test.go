package userpool_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

// newPasswordlessEnv is a pool offering codes by email and SMS as first
// factors, with MFA optional, and a user, ana, with both addresses
// verified and email MFA on (which a code sign-in does not ask for).
func newPasswordlessEnv(t *testing.T) (*authEnv, userpool.Client, userpool.Client) {
	t.Helper()
	e := newMFAEnv(t, userpool.MFAOptional, allFactors,
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorEmailOTP, userpool.FirstFactorSMSOTP))
	e.user(t, "ana", map[string]string{"email": "ana@example.com", "email_verified": "true", "phone_number": "+15550100", "phone_number_verified": "true"})
	e.enable(t, "ana", true, userpool.FactorEmail)
	open, prevent := e.choiceClients(t)
	return e, open, prevent
}

func TestPasswordlessSignIn(t *testing.T) {
	for _, tc := range []struct {
		factor, challenge, answer, to string
	}{
		{userpool.FirstFactorEmailOTP, userpool.ChallengeEmailOTP, "EMAIL_OTP_CODE", "ana@example.com"},
		{userpool.FirstFactorSMSOTP, userpool.ChallengeSMSOTP, "SMS_OTP_CODE", "+15550100"},
	} {
		t.Run(tc.factor, func(t *testing.T) {
			e, open, _ := newPasswordlessEnv(t)
			respond := func(out userpool.AuthOutput, code string) (userpool.AuthOutput, error) {
				return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: open.ID, ChallengeName: tc.challenge,
					Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "ana", tc.answer: code}})
			}
			out, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": tc.factor})
			if err != nil || out.ChallengeName != tc.challenge || out.ChallengeParameters["CODE_DELIVERY_DESTINATION"] == "" {
				t.Fatalf("USER_AUTH %s: %+v, %v", tc.factor, out, err)
			}
			code := e.sent.code(t, tc.to)
			_, err = respond(out, totptest.WrongCode(code))
			wantAuthErr(t, "wrong code", err, userpool.ErrCodeMismatch, "Invalid code or auth state for the user.")
			// The right code signs in, without the MFA ana has on.
			out, err = respond(out, code)
			e.wantTokens(t, "right code", out, err, "ana")
			// A used code does not open the next sign-in.
			next, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": tc.factor})
			if err != nil {
				t.Fatal(err)
			}
			_, err = respond(next, code)
			wantAuthErr(t, "used code", err, userpool.ErrCodeMismatch, "Invalid code or auth state for the user.")
		})
	}
}

func TestPasswordlessThroughSelectChallenge(t *testing.T) {
	e, open, _ := newPasswordlessEnv(t)
	e.user(t, "bo", map[string]string{"email": "bo@example.com"}) // not verified
	out, err := e.userAuth(open, map[string]string{"USERNAME": "ana"})
	if err != nil || !slices.Equal(out.AvailableChallenges, []string{"PASSWORD", "PASSWORD_SRP", "EMAIL_OTP", "SMS_OTP"}) {
		t.Fatalf("ana's choice: %+v, %v", out, err)
	}
	codePage, err := e.selectChallenge(open, out, "ana", map[string]string{"ANSWER": "EMAIL_OTP"})
	if err != nil || codePage.ChallengeName != userpool.ChallengeEmailOTP {
		t.Fatalf("SELECT_CHALLENGE EMAIL_OTP: %+v, %v", codePage, err)
	}
	out, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: open.ID, ChallengeName: userpool.ChallengeEmailOTP,
		Session: codePage.Session, ChallengeResponses: map[string]string{"USERNAME": "ana", "EMAIL_OTP_CODE": e.sent.code(t, "ana@example.com")}})
	e.wantTokens(t, "email code chosen", out, err, "ana")

	// Only the factors a user can receive are offered, and asked for.
	out, err = e.userAuth(open, map[string]string{"USERNAME": "bo"})
	if err != nil || !slices.Equal(out.AvailableChallenges, []string{"PASSWORD", "PASSWORD_SRP"}) {
		t.Fatalf("bo's choice: %+v, %v", out, err)
	}
	_, err = e.userAuth(open, map[string]string{"USERNAME": "bo", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	wantAuthErr(t, "no verified email", err, userpool.ErrInvalidParameter, "EMAIL_OTP is not available for this user: no verified email.")
}

// TestPasswordlessHidesUsers: with user-existence errors prevented, an
// unknown user and a user without the address get a challenge like
// anyone's, the same one each time, whose answers fail as wrong codes do
// for a real user, up to the same lock; nothing is sent.
func TestPasswordlessHidesUsers(t *testing.T) {
	e, open, prevent := newPasswordlessEnv(t)
	before := e.sent.count()
	start := func(name string) userpool.AuthOutput {
		t.Helper()
		out, err := e.userAuth(prevent, map[string]string{"USERNAME": name, "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if err != nil || out.ChallengeName != userpool.ChallengeEmailOTP || !strings.Contains(out.ChallengeParameters["CODE_DELIVERY_DESTINATION"], "***@") {
			t.Fatalf("USER_AUTH EMAIL_OTP %s: %+v, %v", name, out, err)
		}
		return out
	}
	first, again := start("nobody"), start("nobody")
	if first.ChallengeParameters["CODE_DELIVERY_DESTINATION"] != again.ChallengeParameters["CODE_DELIVERY_DESTINATION"] {
		t.Errorf("the decoy destination changed: %v, %v", first.ChallengeParameters, again.ChallengeParameters)
	}
	if e.sent.count() != before {
		t.Errorf("a decoy sent a message")
	}
	// The decoy names the user as an SRP decoy does.
	cl := userpool.NewSRPClientForTest(srpRandom(9))
	srp, err := e.userAuth(prevent, map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": "PASSWORD_SRP", "SRP_A": cl.A()})
	if err != nil || srp.ChallengeParameters["USER_ID_FOR_SRP"] != first.ChallengeParameters["USER_ID_FOR_SRP"] || first.ChallengeParameters["USER_ID_FOR_SRP"] == "nobody" {
		t.Errorf("USER_ID_FOR_SRP: SRP decoy %q, code decoy %q (%v)", srp.ChallengeParameters["USER_ID_FOR_SRP"], first.ChallengeParameters["USER_ID_FOR_SRP"], err)
	}
	// Wrong codes for the decoy and for ana go the same way.
	ana := start("ana")
	for i := range 6 {
		var errs [2]error
		for j, tc := range []struct {
			name string
			out  userpool.AuthOutput
		}{{"nobody", first}, {"ana", ana}} {
			_, errs[j] = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: prevent.ID, ChallengeName: userpool.ChallengeEmailOTP,
				Session: tc.out.Session, ChallengeResponses: map[string]string{"USERNAME": tc.name, "EMAIL_OTP_CODE": "000000"}})
		}
		var d, a *userpool.Error
		if !errors.As(errs[0], &d) || !errors.As(errs[1], &a) || d.Code != a.Code || d.Message != a.Message {
			t.Fatalf("wrong code %d: decoy %v, real %v", i+1, errs[0], errs[1])
		}
		if d.Code != userpool.ErrCodeMismatch.Code {
			break // the budget is spent: the sessions are gone
		}
	}
	// Without prevention, the unknown user is said to be unknown.
	_, err = e.userAuth(open, map[string]string{"USERNAME": "nobody", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	wantAuthErr(t, "unknown user", err, userpool.ErrUserNotFound, "User does not exist.")
}

// TestPasswordlessSendQuota: codes for sign-in are at most five an hour
// per user, so knowing a user name does not let anyone flood the inbox.
func TestPasswordlessSendQuota(t *testing.T) {
	e, open, _ := newPasswordlessEnv(t)
	for i := range 6 {
		_, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
		if i < 5 && err != nil {
			t.Fatalf("code %d: %v", i+1, err)
		}
		if i == 5 {
			wantAuthErr(t, "sixth code in an hour", err, userpool.ErrLimitExceeded, "Attempt limit exceeded, please try after some time.")
		}
	}
}

func TestPasswordlessConfiguration(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []userpool.Option
	}{
		{"without PASSWORD", []userpool.Option{userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorEmailOTP)}},
		{"passkeys", []userpool.Option{userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, "WEB_AUTHN")}},
		{"with MFA required", []userpool.Option{userpool.WithMFA(userpool.MFARequired, userpool.FactorTOTP),
			userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorEmailOTP)}},
	} {
		_, err := userpool.New(t.Context(), "passwordless", tc.opts...)
		var ce *userpool.ConfigError
		if !errors.As(err, &ce) {
			t.Errorf("%s: got %v, want a ConfigError", tc.name, err)
		}
	}
}

// TestPasswordlessOnTheReviewPage: the pool's review page lists the
// choice-based sign-in options once passwordless ones are allowed.
func TestPasswordlessOnTheReviewPage(t *testing.T) {
	e, _, _ := newPasswordlessEnv(t)
	d, err := e.pool.Describe(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := d.String(); !strings.Contains(got, "Options for choice-based sign-in") || !strings.Contains(got, "EMAIL_OTP") {
		t.Errorf("review page:\n%s", got)
	}
}

// TestPasswordlessUserStatus: a disabled user is told so, or with
// existence errors prevented gets a decoy like a stranger's: no proof has
// been given yet.
func TestPasswordlessUserStatus(t *testing.T) {
	e, open, prevent := newPasswordlessEnv(t)
	if err := e.pool.AdminDisableUser(e.ctx, "ana"); err != nil {
		t.Fatal(err)
	}
	before := e.sent.count()
	_, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	wantAuthErr(t, "disabled", err, userpool.ErrNotAuthorized, "User is disabled.")
	out, err := e.userAuth(prevent, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil || out.ChallengeName != userpool.ChallengeEmailOTP {
		t.Fatalf("disabled, prevented: %+v, %v", out, err)
	}
	if e.sent.count() != before {
		t.Error("a code went to a disabled user")
	}
}

// TestPasswordlessSignUp: in a pool with sign-in codes a user may sign up
// without a password, confirm, and sign in with a code; a password sign-in
// fails as a wrong password does. Elsewhere a password is required.
func TestPasswordlessSignUp(t *testing.T) {
	e, open, _ := newPasswordlessEnv(t)
	e.signUpAndConfirm(t, open, "lu", "")
	out, err := e.userAuth(open, map[string]string{"USERNAME": "lu", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil {
		t.Fatal(err)
	}
	out, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: open.ID, ChallengeName: userpool.ChallengeEmailOTP,
		Session: out.Session, ChallengeResponses: map[string]string{"USERNAME": "lu", "EMAIL_OTP_CODE": e.sent.code(t, "lu@example.com")}})
	e.wantTokens(t, "code sign-in of a user without a password", out, err, "lu")
	_, err = e.userAuth(open, map[string]string{"USERNAME": "lu", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": "Any-password-1"})
	wantAuthErr(t, "password sign-in without a password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")

	plain := newAuthEnv(t, userpool.WithSelfSignUp())
	_, err = plain.pool.SignUp(plain.ctx, userpool.SignUpInput{Username: "lu", UserAttributes: map[string]string{"email": "lu@example.com"}})
	if !errors.Is(err, userpool.ErrInvalidParameter) && !errors.Is(err, userpool.ErrInvalidPassword) {
		t.Errorf("SignUp without a password in a password pool: %v", err)
	}
}

func TestGetUserAuthFactors(t *testing.T) {
	e, open, _ := newPasswordlessEnv(t)
	start, err := e.userAuth(open, map[string]string{"USERNAME": "ana", "PREFERRED_CHALLENGE": "EMAIL_OTP"})
	if err != nil {
		t.Fatal(err)
	}
	signedIn, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: open.ID, ChallengeName: userpool.ChallengeEmailOTP,
		Session: start.Session, ChallengeResponses: map[string]string{"USERNAME": "ana", "EMAIL_OTP_CODE": e.sent.code(t, "ana@example.com")}})
	e.wantTokens(t, "ana's code sign-in", signedIn, err, "ana")
	f, err := e.pool.GetUserAuthFactors(e.ctx, signedIn.AuthenticationResult.AccessToken)
	if err != nil || f.Username != "ana" || !slices.Equal(f.ConfiguredUserAuthFactors, []string{"PASSWORD", "EMAIL_OTP", "SMS_OTP"}) ||
		!slices.Equal(f.MFAMethods, []userpool.Factor{userpool.FactorEmail}) {
		t.Fatalf("ana: %+v, %v", f, err)
	}
	// A user without a password nor a verified phone.
	session := e.signUpAndConfirm(t, open, "lu", "")
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUser, ClientID: open.ID,
		AuthParameters: map[string]string{"USERNAME": "lu"}, Session: session})
	e.wantTokens(t, "auto sign-in", out, err, "lu")
	f, err = e.pool.GetUserAuthFactors(e.ctx, out.AuthenticationResult.AccessToken)
	if err != nil || !slices.Equal(f.ConfiguredUserAuthFactors, []string{"EMAIL_OTP"}) {
		t.Fatalf("lu: %+v, %v", f, err)
	}
}

// TestPasswordlessUserSetsPassword: a user who signed up without a
// password sets one with ChangePassword (no previous password to give),
// and can then sign in with it.
func TestPasswordlessUserSetsPassword(t *testing.T) {
	e, open, _ := newPasswordlessEnv(t)
	session := e.signUpAndConfirm(t, open, "lu", "")
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUser, ClientID: open.ID,
		AuthParameters: map[string]string{"USERNAME": "lu"}, Session: session})
	e.wantTokens(t, "auto sign-in", out, err, "lu")
	if err := e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: out.AuthenticationResult.AccessToken, ProposedPassword: authPassword}); err != nil {
		t.Fatalf("ChangePassword without a previous password: %v", err)
	}
	out, err = e.userAuth(open, map[string]string{"USERNAME": "lu", "PREFERRED_CHALLENGE": "PASSWORD", "PASSWORD": authPassword})
	e.wantTokens(t, "password sign-in after setting one", out, err, "lu")
}
