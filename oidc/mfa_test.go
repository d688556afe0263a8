package oidc_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"html"
	"image/png"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	gooidc "github.com/coreos/go-oidc/v3/oidc"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/totptest"
)

// withTOTP gives ana (signed in without MFA through the pages) a verified,
// enabled and preferred authenticator and returns its secret. The clock
// moves on a step, so the code used to verify is not the current one.
func (e *env) withTOTP(t *testing.T) string {
	t.Helper()
	body := e.tokens("openid aws.cognito.signin.user.admin")
	access := body["access_token"].(string)
	a, err := e.pool.AssociateSoftwareToken(e.ctx, userpool.AssociateSoftwareTokenInput{AccessToken: access})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.pool.VerifySoftwareToken(e.ctx, userpool.VerifySoftwareTokenInput{
		AccessToken: access, UserCode: totptest.Code(t, a.SecretCode, e.clock.Now()), FriendlyDeviceName: "Ana's phone",
	}); err != nil {
		t.Fatal(err)
	}
	if err := e.pool.SetUserMFAPreference(e.ctx, userpool.SetUserMFAPreferenceInput{
		AccessToken: access, SoftwareTokenMfaSettings: &userpool.MFASettings{Enabled: true, PreferredMfa: true},
	}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Second)
	return a.SecretCode
}

// wantPage checks a page's status and that it contains every text.
func wantPage(t *testing.T, name string, res response, status int, texts ...string) {
	t.Helper()
	if res.status != status {
		t.Fatalf("%s: got %d, want %d\n%s", name, res.status, status, res.body)
	}
	body := html.UnescapeString(res.body)
	for _, s := range texts {
		if !strings.Contains(body, s) {
			t.Fatalf("%s: page lacks %q\n%s", name, s, res.body)
		}
	}
}

// TestTOTPSignInWithStandardClients: a user with an authenticator signs
// in to a go-oidc / x/oauth2 app through the pages: the password, then a
// wrong code (the page comes back with the error), then the right code,
// and the app gets its tokens.
func TestTOTPSignInWithStandardClients(t *testing.T) {
	app := &rp{}
	e := newEnv(t, app, userpool.WithMFA(userpool.MFAOptional, userpool.FactorTOTP))
	app.connect(t, e, e.public.ID, "", gooidc.ScopeOpenID, "email")
	e.user("ana", "ana@example.com")
	secret := e.withTOTP(t)

	b := newBrowser(t)
	login := b.get(e.app.URL + "/login")
	codePage := b.submit(login, map[string]string{"username": "ana", "password": password})
	wantPage(t, "code page", codePage, http.StatusOK, "Enter your sign-in code", "authenticator app (Ana's phone)", `autocomplete="one-time-code"`)
	code := totptest.Code(t, secret, e.clock.Now())
	wrong := b.submit(codePage, map[string]string{"code": totptest.WrongCode(code)})
	wantPage(t, "wrong code", wrong, http.StatusBadRequest, `role="alert"`, "Invalid code received for user", "Ana's phone")
	if parseForm(t, wrong.body).values.Get("session") != parseForm(t, codePage.body).values.Get("session") {
		t.Error("the page came back with another session")
	}
	done := b.submit(wrong, map[string]string{"code": code})
	if done.status != http.StatusOK {
		t.Fatalf("callback: %d %s", done.status, done.body)
	}
	var claims map[string]any
	if err := json.Unmarshal([]byte(done.body), &claims); err != nil {
		t.Fatal(err)
	}
	if claims["cognito:username"] != "ana" || claims["email"] != "ana@example.com" {
		t.Errorf("ID token claims %v", claims)
	}
	app.mu.Lock()
	tok := app.token
	app.mu.Unlock()
	if _, err := e.pool.Verifier().Verify(e.ctx, tok.AccessToken, userpool.TokenUseAccess); err != nil || tok.RefreshToken == "" {
		t.Errorf("tokens %+v: %v", tok, err)
	}
}

var (
	secretPattern = regexp.MustCompile(`<code>([A-Z2-7]+)</code>`)
	qrPattern     = regexp.MustCompile(`<img class="qr" src="data:image/png;base64,([A-Za-z0-9+/=]+)"[^>]* alt="[^"]+"`)
)

// qrImage checks that a page shows an inline PNG QR code with a text
// alternative.
func qrImage(t *testing.T, body string) {
	t.Helper()
	m := qrPattern.FindStringSubmatch(html.UnescapeString(body))
	if m == nil {
		t.Fatalf("no inline QR code:\n%s", body)
	}
	b, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(b)); err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("QR image: %v", err)
	}
}

// TestMFASetupPages: in a pool that requires MFA, a user without a factor
// sets up an authenticator from the QR code page (with the secret as
// text too), gets through a wrong code, and is signed in; the next
// sign-in asks for the app's code.
func TestMFASetupPages(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFARequired, userpool.FactorTOTP))
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	setup := b.submit(login, map[string]string{"username": "ana", "password": password})
	wantPage(t, "setup page", setup, http.StatusOK, "Set up an authenticator app", `alt="QR code`)
	qrImage(t, setup.body)
	if csp := setup.header.Get("Content-Security-Policy"); !strings.Contains(csp, "img-src data:;") || !strings.Contains(csp, "default-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	m := secretPattern.FindStringSubmatch(setup.body)
	if m == nil || len(m[1]) != 32 {
		t.Fatalf("no secret shown:\n%s", setup.body)
	}
	secret := m[1]

	code := totptest.Code(t, secret, e.clock.Now())
	wrong := b.submit(setup, map[string]string{"code": totptest.WrongCode(code), "device_name": "work phone"})
	wantPage(t, "wrong code", wrong, http.StatusBadRequest, `role="alert"`, "That code is not the one the app shows", "<code>"+secret+"</code>", `value="work phone"`)
	qrImage(t, wrong.body)
	// A secret changed in the form is not shown.
	tampered := b.submit(wrong, map[string]string{"code": totptest.WrongCode(code), "otpauth": strings.Replace(parseForm(t, wrong.body).values.Get("otpauth"), secret, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", 1)})
	if strings.Contains(tampered.body, "JBSWY3DP") || strings.Contains(tampered.body, "<img") {
		t.Fatalf("a tampered secret was shown:\n%s", tampered.body)
	}

	authCode := wantCode(t, e, b.submit(wrong, map[string]string{"code": code}))
	status, body := e.exchange(e.public, "", url.Values{"code": {authCode}, "redirect_uri": {e.app.URL + "/callback"}, "code_verifier": {verifier}})
	if status != http.StatusOK || body["id_token"] == nil || body["access_token"] == nil {
		t.Fatalf("exchange: %d %v", status, body)
	}
	u, err := e.pool.AdminGetUser(e.ctx, "ana")
	if err != nil || u.PreferredMFA != userpool.FactorTOTP {
		t.Errorf("user after setup: %+v %v", u, err)
	}

	// The next sign-in asks for the app's code.
	e.clock.Advance(30 * time.Second)
	b2 := newBrowser(t)
	b2.stopAt = e.app.URL
	codePage := b2.submit(b2.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "ana", "password": password})
	wantPage(t, "code page", codePage, http.StatusOK, "Enter the code your authenticator app (work phone) shows.")
	wantCode(t, e, b2.submit(codePage, map[string]string{"code": totptest.Code(t, secret, e.clock.Now())}))
}

// smsUser creates bea with a verified phone number and email and the
// given factors enabled, none preferred.
func (e *env) smsUser(t *testing.T, factors ...userpool.Factor) {
	t.Helper()
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{
		Username: "bea", MessageAction: userpool.MessageSuppress,
		UserAttributes: map[string]string{"email": "bea@example.com", "email_verified": "true", "phone_number": "+12065551234", "phone_number_verified": "true"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: "bea", Password: password, Permanent: true}); err != nil {
		t.Fatal(err)
	}
	in := userpool.SetUserMFAPreferenceInput{Username: "bea"}
	on := &userpool.MFASettings{Enabled: true}
	for _, f := range factors {
		switch f {
		case userpool.FactorSMS:
			in.SMSMfaSettings = on
		case userpool.FactorEmail:
			in.EmailMfaSettings = on
		}
	}
	if err := e.pool.AdminSetUserMFAPreference(e.ctx, in); err != nil {
		t.Fatal(err)
	}
}

func newCodeEnv(t *testing.T) *env {
	return newEnv(t, nil, userpool.WithMFA(userpool.MFAOptional, userpool.FactorSMS, userpool.FactorEmail),
		userpool.WithAutoVerifiedAttributes("email", "phone_number"))
}

// TestSMSCodePages: a code by text message, read from the pool's Sender;
// a wrong one first.
// With the confidential client, the pages answer with its SECRET_HASH.
func TestSMSCodePages(t *testing.T) {
	e := newCodeEnv(t)
	e.smsUser(t, userpool.FactorSMS)
	for _, c := range []userpool.Client{e.public, e.secret} {
		t.Run(c.Name, func(t *testing.T) {
			b := newBrowser(t)
			b.stopAt = e.app.URL
			codePage := b.submit(b.get(e.authorizeURL(c, nil)), map[string]string{"username": "bea", "password": password})
			wantPage(t, "code page", codePage, http.StatusOK, "We sent a code by text message to +*******1234.")
			code := e.sent.code(t, "+12065551234")
			wrong := b.submit(codePage, map[string]string{"code": totptest.WrongCode(code)})
			wantPage(t, "wrong code", wrong, http.StatusBadRequest, "Invalid code or auth state for the user.", "+*******1234")
			wantCode(t, e, b.submit(wrong, map[string]string{"code": code}))
		})
	}
}

// userWithoutEmail creates a user with no email address (nor phone), so
// that a pool requiring MFA can only ask the user to set a factor up.
func (e *env) userWithoutEmail(t *testing.T, name string) {
	t.Helper()
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{
		Username: name, MessageAction: userpool.MessageSuppress, UserAttributes: map[string]string{"given_name": "Cy"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: name, Password: password, Permanent: true}); err != nil {
		t.Fatal(err)
	}
}

// TestMFASetupEmailPages: MFA required with an authenticator app and
// email offered, and a user with neither: the pages offer both; email
// asks for an address (a malformed one is refused on the same page),
// sends a code there, and the right code signs in and makes the address
// the user's verified email and email MFA the user's factor.
func TestMFASetupEmailPages(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFARequired, userpool.FactorTOTP, userpool.FactorEmail))
	e.userWithoutEmail(t, "cy")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	choice := b.submit(b.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "cy", "password": password})
	wantPage(t, "setup choice", choice, http.StatusOK, "Add a second sign-in step", "Authenticator app", `value="EMAIL_OTP"`)
	bad := b.submit(choice, map[string]string{"answer": userpool.ChallengeSMSMFA})
	wantPage(t, "unoffered choice", bad, http.StatusBadRequest, "Choose one of the ways offered.", "Authenticator app")

	emailPage := b.submit(bad, map[string]string{"answer": userpool.ChallengeEmailOTP})
	wantPage(t, "email setup page", emailPage, http.StatusOK, "Get sign-in codes by email", `type="email"`)
	malformed := b.submit(emailPage, map[string]string{"email": "not an address"})
	wantPage(t, "malformed address", malformed, http.StatusBadRequest, `role="alert"`, "Invalid email address format.", "Get sign-in codes by email")
	codePage := b.submit(malformed, map[string]string{"email": "cy@example.com"})
	wantPage(t, "code page", codePage, http.StatusOK, "We sent a code by email to c***@e***")
	wantCode(t, e, b.submit(codePage, map[string]string{"code": e.sent.code(t, "cy@example.com")}))
	u, err := e.pool.AdminGetUser(e.ctx, "cy")
	if err != nil || u.Attributes["email"] != "cy@example.com" || u.Attributes["email_verified"] != "true" || u.PreferredMFA != userpool.FactorEmail {
		t.Errorf("user after email setup: %+v %v", u, err)
	}

	// The app is the other choice.
	e.userWithoutEmail(t, "dee")
	b2 := newBrowser(t)
	b2.stopAt = e.app.URL
	choice = b2.submit(b2.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "dee", "password": password})
	wantPage(t, "app choice", b2.submit(choice, map[string]string{"answer": userpool.ChallengeSoftwareTokenMFA}), http.StatusOK, "Set up an authenticator app", `alt="QR code`)
}

// TestMFASetupEmailOnly: with email the only factor offered, the email
// page comes at once.
func TestMFASetupEmailOnly(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFARequired, userpool.FactorEmail))
	e.userWithoutEmail(t, "cy")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	res := b.submit(b.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "cy", "password": password})
	wantPage(t, "email setup page", res, http.StatusOK, "Get sign-in codes by email")
}

// TestMFASetupNotOffered: MFA required with SMS only and a user without a
// phone number: the pages cannot set up SMS, and say so.
func TestMFASetupNotOffered(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFARequired, userpool.FactorSMS), userpool.WithAutoVerifiedAttributes("email", "phone_number"))
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	res := b.submit(b.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "ana", "password": password})
	wantPage(t, "setup not offered", res, http.StatusBadRequest, "second sign-in factor that these pages cannot set up")
}

// TestSelectMFATypePages: a user with SMS and email and no preference
// chooses email on the choice page and answers its code.
func TestSelectMFATypePages(t *testing.T) {
	e := newCodeEnv(t)
	e.smsUser(t, userpool.FactorSMS, userpool.FactorEmail)
	b := newBrowser(t)
	b.stopAt = e.app.URL
	choice := b.submit(b.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "bea", "password": password})
	wantPage(t, "choice page", choice, http.StatusOK, "Choose how to verify", "Text message (SMS)", `value="EMAIL_OTP"`, "<legend>")
	// An answer the pool did not offer brings the choice back.
	bad := b.submit(choice, map[string]string{"answer": "SOFTWARE_TOKEN_MFA"})
	wantPage(t, "unoffered choice", bad, http.StatusBadRequest, "Invalid MFA type", "Text message (SMS)")
	codePage := b.submit(bad, map[string]string{"answer": userpool.ChallengeEmailOTP})
	wantPage(t, "email code page", codePage, http.StatusOK, "We sent a code by email to b***@e***")
	wantCode(t, e, b.submit(codePage, map[string]string{"code": e.sent.code(t, "bea@example.com")}))
}

// TestMFASessionEnds: once the session of a code page is gone (expired,
// or too many wrong codes), the sign-in page comes back saying so.
func TestMFASessionEnds(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFAOptional, userpool.FactorTOTP))
	e.user("ana", "ana@example.com")
	secret := e.withTOTP(t)
	signIn := func() (*browser, response) {
		b := newBrowser(t)
		b.stopAt = e.app.URL
		return b, b.submit(b.get(e.authorizeURL(e.public, nil)), map[string]string{"username": "ana", "password": password})
	}
	t.Run("Expired", func(t *testing.T) {
		b, codePage := signIn()
		e.clock.Advance(4 * time.Minute)
		res := b.submit(codePage, map[string]string{"code": totptest.Code(t, secret, e.clock.Now())})
		wantPage(t, "expired", res, http.StatusUnauthorized, "Your sign-in took too long. Please sign in again.", `name="password"`)
		// And the sign-in page works.
		codePage = b.submit(res, map[string]string{"password": password})
		e.clock.Advance(30 * time.Second)
		wantCode(t, e, b.submit(codePage, map[string]string{"code": totptest.Code(t, secret, e.clock.Now())}))
	})
	t.Run("TooManyWrongCodes", func(t *testing.T) {
		e.clock.Advance(30 * time.Second)
		b, page := signIn()
		code := totptest.Code(t, secret, e.clock.Now())
		for i := 0; i < 10 && !strings.Contains(page.body, `name="password"`); i++ {
			page = b.submit(page, map[string]string{"code": totptest.WrongCode(code)})
		}
		wantPage(t, "after wrong codes", page, http.StatusUnauthorized, "had too many wrong answers. Please sign in again.", `name="password"`)
	})
}

// FuzzChallengeForm posts arbitrary challenge forms (with a valid CSRF
// token, so they reach the pool): never a server error, never a redirect
// to the client (no form without a live session signs anyone in), and
// never a setup page showing a secret the pool did not issue.
func FuzzChallengeForm(f *testing.F) {
	e := newEnv(f, nil, userpool.WithMFA(userpool.MFAOptional, userpool.FactorTOTP, userpool.FactorSMS),
		userpool.WithAutoVerifiedAttributes("email", "phone_number"))
	b := newBrowser(f)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	csrf := parseForm(f, login.body).values.Get("csrf_token")
	action := sibling(login, "/challenge")
	session := strings.Repeat("A", 54)
	f.Add(userpool.ChallengeSoftwareTokenMFA, session, "123456", "", "", "")
	f.Add(userpool.ChallengeSMSMFA, session, "", "", "", "")
	f.Add(userpool.ChallengeSelectMFAType, session, "SMS_MFA", "", "", `["SMS_MFA","NOPE"]`)
	f.Add(userpool.ChallengeMFASetup, session, "123456", "otpauth://totp/x:ana?secret=JBSWY3DPEHPK3PXP", "AAAA", "")
	f.Add(userpool.ChallengeMFASetup, "", "", "otpauth://%zz", "", "")
	f.Add("NOPE", "x", "\x00", "", "", "")
	f.Fuzz(func(t *testing.T, challenge, session, code, otpauth, mac, choices string) {
		form := url.Values{
			"csrf_token": {csrf}, "challenge": {challenge}, "session": {session}, "username": {"ana"},
			"code": {code}, "answer": {code}, "otpauth": {otpauth}, "otpauth_mac": {mac}, "choices": {choices},
		}
		req, err := http.NewRequest(http.MethodPost, action, strings.NewReader(form.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := b.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 500 || res.StatusCode == http.StatusSeeOther || res.Header.Get("Location") != "" {
			t.Fatalf("status %d, location %q", res.StatusCode, res.Header.Get("Location"))
		}
		if strings.Contains(string(body), "<img") {
			t.Fatalf("a setup page for a forged form:\n%s", body)
		}
	})
}

// TestPasswordlessSignInPages: a pool that allows sign-in codes shows a
// button for each on the sign-in page; the email one sends a code and
// brings the code page, whose right code signs in; a wrong code shows the
// page again.
func TestPasswordlessSignInPages(t *testing.T) {
	e := newEnv(t, nil, userpool.WithMFA(userpool.MFAOptional, userpool.FactorSMS, userpool.FactorEmail),
		userpool.WithAutoVerifiedAttributes("email", "phone_number"),
		userpool.WithAllowedFirstAuthFactors(userpool.FirstFactorPassword, userpool.FirstFactorEmailOTP, userpool.FirstFactorSMSOTP))
	e.user("ana", "ana@example.com")
	b := newBrowser(t)
	b.stopAt = e.app.URL
	login := b.get(e.authorizeURL(e.public, nil))
	wantPage(t, "sign-in page", login, http.StatusOK, "Email me a sign-in code", "Text me a sign-in code", "formnovalidate")

	noName := b.submit(login, map[string]string{"code_sign_in": userpool.FirstFactorEmailOTP})
	wantPage(t, "no user name", noName, http.StatusBadRequest, "Enter your user name to get a sign-in code.")
	codePage := b.submit(login, map[string]string{"username": "ana", "code_sign_in": userpool.FirstFactorEmailOTP})
	wantPage(t, "code page", codePage, http.StatusOK, "We sent a code by email to a***@e***")
	code := e.sent.code(t, "ana@example.com")
	wrong := b.submit(codePage, map[string]string{"code": totptest.WrongCode(code)})
	wantPage(t, "wrong code", wrong, http.StatusBadRequest, `role="alert"`)
	authCode := wantCode(t, e, b.submit(wrong, map[string]string{"code": code}))
	status, body := e.exchange(e.public, "", url.Values{"code": {authCode}, "redirect_uri": {e.app.URL + "/callback"}, "code_verifier": {verifier}})
	if status != http.StatusOK || body["id_token"] == nil {
		t.Fatalf("exchange: %d %v", status, body)
	}
}
