package main

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

func (a *app) mfaRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signin/mfa", a.mfaPage)
	mux.HandleFunc("POST /signin/mfa", a.mfa)
	mux.HandleFunc("GET /mfa/setup", requireUser(a.mfaSetupPage))
	mux.HandleFunc("POST /mfa/setup", requireUser(a.mfaSetup))
	mux.HandleFunc("POST /mfa/disable", requireUser(a.mfaDisable))
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
		a.challengeFailed(w, r, "mfa", "Enter your authenticator code", err)
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
