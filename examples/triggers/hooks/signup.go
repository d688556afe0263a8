package hooks

import (
	"context"
	"fmt"
	"strings"

	"github.com/userpool/userpool"
)

// AllowDomain returns a PreSignUp trigger that admits only users whose
// email address is in domain (compared without regard to case; a
// subdomain is another domain). It applies to every source, self sign-up
// and AdminCreateUser alike, so no path creates an outsider.
//
// The user is refused with the message "only <domain> email addresses may
// sign up", which the pool returns as UserLambdaValidationException
// "PreSignUp failed with error only <domain> email addresses may sign up.".
func AllowDomain(domain string) func(context.Context, *userpool.PreSignUpEvent) error {
	return func(ctx context.Context, ev *userpool.PreSignUpEvent) error {
		if !strings.EqualFold(emailDomain(ev.UserAttributes["email"]), domain) {
			return fmt.Errorf("only %s email addresses may sign up", domain)
		}
		return nil
	}
}

// emailDomain returns what follows the last "@" of an address, or "" for
// an address without one. The pool has already checked the address's
// shape; the last "@" is the one before the domain even in a quoted
// local part.
func emailDomain(email string) string {
	i := strings.LastIndexByte(email, '@')
	if i < 0 {
		return ""
	}
	return email[i+1:]
}
