package userpool

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"
)

// OutboxSender is a Sender that writes each message as a JSON file into a
// directory instead of delivering it, for development and tests: a
// program or test reads the codes back with [OutboxSender.Messages] or
// [OutboxSender.Latest], or a person opens the files.
//
// Files are named <time>-<sequence>-<random>.json, so they sort in the
// order they were sent and two senders sharing a directory never collide;
// each is written to a temporary file first and renamed into place, so a
// reader never sees half a message. Files carry codes and temporary
// passwords in clear, so the directory and files are private to the
// user (0700 and 0600). It is safe for concurrent use.
type OutboxSender struct {
	dir string
	seq atomic.Uint64
	// Now is the clock that stamps messages (time.Now when nil).
	Now func() time.Time
}

// OutboxMessage is one message as an OutboxSender writes it.
type OutboxMessage struct {
	To       string    `json:"to"`
	Channel  Channel   `json:"channel"`
	Subject  string    `json:"subject,omitempty"`
	Body     string    `json:"body"`
	Code     string    `json:"code,omitempty"`
	Username string    `json:"username"`
	PoolID   string    `json:"poolId"`
	Event    string    `json:"event"`
	SentAt   time.Time `json:"sentAt"`
	// File is the file the message was read from; it is not written.
	File string `json:"-"`
}

// NewOutboxSender returns a sender writing into dir, which it creates if
// needed.
func NewOutboxSender(dir string) (*OutboxSender, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("userpool: outbox: %w", err)
	}
	return &OutboxSender{dir: dir}, nil
}

// Dir returns the directory the sender writes into.
func (s *OutboxSender) Dir() string { return s.dir }

// Send writes m into the directory. It fails only when the file cannot be
// written.
func (s *OutboxSender) Send(ctx context.Context, m Message) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	out := OutboxMessage{
		To: m.To, Channel: m.Channel, Subject: m.Subject, Body: m.Body, Code: m.Code,
		Username: m.Username, PoolID: m.PoolID, Event: m.Event, SentAt: now().UTC(),
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return fmt.Errorf("userpool: outbox: %w", err)
	}
	var salt [4]byte
	if _, err := rand.Read(salt[:]); err != nil {
		return fmt.Errorf("userpool: outbox: %w", err)
	}
	name := fmt.Sprintf("%s-%010d-%s.json", out.SentAt.Format("20060102T150405.000000000Z"), s.seq.Add(1), hex.EncodeToString(salt[:]))
	tmp, err := os.CreateTemp(s.dir, ".tmp-*")
	if err != nil {
		return fmt.Errorf("userpool: outbox: %w", err)
	}
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), filepath.Join(s.dir, name))
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("userpool: outbox: %w", err)
	}
	return nil
}

// Messages returns every message in the directory, oldest first.
func (s *OutboxSender) Messages() ([]OutboxMessage, error) {
	entries, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("userpool: outbox: %w", err)
	}
	var out []OutboxMessage
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".json") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(s.dir, name))
		if err != nil {
			return nil, fmt.Errorf("userpool: outbox: %w", err)
		}
		var m OutboxMessage
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("userpool: outbox: %s: %w", name, err)
		}
		m.File = name
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b OutboxMessage) int { return strings.Compare(a.File, b.File) })
	return out, nil
}

// Latest returns the newest message sent to the address to; ok is false
// when there is none.
func (s *OutboxSender) Latest(to string) (m OutboxMessage, ok bool, err error) {
	all, err := s.Messages()
	if err != nil {
		return OutboxMessage{}, false, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].To == to {
			return all[i], true, nil
		}
	}
	return OutboxMessage{}, false, nil
}
