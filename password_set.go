package userpool

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// checkNewPassword checks a password about to be set for u: the pool's
// policy, the compromised-password check if one is configured (an error
// from it refuses the password: a failed security check denies), and the
// user's last HistorySize passwords, the current one included. u is nil
// for a user being created, who has no history.
func (p *Pool) checkNewPassword(ctx context.Context, u *storage.User, password string) error {
	if err := p.cfg.PasswordPolicy.Validate(password); err != nil {
		return err
	}
	if p.compromised != nil {
		bad, err := p.compromised.Compromised(ctx, password)
		if err != nil {
			p.log.Warn("userpool: compromised-password check failed", "err", err)
			return ErrInvalidPassword.Wrap(err, "Provided password cannot be used for security reasons.")
		}
		if bad {
			return ErrInvalidPassword.With("Provided password cannot be used for security reasons.")
		}
	}
	if n := p.cfg.PasswordPolicy.HistorySize; u != nil && n > 0 {
		used, err := p.passwords.inHistory(ctx, password, passwordHistory(*u), n)
		if err != nil {
			return p.internal("check the password history", err)
		}
		if used {
			return ErrPasswordHistoryPolicyViolation.With("The password must not be one of the last %d passwords.", n)
		}
	}
	return nil
}

// passwordHistory is the user's current hash followed by the earlier
// ones, newest first.
func passwordHistory(u storage.User) []string {
	if u.PasswordHash == "" {
		return u.PasswordHistory
	}
	return append([]string{u.PasswordHash}, u.PasswordHistory...)
}

// setPassword gives u a new password hash. The hash it replaces moves into
// the history, which keeps only what the policy's HistorySize can ever
// compare (the current hash plus HistorySize-1 earlier ones), so the store
// holds no old hashes it does not need. A temporary password expires after
// the policy's TemporaryPasswordValidityDays; a permanent one never.
func (p *Pool) setPassword(u *storage.User, hash string, temporary bool, now time.Time) {
	keep := max(p.cfg.PasswordPolicy.HistorySize-1, 0)
	old := passwordHistory(*u)
	u.PasswordHistory = nil
	if keep > 0 && len(old) > 0 {
		u.PasswordHistory = slices.Clone(old[:min(keep, len(old))])
	}
	u.PasswordHash = hash
	u.PasswordExpiresAt = time.Time{}
	if temporary {
		u.PasswordExpiresAt = now.Add(time.Duration(p.cfg.PasswordPolicy.TemporaryPasswordValidityDays) * 24 * time.Hour)
	}
}

// hashPassword hashes a password for storage; errors are already typed
// (InvalidParameter, TooManyRequests) or become InternalError.
func (p *Pool) hashPassword(ctx context.Context, password string) (string, error) {
	h, err := p.passwords.hash(ctx, password)
	if err == nil {
		return h, nil
	}
	if e := (*Error)(nil); errors.As(err, &e) || ctx.Err() != nil {
		return "", err
	}
	return "", p.internal("hash a password", err)
}
