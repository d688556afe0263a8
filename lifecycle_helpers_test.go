package userpool_test

import (
	"context"
	"errors"
	"github.com/userpool/userpool/internal/fakeclock"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

func newLCClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2026, 1, 2, 10, 0, 0, 0, time.UTC))
}

// lcRand is a seeded random source safe for concurrent use.
type lcRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func newLCRand(seed byte) *lcRand {
	var s [32]byte
	s[0] = seed
	return &lcRand{r: rand.NewChaCha8(s)}
}

func (r *lcRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Read(p)
}

// lcSender records the messages a pool sends and fails on demand.
type lcSender struct {
	mu   sync.Mutex
	msgs []userpool.Message
	fail error
}

func (s *lcSender) Send(_ context.Context, m userpool.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.fail != nil {
		return s.fail
	}
	s.msgs = append(s.msgs, m)
	return nil
}

func (s *lcSender) failWith(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = err
}

func (s *lcSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// last returns the newest message to the address to.
func (s *lcSender) last(t *testing.T, to string) userpool.Message {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.msgs) - 1; i >= 0; i-- {
		if s.msgs[i].To == to {
			return s.msgs[i]
		}
	}
	t.Fatalf("no message to %s among %d", to, len(s.msgs))
	return userpool.Message{}
}

// lcEnv is a pool with a fake clock, a seeded random source and a
// recording sender, using the cheap password hashing profile.
type lcEnv struct {
	pool  *userpool.Pool
	clock *fakeclock.Clock
	sent  *lcSender
	ctx   context.Context
}

func newLCEnv(t testing.TB, opts ...userpool.Option) *lcEnv {
	t.Helper()
	e := &lcEnv{clock: newLCClock(), sent: &lcSender{}, ctx: context.Background()}
	all := append([]userpool.Option{
		userpool.WithClock(e.clock.Now),
		userpool.WithRandom(newLCRand(1)),
		userpool.WithSender(e.sent),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
		userpool.WithLogger(slog.New(slog.DiscardHandler)),
		// The app clients the tests name.
		userpool.WithClient(userpool.ClientConfig{Name: "client", ID: "client"}),
		userpool.WithClient(userpool.ClientConfig{Name: "web", ID: "web"}),
		userpool.WithClient(userpool.ClientConfig{Name: "web+1", ID: "web+1"}),
	}, opts...)
	p, err := userpool.New(e.ctx, "lifecycle", all...)
	if err != nil {
		t.Fatal(err)
	}
	e.pool = p
	return e
}

const lcPassword = "Correct-horse-9"

// signUp signs a user up and fails the test on error.
func (e *lcEnv) signUp(t *testing.T, username string, attrs map[string]string) userpool.SignUpOutput {
	t.Helper()
	out, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: "client", Username: username, Password: lcPassword, UserAttributes: attrs})
	if err != nil {
		t.Fatalf("SignUp(%q): %v", username, err)
	}
	return out
}

// confirmed signs a user up and confirms it with the code it was sent.
func (e *lcEnv) confirmed(t *testing.T, username string, attrs map[string]string, to string) {
	t.Helper()
	e.signUp(t, username, attrs)
	code := e.sent.last(t, to).Code
	if _, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{ClientID: "client", Username: username, ConfirmationCode: code}); err != nil {
		t.Fatalf("ConfirmSignUp(%q): %v", username, err)
	}
}

func (e *lcEnv) get(t *testing.T, username string) userpool.User {
	t.Helper()
	u, err := e.pool.AdminGetUser(e.ctx, username)
	if err != nil {
		t.Fatalf("AdminGetUser(%q): %v", username, err)
	}
	return u
}

// lcCheckErr fails unless err matches want (nil for success) and, when
// msg is not empty, its message contains msg.
func lcCheckErr(t *testing.T, err, want error, msg string) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("got error %v, want success", err)
		}
		return
	}
	if !errors.Is(err, want) {
		t.Fatalf("got error %v, want %v", err, want)
	}
	var e *userpool.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *userpool.Error", err)
	}
	if msg != "" && !strings.Contains(e.Message, msg) {
		t.Fatalf("got message %q, want it to contain %q", e.Message, msg)
	}
}

// otherCode returns a six-digit code different from code.
func otherCode(code string) string {
	if code == "000000" {
		return "000001"
	}
	return "000000"
}
