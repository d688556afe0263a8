package userpool

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/userpool/userpool/storage"
)

// Passwordless first factors of choice-based sign-in: EMAIL_OTP and
// SMS_OTP send a code to the user's verified email address or phone
// number, and the right code signs the user in. A pool offers them with
// [WithAllowedFirstAuthFactors]; MFA must then be off or optional, as in
// Cognito, and a sign-in with a code is not asked for MFA, whose factors
// would repeat what the code proved. Codes are the MFA codes (six digits,
// the MFA message templates, single use, the user's guess budget), and a
// user can be sent at most five an hour, so a stranger who knows a user
// name cannot flood the user's inbox.

// The passwordless first factors, as PREFERRED_CHALLENGE,
// AvailableChallenges and the ANSWER to SELECT_CHALLENGE name them, and
// ChallengeSMSOTP, the challenge of a code sent by SMS (EMAIL_OTP's is
// ChallengeEmailOTP, as for email MFA).
const (
	FirstFactorEmailOTP = "EMAIL_OTP"
	FirstFactorSMSOTP   = "SMS_OTP"
	ChallengeSMSOTP     = "SMS_OTP"
)

// privFirstFactor marks, in authState.Private, a sign-in whose first
// factor is a code sent by email or SMS (the value is the factor).
const privFirstFactor = "passwordless.factor"

func init() {
	registerChallenge(ChallengeSMSOTP, challengeSpec{handler: (*Pool).answerPasswordless})
}

// WithAllowedFirstAuthFactors sets the first factors of choice-based
// sign-in (USER_AUTH): FirstFactorPassword, which must be among them, and
// the passwordless FirstFactorEmailOTP, FirstFactorSMSOTP and (with
// [WithPasskeys]) FirstFactorWebAuthn. It is Cognito's
// SignInPolicy.AllowedFirstAuthFactors. The default is the password alone
// (with SRP, when the pool keeps verifiers).
func WithAllowedFirstAuthFactors(factors ...string) Option {
	return func(o *options) {
		o.cfg.AllowedFirstAuthFactors = slices.Clone(factors)
		o.set("AllowedFirstAuthFactors", "WithAllowedFirstAuthFactors")
	}
}

// firstAuthFactors validates AllowedFirstAuthFactors.
func (v *validator) firstAuthFactors() {
	c := v.o.cfg
	if len(c.AllowedFirstAuthFactors) == 0 {
		return
	}
	v.subset("AllowedFirstAuthFactors", c.AllowedFirstAuthFactors, []string{FirstFactorPassword, FirstFactorEmailOTP, FirstFactorSMSOTP, FirstFactorWebAuthn})
	if slices.Contains(c.AllowedFirstAuthFactors, FirstFactorWebAuthn) && v.o.passkeys == nil {
		v.fail("AllowedFirstAuthFactors", "WEB_AUTHN needs WithPasskeys")
	}
	if !slices.Contains(c.AllowedFirstAuthFactors, FirstFactorPassword) {
		v.fail("AllowedFirstAuthFactors", "PASSWORD must be one of the allowed first factors")
	}
	passwordless := slices.ContainsFunc(c.AllowedFirstAuthFactors, func(f string) bool { return f != FirstFactorPassword })
	if passwordless && c.MFA.Mode == MFARequired {
		v.fail("AllowedFirstAuthFactors", "passwordless first factors need MFA off or optional")
	}
}

// passwordlessFactors returns the passwordless first factors the pool
// allows, or of those the ones user can use when user is not nil.
func (p *Pool) passwordlessFactors(u *storage.User) []string {
	var out []string
	for _, f := range []string{FirstFactorEmailOTP, FirstFactorSMSOTP} {
		if slices.Contains(p.cfg.AllowedFirstAuthFactors, f) && (u == nil || canReceiveCode(*u, f)) {
			out = append(out, f)
		}
	}
	if p.passkeys != nil && slices.Contains(p.cfg.AllowedFirstAuthFactors, FirstFactorWebAuthn) && (u == nil || len(u.Passkeys) > 0) {
		out = append(out, FirstFactorWebAuthn)
	}
	return out
}

// passwordlessSignIn reports whether the pool lets users sign in without a
// password, so that they may sign up without one.
func (p *Pool) passwordlessSignIn() bool {
	return slices.ContainsFunc(p.cfg.AllowedFirstAuthFactors, func(f string) bool { return f != FirstFactorPassword })
}

// canReceiveCode reports whether u has the verified address factor f
// sends codes to.
func canReceiveCode(u storage.User, f string) bool {
	attr := passwordlessAttribute(f)
	return u.Attributes[attr] != "" && u.Attributes[attr+"_verified"] == "true"
}

func passwordlessAttribute(f string) string {
	if f == FirstFactorSMSOTP {
		return "phone_number"
	}
	return "email"
}

// passwordlessChallenge is the challenge of factor f.
func passwordlessChallenge(f string) string {
	if f == FirstFactorSMSOTP {
		return ChallengeSMSOTP
	}
	return ChallengeEmailOTP
}

// startPasswordless sends the user named in req a sign-in code by factor
// f and issues its challenge. An unknown user, a user who may not sign in
// (disabled, unconfirmed, reset required) or one without the verified
// address gets UserNotFound, the status's error or InvalidParameter,
// unless the client prevents user-existence errors: then a decoy
// challenge, with a destination derived from the name, whose answers fail
// as wrong codes do, and nothing is sent.
func (p *Pool) startPasswordless(ctx context.Context, req *authRequest, f string) (AuthOutput, error) {
	c, st := req.client, p.newUserAuthState(req)
	st.Private = map[string]string{privFirstFactor: f}
	u, decoy, err := p.passwordFreeStart(ctx, req, st, func(u storage.User) error {
		if !canReceiveCode(u, f) {
			return ErrInvalidParameter.With("%s is not available for this user: no verified %s.", f, passwordlessAttribute(f))
		}
		return nil
	})
	if err != nil {
		return AuthOutput{}, err
	}
	if decoy {
		return p.passwordlessDecoy(ctx, st, c, f)
	}
	if err := p.takeSend(ctx, "signin", u.Sub); err != nil {
		return AuthOutput{}, err
	}
	factor := FactorEmail
	if f == FirstFactorSMSOTP {
		factor = FactorSMS
	}
	d, err := p.sendMFACode(ctx, u, c, factor)
	if err != nil {
		return AuthOutput{}, err
	}
	return p.challengeOutput(ctx, st, c, passwordlessChallenge(f), map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": string(d.channel),
		"CODE_DELIVERY_DESTINATION":     mask(d.channel, d.value),
	})
}

// passwordlessDecoy issues the challenge of factor f for a sign-in that
// can never succeed, marked UserNotFound. Its destination is derived from
// the pool's secret and the name, so asking again shows the same one; an
// unknown user's USER_ID_FOR_SRP is the one an SRP decoy shows for the
// name.
func (p *Pool) passwordlessDecoy(ctx context.Context, st *authState, c Client, f string) (AuthOutput, error) {
	sum := p.decoyBytes("passwordless decoy", p.markDecoy(st))
	ch, value := ChannelEmail, fmt.Sprintf("%c@%c.example", 'a'+sum[0]%26, 'a'+sum[1]%26)
	if f == FirstFactorSMSOTP {
		ch, value = ChannelSMS, fmt.Sprintf("+1555%07d", (int(sum[2])<<16|int(sum[3])<<8|int(sum[4]))%10_000_000)
	}
	return p.challengeOutput(ctx, st, c, passwordlessChallenge(f), map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": string(ch),
		"CODE_DELIVERY_DESTINATION":     mask(ch, value),
	})
}

// answerPasswordless checks the code of a passwordless sign-in. A right
// code is the first factor: the sign-in goes on through the steps after
// it, except MFA. A wrong one keeps the session, within the user's guess
// budget.
func (p *Pool) answerPasswordless(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	f := st.Private[privFirstFactor]
	if f == "" {
		return AuthOutput{}, errSessionInvalid
	}
	answer := "EMAIL_OTP_CODE"
	if f == FirstFactorSMSOTP {
		answer = "SMS_OTP_CODE"
	}
	code := req.response(answer)
	if code == "" {
		return AuthOutput{}, retryable(missing(answer))
	}
	if st.UserNotFound {
		return AuthOutput{}, p.decoyCode(ctx, st.LoginName, code)
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	if err := p.checkMFACode(ctx, u.Sub, code); err != nil {
		if errors.Is(err, ErrCodeMismatch) {
			return AuthOutput{}, retryable(err)
		}
		return AuthOutput{}, err
	}
	if err := customStatus(u); err != nil {
		return AuthOutput{}, err
	}
	delete(st.Private, privFirstFactor)
	st.markDone(stepNameMFA)
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}

// decoyCode answers a code for a decoy challenge as checkCode answers a
// wrong code for a real user, counting the same budget under the name.
func (p *Pool) decoyCode(ctx context.Context, name, code string) error {
	if err := checkCodeParameter(code); err != nil {
		return retryable(err)
	}
	count, ok, err := p.store.TakeAttempt(ctx, p.id, guessKey(purposeMFA, "unknown:"+p.decoyKey(name)), p.now(), codeGuessRule)
	switch {
	case err != nil:
		return p.internal("count a code attempt", err)
	case !ok:
		return errCodeLocked
	case count.Count == codeGuesses:
		return errCodeVoided
	case count.Count > codeGuesses:
		return errCodeExpired
	}
	return retryable(errMFACodeMismatch)
}
