package main

import (
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

// Sign-in with a code by email instead of the password: choice-based
// sign-in (USER_AUTH) with EMAIL_OTP, which the pool allows as a first
// factor (see poolOptions). The pool sends the code to the user's verified
// address; the code page answers the EMAIL_OTP challenge.

func (a *app) codeSignInRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST /signin/code", a.sendSignInCode)
	mux.HandleFunc("GET /signin/code", a.signInCodePage)
	mux.HandleFunc("POST /signin/code/verify", a.verifySignInCode)
}

// sendSignInCode starts the sign-in: the pool emails a code.
func (a *app) sendSignInCode(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	out, err := a.pool.InitiateAuth(r.Context(), userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUser, ClientID: a.clientID,
		AuthParameters: map[string]string{"USERNAME": email, "PREFERRED_CHALLENGE": userpool.FirstFactorEmailOTP},
	})
	if err != nil {
		a.fail(w, r, "signin", "Sign in", emailData{email}, err)
		return
	}
	a.next(w, r, email, out)
}

func (a *app) signInCodePage(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := challengeFor(r, userpool.ChallengeEmailOTP); !ok {
		redirect(w, r, "/signin", "")
		return
	}
	a.render(w, r, http.StatusOK, "signincode", "Enter the code we emailed you", nil)
}

// verifySignInCode answers EMAIL_OTP with the code from the email.
func (a *app) verifySignInCode(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := challengeFor(r, userpool.ChallengeEmailOTP)
	if !ok {
		redirect(w, r, "/signin", "Your sign-in expired; please sign in again.")
		return
	}
	out, err := a.pool.RespondToAuthChallenge(r.Context(), userpool.RespondInput{
		ClientID: a.clientID, ChallengeName: userpool.ChallengeEmailOTP, Session: sess,
		ChallengeResponses: map[string]string{"USERNAME": user, "EMAIL_OTP_CODE": strings.TrimSpace(r.PostFormValue("code"))},
	})
	if err != nil {
		a.challengeFailed(w, r, "signincode", "Enter the code we emailed you", err)
		return
	}
	a.next(w, r, user, out)
}
