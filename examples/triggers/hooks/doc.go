// Package hooks holds the triggers of the triggers example, each a
// constructor that takes its settings and returns the func to put in a
// field of [userpool.Triggers]:
//
//	userpool.WithTriggers(userpool.Triggers{
//		PreSignUp:          hooks.AllowDomain("example.com"),
//		CustomMessage:      hooks.BrandedMessages("Acme"),
//		PreTokenGeneration: hooks.AddTenantClaim(map[string]string{"example.com": "acme"}),
//	})
//
// The returned funcs keep no state beyond their settings, so the pool may
// call them concurrently. An error they return aborts the operation with
// UserLambdaValidationException, "<Trigger> failed with error <message>.",
// so their messages are written for the person signing up.
package hooks
