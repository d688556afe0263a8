package oidc

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"html/template"
	"net/http"
	"regexp"
)

// The pages are html/template files embedded in the binary: one layout
// and one template per page. They need no JavaScript and load nothing from
// elsewhere: the style is inline (allowed by its hash in the
// Content-Security-Policy) and the MFA setup QR code is a data: image.

//go:embed templates/*.html
var templateFS embed.FS

var pages = map[string]*template.Template{}

func init() {
	for _, name := range []string{"signin", "newpassword", "mfa", "mfaselect", "mfasetup", "mfaemail", "signup", "confirm", "forgot", "reset", "error", "signedout"} {
		pages[name] = template.Must(template.ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	layout, err := templateFS.ReadFile("templates/layout.html")
	if err != nil {
		panic(err)
	}
	style := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindSubmatch(layout)
	contentSecurityPolicy = "default-src 'none'; style-src 'sha256-" + sha256Base64(string(style[1])) +
		"'; img-src data:; base-uri 'none'; frame-ancestors 'none'"
}

// contentSecurityPolicy allows the pages nothing but their own style and
// data: images; forms may post to the pages and redirect to the client.
var contentSecurityPolicy string

// page is what every page template gets.
type page struct {
	Title   string
	Pool    string
	Client  string
	Action  string
	CSRF    string
	Error   string
	Notice  string
	Message string
	Hidden  []hidden
	Fields  []field
	Options []option
	Links   []link
	// SecretCode and QRCode are the MFA setup page's.
	SecretCode string
	QRCode     template.URL
}

type hidden struct{ Name, Value string }

type field struct {
	Name, Label, Type, Autocomplete, InputMode, Value, Hint string
	Required, Autofocus                                     bool
}

type option struct{ Name, Value, Label string }

type link struct {
	Text string
	URL  string
}

// render writes a page with the security headers of every page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, s *site, status int, name string, p *page) {
	if p.Pool == "" && s != nil {
		p.Pool = s.pool.Config().Name
	}
	if s != nil && p.CSRF == "" {
		p.CSRF = csrfToken(w, r, s)
	}
	var buf bytes.Buffer
	if err := pages[name].ExecuteTemplate(&buf, "layout", p); err != nil {
		h.log.Error("oidc: render a page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	hd := w.Header()
	hd.Set("Content-Type", "text/html; charset=utf-8")
	hd.Set("Content-Security-Policy", contentSecurityPolicy)
	hd.Set("X-Frame-Options", "DENY")
	hd.Set("X-Content-Type-Options", "nosniff")
	hd.Set("Referrer-Policy", "no-referrer")
	hd.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

func sha256Base64(s string) string {
	sum := sha256.Sum256([]byte(s))
	return base64.StdEncoding.EncodeToString(sum[:])
}
