package userpool_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func TestLogSender(t *testing.T) {
	m := userpool.Message{Channel: userpool.ChannelEmail, To: "ana@example.com", Subject: "Code 123456", Body: "Your code is 123456.",
		Code: "123456", Username: "ana", PoolID: "us-east-1_X", Event: "SignUp"}
	tests := []struct {
		name      string
		showCodes bool
	}{
		{"redacted", false},
		{"shown", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			s := userpool.NewLogSender(slog.New(slog.NewJSONHandler(&buf, nil)), tt.showCodes)
			if err := s.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
			var rec map[string]any
			if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
				t.Fatal(err)
			}
			if rec["to"] != "ana@example.com" || rec["event"] != "SignUp" || rec["pool"] != "us-east-1_X" || rec["username"] != "ana" {
				t.Fatalf("got %v", rec)
			}
			if got := strings.Contains(buf.String(), "123456"); got != tt.showCodes {
				t.Fatalf("code in the log: %v, want %v\n%s", got, tt.showCodes, buf.String())
			}
			if !tt.showCodes && (rec["body"] != "Your code is ******." || rec["subject"] != "Code ******") {
				t.Fatalf("got %v", rec)
			}
		})
	}
}

// TestLogSenderIsTheDefault checks that a pool with no Sender logs its
// messages, codes redacted.
func TestLogSenderIsTheDefault(t *testing.T) {
	var buf bytes.Buffer
	ctx := context.Background()
	pool, err := userpool.New(ctx, "logged", userpool.WithAutoVerifiedAttributes("email"),
		userpool.WithLogger(slog.New(slog.NewTextHandler(&buf, nil))),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pool.SignUp(ctx, userpool.SignUpInput{Username: "ana", Password: lcPassword, UserAttributes: map[string]string{"email": "ana@example.com"}}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "userpool message") || !strings.Contains(buf.String(), "code=******") {
		t.Fatalf("got log %s", buf.String())
	}
}

func TestOutboxSender(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	out, err := userpool.NewOutboxSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	clock := newLCClock()
	out.Now = clock.Now
	e := newLCEnv(t, userpool.WithSender(out), userpool.WithAutoVerifiedAttributes("email"))
	e.signUp(t, "ana", map[string]string{"email": "ana@example.com"})
	clock.Advance(time.Second)
	if _, err := e.pool.ResendConfirmationCode(e.ctx, userpool.ResendConfirmationCodeInput{Username: "ana"}); err != nil {
		t.Fatal(err)
	}
	m, ok, err := out.Latest("ana@example.com")
	if err != nil || !ok {
		t.Fatalf("Latest: %v %v", ok, err)
	}
	if m.Event != "ResendCode" || m.Channel != userpool.ChannelEmail || m.Username != "ana" || m.PoolID != e.pool.ID() ||
		!strings.Contains(m.Body, m.Code) || m.Subject != "Your verification code" || !m.SentAt.Equal(clock.Now()) {
		t.Fatalf("got %+v", m)
	}
	if _, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: m.Code}); err != nil {
		t.Fatalf("the outbox code does not confirm: %v", err)
	}
	all, err := out.Messages()
	if err != nil || len(all) != 2 || all[0].Event != "SignUp" || all[1].Event != "ResendCode" {
		t.Fatalf("got %+v (%v), want the sign-up then the resend", all, err)
	}
	if _, ok, _ := out.Latest("bob@example.com"); ok {
		t.Fatalf("found a message to nobody")
	}
	raw, _ := os.ReadFile(filepath.Join(dir, all[0].File))
	var fields map[string]any
	if err := json.Unmarshal(raw, &fields); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"to", "channel", "subject", "body", "code", "username", "poolId", "event", "sentAt"} {
		if _, ok := fields[k]; !ok {
			t.Errorf("the file lacks %q: %s", k, raw)
		}
	}
	info, _ := os.Stat(filepath.Join(dir, all[0].File))
	if info.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", info.Mode().Perm())
	}
}

func TestOutboxSenderConcurrent(t *testing.T) {
	out, err := userpool.NewOutboxSender(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	out.Now = func() time.Time { return time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC) } // same instant for all
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := out.Send(context.Background(), userpool.Message{To: fmt.Sprintf("u%d@example.com", i), Body: "x"}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	all, err := out.Messages()
	if err != nil || len(all) != n {
		t.Fatalf("got %d messages (%v), want %d", len(all), err, n)
	}
	entries, _ := os.ReadDir(out.Dir())
	if len(entries) != n {
		t.Fatalf("%d files, want %d: temporary files left behind", len(entries), n)
	}
}

func TestOutboxSenderErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := userpool.NewOutboxSender(filepath.Join(file, "outbox")); err == nil {
		t.Fatalf("an outbox under a file was created")
	}
	out, err := userpool.NewOutboxSender(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := out.Send(ctx, userpool.Message{To: "a@example.com"}); err == nil {
		t.Fatalf("sent with a cancelled context")
	}
}
