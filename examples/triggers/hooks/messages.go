package hooks

import (
	"context"
	"strings"

	"github.com/userpool/userpool"
)

// BrandedMessages returns a CustomMessage trigger that rewrites the
// pool's messages in product's voice, one text per trigger source. Sources
// it does not know keep the pool's texts.
//
// The texts keep the event's CodeParameter ("{####}"), which the pool
// replaces by the code after the trigger returns, and invitations keep
// UsernameParameter ("{username}"); the pool refuses a message that loses
// them.
func BrandedMessages(product string) func(context.Context, *userpool.CustomMessageEvent) error {
	return func(ctx context.Context, ev *userpool.CustomMessageEvent) error {
		t, ok := brandedTexts[ev.TriggerSource]
		if !ok {
			return nil
		}
		r := strings.NewReplacer("{product}", product, "{code}", ev.CodeParameter, "{user}", ev.UsernameParameter)
		ev.EmailSubject = r.Replace(t.subject)
		ev.EmailMessage = r.Replace(t.email)
		ev.SMSMessage = r.Replace(t.sms)
		return nil
	}
}

// branded is one source's texts, with {product}, {code} and {user} to
// fill in.
type branded struct{ subject, email, sms string }

// brandedTexts are keyed by CustomMessage trigger source. SMS texts stay
// under 140 characters for a product name of reasonable length.
var brandedTexts = map[string]branded{
	"CustomMessage_SignUp": {
		"Welcome to {product}",
		"Welcome to {product}! Your confirmation code is {code}.",
		"{product}: your confirmation code is {code}",
	},
	"CustomMessage_ResendCode": {
		"Your {product} confirmation code",
		"Here is your new {product} confirmation code: {code}.",
		"{product}: your confirmation code is {code}",
	},
	"CustomMessage_AdminCreateUser": {
		"Your {product} account",
		"An account on {product} is waiting for you. Sign in as {user} with the temporary password {code}.",
		"{product}: sign in as {user} with temporary password {code}",
	},
	"CustomMessage_ForgotPassword": {
		"Reset your {product} password",
		"Use the code {code} to choose a new {product} password. If you did not ask for it, ignore this message.",
		"{product}: your password reset code is {code}",
	},
	"CustomMessage_UpdateUserAttribute": {
		"Confirm your new {product} address",
		"Use the code {code} to confirm this address for your {product} account.",
		"{product}: your verification code is {code}",
	},
	"CustomMessage_VerifyUserAttribute": {
		"Confirm your {product} address",
		"Use the code {code} to confirm this address for your {product} account.",
		"{product}: your verification code is {code}",
	},
	"CustomMessage_Authentication": {
		"Your {product} sign-in code",
		"Your {product} sign-in code is {code}.",
		"{product}: your sign-in code is {code}",
	},
}
