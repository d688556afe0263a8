package userpool

import (
	"context"
	"slices"

	"github.com/userpool/userpool/storage"
)

// Email MFA set up during sign-in, as Amplify drives it: the user answers
// MFA_SETUP with an address (EMAIL), gets EMAIL_OTP with a code sent
// there, and the right code makes the address the user's verified email
// and email MFA the user's factor.

// privateSetupEmail is the address an MFA_SETUP answer offered, kept in
// authState.Private until its code is answered.
const privateSetupEmail = "mfa.setupEmail"

// setupEmailMFA answers MFA_SETUP with EMAIL: the pool must offer email
// MFA and the address must be one; a code goes to it and EMAIL_OTP
// follows. A refused address keeps the session.
func (p *Pool) setupEmailMFA(ctx context.Context, req *respondRequest, addr string) (AuthOutput, error) {
	st, c := req.state, req.client
	if !p.mfaFactorOffered(FactorEmail) {
		return AuthOutput{}, retryable(ErrInvalidParameter.With("Email MFA is not enabled for this user pool."))
	}
	if !looksLike("email", addr) {
		return AuthOutput{}, retryable(ErrInvalidParameter.With("Invalid email address format."))
	}
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	to := cloneUser(u)
	to.Attributes["email"] = addr
	d, err := p.sendMFACode(ctx, to, c, FactorEmail)
	if err != nil {
		return AuthOutput{}, err
	}
	setPrivate(st, privateSetupEmail, addr)
	return p.challengeOutput(ctx, st, c, ChallengeEmailOTP, map[string]string{
		"CODE_DELIVERY_DELIVERY_MEDIUM": string(d.channel),
		"CODE_DELIVERY_DESTINATION":     mask(d.channel, d.value),
	})
}

// finishEmailSetup stores the address an EMAIL_OTP code of the setup
// proved as the user's verified email, and turns email MFA on (preferred
// when the user has no preference). AliasExists when the address is
// another user's sign-in alias.
func (p *Pool) finishEmailSetup(ctx context.Context, sub, addr string) (storage.User, error) {
	return p.modifyUser(ctx, sub, func(u *storage.User) ([]storage.User, error) {
		u.Attributes["email"] = addr
		u.Attributes["email_verified"] = "true"
		others, _, err := p.claimLogins(ctx, u, false, nil)
		if err != nil {
			return nil, err
		}
		if !slices.Contains(u.MFA.Enabled, string(FactorEmail)) {
			u.MFA.Enabled = append(u.MFA.Enabled, string(FactorEmail))
		}
		if u.MFA.Preferred == "" {
			u.MFA.Preferred = string(FactorEmail)
		}
		return others, nil
	})
}
