package oidc

import (
	"bytes"
	"context"
	"encoding/base64"
	"html"
	"image/png"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/userpool/userpool"
)

func testSite(t *testing.T) (*site, *authzRequest) {
	t.Helper()
	p, err := userpool.New(context.Background(), "pages", userpool.WithIssuer("https://auth.example.com"),
		userpool.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	s := &site{pool: p, issuer: p.Issuer(), cookiePath: "/" + p.ID() + "/", secure: true}
	return s, &authzRequest{ClientID: "c", RedirectURI: "https://app.example/cb", Scopes: []string{"openid"}}
}

// TestChallengePages renders the page of every challenge the pages
// answer, with the answer fields the handler reads.
func TestChallengePages(t *testing.T) {
	s, a := testSite(t)
	h := &Handler{log: slog.New(slog.DiscardHandler)}
	cases := []struct {
		challenge string
		params    map[string]string
		want      []string
		text      string
	}{
		{userpool.ChallengeNewPasswordRequired, map[string]string{"requiredAttributes": `["userAttributes.family_name"]`},
			[]string{"new_password", "confirm_password", "userAttributes.family_name"}, "Family name"},
		{userpool.ChallengeSMSMFA, map[string]string{"CODE_DELIVERY_DESTINATION": "+*******1234"}, []string{"code"}, "+*******1234"},
		{userpool.ChallengeEmailOTP, map[string]string{"CODE_DELIVERY_DESTINATION": "a***@e***"}, []string{"code"}, "a***@e***"},
		{userpool.ChallengeSoftwareTokenMFA, nil, []string{"code"}, "authenticator app"},
		{userpool.ChallengeSelectMFAType, map[string]string{"MFAS_CAN_CHOOSE": `["SMS_MFA","SOFTWARE_TOKEN_MFA"]`}, []string{"answer", fieldChoices}, "Text message (SMS)"},
		{userpool.ChallengeMFASetup, map[string]string{paramOTPAuth: "otpauth://totp/pages:ana?issuer=pages&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"},
			[]string{"code", fieldOTPAuth, fieldOTPAuthMAC}, "<code>JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP</code>"},
	}
	for _, tc := range cases {
		t.Run(tc.challenge, func(t *testing.T) {
			v, ok := challengePage(s, a, "ana", tc.challenge, "session-string-of-20-chars", tc.params)
			if !ok {
				t.Fatal("no page")
			}
			rec := httptest.NewRecorder()
			h.render(rec, httptest.NewRequest("GET", "/", nil), s, 200, v.template, &v.page)
			body := rec.Body.String()
			for _, name := range append(tc.want, "csrf_token", "challenge", "session", "username") {
				if !strings.Contains(body, `name="`+name+`"`) {
					t.Errorf("no input %s", name)
				}
			}
			if !strings.Contains(html.UnescapeString(body), tc.text) {
				t.Errorf("page lacks %q:\n%s", tc.text, body)
			}
			// Every input has its label.
			for _, f := range v.Fields {
				if !strings.Contains(body, `<label for="`+f.Name+`">`) {
					t.Errorf("no label for %s", f.Name)
				}
			}
		})
	}
	if _, ok := challengePage(s, a, "ana", userpool.ChallengeCustom, "s", nil); ok {
		t.Error("a custom challenge got a page")
	}
	if _, ok := challengePage(s, a, "ana", userpool.ChallengeSelectMFAType, "s", map[string]string{"MFAS_CAN_CHOOSE": `["NOPE"]`}); ok {
		t.Error("an MFA choice without known factors got a page")
	}
	for _, uri := range []string{"", "https://example.com/?secret=A", "otpauth://hotp/x?secret=A", "otpauth://totp/x", "otpauth://%zz"} {
		if _, ok := challengePage(s, a, "ana", userpool.ChallengeMFASetup, "s", map[string]string{paramOTPAuth: uri}); ok {
			t.Errorf("a setup page for %q", uri)
		}
	}
}

// TestStyleHash: the CSP allows exactly the layout's style.
func TestStyleHash(t *testing.T) {
	s, a := testSite(t)
	rec := httptest.NewRecorder()
	h := &Handler{log: slog.New(slog.DiscardHandler)}
	h.render(rec, httptest.NewRequest("GET", "/", nil), s, 200, "signin", h.signInForm(s, a, ""))
	body := rec.Body.String()
	start, end := strings.Index(body, "<style>")+len("<style>"), strings.Index(body, "</style>")
	style := body[start:end]
	csp := rec.Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "'sha256-"+sha256Base64(style)+"'") {
		t.Errorf("CSP %q does not allow the rendered style", csp)
	}
	if cookies := rec.Result().Cookies(); len(cookies) != 1 || !cookies[0].Secure || !cookies[0].HttpOnly {
		t.Errorf("cookies %+v", cookies)
	}
}

func TestTOTPQRCode(t *testing.T) {
	s, _ := testSite(t)
	u, err := totpQRCode("Acme shop", "ana@example.com", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
	if err != nil {
		t.Fatal(err)
	}
	raw, ok := strings.CutPrefix(string(u), "data:image/png;base64,")
	if !ok {
		t.Fatalf("not a PNG data URL: %.40s", u)
	}
	b, err := base64.StdEncoding.DecodeString(raw)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil || img.Bounds().Dx() != qrSize {
		t.Fatalf("image %v %v", img.Bounds(), err)
	}
	rec := httptest.NewRecorder()
	h := &Handler{log: slog.New(slog.DiscardHandler)}
	h.render(rec, httptest.NewRequest("GET", "/", nil), s, 200, "mfasetup", &page{Title: "Set up", QRCode: u, SecretCode: "JBSWY3DP",
		Fields: []field{{Name: "code", Label: "Code", Type: "text", Required: true}}})
	if body := rec.Body.String(); !strings.Contains(body, `src="data:image/png;base64,`) || !strings.Contains(body, `alt="QR code`) {
		t.Errorf("setup page:\n%.600s", body)
	}
}

// BenchmarkSetupQRCode measures the QR code every setup page renders
// (and renders again after a wrong code).
func BenchmarkSetupQRCode(b *testing.B) {
	for b.Loop() {
		if _, err := qrCodeOf("otpauth://totp/shop:ana@example.com?issuer=shop&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"); err != nil {
			b.Fatal(err)
		}
	}
}
