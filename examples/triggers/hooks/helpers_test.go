package hooks_test

import (
	"context"
	"sync"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/triggers/hooks"
)

// outbox is a Sender that keeps every message, for tests to read.
type outbox struct {
	mu   sync.Mutex
	sent []userpool.Message
}

func (o *outbox) Send(ctx context.Context, m userpool.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.sent = append(o.sent, m)
	return nil
}

// last returns the last message sent, failing the test if there is none.
func (o *outbox) last(t *testing.T) userpool.Message {
	t.Helper()
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.sent) == 0 {
		t.Fatal("no message was sent")
	}
	return o.sent[len(o.sent)-1]
}

// clientID is the app client of the test pools, allowed to sign in with
// a password.
const clientID = "webapp"

// newPool returns a pool of the example: email sign-up confirmed by code,
// the three hooks, cheap password hashing for speed. opts come last, so
// they may replace the triggers.
func newPool(t *testing.T, box *outbox, opts ...userpool.Option) *userpool.Pool {
	t.Helper()
	all := append([]userpool.Option{
		userpool.WithClient(userpool.ClientConfig{
			Name: "web", ID: clientID,
			AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowRefreshToken},
		}),
		userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithSender(box),
		userpool.WithTriggers(userpool.Triggers{
			PreSignUp:          hooks.AllowDomain("example.com"),
			CustomMessage:      hooks.BrandedMessages("Acme"),
			PreTokenGeneration: hooks.AddTenantClaim(map[string]string{"example.com": "acme"}),
		}),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
	}, opts...)
	pool, err := userpool.New(t.Context(), "triggers", all...)
	if err != nil {
		t.Fatal(err)
	}
	return pool
}
