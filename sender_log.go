package userpool

import (
	"context"
	"log/slog"
	"strings"
)

// LogSender is a Sender that writes each message to a logger instead of
// delivering it: the default, so a pool works with nothing configured. The
// code a message carries (a confirmation code or a temporary password) is
// redacted from the code field, the subject and the body unless ShowCodes
// is set, since logs are often kept where codes must not be.
type LogSender struct {
	Logger    *slog.Logger
	ShowCodes bool
}

// NewLogSender returns a LogSender writing to l (slog.Default() when nil).
func NewLogSender(l *slog.Logger, showCodes bool) *LogSender {
	if l == nil {
		l = slog.Default()
	}
	return &LogSender{Logger: l, ShowCodes: showCodes}
}

// redacted replaces the code in logged texts.
const redacted = "******"

// Send logs m at Info level and never fails.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	subject, body, code := m.Subject, m.Body, m.Code
	if !s.ShowCodes && code != "" {
		subject = strings.ReplaceAll(subject, code, redacted)
		body = strings.ReplaceAll(body, code, redacted)
		code = redacted
	}
	s.Logger.InfoContext(ctx, "userpool message",
		"pool", m.PoolID, "channel", string(m.Channel), "to", m.To, "event", m.Event, "username", m.Username,
		"subject", subject, "body", body, "code", code)
	return nil
}
