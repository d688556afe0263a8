package userpool

import (
	"context"
	"log/slog"
	"strings"
)

// LogSender is a Sender that writes each message to a logger instead of
// delivering it: the default, so a pool works with nothing configured. The
// code a message carries is redacted unless ShowCodes is set, since logs
// are often kept where codes must not be.
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

// Send logs m at Info level and never fails.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	body, code := m.Body, m.Code
	if !s.ShowCodes && code != "" {
		body = strings.ReplaceAll(body, code, "******")
		code = "******"
	}
	s.Logger.InfoContext(ctx, "userpool message",
		"channel", string(m.Channel), "to", m.To, "event", m.Event, "username", m.Username,
		"subject", m.Subject, "body", body, "code", code)
	return nil
}
