package oidc

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// The sign-up pages: a form with the user name, the password and the
// pool's required attributes (userpool.Pool.SignUp), then the confirmation
// code (ConfirmSignUp, ResendConfirmationCode), then the sign-in page.

// attributeLabels are the labels and input types of standard attributes.
var attributeLabels = map[string]field{
	"email":              {Label: "Email address", Type: "email", Autocomplete: "email"},
	"phone_number":       {Label: "Phone number", Type: "tel", Autocomplete: "tel", Hint: "With the country code, for example +12065551234."},
	"name":               {Label: "Full name", Type: "text", Autocomplete: "name"},
	"given_name":         {Label: "Given name", Type: "text", Autocomplete: "given-name"},
	"family_name":        {Label: "Family name", Type: "text", Autocomplete: "family-name"},
	"middle_name":        {Label: "Middle name", Type: "text", Autocomplete: "additional-name"},
	"nickname":           {Label: "Nickname", Type: "text", Autocomplete: "nickname"},
	"preferred_username": {Label: "Preferred user name", Type: "text", Autocomplete: "username"},
	"birthdate":          {Label: "Date of birth", Type: "text", Autocomplete: "bday", Hint: "As YYYY-MM-DD."},
	"gender":             {Label: "Gender", Type: "text", Autocomplete: "sex"},
	"address":            {Label: "Address", Type: "text", Autocomplete: "street-address"},
	"locale":             {Label: "Locale", Type: "text", Autocomplete: "language"},
	"zoneinfo":           {Label: "Time zone", Type: "text"},
	"website":            {Label: "Website", Type: "url", Autocomplete: "url"},
	"profile":            {Label: "Profile page", Type: "url"},
	"picture":            {Label: "Picture URL", Type: "url", Autocomplete: "photo"},
}

// attributeField is the input of a required attribute, named as the
// attribute.
func attributeField(name string) field {
	f, ok := attributeLabels[name]
	if !ok {
		f = field{Label: strings.ReplaceAll(strings.TrimPrefix(name, "custom:"), "_", " "), Type: "text"}
	}
	f.Name, f.Required = name, true
	return f
}

// signUpAttributes are the attributes the sign-up form asks for: the
// pool's required ones, less those that are the user name.
func signUpAttributes(s *site) []string {
	cfg := s.pool.Config()
	var out []string
	for _, a := range cfg.Attributes {
		if a.Required && a.Name != "sub" && !(len(cfg.SignIn.UsernameAttributes) == 1 && cfg.SignIn.UsernameAttributes[0] == a.Name) {
			out = append(out, a.Name)
		}
	}
	return out
}

func (h *Handler) signUpForm(s *site, a *authzRequest, r *http.Request) *page {
	q := a.query()
	p := &page{
		Title:  "Sign up",
		Client: a.client.Name,
		Action: s.local(pathSignUp, q),
		Links:  []link{{"Already have an account? Sign in", s.local(pathLogin, q)}},
	}
	user := usernameField(s, "")
	user.Autofocus = true
	if len(s.pool.Config().SignIn.UsernameAttributes) > 1 {
		user.Hint = "The email address or phone number you will sign in with."
	}
	p.Fields = append(p.Fields, user, field{
		Name: "password", Label: "Password", Type: "password", Autocomplete: "new-password", Required: true, Hint: passwordHint(s),
	})
	for _, name := range signUpAttributes(s) {
		p.Fields = append(p.Fields, attributeField(name))
	}
	if r != nil && r.PostForm != nil {
		for i := range p.Fields {
			if p.Fields[i].Type != "password" {
				p.Fields[i].Value = r.PostFormValue(p.Fields[i].Name)
			}
		}
	}
	return p
}

func (h *Handler) signUpPage(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil {
		return
	}
	if s.pool.Config().AdminCreateUserOnly {
		h.render(w, r, s, http.StatusForbidden, "error", &page{Title: "Sign-up not available", Error: "SignUp is not permitted for this user pool",
			Links: []link{{"Sign in", s.local(pathLogin, a.query())}}})
		return
	}
	h.render(w, r, s, http.StatusOK, "signup", h.signUpForm(s, a, nil))
}

func (h *Handler) signUp(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	attrs := map[string]string{}
	for _, attr := range signUpAttributes(s) {
		if v := strings.TrimSpace(r.PostFormValue(attr)); v != "" {
			attrs[attr] = v
		}
	}
	// A user name that is an address is that attribute too.
	if ua := s.pool.Config().SignIn.UsernameAttributes; len(ua) > 0 {
		if strings.Contains(name, "@") && slices.Contains(ua, "email") {
			attrs["email"] = name
		} else if strings.HasPrefix(name, "+") && slices.Contains(ua, "phone_number") {
			attrs["phone_number"] = name
		}
	}
	out, err := s.pool.SignUp(r.Context(), userpool.SignUpInput{
		ClientID: a.ClientID, SecretHash: a.secretHash(name),
		Username: name, Password: r.PostFormValue("password"), UserAttributes: attrs,
	})
	if err != nil {
		p := h.signUpForm(s, a, r)
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "signup", p)
		return
	}
	q := a.query()
	q.Set("username", name)
	if out.UserConfirmed {
		q.Set("notice", "confirmed")
		http.Redirect(w, r, s.local(pathLogin, q), http.StatusSeeOther)
		return
	}
	if d := out.CodeDeliveryDetails; d != nil {
		q.Set("destination", d.Destination)
	}
	http.Redirect(w, r, s.local(pathConfirm, q), http.StatusSeeOther)
}

func (h *Handler) confirmForm(s *site, a *authzRequest, name, destination string) *page {
	q := a.query()
	q.Set("username", name)
	p := &page{
		Title:   "Confirm your account",
		Client:  a.client.Name,
		Action:  s.local(pathConfirm, q),
		Message: "Enter the code we sent you.",
		Hidden:  []hidden{{"username", name}},
		Fields: []field{{Name: "code", Label: "Confirmation code", Type: "text", InputMode: "numeric",
			Autocomplete: "one-time-code", Required: true, Autofocus: true}},
		Links: []link{{"Sign in", s.local(pathLogin, a.query())}},
	}
	if destination != "" {
		p.Message = "We sent a code to " + destination + ". Enter it below."
	}
	return p
}

func (h *Handler) confirmPage(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil {
		return
	}
	name := r.URL.Query().Get("username")
	if name == "" {
		http.Redirect(w, r, s.local(pathLogin, a.query()), http.StatusFound)
		return
	}
	h.render(w, r, s, http.StatusOK, "confirm", h.confirmForm(s, a, name, r.URL.Query().Get("destination")))
}

func (h *Handler) confirm(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	name := r.PostFormValue("username")
	if r.PostFormValue("action") == "resend" {
		d, err := s.pool.ResendConfirmationCode(r.Context(), userpool.ResendConfirmationCodeInput{
			ClientID: a.ClientID, SecretHash: a.secretHash(name), Username: name,
		})
		p := h.confirmForm(s, a, name, d.Destination)
		if err != nil {
			p.Error = h.message(err)
			h.render(w, r, s, statusOf(err), "confirm", p)
			return
		}
		p.Notice = "We sent a new code."
		h.render(w, r, s, http.StatusOK, "confirm", p)
		return
	}
	_, err := s.pool.ConfirmSignUp(r.Context(), userpool.ConfirmSignUpInput{
		ClientID: a.ClientID, SecretHash: a.secretHash(name), Username: name,
		ConfirmationCode: strings.TrimSpace(r.PostFormValue("code")),
	})
	if err != nil && !errorsIsLambda(err) {
		// A PostConfirmation error leaves the user confirmed; anything
		// else is shown with the form again.
		p := h.confirmForm(s, a, name, "")
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "confirm", p)
		return
	}
	q := a.query()
	q.Set("username", name)
	q.Set("notice", "confirmed")
	http.Redirect(w, r, s.local(pathLogin, q), http.StatusSeeOther)
}

// errorsIsLambda reports a trigger's error, which after a confirmation or
// a reset leaves the change made: the pages go on as after success.
func errorsIsLambda(err error) bool {
	return errors.Is(err, userpool.ErrUserLambdaValidation) || errors.Is(err, userpool.ErrUnexpectedLambda) ||
		errors.Is(err, userpool.ErrInvalidLambdaResponse)
}
