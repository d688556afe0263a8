package main

import (
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

func (a *app) profileRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /profile", requireUser(a.profilePage))
	mux.HandleFunc("POST /profile", requireUser(a.updateProfile))
	mux.HandleFunc("POST /profile/verify-email", requireUser(a.verifyEmail))
	mux.HandleFunc("POST /profile/resend-email-code", requireUser(a.resendEmailCode))
}

// profileData is the profile page's: the user's attributes.
type profileData struct {
	Email         string
	EmailVerified bool
	Fields        []field
	MFA           string
	Attributes    map[string]string
}

func (a *app) profile(r *http.Request) (profileData, error) {
	access, _ := sessionFrom(r).tokens()
	u, err := a.pool.GetUser(r.Context(), access)
	if err != nil {
		return profileData{}, err
	}
	d := profileData{
		Email: u.UserAttributes["email"], EmailVerified: u.UserAttributes["email_verified"] == "true",
		MFA: u.PreferredMFASetting, Attributes: u.UserAttributes,
	}
	for _, f := range signUpFields {
		f.Value = u.UserAttributes[f.Name]
		d.Fields = append(d.Fields, f)
	}
	return d, nil
}

func (a *app) profilePage(w http.ResponseWriter, r *http.Request) {
	d, err := a.profile(r)
	if err != nil {
		a.fail(w, r, "home", "Welcome", nil, err)
		return
	}
	a.render(w, r, http.StatusOK, "profile", "Your profile", d)
}

// updateProfile writes the attributes that changed. A new email address
// gets a code, and stays unverified until the user enters it.
func (a *app) updateProfile(w http.ResponseWriter, r *http.Request) {
	d, err := a.profile(r)
	if err != nil {
		a.fail(w, r, "home", "Welcome", nil, err)
		return
	}
	changes := map[string]string{}
	if email := strings.TrimSpace(r.PostFormValue("email")); email != d.Email {
		changes["email"] = email
	}
	for i, f := range d.Fields {
		if v := strings.TrimSpace(r.PostFormValue(f.Name)); v != f.Value {
			changes[f.Name] = v
			d.Fields[i].Value = v
		}
	}
	if len(changes) == 0 {
		redirect(w, r, "/profile", "Nothing changed.")
		return
	}
	access, _ := sessionFrom(r).tokens()
	out, err := a.pool.UpdateUserAttributes(r.Context(), userpool.UpdateUserAttributesInput{AccessToken: access, UserAttributes: changes})
	if err != nil {
		a.fail(w, r, "profile", "Your profile", d, err)
		return
	}
	msg := "Your profile is saved."
	if len(out.CodeDeliveryDetailsList) > 0 {
		msg += " We sent a code to " + out.CodeDeliveryDetailsList[0].Destination + " to verify your new email address."
	}
	redirect(w, r, "/profile", msg)
}

func (a *app) verifyEmail(w http.ResponseWriter, r *http.Request) {
	access, _ := sessionFrom(r).tokens()
	err := a.pool.VerifyUserAttribute(r.Context(), userpool.VerifyUserAttributeInput{
		AccessToken: access, AttributeName: "email", Code: strings.TrimSpace(r.PostFormValue("code")),
	})
	if err != nil {
		d, perr := a.profile(r)
		if perr != nil {
			err = perr
		}
		a.fail(w, r, "profile", "Your profile", d, err)
		return
	}
	redirect(w, r, "/profile", "Your email address is verified.")
}

func (a *app) resendEmailCode(w http.ResponseWriter, r *http.Request) {
	access, _ := sessionFrom(r).tokens()
	_, err := a.pool.GetUserAttributeVerificationCode(r.Context(), userpool.GetUserAttributeVerificationCodeInput{AccessToken: access, AttributeName: "email"})
	if err != nil {
		d, _ := a.profile(r)
		a.fail(w, r, "profile", "Your profile", d, err)
		return
	}
	redirect(w, r, "/profile", "We sent a new code.")
}
