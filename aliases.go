package userpool

import (
	"context"
	"errors"
	"slices"

	"github.com/userpool/userpool/storage"
)

// claimLogins sets u.Logins to the keys u should hold in its new state
// (see [Pool.logins]) and checks that every key is free or already u's.
//
// A key another user holds as a verified email or phone alias is moved to
// u when force is set, as Cognito's ForceAliasCreation does: the holder's
// <attribute>_verified becomes "false" and the key leaves its logins. The
// changed holders are returned, to be written in the same UpdateUsers call
// as u so the move is atomic, with the keys that move. Without force, or for a key that cannot move
// (a user name, a preferred_username, the email or phone that is another
// user's user name), the result is AliasExists.
//
// taken is the error for a key that names another user outright: the user
// name itself, or the email or phone of a pool whose user names are
// addresses. Creation passes UsernameExists; changes pass nil, which makes
// those conflicts AliasExists too.
func (p *Pool) claimLogins(ctx context.Context, u *storage.User, force bool, taken *Error) (holders []storage.User, moved []string, err error) {
	logins, err := p.logins(*u)
	if err != nil {
		return nil, nil, err
	}
	u.Logins = logins
	now := p.now()
	for _, l := range logins {
		h, err := p.store.UserByLogin(ctx, p.id, l.Key)
		if errors.Is(err, storage.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, nil, p.internal("look up a login", err)
		}
		if h.Sub == u.Sub {
			continue
		}
		if i := slices.IndexFunc(holders, func(o storage.User) bool { return o.Sub == h.Sub }); i >= 0 {
			h = holders[i] // already changed for another key
			holders = slices.Delete(holders, i, i+1)
		}
		i := slices.IndexFunc(h.Logins, func(o storage.Login) bool { return o.Key == l.Key })
		if i < 0 {
			// The holder changed between the two reads; let the write's
			// version check sort it out.
			continue
		}
		held := h.Logins[i].Name
		if err := p.loginConflict(l.Name, held, force, taken); err != nil {
			return nil, nil, err
		}
		h.Attributes[held+"_verified"] = "false"
		if h.Logins, err = p.logins(h); err != nil {
			return nil, nil, err
		}
		h.UpdatedAt = now
		holders = append(holders, h)
		moved = append(moved, l.Key)
	}
	return holders, moved, nil
}

// loginConflict returns the error for a key u wants as name that another
// user holds as held, or nil when the key may move to u.
func (p *Pool) loginConflict(name, held string, force bool, taken *Error) error {
	isUsernameAttr := slices.Contains(p.cfg.SignIn.UsernameAttributes, name)
	switch {
	case name == "username" && taken != nil:
		return taken
	case isUsernameAttr && taken != nil:
		return ErrUsernameExists.With("An account with the given %s already exists.", name)
	case isUsernameAttr:
		return ErrAliasExists.With("An account with the given %s already exists.", name)
	case force && name == held && (held == "email" || held == "phone_number"):
		return nil
	}
	return ErrAliasExists.With("An account with the %s already exists.", aliasWord(name))
}

// aliasWord names an alias kind in messages.
func aliasWord(name string) string {
	if name == "username" {
		return "user name"
	}
	return name
}
