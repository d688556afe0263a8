package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/storage"
)

// SMS and email MFA codes: six random digits sent through the pool's
// Sender with the MFA templates (CustomMessage_Authentication), stored as
// a keyed hash (codes.go), living as long as the challenge's session (the
// client's AuthSessionValidity), single use, and checked against the
// user's guess budget, which survives new sign-ins.

// Purposes of the MFA codes and guess counters.
const (
	purposeMFA  = "mfa"
	purposeTOTP = "totp"
)

// errMFACodeMismatch is Cognito's answer to a wrong SMS or email code.
var errMFACodeMismatch = ErrCodeMismatch.With("Invalid code or auth state for the user.")

// sendMFACode sends user u a new code for factor f (SMS_MFA to the phone
// number, EMAIL_OTP to the email address), replacing any earlier one, and
// returns where it went. The code is stored only once it is delivered.
func (p *Pool) sendMFACode(ctx context.Context, u storage.User, c Client, f Factor) (destination, error) {
	to := destination{attribute: "email", value: u.Attributes["email"], channel: ChannelEmail}
	if f == FactorSMS {
		to = destination{attribute: "phone_number", value: u.Attributes["phone_number"], channel: ChannelSMS}
	}
	if to.value == "" {
		return destination{}, ErrMFAMethodNotFound.With("No MFA mechanism registered in the account.")
	}
	lifetime := c.AuthSessionValidity
	if lifetime <= 0 {
		lifetime = 3 * time.Minute
	}
	code, rec, err := p.issueCode(u.Sub, purposeMFA, codeData{Attribute: to.attribute, Value: to.value}, lifetime)
	if err != nil {
		return destination{}, err
	}
	m := outgoing{event: eventAuthentication, to: to, code: code, user: u, signInName: u.Username, clientID: c.ID}
	if err := p.send(ctx, m); err != nil {
		return destination{}, err
	}
	if err := p.putCode(ctx, rec); err != nil {
		return destination{}, err
	}
	return to, nil
}

// checkMFACode checks and uses up the user's SMS or email MFA code. A
// wrong code gives CodeMismatch "Invalid code or auth state for the
// user."; an expired, used or replaced one ExpiredCode; a spent guess
// budget TooManyFailedAttempts (and voids the code).
func (p *Pool) checkMFACode(ctx context.Context, sub, code string) error {
	rec, err := p.checkCode(ctx, sub, purposeMFA, code)
	if errors.Is(err, ErrCodeMismatch) {
		return errMFACodeMismatch
	}
	if err != nil {
		return err
	}
	return p.consumeCode(ctx, rec)
}
