// Package oidc serves a user pool as an OpenID Connect provider with a
// managed login, as Cognito's hosted UI does: web applications in any
// language sign users in with a standard OIDC client.
//
// For each pool, under /<pool id>/:
//
//   - /.well-known/openid-configuration and /.well-known/jwks.json: the
//     discovery document (issuer = the pool's tokens' iss) and the keys;
//   - /oauth2/authorize: the authorization code flow (PKCE S256, required
//     of public clients; state; nonce; redirect URIs compared exactly with
//     the client's callback URLs; scopes openid, email, phone, profile,
//     aws.cognito.signin.user.admin and resource-server scopes). The
//     implicit grant (response_type=token), which Cognito still offers,
//     is refused with unsupported_response_type on purpose: it puts tokens
//     in URLs and browser history, and OAuth 2.0 Security Best Current
//     Practice (RFC 9700) says not to use it; browser apps use the code
//     flow with PKCE;
//   - /oauth2/token: authorization_code, refresh_token and
//     client_credentials, with client_secret_basic or client_secret_post;
//   - /oauth2/userInfo, /oauth2/revoke and /logout;
//   - the pages: sign-in, new password, MFA codes, MFA setup (an
//     authenticator app or email), sign-up, confirmation, forgotten
//     password.
//
// When the pool allows sign-in codes as first factors
// (userpool.WithAllowedFirstAuthFactors), the sign-in page has a button
// for each ("Email me a sign-in code"), which signs in with USER_AUTH and
// the code page.
//
// The sign-in pages run the pool's sign-in state machine and show each
// challenge as a page: NEW_PASSWORD_REQUIRED; SMS_MFA, EMAIL_OTP and
// SOFTWARE_TOKEN_MFA as a code page; SELECT_MFA_TYPE as a choice of
// factor, then its code page; and MFA_SETUP (MFA required, the user has
// no factor yet) as a choice when the pool offers both an authenticator
// app and email, then the authenticator setup page, which shows the new
// secret as an inline QR code and as text and, once the user enters a
// code, calls VerifySoftwareToken and answers the challenge, or the email
// setup page, which asks for an address, answers the challenge with it
// and brings EMAIL_OTP's code page for a code sent there. A wrong code
// shows the page again with the error while the pool keeps the
// challenge's session (a few tries, a few minutes); once it is gone, the
// sign-in page comes back saying why. The pages keep no state of their
// own: what a page needs rides in its form (the setup page's secret with
// a MAC bound to the session).
//
// The pages are server-rendered html/template, embedded, without
// JavaScript or outside assets (the Content-Security-Policy allows only
// their inline style, by hash, and data: images); every form carries a CSRF token bound to
// an HttpOnly, SameSite=Lax cookie (Secure behind TLS). Authorization codes
// are single use, short-lived and bound to the client, the redirect URI
// and the PKCE challenge; they live in the pool's store (only their
// hashes), so any number of instances can serve a pool.
//
// A pool's issuer (userpool.WithIssuer) must be the URL the handler serves
// it at:
//
//	pool, _ := userpool.New(ctx, "shop", userpool.WithIssuer("https://auth.example.com"))
//	h, _ := oidc.New(oidc.ForPool(pool))
//	http.ListenAndServe(":8080", h) // https://auth.example.com/<pool id>/...
package oidc
