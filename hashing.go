package userpool

import (
	"context"
	"time"
)

// PasswordHashing sets the cost of password hashes (argon2id) and bounds
// how many run at once.
type PasswordHashing struct {
	// Memory in KiB, Time (passes) and Threads are argon2id's parameters.
	Memory  uint32 `json:"memory"`
	Time    uint32 `json:"time"`
	Threads uint8  `json:"threads"`
	// MaxConcurrent bounds the hashes computed at once (2 x GOMAXPROCS
	// when 0), so a burst of sign-ins cannot exhaust memory.
	MaxConcurrent int `json:"maxConcurrent"`
	// QueueTimeout is how long a request waits for a hashing slot before
	// it is refused with TooManyRequests (1 s when 0).
	QueueTimeout time.Duration `json:"queueTimeout"`
}

// DefaultPasswordHashing returns OWASP's argon2id profile: 19 MiB, two
// passes, one thread (about 25 ms per hash on a current core).
func DefaultPasswordHashing() PasswordHashing {
	return PasswordHashing{Memory: 19 * 1024, Time: 2, Threads: 1}
}

// CompromisedPasswordChecker tells whether a password is known to be
// compromised (for example, found in a breach corpus). Nothing calls the
// network by default; a program plugs in the check it trusts.
type CompromisedPasswordChecker interface {
	// Compromised reports whether the password must be refused. An error
	// refuses the password too: a failed security check denies.
	Compromised(ctx context.Context, password string) (bool, error)
}
