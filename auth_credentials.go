package userpool

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// newPasswordRecords returns what the store keeps for a new password of
// the user named username (the real user name): its hash and its SRP
// verifier (zero when the pool has SRP off). Every path of this file set
// that sets a password (NEW_PASSWORD_REQUIRED, ConfirmForgotPassword,
// ChangePassword, a migrated sign-in) stores both, so USER_SRP_AUTH works
// with whichever password the user set last.
func (p *Pool) newPasswordRecords(ctx context.Context, username, password string) (string, storage.SRPVerifier, error) {
	hash, err := p.hashPassword(ctx, password)
	if err != nil {
		return "", storage.SRPVerifier{}, err
	}
	srp, err := p.srpVerifierFor(ctx, username, password)
	if err != nil {
		return "", storage.SRPVerifier{}, err
	}
	return hash, srp, nil
}
