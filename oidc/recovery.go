package oidc

import (
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

// The password recovery pages: the user name (userpool.Pool.ForgotPassword
// sends a code), then the code and a new password
// (ConfirmForgotPassword), then the sign-in page.

func (h *Handler) forgotForm(s *site, a *authzRequest, name string) *page {
	user := usernameField(s, name)
	user.Autofocus = true
	return &page{
		Title:  "Forgot your password?",
		Client: a.client.Name,
		Action: s.local(pathForgot, a.query()),
		Fields: []field{user},
		Links:  []link{{"Back to sign in", s.local(pathLogin, a.query())}},
	}
}

func (h *Handler) forgotPage(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil {
		return
	}
	h.render(w, r, s, http.StatusOK, "forgot", h.forgotForm(s, a, r.URL.Query().Get("username")))
}

func (h *Handler) forgot(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	if name == "" {
		p := h.forgotForm(s, a, "")
		p.Error = "Enter your user name."
		h.render(w, r, s, http.StatusBadRequest, "forgot", p)
		return
	}
	h.startReset(w, r, s, a, name, "")
}

// startReset sends a reset code to the user named name and shows the
// reset page; notice says why when the user did not ask.
func (h *Handler) startReset(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name, notice string) {
	d, err := s.pool.ForgotPassword(r.Context(), userpool.ForgotPasswordInput{
		ClientID: a.ClientID, SecretHash: a.secretHash(name), Username: name,
	})
	if err != nil {
		p := h.forgotForm(s, a, name)
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "forgot", p)
		return
	}
	p := h.resetForm(s, a, name, d.Destination)
	p.Notice = notice
	h.render(w, r, s, http.StatusOK, "reset", p)
}

func (h *Handler) resetForm(s *site, a *authzRequest, name, destination string) *page {
	q := a.query()
	q.Set("username", name)
	p := &page{
		Title:   "Reset your password",
		Client:  a.client.Name,
		Action:  s.local(pathReset, q),
		Message: "Enter the code we sent you and choose a new password.",
		Hidden:  []hidden{{"username", name}},
		Fields: []field{
			{Name: "code", Label: "Code", Type: "text", InputMode: "numeric", Autocomplete: "one-time-code", Required: true, Autofocus: true},
			{Name: "new_password", Label: "New password", Type: "password", Autocomplete: "new-password", Required: true, Hint: passwordHint(s)},
			{Name: "confirm_password", Label: "Confirm the new password", Type: "password", Autocomplete: "new-password", Required: true},
		},
		Links: []link{{"Send a new code", s.local(pathForgot, q)}, {"Back to sign in", s.local(pathLogin, a.query())}},
	}
	if destination != "" {
		p.Message = "We sent a code to " + destination + ". Enter it and choose a new password."
	}
	return p
}

func (h *Handler) resetPage(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil {
		return
	}
	name := r.URL.Query().Get("username")
	if name == "" {
		http.Redirect(w, r, s.local(pathForgot, a.query()), http.StatusFound)
		return
	}
	h.render(w, r, s, http.StatusOK, "reset", h.resetForm(s, a, name, ""))
}

func (h *Handler) reset(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	name := r.PostFormValue("username")
	pw := r.PostFormValue("new_password")
	if pw != r.PostFormValue("confirm_password") {
		p := h.resetForm(s, a, name, "")
		p.Error = "The two passwords differ."
		h.render(w, r, s, http.StatusBadRequest, "reset", p)
		return
	}
	err := s.pool.ConfirmForgotPassword(r.Context(), userpool.ConfirmForgotPasswordInput{
		ClientID: a.ClientID, SecretHash: a.secretHash(name), Username: name,
		ConfirmationCode: strings.TrimSpace(r.PostFormValue("code")), Password: pw,
	})
	if err != nil && !errorsIsLambda(err) {
		p := h.resetForm(s, a, name, "")
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "reset", p)
		return
	}
	q := a.query()
	q.Set("username", name)
	q.Set("notice", "reset")
	http.Redirect(w, r, s.local(pathLogin, q), http.StatusSeeOther)
}
