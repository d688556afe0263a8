package main

import "net/http"

// totpSetupAvailable reports whether this build can set up TOTP.
const totpSetupAvailable = false

// The TOTP setup pages need AssociateSoftwareToken, VerifySoftwareToken
// and SetUserMFAPreference, which this build of the library lacks: the
// page says so.

func (a *app) mfaSetupPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "mfasetup", "Set up an authenticator app", setupData{})
}

func (a *app) mfaSetup(w http.ResponseWriter, r *http.Request) {
	a.mfaSetupPage(w, r)
}
