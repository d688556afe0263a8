package userpool

import (
	"context"
	"errors"

	"github.com/userpool/userpool/storage"
)

// AdminGetUser returns the user named by username (the user name or an
// alias that works for sign-in), mirroring Cognito's AdminGetUser.
// Administrators always learn whether a user exists: an unknown name gives
// UserNotFound "User does not exist.".
func (p *Pool) AdminGetUser(ctx context.Context, username string) (User, error) {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return User{}, err
	}
	return publicUser(u), nil
}

// AdminDeleteUser deletes a user with its logins, codes, group
// memberships, refresh tokens and devices, mirroring Cognito's
// AdminDeleteUser. Its user name and aliases are free again at once.
// Errors: UserNotFound.
func (p *Pool) AdminDeleteUser(ctx context.Context, username string) error {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	return p.deleteUser(ctx, u.Sub)
}

// deleteUser deletes the user sub with all that is theirs. This instance
// stops accepting the user's tokens at once; others when their cached
// mark expires (see revocationCache).
func (p *Pool) deleteUser(ctx context.Context, sub string) error {
	err := p.store.DeleteUser(ctx, p.id, sub)
	if errors.Is(err, storage.ErrNotFound) {
		return ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return p.internal("delete a user", err)
	}
	p.userDeleted(sub)
	return nil
}

// AdminDisableUser disables a user, mirroring Cognito's AdminDisableUser:
// sign-in then fails with NotAuthorized "User is disabled.", and every
// token issued before now is revoked. Disabling a disabled user is not an
// error. Errors: UserNotFound.
func (p *Pool) AdminDisableUser(ctx context.Context, username string) error {
	return p.setEnabled(ctx, username, false)
}

// AdminEnableUser enables a disabled user, mirroring Cognito's
// AdminEnableUser. Tokens revoked by disabling stay revoked. Errors:
// UserNotFound.
func (p *Pool) AdminEnableUser(ctx context.Context, username string) error {
	return p.setEnabled(ctx, username, true)
}

func (p *Pool) setEnabled(ctx context.Context, username string, enabled bool) error {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		u.Enabled = enabled
		if !enabled {
			u.TokensValidAfter = p.now()
		}
		return nil, nil
	})
	return err
}
