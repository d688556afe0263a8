package userpool

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// SecretHash returns the SECRET_HASH a request of a client with a secret
// must carry: Base64(HMAC-SHA256(key = clientSecret, message = username +
// clientID)), as Cognito defines it. username is the name the request uses
// for the user; for refreshes and challenge responses it is the real user
// name (USER_ID_FOR_SRP).
func SecretHash(username, clientID, clientSecret string) string {
	m := hmac.New(sha256.New, []byte(clientSecret))
	m.Write([]byte(username))
	m.Write([]byte(clientID))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// secretHashMatches reports, in constant time with respect to the secret,
// whether hash is the SECRET_HASH of one of the names for c. Callers pass
// both the name the user typed and the real user name when they differ:
// Cognito's clients compute it with either, depending on the flow.
func secretHashMatches(c Client, hash string, names ...string) bool {
	got, err := base64.StdEncoding.DecodeString(hash)
	if err != nil || len(got) != sha256.Size {
		return false
	}
	ok := false
	for _, name := range names {
		m := hmac.New(sha256.New, []byte(c.Secret))
		m.Write([]byte(name))
		m.Write([]byte(c.ID))
		// Every name is checked, so the time does not say which matched.
		if hmac.Equal(m.Sum(nil), got) {
			ok = true
		}
	}
	return ok
}

// checkSecretHash checks the SECRET_HASH of a request of client c that
// names its user by names (see secretHashMatches). A client without a
// secret ignores the hash, as Cognito does. Errors are NotAuthorized with
// Cognito's messages: "Client <id> is configured with secret but
// SECRET_HASH was not received" and "Unable to verify secret hash for
// client <id>".
func checkSecretHash(c Client, hash string, names ...string) error {
	if c.Secret == "" {
		return nil
	}
	if hash == "" {
		return ErrNotAuthorized.With("Client %s is configured with secret but SECRET_HASH was not received", c.ID)
	}
	if !secretHashMatches(c, hash, names...) {
		return ErrNotAuthorized.With("Unable to verify secret hash for client %s", c.ID)
	}
	return nil
}

// checkClient is the seam public (client-identified) operations call
// first (SignUp, ConfirmSignUp, ForgotPassword, ...): clientID must name a
// client of the pool, and secretHash must be right for the user named
// username when the client has a secret. An unknown client gives
// ResourceNotFound "User pool client <id> does not exist."; SECRET_HASH
// errors are NotAuthorized with Cognito's messages.
//
// An empty clientID passes: the program embedding the pool is calling on
// its own behalf, not on an app client's, and a program can read its
// clients' secrets anyway. Cognito requires ClientId on these actions, so
// a wire server must refuse requests without one before calling the pool.
func (p *Pool) checkClient(ctx context.Context, clientID, username, secretHash string) error {
	_, err := p.optionalClient(ctx, clientID, username, secretHash)
	return err
}

// optionalClient is checkClient returning the client, for operations whose
// behaviour depends on its settings (existence errors); an empty clientID
// gives the zero Client, which prevents nothing.
func (p *Pool) optionalClient(ctx context.Context, clientID, username, secretHash string) (Client, error) {
	if clientID == "" {
		return Client{}, nil
	}
	return p.requestClient(ctx, clientID, username, secretHash)
}

// requestClient is checkClient returning the client, for operations that
// need its settings (auth flows, token validities, existence errors).
func (p *Pool) requestClient(ctx context.Context, clientID, username, secretHash string) (Client, error) {
	c, err := p.loadClient(ctx, clientID)
	if err != nil {
		return Client{}, err
	}
	if err := checkSecretHash(c, secretHash, username); err != nil {
		return Client{}, err
	}
	return c, nil
}
