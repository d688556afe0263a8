package userpool

import (
	"context"
	"errors"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// maxWriteTries bounds the read-change-write loops of modifyUser and
// createUser: a write that loses a version race is retried on a fresh
// copy, and a user changed this often at once gets
// ConcurrentModification.
const maxWriteTries = 5

var errConcurrent = ErrConcurrentModification.With("The user was changed concurrently, please try again.")

// createUser stores the new user u, whose Attributes are final and whose
// Logins are computed here.
//
// after, if not nil, runs once the user is stored (it stores and sends
// the first code or the invitation); if it fails the user is deleted again
// by its sub, so a failed delivery never leaves a half-made user behind.
// While after runs the user exists, which is what makes a concurrent
// creation of the same name fail with UsernameExists rather than send a
// second message.
//
// Verified aliases held by other users move to u when force is set (see
// [Pool.claimLogins]). Cognito's move cannot be undone, so it happens last,
// after delivery: the user is first stored without the contested keys,
// then one UpdateUsers call gives them to u and unverifies them on their
// holders. If that fails u is deleted.
func (p *Pool) createUser(ctx context.Context, u storage.User, force bool, taken *Error, after func(storage.User) error) (storage.User, error) {
	holders, moved, err := p.claimLogins(ctx, &u, force, taken)
	if err != nil {
		return storage.User{}, err
	}
	full := u.Logins
	u.Logins = slices.DeleteFunc(slices.Clone(full), func(l storage.Login) bool { return slices.Contains(moved, l.Key) })
	if err := p.store.CreateUser(ctx, u); err != nil {
		if !errors.Is(err, storage.ErrConflict) {
			return storage.User{}, p.internal("create a user", err)
		}
		// Someone took a key since claimLogins looked: find out which,
		// for the right error.
		probe := u
		if _, _, err := p.claimLogins(ctx, &probe, false, taken); err != nil {
			return storage.User{}, err
		}
		return storage.User{}, errConcurrent
	}
	u.Version = 1
	if after != nil {
		if err := after(u); err != nil {
			p.undoCreate(u)
			return storage.User{}, err
		}
	}
	if len(moved) > 0 {
		if err := p.moveAliases(ctx, &u, full, holders, force, taken); err != nil {
			p.undoCreate(u)
			return storage.User{}, err
		}
	}
	return u, nil
}

// moveAliases gives the stored user u its full logins, taking the moved
// keys from their holders in one UpdateUsers call. A holder that changed
// meanwhile is read again.
func (p *Pool) moveAliases(ctx context.Context, u *storage.User, full []storage.Login, holders []storage.User, force bool, taken *Error) error {
	for try := 1; ; try++ {
		u.Logins = full
		err := p.store.UpdateUsers(ctx, append([]storage.User{*u}, holders...)...)
		if err == nil {
			u.Version++
			return nil
		}
		if !errors.Is(err, storage.ErrConflict) {
			return p.internal("move an alias", err)
		}
		if try == maxWriteTries {
			return errConcurrent
		}
		if holders, _, err = p.claimLogins(ctx, u, force, taken); err != nil {
			return err
		}
		full = u.Logins
	}
}

// undoCreate deletes a user createUser stored, on a context of its own so
// that a cancelled request still cleans up.
func (p *Pool) undoCreate(u storage.User) {
	if err := p.store.DeleteUser(context.WithoutCancel(context.Background()), p.id, u.Sub); err != nil && !errors.Is(err, storage.ErrNotFound) {
		p.log.Error("userpool: undo user creation", "sub", u.Sub, "err", err)
	}
}

// modifyUser applies change to a fresh copy of the user with this sub and
// writes it, together with any other users change returns (alias holders),
// in one UpdateUsers call. When a concurrent write got there first it
// starts over with a new copy, so change must decide from the copy it is
// given, not from what the caller read before. An error from change stops
// the loop and is returned as is. The user's UpdatedAt is set.
func (p *Pool) modifyUser(ctx context.Context, sub string, change func(u *storage.User) ([]storage.User, error)) (storage.User, error) {
	for range maxWriteTries {
		u, err := p.store.GetUser(ctx, p.id, sub)
		if errors.Is(err, storage.ErrNotFound) {
			return storage.User{}, ErrUserNotFound.With("User does not exist.")
		}
		if err != nil {
			return storage.User{}, p.internal("read a user", err)
		}
		if u.Attributes == nil {
			u.Attributes = map[string]string{}
		}
		others, err := change(&u)
		if err != nil {
			return storage.User{}, err
		}
		u.UpdatedAt = p.now()
		err = p.store.UpdateUsers(ctx, append([]storage.User{u}, others...)...)
		switch {
		case err == nil:
			u.Version++
			p.userChanged(u)
			return u, nil
		case errors.Is(err, storage.ErrConflict):
			continue
		case errors.Is(err, storage.ErrNotFound):
			return storage.User{}, ErrUserNotFound.With("User does not exist.")
		default:
			return storage.User{}, p.internal("update a user", err)
		}
	}
	return storage.User{}, errConcurrent
}

// cloneUser copies the parts of u a change function writes, so a trial
// change leaves the original alone.
func cloneUser(u storage.User) storage.User {
	u.Attributes = maps.Clone(u.Attributes)
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	u.PendingAttributes = maps.Clone(u.PendingAttributes)
	u.Logins = slices.Clone(u.Logins)
	u.PasswordHistory = slices.Clone(u.PasswordHistory)
	return u
}
