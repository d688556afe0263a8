package main

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/http"
	"net/url"
	"strings"

	"github.com/pquerna/otp"
	"github.com/userpool/userpool"
)

func (a *app) mfaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin/mfa", a.mfaPage)
	mux.HandleFunc("POST /signin/mfa", a.mfa)
	mux.HandleFunc("GET /mfa/setup", requireUser(a.mfaSetupPage))
	mux.HandleFunc("POST /mfa/setup", requireUser(a.mfaSetup))
}

func (a *app) mfaPage(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := challengeFor(r, userpool.ChallengeSoftwareTokenMFA); !ok {
		redirect(w, r, "/signin", "")
		return
	}
	a.render(w, r, http.StatusOK, "mfa", "Enter your authenticator code", nil)
}

// mfa answers the SOFTWARE_TOKEN_MFA challenge with the code of the
// user's authenticator app.
func (a *app) mfa(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := challengeFor(r, userpool.ChallengeSoftwareTokenMFA)
	if !ok {
		redirect(w, r, "/signin", "Your sign-in expired; please sign in again.")
		return
	}
	out, err := a.pool.RespondToAuthChallenge(r.Context(), userpool.RespondInput{
		ClientID: a.clientID, ChallengeName: userpool.ChallengeSoftwareTokenMFA, Session: sess,
		ChallengeResponses: map[string]string{"USERNAME": user, "SOFTWARE_TOKEN_MFA_CODE": strings.TrimSpace(r.PostFormValue("code"))},
	})
	if err != nil {
		// A wrong code ends the challenge's session in Cognito; a new
		// sign-in starts over.
		a.fail(w, r, "mfa", "Enter your authenticator code", nil, err)
		return
	}
	a.next(w, r, user, out)
}

// setupData is the TOTP setup page's: the secret as text and as a QR code.
type setupData struct {
	Available bool
	Secret    string
	QR        template.URL
	Enabled   bool
}

// qrSize is the side of the setup page's QR code in pixels.
const qrSize = 200

// totpQRCode returns, as a data: URL for an img element, the QR code of
// the otpauth:// URI (Key Uri Format) of a TOTP secret, labelled
// "issuer:account" so authenticator apps list it under the app's name.
// The page loads nothing from elsewhere, so the image travels inside it.
func totpQRCode(issuer, account, secret string) (template.URL, error) {
	q := url.Values{
		"secret": {secret}, "issuer": {issuer},
		"algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"},
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}
	key, err := otp.NewKeyFromURL(u.String())
	if err != nil {
		return "", err
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	// A data: URL of a PNG is safe in an img src; html/template would
	// otherwise replace it.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
