package userpool

import (
	"context"
	"errors"
	"time"

	"github.com/userpool/userpool/storage"
)

// passwordRule is the failed-password lockout, as Cognito documents it
// (cognito.md §11.3). Attempts are counted per user in the store, so every
// instance sharing it sees the same counter. The schedule:
//
//   - attempts 1 to 4 run freely;
//   - the 5th attempt runs and starts a lock of 1 s; each further attempt
//     (n ≥ 5) that runs starts a lock of 2^(n−5) s: 2 s, 4 s, 8 s, ... 512
//     s for the 14th, and 15 minutes (the cap) for the 15th;
//   - an attempt during a lock is refused with NotAuthorized "Password
//     attempts exceeded", even with the right password, and does not
//     extend the lock;
//   - the counter starts over after 15 minutes without attempts (so the
//     attempt after a 15-minute lock begins a new count), and when the
//     password is right.
//
// The attempt is counted before the password is checked, not after it
// fails: of 200 concurrent wrong attempts, only the 5 that start before
// the lock reach the hash (see storage.AttemptRule.Next).
var passwordRule = storage.AttemptRule{
	Free:       5,
	BaseLock:   time.Second,
	MaxLock:    15 * time.Minute,
	ResetAfter: 15 * time.Minute,
}

var errPasswordAttempts = ErrNotAuthorized.With("Password attempts exceeded")

// errIncorrectCredentials is the error of every failed password (and of an
// unknown user when the client prevents user-existence errors).
var errIncorrectCredentials = ErrNotAuthorized.With("Incorrect username or password.")

// passwordKey is the attempt counter of a user's password.
func passwordKey(sub string) string { return "password:" + sub }

// unknownPasswordKey is the attempt counter of a login name no user holds.
// With PreventUserExistenceErrors the unknown name is locked out exactly
// like a real user, or the lockout would tell which names exist. Only
// those clients pay for it: the counters of names tried at random live in
// the store until Sweep removes them, a day after their last attempt.
func unknownPasswordKey(loginKey string) string { return "password-unknown:" + loginKey }

// checkLockout counts one password attempt against key and refuses it
// during a lock. It is called before the password is checked.
func (p *Pool) checkLockout(ctx context.Context, key string) error {
	_, ok, err := p.store.TakeAttempt(ctx, p.id, key, p.now(), passwordRule)
	if err != nil {
		return p.internal("count a password attempt", err)
	}
	if !ok {
		return errPasswordAttempts
	}
	return nil
}

// passwordSucceeded resets the counter after a right password. A failure
// is logged, not returned: the sign-in stands, and the counter resets by
// itself after passwordRule.ResetAfter.
func (p *Pool) passwordSucceeded(ctx context.Context, sub string) {
	if err := p.store.ResetAttempts(ctx, p.id, passwordKey(sub)); err != nil {
		p.log.Warn("userpool: reset password attempts", "err", err)
	}
}

// verifyPassword checks password against u's hash, under the lockout: the
// attempt is counted first (NotAuthorized "Password attempts exceeded"
// while locked), a wrong password gives NotAuthorized "Incorrect username
// or password.", a right one resets the counter and, when the hash is of
// outdated parameters or an imported format, stores a fresh one. A user
// without a password (imported without one) never matches, but costs a
// hash all the same.
func (p *Pool) verifyPassword(ctx context.Context, u storage.User, password string) error {
	if err := p.checkLockout(ctx, passwordKey(u.Sub)); err != nil {
		return err
	}
	if u.PasswordHash == "" {
		if err := p.passwords.dummyVerify(ctx, password); err != nil {
			return p.hashFailure(ctx, err)
		}
		return errIncorrectCredentials
	}
	ok, rehash, err := p.passwords.verify(ctx, password, u.PasswordHash)
	if err != nil {
		return p.hashFailure(ctx, err)
	}
	if !ok {
		return errIncorrectCredentials
	}
	p.passwordSucceeded(ctx, u.Sub)
	if rehash {
		p.rehash(ctx, u, password)
	}
	return nil
}

// dummyPassword spends what verifyPassword spends on a user that does not
// exist, counted against the login key when hideExistence is set, and
// always fails with "Incorrect username or password.".
func (p *Pool) dummyPassword(ctx context.Context, loginKey, password string, hideExistence bool) error {
	if hideExistence {
		if err := p.checkLockout(ctx, unknownPasswordKey(loginKey)); err != nil {
			return err
		}
	}
	if err := p.passwords.dummyVerify(ctx, password); err != nil {
		return p.hashFailure(ctx, err)
	}
	return errIncorrectCredentials
}

// hashFailure maps an error of the hasher: typed errors (InvalidParameter
// for a malformed password, TooManyRequests) pass; a stored hash the pool
// cannot use denies the sign-in as a wrong password would, and is logged
// for the operator.
func (p *Pool) hashFailure(ctx context.Context, err error) error {
	if e := (*Error)(nil); errors.As(err, &e) {
		return err
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	p.log.Error("userpool: password hash unusable", "err", err)
	return errIncorrectCredentials
}

// rehash replaces u's hash by one of the current parameters, keeping the
// history as it is (the password is the same). Failures are logged: the
// old hash still works.
func (p *Pool) rehash(ctx context.Context, u storage.User, password string) {
	hash, err := p.passwords.hash(ctx, password)
	if err != nil {
		p.log.Warn("userpool: rehash a password", "err", err)
		return
	}
	old := u.PasswordHash
	_, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if u.PasswordHash != old {
			return nil, errConcurrent // changed meanwhile: leave it
		}
		u.PasswordHash = hash
		return nil, nil
	})
	if err != nil && !errors.Is(err, errConcurrent) {
		p.log.Warn("userpool: rehash a password", "err", err)
	}
}
