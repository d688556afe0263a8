package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

	"github.com/userpool/userpool/storage"
)

// The MFA step of sign-in: after the password (and NEW_PASSWORD_REQUIRED,
// and a remembered device's proof), the pool's MFA mode and the user's
// factors decide which challenge, if any, comes before the tokens.

func init() {
	registerAfterPrimary(stepMFA, stepNameMFA, (*Pool).mfaStep)
	registerChallenge(ChallengeSMSMFA, challengeSpec{handler: (*Pool).answerMFACode})
	registerChallenge(ChallengeEmailOTP, challengeSpec{handler: (*Pool).answerMFACode})
	registerChallenge(ChallengeSoftwareTokenMFA, challengeSpec{handler: (*Pool).answerMFACode})
	registerChallenge(ChallengeSelectMFAType, challengeSpec{handler: (*Pool).answerSelectMFA})
	registerChallenge(ChallengeMFASetup, challengeSpec{handler: (*Pool).answerMFASetup})
}

// errUnchanged stops a modifyUser whose change no longer applies.
var errUnchanged = errors.New("userpool: nothing to change")

// stepNameMFA names the MFA step in authState.Done.
const stepNameMFA = "MFA"

// Keys of the MFA step's data in authState.Private.
const (
	// privateTOTPSetUp is set once VerifySoftwareToken accepted a code
	// with the session of an MFA_SETUP challenge.
	privateTOTPSetUp = "mfa.totpSetUp"
)

// secondFactorElsewhere reports whether the sign-in already proved a
// second factor another way: a remembered device, which the devices step
// records in authState.DeviceRemembered; the MFA step then asks for
// nothing, as Cognito does.
func secondFactorElsewhere(st *authState) bool {
	return st.DeviceRemembered
}

// mfaFactorOffered reports whether the pool offers factor f.
func (p *Pool) mfaFactorOffered(f Factor) bool {
	return p.cfg.MFA.Mode != MFAOff && slices.Contains(p.cfg.MFA.Factors, f)
}

// mfaUsable returns the user's enabled factors the pool offers and the
// user can receive (a verified token, a phone number, an email address),
// in the order SMS, TOTP, email.
func (p *Pool) mfaUsable(u storage.User) []string {
	var out []string
	for _, f := range []Factor{FactorSMS, FactorTOTP, FactorEmail} {
		if slices.Contains(u.MFA.Enabled, string(f)) && p.mfaFactorOffered(f) && canReceive(u, f) {
			out = append(out, string(f))
		}
	}
	return out
}

// canReceive reports whether user u has what factor f needs.
func canReceive(u storage.User, f Factor) bool {
	switch f {
	case FactorSMS:
		return u.Attributes["phone_number"] != ""
	case FactorEmail:
		return u.Attributes["email"] != ""
	case FactorTOTP:
		return len(u.MFA.TOTPSecret) > 0
	}
	return false
}

// mfaStep chooses the MFA challenge after the first factor. Pool OFF, or
// the step done, or a remembered device: none. A user with usable
// factors gets the preferred one's challenge, the only one's, or
// SELECT_MFA_TYPE (MFAS_CAN_CHOOSE) when several are enabled and none is
// preferred. With MFA required, a user without factors gets SMS_MFA when
// the pool offers SMS and the user has a phone number (as Cognito does),
// else EMAIL_OTP the same way for email, else MFA_SETUP with
// MFAS_CAN_SETUP listing the factors the pool offers.
func (p *Pool) mfaStep(ctx context.Context, st *authState, u storage.User, c Client) (string, map[string]string, error) {
	if p.cfg.MFA.Mode == MFAOff || st.done(stepNameMFA) || secondFactorElsewhere(st) {
		return "", nil, nil
	}
	usable := p.mfaUsable(u)
	switch {
	case len(usable) == 1:
		return p.mfaChallenge(ctx, st, u, c, Factor(usable[0]))
	case len(usable) > 1 && slices.Contains(usable, u.MFA.Preferred):
		return p.mfaChallenge(ctx, st, u, c, Factor(u.MFA.Preferred))
	case len(usable) > 1:
		choices, err := json.Marshal(usable)
		if err != nil {
			return "", nil, p.internal("render MFA choices", err)
		}
		return ChallengeSelectMFAType, map[string]string{"MFAS_CAN_CHOOSE": string(choices)}, nil
	case p.cfg.MFA.Mode != MFARequired:
		return "", nil, nil
	}
	for _, f := range []Factor{FactorSMS, FactorEmail} {
		if p.mfaFactorOffered(f) && canReceive(u, f) {
			return p.mfaChallenge(ctx, st, u, c, f)
		}
	}
	var can []string
	for _, f := range []Factor{FactorSMS, FactorTOTP, FactorEmail} {
		if p.mfaFactorOffered(f) {
			can = append(can, string(f))
		}
	}
	if len(can) == 0 {
		return "", nil, ErrMFAMethodNotFound.With("No MFA mechanism registered in the account.")
	}
	list, err := json.Marshal(can)
	if err != nil {
		return "", nil, p.internal("render MFA choices", err)
	}
	return ChallengeMFASetup, map[string]string{"MFAS_CAN_SETUP": string(list)}, nil
}

// setPrivate sets one entry of st.Private.
func setPrivate(st *authState, key, value string) {
	if st.Private == nil {
		st.Private = map[string]string{}
	}
	st.Private[key] = value
}

// mfaChallenge returns factor f's challenge; for SMS and email it first
// sends the user a code (see sendMFACode).
func (p *Pool) mfaChallenge(ctx context.Context, st *authState, u storage.User, c Client, f Factor) (string, map[string]string, error) {
	if f == FactorTOTP {
		params := map[string]string{}
		if u.MFA.TOTPDeviceName != "" {
			params["FRIENDLY_DEVICE_NAME"] = u.MFA.TOTPDeviceName
		}
		return ChallengeSoftwareTokenMFA, params, nil
	}
	d, err := p.sendMFACode(ctx, u, c, f)
	if err != nil {
		return "", nil, err
	}
	return string(f), map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": string(d.channel),
		"CODE_DELIVERY_DESTINATION":     mask(d.channel, d.value),
	}, nil
}

// answerMFACode answers SMS_MFA (SMS_MFA_CODE), EMAIL_OTP
// (EMAIL_OTP_CODE) and SOFTWARE_TOKEN_MFA (SOFTWARE_TOKEN_MFA_CODE). A
// wrong code keeps the session for another try, up to the session's
// bound; the user's guess budget, which a new sign-in does not reset,
// bounds the tries overall (TooManyFailedAttempts). SMS success verifies
// the phone number, as in Cognito, and email success the email address.
func (p *Pool) answerMFACode(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	if st.Private[privFirstFactor] != "" {
		// EMAIL_OTP as the first factor of a passwordless sign-in.
		return p.answerPasswordless(ctx, req)
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	var answer string
	switch req.ChallengeName {
	case ChallengeSMSMFA:
		answer = "SMS_MFA_CODE"
	case ChallengeEmailOTP:
		answer = "EMAIL_OTP_CODE"
	default:
		answer = "SOFTWARE_TOKEN_MFA_CODE"
	}
	code := req.response(answer)
	if code == "" {
		return AuthOutput{}, retryable(missing(answer))
	}
	if req.ChallengeName == ChallengeSoftwareTokenMFA {
		err = p.checkTOTPAnswer(ctx, u.Sub, code)
	} else {
		err = p.checkMFACode(ctx, u.Sub, code)
	}
	if err != nil {
		if errors.Is(err, ErrCodeMismatch) {
			return AuthOutput{}, retryable(err)
		}
		return AuthOutput{}, err
	}
	if addr := st.Private[privateSetupEmail]; addr != "" && req.ChallengeName == ChallengeEmailOTP {
		if u, err = p.finishEmailSetup(ctx, u.Sub, addr); err != nil {
			return AuthOutput{}, err
		}
	}
	// The code reached the address: it is verified, as Cognito does for
	// SMS (and, alike, for email).
	attr := "phone_number"
	if req.ChallengeName == ChallengeEmailOTP {
		attr = "email"
	}
	if req.ChallengeName != ChallengeSoftwareTokenMFA && u.Attributes[attr+"_verified"] != "true" {
		value := u.Attributes[attr]
		changed, err := p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
			if u.Attributes[attr] != value || value == "" {
				return nil, errUnchanged
			}
			u.Attributes[attr+"_verified"] = "true"
			// A verified address may become an alias; one another user
			// holds stays unverified here, and the sign-in goes on.
			others, _, err := p.claimLogins(ctx, u, false, nil)
			return others, err
		})
		switch {
		case err == nil:
			u = changed
		case errors.Is(err, errUnchanged) || errors.Is(err, ErrAliasExists):
		default:
			return AuthOutput{}, err
		}
	}
	st.markDone(stepNameMFA)
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}

// checkTOTPAnswer checks a SOFTWARE_TOKEN_MFA answer against the user's
// token, counting the attempt against the user's guess budget first.
func (p *Pool) checkTOTPAnswer(ctx context.Context, sub, code string) error {
	_, ok, err := p.store.TakeAttempt(ctx, p.id, guessKey(purposeTOTP, sub), p.now(), codeGuessRule)
	if err != nil {
		return p.internal("count a code attempt", err)
	}
	if !ok {
		return errCodeLocked
	}
	if err := p.totpCheck(ctx, sub, code); err != nil {
		return err
	}
	if err := p.store.ResetAttempts(ctx, p.id, guessKey(purposeTOTP, sub)); err != nil {
		p.log.Warn("userpool: reset code attempts", "err", err)
	}
	return nil
}

// answerSelectMFA answers SELECT_MFA_TYPE: ANSWER names one of the
// factors offered, whose challenge follows (with a code sent for SMS and
// email). Another answer keeps the session for a corrected one.
func (p *Pool) answerSelectMFA(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	choice := req.response("ANSWER")
	if choice == "" {
		return AuthOutput{}, retryable(missing("ANSWER"))
	}
	if !slices.Contains(p.mfaUsable(u), choice) {
		return AuthOutput{}, retryable(ErrInvalidParameter.With("Invalid MFA type: %.64s", choice))
	}
	name, params, err := p.mfaChallenge(ctx, st, u, c, Factor(choice))
	if err != nil {
		return AuthOutput{}, err
	}
	return p.challengeOutput(ctx, st, c, name, params)
}

// answerMFASetup answers MFA_SETUP with the session VerifySoftwareToken
// returned: the verified token becomes the user's enabled (and, when the
// user has no preference, preferred) factor and the sign-in goes on. A
// session whose token was not verified is refused and kept. An answer
// with EMAIL sets up email MFA instead (see setupEmailMFA).
func (p *Pool) answerMFASetup(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	if addr := req.response("EMAIL"); addr != "" && st.Private[privateTOTPSetUp] != "true" {
		return p.setupEmailMFA(ctx, req, addr)
	}
	if st.Private[privateTOTPSetUp] != "true" {
		return AuthOutput{}, retryable(ErrInvalidParameter.With("Software token MFA has not been verified for this session; call AssociateSoftwareToken and VerifySoftwareToken with it first."))
	}
	if _, err := p.sessionUser(ctx, st); err != nil {
		return AuthOutput{}, err
	}
	u, err := p.modifyUser(ctx, st.Sub, func(u *storage.User) ([]storage.User, error) {
		if len(u.MFA.TOTPSecret) == 0 {
			return nil, ErrSoftwareTokenMFANotFound.With("User has not set up software token mfa")
		}
		if !slices.Contains(u.MFA.Enabled, string(FactorTOTP)) {
			u.MFA.Enabled = append(u.MFA.Enabled, string(FactorTOTP))
		}
		if u.MFA.Preferred == "" {
			u.MFA.Preferred = string(FactorTOTP)
		}
		return nil, nil
	})
	if err != nil {
		return AuthOutput{}, err
	}
	st.markDone(stepNameMFA)
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}
