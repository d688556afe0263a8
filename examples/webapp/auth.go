package main

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

// signUpFields are the sign-up form's attributes: the walk-through pool
// requires them all.
var signUpFields = []field{
	{Name: "name", Label: "Full name", Type: "text", Auto: "name"},
	{Name: "gender", Label: "Gender", Type: "text", Auto: "sex"},
	{Name: "address", Label: "Address", Type: "text", Auto: "street-address"},
	{Name: "phone_number", Label: "Phone number (+15555550100)", Type: "tel", Auto: "tel"},
	{Name: "profile", Label: "Profile URL", Type: "url", Auto: "url"},
}

// field is one attribute input of a form.
type field struct {
	Name, Label, Type, Auto, Value string
}

func (a *app) authRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /signup", a.signUpPage)
	mux.HandleFunc("POST /signup", a.signUp)
	mux.HandleFunc("GET /confirm", a.confirmPage)
	mux.HandleFunc("POST /confirm", a.confirm)
	mux.HandleFunc("POST /confirm/resend", a.resendCode)
	mux.HandleFunc("GET /signin", a.signInPage)
	mux.HandleFunc("POST /signin", a.signIn)
	mux.HandleFunc("GET /signin/new-password", a.newPasswordPage)
	mux.HandleFunc("POST /signin/new-password", a.newPassword)
	mux.HandleFunc("GET /forgot", a.forgotPage)
	mux.HandleFunc("POST /forgot", a.forgot)
	mux.HandleFunc("GET /reset", a.resetPage)
	mux.HandleFunc("POST /reset", a.reset)
	mux.HandleFunc("POST /signout", a.signOut)
	mux.HandleFunc("POST /signout/everywhere", requireUser(a.signOutEverywhere))
}

type signUpData struct {
	Email  string
	Fields []field
}

func (a *app) signUpPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "signup", "Sign up", signUpData{Fields: signUpFields})
}

func (a *app) signUp(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	attrs := map[string]string{"email": email}
	d := signUpData{Email: email}
	for _, f := range signUpFields {
		f.Value = strings.TrimSpace(r.PostFormValue(f.Name))
		attrs[f.Name] = f.Value
		d.Fields = append(d.Fields, f)
	}
	_, err := a.pool.SignUp(r.Context(), userpool.SignUpInput{
		ClientID: a.clientID, Username: email, Password: r.PostFormValue("password"), UserAttributes: attrs,
	})
	if err != nil {
		a.fail(w, r, "signup", "Sign up", d, err)
		return
	}
	redirect(w, r, "/confirm?email="+urlQuery(email), "We sent a confirmation code to "+email+".")
}

type emailData struct{ Email string }

func (a *app) confirmPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "confirm", "Confirm your account", emailData{r.URL.Query().Get("email")})
}

func (a *app) confirm(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	_, err := a.pool.ConfirmSignUp(r.Context(), userpool.ConfirmSignUpInput{
		ClientID: a.clientID, Username: email, ConfirmationCode: strings.TrimSpace(r.PostFormValue("code")),
	})
	if err != nil {
		a.fail(w, r, "confirm", "Confirm your account", emailData{email}, err)
		return
	}
	if err := a.firstAdmin(r.Context(), email); err != nil {
		a.log.Error("first admin", "err", err)
	}
	redirect(w, r, "/signin?email="+urlQuery(email), "Your account is confirmed; you can sign in.")
}

// firstAdmin makes email an administrator when the admin group is empty:
// the first user to confirm a sign-up manages the app.
func (a *app) firstAdmin(ctx context.Context, email string) error {
	members, err := a.pool.ListUsersInGroup(ctx, adminGroup, 1, "")
	if err != nil || len(members.Users) > 0 {
		return err
	}
	return a.pool.AdminAddUserToGroup(ctx, email, adminGroup)
}

func (a *app) resendCode(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	_, err := a.pool.ResendConfirmationCode(r.Context(), userpool.ResendConfirmationCodeInput{ClientID: a.clientID, Username: email})
	if err != nil {
		a.fail(w, r, "confirm", "Confirm your account", emailData{email}, err)
		return
	}
	redirect(w, r, "/confirm?email="+urlQuery(email), "We sent a new code.")
}

func (a *app) signInPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "signin", "Sign in", emailData{r.URL.Query().Get("email")})
}

func (a *app) signIn(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	out, err := a.pool.InitiateAuth(r.Context(), userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: a.clientID,
		AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": r.PostFormValue("password")},
	})
	if errors.Is(err, userpool.ErrUserNotConfirmed) {
		redirect(w, r, "/confirm?email="+urlQuery(email), "Please confirm your account first.")
		return
	}
	if err != nil {
		a.fail(w, r, "signin", "Sign in", emailData{email}, err)
		return
	}
	a.next(w, r, email, out)
}

// next continues a sign-in after a step: to the challenge's page, or
// home with the tokens.
func (a *app) next(w http.ResponseWriter, r *http.Request, email string, out userpool.AuthOutput) {
	s := sessionFrom(r)
	if res := out.AuthenticationResult; res != nil {
		// A signed-in session gets a new id (and CSRF token), so an id
		// planted in the browser before sign-in is worth nothing.
		a.sessions.delete(s.id)
		s = a.sessions.create(a.pool.Now())
		setCookie(w, r, s.id)
		s.setTokens(res)
		if a.admin != "" && strings.EqualFold(email, a.admin) {
			if err := a.makeAdmin(r.Context(), s, email); err != nil {
				a.log.Error("admin", "err", err)
			}
		}
		s.setFlash("You are signed in.", "")
		http.Redirect(w, r, "/profile", http.StatusSeeOther)
		return
	}
	user := email
	if u := out.ChallengeParameters["USER_ID_FOR_SRP"]; u != "" {
		user = u
	}
	s.setChallenge(out.ChallengeName, out.Session, user)
	switch out.ChallengeName {
	case userpool.ChallengeNewPasswordRequired:
		redirect(w, r, "/signin/new-password", "")
	case userpool.ChallengeSoftwareTokenMFA:
		redirect(w, r, "/signin/mfa", "")
	case userpool.ChallengeEmailOTP:
		redirect(w, r, "/signin/code", "")
	default:
		s.setChallenge("", "", "")
		s.setFlash("", "This app cannot answer the "+out.ChallengeName+" challenge.")
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
	}
}

// makeAdmin adds the -admin user to the admin group and refreshes the
// session's tokens, so their groups claim says so at once.
func (a *app) makeAdmin(ctx context.Context, s *session, email string) error {
	if err := a.pool.AdminAddUserToGroup(ctx, email, adminGroup); err != nil {
		return err
	}
	_, refresh := s.tokens()
	res, err := a.pool.RefreshTokens(ctx, userpool.RefreshInput{ClientID: a.clientID, RefreshToken: refresh})
	if err != nil {
		return err
	}
	s.setTokens(&res)
	return nil
}

// challengeFor returns the session's sign-in in progress if it is want.
func challengeFor(r *http.Request, want string) (sess, user string, ok bool) {
	name, sess, user := sessionFrom(r).getChallenge()
	return sess, user, name == want && sess != ""
}

func (a *app) newPasswordPage(w http.ResponseWriter, r *http.Request) {
	if _, _, ok := challengeFor(r, userpool.ChallengeNewPasswordRequired); !ok {
		redirect(w, r, "/signin", "")
		return
	}
	a.render(w, r, http.StatusOK, "newpassword", "Choose a new password", nil)
}

func (a *app) newPassword(w http.ResponseWriter, r *http.Request) {
	sess, user, ok := challengeFor(r, userpool.ChallengeNewPasswordRequired)
	if !ok {
		redirect(w, r, "/signin", "Your sign-in expired; please sign in again.")
		return
	}
	out, err := a.pool.RespondToAuthChallenge(r.Context(), userpool.RespondInput{
		ClientID: a.clientID, ChallengeName: userpool.ChallengeNewPasswordRequired, Session: sess,
		ChallengeResponses: map[string]string{"USERNAME": user, "NEW_PASSWORD": r.PostFormValue("password")},
	})
	if err != nil {
		a.challengeFailed(w, r, "newpassword", "Choose a new password", err)
		return
	}
	a.next(w, r, user, out)
}

func (a *app) forgotPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "forgot", "Forgot your password?", emailData{})
}

func (a *app) forgot(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	_, err := a.pool.ForgotPassword(r.Context(), userpool.ForgotPasswordInput{ClientID: a.clientID, Username: email})
	if err != nil {
		a.fail(w, r, "forgot", "Forgot your password?", emailData{email}, err)
		return
	}
	redirect(w, r, "/reset?email="+urlQuery(email), "If "+email+" has an account, we sent it a code.")
}

func (a *app) resetPage(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "reset", "Reset your password", emailData{r.URL.Query().Get("email")})
}

func (a *app) reset(w http.ResponseWriter, r *http.Request) {
	email := strings.TrimSpace(r.PostFormValue("email"))
	err := a.pool.ConfirmForgotPassword(r.Context(), userpool.ConfirmForgotPasswordInput{
		ClientID: a.clientID, Username: email,
		ConfirmationCode: strings.TrimSpace(r.PostFormValue("code")), Password: r.PostFormValue("password"),
	})
	if err != nil {
		a.fail(w, r, "reset", "Reset your password", emailData{email}, err)
		return
	}
	redirect(w, r, "/signin?email="+urlQuery(email), "Your password is changed; you can sign in.")
}

// signOut revokes the session's refresh token (and with it the access
// token) and forgets the session.
func (a *app) signOut(w http.ResponseWriter, r *http.Request) {
	s := sessionFrom(r)
	if _, refresh := s.tokens(); refresh != "" {
		if err := a.pool.RevokeToken(r.Context(), refresh, a.clientID, ""); err != nil {
			a.log.Warn("revoke", "err", err)
		}
	}
	a.sessions.delete(s.id)
	fresh := a.sessions.create(a.pool.Now())
	setCookie(w, r, fresh.id)
	fresh.setFlash("You are signed out.", "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// signOutEverywhere revokes every refresh token of the user: other
// browsers are signed out when their access tokens next verify.
func (a *app) signOutEverywhere(w http.ResponseWriter, r *http.Request) {
	access, _ := sessionFrom(r).tokens()
	if err := a.pool.GlobalSignOut(r.Context(), access); err != nil {
		a.fail(w, r, "home", "Welcome", nil, err)
		return
	}
	a.signOut(w, r)
}

// challengeFailed shows a challenge's page again after a wrong answer,
// which keeps the sign-in's session for another try; when the session
// itself is gone (expired, used up, too many tries) the sign-in starts
// over.
func (a *app) challengeFailed(w http.ResponseWriter, r *http.Request, page, title string, err error) {
	if errors.Is(err, userpool.ErrNotAuthorized) {
		s := sessionFrom(r)
		s.setChallenge("", "", "")
		s.setFlash("", message(err)+" Please sign in again.")
		http.Redirect(w, r, "/signin", http.StatusSeeOther)
		return
	}
	a.fail(w, r, page, title, nil, err)
}
