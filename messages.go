package userpool

import "context"

// Channel is how a message travels.
type Channel string

// The channels.
const (
	ChannelEmail Channel = "EMAIL"
	ChannelSMS   Channel = "SMS"
)

// Message is one message the pool sends: a confirmation code, an
// invitation, an MFA code. Body and Subject are rendered; Code is the code
// or temporary password they carry, for senders that handle it specially
// (an outbox for tests, a log that redacts it).
type Message struct {
	Channel  Channel
	To       string
	From     string
	ReplyTo  string
	Subject  string
	Body     string
	Code     string
	Username string
	PoolID   string
	// Event names why the message is sent, as CustomMessage trigger
	// sources do without their prefix: SignUp, AdminCreateUser,
	// ResendCode, ForgotPassword, UpdateUserAttribute,
	// VerifyUserAttribute, Authentication.
	Event string
}

// Sender delivers messages. Send must be safe for concurrent use. An error
// makes the operation fail with CodeDeliveryFailureException.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SenderFunc adapts a function to the Sender interface.
type SenderFunc func(ctx context.Context, m Message) error

// Send calls f(ctx, m).
func (f SenderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }
