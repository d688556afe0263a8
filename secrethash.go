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

// checkClient finds the app client of a public request and checks its
// SECRET_HASH for the user named username: the seam the sign-up,
// confirmation, recovery and sign-in operations call first. An unknown
// client gives ResourceNotFound "User pool client <id> does not exist.".
func (p *Pool) checkClient(ctx context.Context, clientID, username, secretHash string) (Client, error) {
	c, err := p.loadClient(ctx, clientID)
	if err != nil {
		return Client{}, err
	}
	if err := checkSecretHash(c, secretHash, username); err != nil {
		return Client{}, err
	}
	return c, nil
}
