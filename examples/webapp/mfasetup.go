package main

import (
	"encoding/base64"
	"html/template"
	"net/http"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// totpSetupAvailable reports whether this build can set up TOTP (the
// browser test skips those steps without it).
const totpSetupAvailable = true

const setupTitle = "Set up an authenticator app"

// mfaSetupPage shows a new TOTP secret, as text and as a QR code, or says
// that an authenticator already protects the account.
func (a *app) mfaSetupPage(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r)
	access, _ := s.tokens()
	u, err := a.pool.GetUser(r.Context(), access)
	if err != nil {
		a.fail(w, r, "mfasetup", setupTitle, setupData{}, err)
		return
	}
	if slices.Contains(u.UserMFASettingList, string(userpool.FactorTOTP)) {
		a.render(w, r, http.StatusOK, "mfasetup", setupTitle, setupData{Available: true, Enabled: true})
		return
	}
	// Each visit draws a new secret; the one verified last counts.
	out, err := a.pool.AssociateSoftwareToken(r.Context(), userpool.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		a.fail(w, r, "mfasetup", setupTitle, setupData{}, err)
		return
	}
	d := setupData{Available: true, Secret: out.SecretCode, QR: pngURL(out.QRCodePNG)}
	s.setSecret(d.Secret, d.QR)
	a.render(w, r, http.StatusOK, "mfasetup", setupTitle, d)
}

// pngURL is a PNG as a data: URL for an img element: the page loads
// nothing from elsewhere, so the QR code travels inside it.
func pngURL(png []byte) template.URL {
	// A data: URL of a PNG is safe in an img src; html/template would
	// otherwise replace it.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
}

// mfaSetup verifies a code of the new secret and makes TOTP the user's
// preferred factor: every sign-in then asks for a code.
func (a *app) mfaSetup(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r)
	access, _ := s.tokens()
	ctx := r.Context()
	_, err := a.pool.VerifySoftwareToken(ctx, userpool.VerifySoftwareTokenInput{
		AccessToken: access, UserCode: strings.TrimSpace(r.PostFormValue("code")), FriendlyDeviceName: "Authenticator app",
	})
	if err == nil {
		err = a.pool.SetUserMFAPreference(ctx, userpool.SetUserMFAPreferenceInput{
			AccessToken: access, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
		})
	}
	if err != nil {
		secret, qr := s.secret()
		a.fail(w, r, "mfasetup", setupTitle, setupData{Available: true, Secret: secret, QR: qr}, err)
		return
	}
	s.setSecret("", "")
	redirect(w, r, "/profile", "Your authenticator app is on: sign-ins now ask for its code.")
}

// mfaDisable turns TOTP off for the user.
func (a *app) mfaDisable(w http.ResponseWriter, r *http.Request) {
	access, _ := sessionFrom(r).tokens()
	err := a.pool.SetUserMFAPreference(r.Context(), userpool.SetUserMFAPreferenceInput{
		AccessToken: access, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: false},
	})
	if err != nil {
		a.fail(w, r, "mfasetup", setupTitle, setupData{Available: true, Enabled: true}, err)
		return
	}
	redirect(w, r, "/profile", "Your authenticator app is off.")
}
