package oidc

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// The MFA pages. A code challenge (SMS_MFA, EMAIL_OTP, SOFTWARE_TOKEN_MFA)
// is a code page; SELECT_MFA_TYPE a choice page whose answer brings the
// chosen factor's code page. MFA_SETUP (MFA required, the user has no
// factor) offers what the pool can set up (MFAS_CAN_SETUP): with both an
// authenticator app and email, a choice page first. The app's setup page
// calls AssociateSoftwareToken with the challenge's Session, shows the
// secret as a QR code and as text, and answers with VerifySoftwareToken
// and then RespondToAuthChallenge (MFA_SETUP), as a Cognito client does;
// the email setup page asks for an address and answers MFA_SETUP with
// EMAIL, which brings EMAIL_OTP's code page for a code sent there.
//
// As on every page, the only server-side state is the pool's session: what
// a page shows again after a wrong code (where the code went, the choices,
// the secret) rides in its form. The secret's otpauth URI rides with a MAC
// bound to the session, so a page only ever shows a secret the pool issued
// for that sign-in.

// Hidden fields of the MFA pages, besides challenge, session and username.
const (
	fieldDestination = "destination"  // where an SMS or email code went (masked)
	fieldDevice      = "device"       // the authenticator's friendly name
	fieldChoices     = "choices"      // SELECT_MFA_TYPE's MFAS_CAN_CHOOSE
	fieldOTPAuth     = "otpauth"      // MFA_SETUP: the secret's otpauth:// URI
	fieldOTPAuthMAC  = "otpauth_mac"  // its MAC, bound to the session
	paramOTPAuth     = "OTPAUTH_URI"  // challengePage's parameter for it
	paramQRCode      = "QR_CODE_PNG"  // and for the pool's QR code of it (base64)
	fieldDeviceName  = "device_name"  // MFA_SETUP: the name the user gives the app
	macPurposeSetup  = "mfa setup v1" // ManagedLoginKey purpose of the MAC
	fieldSetup       = "setup"        // MFA_SETUP: which setup page (setupChoose, setupEmail; "": the app's)
	fieldCanSetup    = "can_setup"    // MFA_SETUP choice page: MFAS_CAN_SETUP
	fieldEmail       = "email"        // MFA_SETUP email page: the address
)

// The MFA_SETUP pages besides the app's setup page, as fieldSetup and the
// parameter paramSetup name them.
const (
	paramSetup  = "SETUP_PAGE"
	setupChoose = "choose"
	setupEmail  = "email"
)

// challengeLabels names the factors on the choice page.
var challengeLabels = map[string]string{
	userpool.ChallengeSMSMFA:           "Text message (SMS)",
	userpool.ChallengeSoftwareTokenMFA: "Authenticator app",
	userpool.ChallengeEmailOTP:         "Email",
}

// setupFactors are the factors the pages can set up at MFA_SETUP, in the
// order they are offered.
var setupFactors = []string{userpool.ChallengeSoftwareTokenMFA, userpool.ChallengeEmailOTP}

// startSetup answers an MFA_SETUP challenge's first step: a choice page
// when the pool can set up both an authenticator app and email, else the
// page of the one it can. It fills out's parameters for challengePage and
// returns false when nothing can be set up here (the page has then been
// answered).
func (h *Handler) startSetup(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name string, out *userpool.AuthOutput) bool {
	var can []string
	_ = json.Unmarshal([]byte(out.ChallengeParameters["MFAS_CAN_SETUP"]), &can)
	var offered []string
	for _, f := range setupFactors {
		if slices.Contains(can, f) {
			offered = append(offered, f)
		}
	}
	switch {
	case len(offered) > 1:
		list, _ := json.Marshal(offered)
		out.ChallengeParameters = map[string]string{paramSetup: setupChoose, "MFAS_CAN_SETUP": string(list)}
		return true
	case len(offered) == 1:
		return h.startFactorSetup(w, r, s, a, name, out, offered[0])
	}
	h.render(w, r, s, http.StatusBadRequest, "error", &page{
		Title: "Sign-in not available",
		Error: "Your account needs a second sign-in factor that these pages cannot set up. Please contact the administrator.",
	})
	return false
}

// startFactorSetup goes on to the setup page of factor (one of
// setupFactors): the email page needs nothing yet; the app's asks the pool
// for a new secret with the challenge's session and goes on with the
// session that returns. False when the session is gone (the page has then
// been answered).
func (h *Handler) startFactorSetup(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name string, out *userpool.AuthOutput, factor string) bool {
	if factor == userpool.ChallengeEmailOTP {
		out.ChallengeParameters = map[string]string{paramSetup: setupEmail}
		return true
	}
	as, err := s.pool.AssociateSoftwareToken(r.Context(), userpool.AssociateSoftwareTokenInput{Session: out.Session})
	if err != nil {
		h.restart(w, r, s, a, name, err)
		return false
	}
	out.Session = as.Session
	// The page shows the pool's QR code rather than render another; a
	// page shown again renders it from the URI in its form.
	out.ChallengeParameters = map[string]string{
		paramOTPAuth: as.OTPAuthURI,
		paramQRCode:  base64.StdEncoding.EncodeToString(as.QRCodePNG),
	}
	return true
}

// setupChoicePage makes v the MFA_SETUP choice between the factors of
// can (MFAS_CAN_SETUP) the pages can set up; false when fewer than two.
func setupChoicePage(v challengeView, can string) (challengeView, bool) {
	var factors []string
	_ = json.Unmarshal([]byte(can), &factors)
	v.template, v.Title = "mfaselect", "Add a second sign-in step"
	v.Message = "Your account needs a second step when you sign in. How do you want to get your sign-in codes?"
	for _, f := range setupFactors {
		if slices.Contains(factors, f) {
			v.Options = append(v.Options, option{Name: "answer", Value: f, Label: challengeLabels[f]})
		}
	}
	v.Hidden = append(v.Hidden, hidden{fieldSetup, setupChoose}, hidden{fieldCanSetup, can})
	return v, len(v.Options) > 1
}

// setupEmailPage makes v the MFA_SETUP page that asks for the address to
// send sign-in codes to; the pool sends a code there to check it.
func setupEmailPage(v challengeView, addr string) challengeView {
	v.template, v.Title = "mfaemail", "Get sign-in codes by email"
	v.Message = "Enter the email address to send your sign-in codes to. We send a code there now to check it."
	v.Fields = []field{{Name: fieldEmail, Label: "Email address", Type: "email", Autocomplete: "email", Required: true, Autofocus: true, Value: addr}}
	v.Hidden = append(v.Hidden, hidden{fieldSetup, setupEmail})
	return v
}

// setupPage fills v as the TOTP setup page of session and the otpauth
// URI the pool issued, with the QR code png (base64) when the pool gave
// it; false when uri is not one.
func setupPage(v *challengeView, s *site, session, uri, png string) bool {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "otpauth" || u.Host != "totp" || u.Query().Get("secret") == "" {
		return false
	}
	// A data: URL of a PNG the pool made is safe in an img src.
	qr := template.URL("data:image/png;base64," + png)
	if png == "" {
		if qr, err = qrCodeOf(uri); err != nil {
			return false
		}
	}
	v.template, v.Title = "mfasetup", "Set up an authenticator app"
	v.SecretCode = u.Query().Get("secret")
	v.QRCode = qr
	v.Hidden = append(v.Hidden, hidden{fieldOTPAuth, uri}, hidden{fieldOTPAuthMAC, setupMAC(s, session, uri)})
	return true
}

// setupMAC authenticates a setup page's otpauth URI for its session.
func setupMAC(s *site, session, uri string) string {
	m := hmac.New(sha256.New, s.pool.ManagedLoginKey(macPurposeSetup))
	m.Write([]byte(session))
	m.Write([]byte{0})
	m.Write([]byte(uri))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// mfaParams rebuilds an MFA page's parameters from its posted form, for
// showing it again after a refused answer. The setup page's URI counts
// only with its MAC.
func mfaParams(r *http.Request, s *site) map[string]string {
	params := map[string]string{
		"CODE_DELIVERY_DESTINATION": r.PostFormValue(fieldDestination),
		"FRIENDLY_DEVICE_NAME":      r.PostFormValue(fieldDevice),
		"MFAS_CAN_CHOOSE":           r.PostFormValue(fieldChoices),
		"MFAS_CAN_SETUP":            r.PostFormValue(fieldCanSetup),
		fieldDeviceName:             r.PostFormValue(fieldDeviceName),
		fieldEmail:                  r.PostFormValue(fieldEmail),
		paramSetup:                  r.PostFormValue(fieldSetup),
	}
	uri := r.PostFormValue(fieldOTPAuth)
	if uri != "" && hmac.Equal([]byte(setupMAC(s, r.PostFormValue("session"), uri)), []byte(r.PostFormValue(fieldOTPAuthMAC))) {
		params[paramOTPAuth] = uri
	}
	return params
}

// verifySetup answers the setup page: VerifySoftwareToken with the
// page's code and session. It returns the session to answer MFA_SETUP
// with, or the error of a refused code.
func verifySetup(r *http.Request, s *site, session string) (string, error) {
	v, err := s.pool.VerifySoftwareToken(r.Context(), userpool.VerifySoftwareTokenInput{
		Session:            session,
		UserCode:           strings.TrimSpace(r.PostFormValue("code")),
		FriendlyDeviceName: strings.TrimSpace(r.PostFormValue(fieldDeviceName)),
	})
	if err != nil {
		return "", err
	}
	return v.Session, nil
}

// sessionKept reports whether the pool kept a challenge's session after
// refusing its answer with err (a wrong code, a missing or malformed
// answer, a password against the policy), so the page can be shown again
// for another try. Other refusals (an expired or used session, a code
// expired or tried too often) end the sign-in.
func sessionKept(err error) bool {
	for _, kept := range []error{userpool.ErrCodeMismatch, userpool.ErrInvalidParameter, userpool.ErrEnableSoftwareTokenMFA, userpool.ErrInvalidPassword} {
		if errors.Is(err, kept) {
			return true
		}
	}
	return false
}

// restart answers a step whose session is gone with the sign-in page and
// a message saying why.
func (h *Handler) restart(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name string, err error) {
	p := h.signInForm(s, a, name)
	msg := h.message(err)
	switch {
	case errors.Is(err, userpool.ErrNotAuthorized) && strings.Contains(msg, "session is expired"):
		p.Error = "Your sign-in took too long. Please sign in again."
	case errors.Is(err, userpool.ErrNotAuthorized) && strings.HasPrefix(msg, "Invalid session"):
		p.Error = "This sign-in can no longer go on: it was already used or had too many wrong answers. Please sign in again."
	default:
		p.Error = strings.TrimSuffix(msg, ".") + ". Please sign in again."
	}
	h.render(w, r, s, statusOf(err), "signin", p)
}

// setupMessage is the setup page's text for a refused code.
func (h *Handler) setupMessage(err error) string {
	if errors.Is(err, userpool.ErrEnableSoftwareTokenMFA) {
		return "That code is not the one the app shows for this account. Check that the app added the account above and enter its current code."
	}
	return h.message(err)
}
