package userpool

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/userpool/userpool/storage"
)

// GlobalSignOut signs the owner of accessToken out of every device,
// mirroring GlobalSignOut: all their refresh tokens stop working, and every
// ID and access token issued so far fails the pool's verification with
// "Access Token has been revoked" (applications verifying offline with
// only the JWKS still accept them until they expire, as with Cognito).
func (p *Pool) GlobalSignOut(ctx context.Context, accessToken string) error {
	c, err := p.authorize(ctx, accessToken)
	if err != nil {
		return err
	}
	return p.signOut(ctx, c.Subject)
}

// AdminUserGlobalSignOut signs a user out of every device, mirroring
// AdminUserGlobalSignOut; see [Pool.GlobalSignOut]. An unknown user gives
// UserNotFound.
func (p *Pool) AdminUserGlobalSignOut(ctx context.Context, username string) error {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	return p.signOut(ctx, u.Sub)
}

// authorize checks the access token of a user's own operation (GetUser,
// ChangePassword, GlobalSignOut, ...): a valid, unrevoked access token of
// the pool with the aws.cognito.signin.user.admin scope.
func (p *Pool) authorize(ctx context.Context, accessToken string) (*Claims, error) {
	c, err := p.Verifier().Verify(ctx, accessToken, TokenUseAccess)
	if err != nil {
		return nil, err
	}
	if !slices.Contains(strings.Fields(c.Scope), adminScope) {
		return nil, ErrNotAuthorized.With("Access Token does not have required scopes")
	}
	return c, nil
}

// signOut revokes every token of the user sub: it revokes the refresh
// tokens, then sets TokensValidAfter to the time read after that, so a
// refresh that read its token before the revocation mints tokens issued
// no later than the mark (refresh reads its clock first). Disabling a user
// should call it too, so re-enabling does not revive old tokens.
func (p *Pool) signOut(ctx context.Context, sub string) error {
	if err := p.store.RevokeUserRefreshTokens(ctx, p.id, sub, p.now()); err != nil {
		return p.internal("revoke refresh tokens", err)
	}
	now := p.now()
	for range 5 {
		u, err := p.store.GetUser(ctx, p.id, sub)
		if isNotFound(err) {
			return ErrUserNotFound.With("User does not exist.")
		}
		if err != nil {
			return p.internal("sign the user out", err)
		}
		// Tokens minted in the second of an earlier mark carry the next
		// second as iat (see mintTokens), so a second mark within that
		// second must reach past it to catch them.
		mark := now
		if prev := u.TokensValidAfter; !prev.IsZero() {
			if floor := prev.Truncate(time.Second).Add(time.Second); mark.Before(floor) {
				mark = floor
			}
		}
		if u.TokensValidAfter.Before(mark) {
			u.TokensValidAfter = mark
			u.UpdatedAt = now
			err = p.store.UpdateUsers(ctx, u)
			if errors.Is(err, storage.ErrConflict) {
				continue
			}
			if isNotFound(err) {
				return ErrUserNotFound.With("User does not exist.")
			}
			if err != nil {
				return p.internal("sign the user out", err)
			}
		}
		p.userChanged(u)
		return nil
	}
	return ErrConcurrentModification.With("The user was changed by another request; try again.")
}
