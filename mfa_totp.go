package userpool

import (
	"context"
	"errors"
)

// totpQRSize is the side of AssociateSoftwareToken's QR code in pixels.
const totpQRSize = 256

// AssociateSoftwareTokenInput is the request of
// [Pool.AssociateSoftwareToken], named as Cognito's: exactly one of
// AccessToken (a signed-in user adding a token) and Session (the session
// of an MFA_SETUP challenge).
type AssociateSoftwareTokenInput struct {
	AccessToken string
	Session     string
}

// AssociateSoftwareTokenOutput is the result of
// [Pool.AssociateSoftwareToken].
type AssociateSoftwareTokenOutput struct {
	// SecretCode is the new TOTP secret in base32, as Cognito's.
	SecretCode string
	// Session is the session to continue with, when the request came
	// with one.
	Session string
	// OTPAuthURI (otpauth://totp/...) and QRCodePNG (the URI as a QR
	// code) are this library's additions for a setup page: the pool's
	// name is the issuer and the user name the account.
	OTPAuthURI string
	QRCodePNG  []byte
}

// AssociateSoftwareToken starts adding a TOTP authenticator to a user,
// mirroring Cognito's AssociateSoftwareToken: it returns a new secret,
// which [Pool.VerifySoftwareToken] turns into the user's token once the
// user proves the authenticator has it. A token already verified stays in
// force until then. The secret is stored encrypted when the pool has a
// secret key (WithSecretKey).
//
// With Session (from an MFA_SETUP challenge) the answer carries a new
// session for VerifySoftwareToken; the one given is used up.
//
// Errors: SoftwareTokenMFANotFound "Software Token MFA has not been
// enabled by the userPool"; InvalidParameter when neither or both of
// AccessToken and Session are given; the access-token errors of
// [Pool.GetUser]; NotAuthorized for a session that is expired, used, or
// not an MFA_SETUP challenge's; ConcurrentModification.
func (p *Pool) AssociateSoftwareToken(ctx context.Context, in AssociateSoftwareTokenInput) (AssociateSoftwareTokenOutput, error) {
	if !p.totpEnabled() {
		return AssociateSoftwareTokenOutput{}, ErrSoftwareTokenMFANotFound.With("Software Token MFA has not been enabled by the userPool")
	}
	var out AssociateSoftwareTokenOutput
	var username string
	err := p.withTOTPSubject(ctx, in.AccessToken, in.Session, func(sub, name string, st *authState) error {
		secret, err := p.totpAssociate(ctx, sub)
		out.SecretCode, username = secret, name
		return err
	}, &out.Session)
	if err != nil {
		return AssociateSoftwareTokenOutput{}, err
	}
	key, err := totpKey(p.cfg.Name, username, out.SecretCode)
	if err != nil {
		return AssociateSoftwareTokenOutput{}, p.internal("render a software token", err)
	}
	out.OTPAuthURI = key.URL()
	if out.QRCodePNG, err = totpQRCode(key, totpQRSize); err != nil {
		return AssociateSoftwareTokenOutput{}, p.internal("render a software token", err)
	}
	return out, nil
}

// VerifySoftwareTokenInput is the request of [Pool.VerifySoftwareToken],
// named as Cognito's.
type VerifySoftwareTokenInput struct {
	// AccessToken or Session, as in AssociateSoftwareTokenInput.
	AccessToken string
	Session     string
	// UserCode is the six-digit code the authenticator shows.
	UserCode string
	// FriendlyDeviceName names the authenticator (at most 256 bytes).
	FriendlyDeviceName string
}

// VerifySoftwareTokenOutput is the result of [Pool.VerifySoftwareToken].
type VerifySoftwareTokenOutput struct {
	// Status is "SUCCESS" (errors are returned, never "ERROR").
	Status string
	// Session continues an MFA_SETUP challenge: answer it with
	// RespondToAuthChallenge(MFA_SETUP, {USERNAME}, Session).
	Session string
}

// VerifySoftwareToken completes adding a TOTP authenticator, mirroring
// Cognito's VerifySoftwareToken: UserCode must be a current code of the
// secret AssociateSoftwareToken returned (one 30-second step of drift
// either way). The secret becomes the user's verified token; as in
// Cognito, it becomes an MFA factor through [Pool.SetUserMFAPreference],
// or, on the MFA_SETUP path, by answering the challenge with the returned
// Session.
//
// Errors: EnableSoftwareTokenMFA "Code mismatch and fail enable Software
// Token MFA" for a wrong code (with Session, the session stays usable for
// a few more tries); SoftwareTokenMFANotFound when no secret is pending;
// InvalidParameter for a missing code or a FriendlyDeviceName too long;
// the session and access-token errors of [Pool.AssociateSoftwareToken].
func (p *Pool) VerifySoftwareToken(ctx context.Context, in VerifySoftwareTokenInput) (VerifySoftwareTokenOutput, error) {
	if !p.totpEnabled() {
		return VerifySoftwareTokenOutput{}, ErrSoftwareTokenMFANotFound.With("Software Token MFA has not been enabled by the userPool")
	}
	if in.UserCode == "" {
		return VerifySoftwareTokenOutput{}, missing("UserCode")
	}
	out := VerifySoftwareTokenOutput{Status: "SUCCESS"}
	err := p.withTOTPSubject(ctx, in.AccessToken, in.Session, func(sub, _ string, st *authState) error {
		if err := p.totpVerifyPending(ctx, sub, in.UserCode, in.FriendlyDeviceName); err != nil {
			if errors.Is(err, ErrEnableSoftwareTokenMFA) || errors.Is(err, ErrInvalidParameter) {
				return retryable(err)
			}
			return err
		}
		if st != nil {
			setPrivate(st, privateTOTPSetUp, "true")
		}
		return nil
	}, &out.Session)
	if err != nil {
		return VerifySoftwareTokenOutput{}, err
	}
	return out, nil
}

// withTOTPSubject runs fn for the user an access token or an MFA_SETUP
// session names. With a session, the session is consumed, and fn's
// success stores its (possibly changed) state under a new session,
// written to *session; an error marked retryable keeps the old one.
func (p *Pool) withTOTPSubject(ctx context.Context, accessToken, session string, fn func(sub, username string, st *authState) error, newSession *string) error {
	switch {
	case accessToken != "" && session != "":
		return ErrInvalidParameter.With("Only one of AccessToken and Session may be given.")
	case accessToken != "":
		u, _, err := p.tokenUser(ctx, accessToken)
		if err != nil {
			return err
		}
		return unwrapRetryable(fn(u.Sub, u.Username, nil))
	case session == "":
		return ErrInvalidParameter.With("Missing required parameter AccessToken or Session")
	}
	if err := checkSessionParameter(session); err != nil {
		return err
	}
	st, err := p.takeSession(ctx, session)
	if err != nil {
		return err
	}
	if st.Challenge != ChallengeMFASetup || st.Sub == "" {
		return errSessionInvalid
	}
	c, err := p.loadClient(ctx, st.ClientID)
	if err != nil {
		return errSessionInvalid
	}
	if err := fn(st.Sub, st.Username, st); err != nil {
		if isRetryable(err) {
			p.restoreSession(ctx, session, st)
		}
		return unwrapRetryable(err)
	}
	s, err := p.newSession(ctx, st, c)
	if err != nil {
		return err
	}
	*newSession = s
	return nil
}
