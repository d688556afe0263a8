package oidc

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"image/png"
	"net/url"

	"github.com/pquerna/otp"
)

// qrSize is the side of the MFA setup page's QR code in pixels.
const qrSize = 200

// totpQRCode returns, as a data: URL for an img element, the QR code of
// the otpauth:// URI (Key Uri Format) of a TOTP secret (base32), labelled
// "issuer:account" so authenticator apps list it as the pool's. The page
// loads nothing from elsewhere, so the image travels inside it.
func totpQRCode(issuer, account, secret string) (template.URL, error) {
	q := url.Values{
		"secret": {secret}, "issuer": {issuer},
		"algorithm": {"SHA1"}, "digits": {"6"}, "period": {"30"},
	}
	u := url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + issuer + ":" + account, RawQuery: q.Encode()}
	return qrCodeOf(u.String())
}

// qrCodeOf returns the QR code of an otpauth:// URI as a data: URL for an
// img element.
func qrCodeOf(uri string) (template.URL, error) {
	key, err := otp.NewKeyFromURL(uri)
	if err != nil {
		return "", err
	}
	img, err := key.Image(qrSize, qrSize)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return "", err
	}
	// A data: URL of a PNG is safe in an img src; html/template would
	// otherwise replace it.
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())), nil
}
