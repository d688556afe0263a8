package oidc

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/userpool/userpool"
)

// The sign-in pages run the pool's sign-in state machine
// (userpool.Pool.ManagedInitiateAuth and ManagedRespondToAuthChallenge):
// the password first, then whatever challenge the pool asks (a new
// password, an MFA code, ...), each as a page. A challenge's Session
// travels in its form, as it would in any Cognito client: it is opaque,
// single use, short-lived and kept server-side as a hash by the pool.
// When the sign-in completes, the handler issues an authorization code and
// redirects to the client.

// loginRequest returns the authorization request a login page serves, or
// answers the request with its error and returns nil.
func (h *Handler) loginRequest(w http.ResponseWriter, r *http.Request, s *site) *authzRequest {
	a, aerr := parseAuthz(r.Context(), s.pool, r.URL.Query())
	if aerr != nil {
		h.authzFailed(w, r, s, a, aerr)
		return nil
	}
	return a
}

// postedForm parses a login page's form and checks its CSRF token; on
// failure it answers the request and returns false.
func (h *Handler) postedForm(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest) bool {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		h.render(w, r, s, http.StatusBadRequest, "error", &page{Title: "Something went wrong", Error: "The form could not be read."})
		return false
	}
	if !csrfOK(r, s) {
		h.render(w, r, s, http.StatusForbidden, "error", &page{
			Title: "Your session expired",
			Error: "The form had expired or did not come from this site. Please start again.",
			Links: []link{{"Sign in", s.local(pathLogin, a.query())}},
		})
		return false
	}
	return true
}

// maxFormBytes bounds a page's posted form.
const maxFormBytes = 64 << 10

// secretHash is the SECRET_HASH of the client's requests for name, or ""
// for a public client: the pages act for the client, server-side.
func (a *authzRequest) secretHash(name string) string {
	if a.client.Secret == "" {
		return ""
	}
	return userpool.SecretHash(name, a.client.ID, a.client.Secret)
}

// usernameField is the sign-in name field, labelled as the pool's users
// name themselves.
func usernameField(s *site, value string) field {
	f := field{Name: "username", Label: "User name", Type: "text", Autocomplete: "username", Value: value, Required: true}
	attrs := s.pool.Config().SignIn.UsernameAttributes
	switch {
	case slices.Equal(attrs, []string{"email"}):
		f.Label, f.Type = "Email address", "email"
	case slices.Equal(attrs, []string{"phone_number"}):
		f.Label, f.Type, f.Hint = "Phone number", "tel", "With the country code, for example +12065551234."
	case len(attrs) > 1:
		f.Label = "Email address or phone number"
	}
	return f
}

func (h *Handler) signInPage(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil {
		return
	}
	p := h.signInForm(s, a, r.URL.Query().Get("username"))
	switch r.URL.Query().Get("notice") {
	case "confirmed":
		p.Notice = "Your account is confirmed. You can sign in now."
	case "reset":
		p.Notice = "Your password has been reset. You can sign in with the new one."
	}
	h.render(w, r, s, http.StatusOK, "signin", p)
}

// signInForm is the sign-in page for a.
func (h *Handler) signInForm(s *site, a *authzRequest, username string) *page {
	q := a.query()
	p := &page{
		Title:  "Sign in",
		Client: a.client.Name,
		Action: s.local(pathLogin, q),
		Fields: []field{
			usernameField(s, username),
			{Name: "password", Label: "Password", Type: "password", Autocomplete: "current-password", Required: true},
		},
		Links: []link{{"Forgot your password?", s.local(pathForgot, q)}},
	}
	p.Fields[0].Autofocus = username == ""
	p.Fields[1].Autofocus = username != ""
	// The pool's passwordless first factors: a code instead of the
	// password, by a button of their own.
	for _, f := range s.pool.Config().AllowedFirstAuthFactors {
		if label := codeSignInLabels[f]; label != "" {
			p.Options = append(p.Options, option{Name: fieldSignInCode, Value: f, Label: label})
		}
	}
	if !s.pool.Config().AdminCreateUserOnly {
		p.Links = append(p.Links, link{"Need an account? Sign up", s.local(pathSignUp, q)})
	}
	return p
}

func (h *Handler) signIn(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	name := strings.TrimSpace(r.PostFormValue("username"))
	password := r.PostFormValue("password")
	if f := r.PostFormValue(fieldSignInCode); f != "" {
		h.signInWithCode(w, r, s, a, name, f)
		return
	}
	if name == "" || password == "" {
		p := h.signInForm(s, a, name)
		p.Error = "Enter your user name and password."
		h.render(w, r, s, http.StatusBadRequest, "signin", p)
		return
	}
	out, user, err := s.pool.ManagedInitiateAuth(r.Context(), userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword,
		ClientID: a.ClientID,
		AuthParameters: map[string]string{
			"USERNAME": name, "PASSWORD": password, "SECRET_HASH": a.secretHash(name),
		},
	})
	switch {
	case errors.Is(err, userpool.ErrUserNotConfirmed):
		q := a.query()
		q.Set("username", name)
		http.Redirect(w, r, s.local(pathConfirm, q), http.StatusSeeOther)
	case errors.Is(err, userpool.ErrPasswordResetRequired):
		h.startReset(w, r, s, a, name, "Your password must be reset.")
	case err != nil:
		p := h.signInForm(s, a, name)
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "signin", p)
	default:
		h.signInStep(w, r, s, a, name, out, user)
	}
}

// signInStep goes on from a sign-in step that succeeded: to the client
// with a code when the user is signed in, or to the next challenge's page.
func (h *Handler) signInStep(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name string, out userpool.AuthOutput, user *userpool.SignedInUser) {
	if user != nil {
		h.finishSignIn(w, r, s, a, user)
		return
	}
	if out.ChallengeName == userpool.ChallengeMFASetup && !h.startSetup(w, r, s, a, name, &out) {
		return
	}
	h.showChallenge(w, r, s, a, name, out)
}

// showChallenge renders the page of out's challenge, or an error page for
// a challenge the pages do not offer.
func (h *Handler) showChallenge(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name string, out userpool.AuthOutput) {
	p, ok := challengePage(s, a, name, out.ChallengeName, out.Session, out.ChallengeParameters)
	if !ok {
		h.render(w, r, s, http.StatusBadRequest, "error", &page{
			Title: "Sign-in not available",
			Error: "This account needs a sign-in step these pages do not offer (" + out.ChallengeName + ").",
		})
		return
	}
	h.render(w, r, s, http.StatusOK, p.template, &p.page)
}

// finishSignIn issues the authorization code of a completed sign-in and
// sends the browser back to the client with it.
func (h *Handler) finishSignIn(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, user *userpool.SignedInUser) {
	code, err := h.issueCode(r.Context(), s.pool, codeGrant{
		ClientID:      a.ClientID,
		RedirectURI:   a.RedirectURI,
		Scopes:        a.Scopes,
		Nonce:         a.Nonce,
		CodeChallenge: a.CodeChallenge,
		Sub:           user.Sub,
		AuthTime:      user.AuthTime.Unix(),
	})
	if err != nil {
		h.log.Error("oidc: issue a code", "err", err)
		h.authzFailed(w, r, s, a, &authzError{redirect: true, code: "server_error", description: "the code could not be issued"})
		return
	}
	q := url.Values{"code": {code}}
	if a.State != "" {
		q.Set("state", a.State)
	}
	http.Redirect(w, r, addQuery(a.RedirectURI, q), http.StatusSeeOther)
}

// challengeView is a challenge's page and template.
type challengeView struct {
	page
	template string
}

// codeAnswers names the answer of each one-time-code challenge.
var codeAnswers = map[string]string{
	userpool.ChallengeSMSMFA:           "SMS_MFA_CODE",
	userpool.ChallengeSoftwareTokenMFA: "SOFTWARE_TOKEN_MFA_CODE",
	userpool.ChallengeEmailOTP:         "EMAIL_OTP_CODE",
	userpool.ChallengeSMSOTP:           "SMS_OTP_CODE",
}

// fieldSignInCode is the sign-in page's button that asks for a code
// instead of the password; its value is the first factor.
const fieldSignInCode = "code_sign_in"

// codeSignInLabels label those buttons.
var codeSignInLabels = map[string]string{
	userpool.FirstFactorEmailOTP: "Email me a sign-in code",
	userpool.FirstFactorSMSOTP:   "Text me a sign-in code",
}

// signInWithCode starts a passwordless sign-in (USER_AUTH with the first
// factor f): the pool sends a code and the code page follows.
func (h *Handler) signInWithCode(w http.ResponseWriter, r *http.Request, s *site, a *authzRequest, name, f string) {
	if name == "" || codeSignInLabels[f] == "" {
		p := h.signInForm(s, a, name)
		p.Error = "Enter your user name to get a sign-in code."
		h.render(w, r, s, http.StatusBadRequest, "signin", p)
		return
	}
	out, user, err := s.pool.ManagedInitiateAuth(r.Context(), userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUser,
		ClientID: a.ClientID,
		AuthParameters: map[string]string{
			"USERNAME": name, "PREFERRED_CHALLENGE": f, "SECRET_HASH": a.secretHash(name),
		},
	})
	if err != nil {
		p := h.signInForm(s, a, name)
		p.Error = h.message(err)
		h.render(w, r, s, statusOf(err), "signin", p)
		return
	}
	h.signInStep(w, r, s, a, name, out, user)
}

// challengePage builds the page that answers a challenge; false for a
// challenge the pages cannot answer.
func challengePage(s *site, a *authzRequest, name, challenge, session string, params map[string]string) (challengeView, bool) {
	v := challengeView{page: page{
		Client: a.client.Name,
		Action: s.local(pathChallenge, a.query()),
		Hidden: []hidden{{"challenge", challenge}, {"session", session}, {"username", name}},
		Links:  []link{{"Start again", s.local(pathLogin, a.query())}},
	}}
	codeField := field{Name: "code", Label: "Code", Type: "text", InputMode: "numeric", Autocomplete: "one-time-code", Required: true, Autofocus: true}
	switch challenge {
	case userpool.ChallengeNewPasswordRequired:
		v.template, v.Title = "newpassword", "Change your password"
		v.Fields = []field{
			{Name: "new_password", Label: "New password", Type: "password", Autocomplete: "new-password", Required: true, Autofocus: true, Hint: passwordHint(s)},
			{Name: "confirm_password", Label: "Confirm the new password", Type: "password", Autocomplete: "new-password", Required: true},
		}
		var required []string
		_ = json.Unmarshal([]byte(params["requiredAttributes"]), &required)
		for _, r := range required {
			attr := strings.TrimPrefix(r, "userAttributes.")
			f := attributeField(attr)
			f.Name = "userAttributes." + attr
			v.Fields = append(v.Fields, f)
		}
	case userpool.ChallengeSMSMFA, userpool.ChallengeEmailOTP, userpool.ChallengeSMSOTP:
		dest := params["CODE_DELIVERY_DESTINATION"]
		v.template, v.Title = "mfa", "Enter your sign-in code"
		if challenge != userpool.ChallengeEmailOTP {
			v.Message = "We sent a code by text message to " + dest + "."
		} else {
			v.Message = "We sent a code by email to " + dest + "."
		}
		if dest == "" {
			v.Message = "We sent you a code."
		}
		v.Hidden = append(v.Hidden, hidden{fieldDestination, dest})
		v.Fields = []field{codeField}
	case userpool.ChallengeSoftwareTokenMFA:
		device := params["FRIENDLY_DEVICE_NAME"]
		v.template, v.Title = "mfa", "Enter your sign-in code"
		v.Message = "Enter the code your authenticator app shows."
		if device != "" {
			v.Message = "Enter the code your authenticator app (" + device + ") shows."
		}
		v.Hidden = append(v.Hidden, hidden{fieldDevice, device})
		v.Fields = []field{codeField}
	case userpool.ChallengeSelectMFAType:
		v.template, v.Title = "mfaselect", "Choose how to verify"
		v.Message = "How do you want to receive your sign-in code?"
		var choices []string
		_ = json.Unmarshal([]byte(params["MFAS_CAN_CHOOSE"]), &choices)
		for _, c := range choices {
			if label := challengeLabels[c]; label != "" {
				v.Options = append(v.Options, option{Name: "answer", Value: c, Label: label})
			}
		}
		if len(v.Options) == 0 {
			return v, false
		}
		v.Hidden = append(v.Hidden, hidden{fieldChoices, params["MFAS_CAN_CHOOSE"]})
	case userpool.ChallengeMFASetup:
		// The parameters startSetup or mfaParams put there.
		switch params[paramSetup] {
		case setupChoose:
			return setupChoicePage(v, params["MFAS_CAN_SETUP"])
		case setupEmail:
			return setupEmailPage(v, params[fieldEmail]), true
		}
		if !setupPage(&v, s, session, params[paramOTPAuth], params[paramQRCode]) {
			return v, false
		}
		codeField.Label = "Code from the app"
		codeField.Hint = "The six digits the app shows for this account."
		v.Fields = []field{codeField, {
			Name: fieldDeviceName, Label: "Name of this authenticator", Type: "text", Autocomplete: "off",
			Value: params[fieldDeviceName], Hint: "Shown when we ask for a code, for example “phone”.",
		}}
	default:
		return v, false
	}
	return v, true
}

// passwordHint describes the pool's password policy.
func passwordHint(s *site) string {
	pp := s.pool.Config().PasswordPolicy
	var parts []string
	if pp.MinLength > 0 {
		parts = append(parts, "at least "+itoa(pp.MinLength)+" characters")
	}
	if pp.RequireUppercase {
		parts = append(parts, "an upper-case letter")
	}
	if pp.RequireLowercase {
		parts = append(parts, "a lower-case letter")
	}
	if pp.RequireNumbers {
		parts = append(parts, "a number")
	}
	if pp.RequireSymbols {
		parts = append(parts, "a symbol")
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) > 1 {
		parts[len(parts)-1] = "and " + parts[len(parts)-1]
	}
	return "Use " + strings.Join(parts, ", ") + "."
}

// answerChallenge serves the challenge pages' forms.
func (h *Handler) answerChallenge(w http.ResponseWriter, r *http.Request, s *site) {
	a := h.loginRequest(w, r, s)
	if a == nil || !h.postedForm(w, r, s, a) {
		return
	}
	challenge, session, name := r.PostFormValue("challenge"), r.PostFormValue("session"), r.PostFormValue("username")
	responses := map[string]string{"USERNAME": name}
	if sh := a.secretHash(name); sh != "" {
		responses["SECRET_HASH"] = sh
	}
	again := func(msg string) {
		v, ok := challengePage(s, a, name, challenge, session, challengeParams(r, s))
		if !ok {
			h.render(w, r, s, http.StatusBadRequest, "signin", h.signInForm(s, a, name))
			return
		}
		v.Error = msg
		h.render(w, r, s, http.StatusBadRequest, v.template, &v.page)
	}
	switch challenge {
	case userpool.ChallengeNewPasswordRequired:
		pw := r.PostFormValue("new_password")
		if pw != r.PostFormValue("confirm_password") {
			again("The two passwords differ.")
			return
		}
		responses["NEW_PASSWORD"] = pw
		for k, vs := range r.PostForm {
			if strings.HasPrefix(k, "userAttributes.") && len(vs) == 1 && vs[0] != "" {
				responses[k] = strings.TrimSpace(vs[0])
			}
		}
	case userpool.ChallengeSMSMFA, userpool.ChallengeSoftwareTokenMFA, userpool.ChallengeEmailOTP, userpool.ChallengeSMSOTP:
		responses[codeAnswers[challenge]] = strings.TrimSpace(r.PostFormValue("code"))
	case userpool.ChallengeSelectMFAType:
		responses["ANSWER"] = r.PostFormValue("answer")
	case userpool.ChallengeMFASetup:
		switch r.PostFormValue(fieldSetup) {
		case setupChoose:
			choice := r.PostFormValue("answer")
			var can []string
			_ = json.Unmarshal([]byte(r.PostFormValue(fieldCanSetup)), &can)
			if !slices.Contains(can, choice) || !slices.Contains(setupFactors, choice) {
				again("Choose one of the ways offered.")
				return
			}
			out := userpool.AuthOutput{ChallengeName: challenge, Session: session}
			if h.startFactorSetup(w, r, s, a, name, &out, choice) {
				h.showChallenge(w, r, s, a, name, out)
			}
			return
		case setupEmail:
			responses["EMAIL"] = strings.TrimSpace(r.PostFormValue(fieldEmail))
		default:
			next, err := verifySetup(r, s, session)
			switch {
			case err == nil:
				session = next
			case sessionKept(err):
				again(h.setupMessage(err))
				return
			default:
				h.restart(w, r, s, a, name, err)
				return
			}
		}
	default:
		h.render(w, r, s, http.StatusBadRequest, "signin", h.signInForm(s, a, name))
		return
	}
	out, user, err := s.pool.ManagedRespondToAuthChallenge(r.Context(), userpool.RespondInput{
		ClientID: a.ClientID, ChallengeName: challenge, Session: session, ChallengeResponses: responses,
	})
	switch {
	case err == nil:
		h.signInStep(w, r, s, a, name, out, user)
	case errors.Is(err, userpool.ErrNotAuthorized) && strings.HasPrefix(h.message(err), "Invalid session"):
		h.restart(w, r, s, a, name, err)
	case challenge != userpool.ChallengeNewPasswordRequired && !sessionKept(err):
		// A code expired or tried too often ends the sign-in.
		h.restart(w, r, s, a, name, err)
	default:
		// The pool keeps the session for an answer refused for its form;
		// otherwise the next try tells the user to start again.
		again(h.message(err))
	}
}

// challengeParams rebuilds the parameters a challenge page shows from its
// form, for showing it again with an error.
func challengeParams(r *http.Request, s *site) map[string]string {
	params := mfaParams(r, s)
	var required []string
	for k := range r.PostForm {
		if strings.HasPrefix(k, "userAttributes.") {
			required = append(required, k)
		}
	}
	slices.Sort(required)
	b, _ := json.Marshal(required)
	params["requiredAttributes"] = string(b)
	return params
}

// message is the text shown for a refused request: the pool's message for
// its own errors (they are written for users, as Cognito's are), a
// generic one for anything unexpected.
func (h *Handler) message(err error) string {
	var ue *userpool.Error
	if errors.As(err, &ue) && !errors.Is(err, userpool.ErrInternal) && ue.Message != "" {
		return ue.Message
	}
	h.log.Error("oidc: unexpected error", "err", err)
	return "Something went wrong. Please try again."
}

// statusOf is the HTTP status of a page showing err.
func statusOf(err error) int {
	switch {
	case errors.Is(err, userpool.ErrNotAuthorized), errors.Is(err, userpool.ErrUserNotFound):
		return http.StatusUnauthorized
	case errors.Is(err, userpool.ErrTooManyRequests), errors.Is(err, userpool.ErrLimitExceeded):
		return http.StatusTooManyRequests
	case errors.Is(err, userpool.ErrInternal):
		return http.StatusInternalServerError
	}
	return http.StatusBadRequest
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
