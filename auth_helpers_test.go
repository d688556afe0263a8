package userpool_test

import (
	"context"
	"errors"
	"github.com/userpool/userpool/internal/fakeclock"
	"log/slog"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// authRand is a seeded random source safe for concurrent use.
type authRand struct {
	mu sync.Mutex
	r  *rand.ChaCha8
}

func (r *authRand) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.r.Read(p)
}

// authSender records the messages a pool sends.
type authSender struct {
	mu   sync.Mutex
	msgs []userpool.Message
}

func (s *authSender) Send(_ context.Context, m userpool.Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	return nil
}

func (s *authSender) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.msgs)
}

// code returns the code of the newest message to the address to.
func (s *authSender) code(t testing.TB, to string) string {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.msgs) - 1; i >= 0; i-- {
		if s.msgs[i].To == to {
			return s.msgs[i].Code
		}
	}
	t.Fatalf("no message to %s among %d", to, len(s.msgs))
	return ""
}

// authEnv is a pool for the sign-in tests: memory store, fake clock,
// seeded randomness, a recording sender, the cheap hashing profile, and
// four app clients.
type authEnv struct {
	pool  *userpool.Pool
	store storage.Store
	clock *fakeclock.Clock
	sent  *authSender
	ctx   context.Context
	// app allows the password, admin, custom and refresh flows; secret
	// is the same with a client secret; prevent is the same with
	// PreventUserExistenceErrors; srp has Cognito's default flows only.
	app, secret, prevent, srp userpool.Client
}

var passwordFlows = []userpool.AuthFlow{userpool.FlowUserPassword, userpool.FlowAdminUserPassword, userpool.FlowCustom, userpool.FlowRefreshToken}

func newAuthEnv(t testing.TB, opts ...userpool.Option) *authEnv {
	t.Helper()
	e := &authEnv{
		store: memory.New(),
		clock: fakeclock.New(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)),
		sent:  &authSender{},
		ctx:   context.Background(),
	}
	all := append([]userpool.Option{
		userpool.WithStore(e.store),
		userpool.WithClock(e.clock.Now),
		userpool.WithRandom(&authRand{r: rand.NewChaCha8([32]byte{7})}),
		userpool.WithSender(e.sent),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
		userpool.WithLogger(slog.New(slog.DiscardHandler)),
	}, opts...)
	p, err := userpool.New(e.ctx, "signin", all...)
	if err != nil {
		t.Fatal(err)
	}
	e.pool = p
	e.app = e.client(t, userpool.ClientConfig{Name: "app", AuthFlows: passwordFlows})
	e.secret = e.client(t, userpool.ClientConfig{Name: "secret", AuthFlows: passwordFlows, GenerateSecret: true})
	e.prevent = e.client(t, userpool.ClientConfig{Name: "prevent", AuthFlows: passwordFlows, PreventUserExistenceErrors: true})
	e.srp = e.client(t, userpool.ClientConfig{Name: "srp"})
	return e
}

func (e *authEnv) client(t testing.TB, cfg userpool.ClientConfig) userpool.Client {
	t.Helper()
	c, err := e.pool.CreateClient(e.ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const (
	authPassword = "Correct-horse-9"
	tempPassword = "Temp-pass-42"
)

// tempUser creates a user in FORCE_CHANGE_PASSWORD with tempPassword.
func (e *authEnv) tempUser(t testing.TB, name string, attrs map[string]string) {
	t.Helper()
	_, err := e.pool.AdminCreateUser(e.ctx, userpool.AdminCreateUserInput{
		Username: name, UserAttributes: attrs, TemporaryPassword: tempPassword, MessageAction: userpool.MessageSuppress,
	})
	if err != nil {
		t.Fatalf("AdminCreateUser(%s): %v", name, err)
	}
}

// user creates a CONFIRMED user with authPassword.
func (e *authEnv) user(t testing.TB, name string, attrs map[string]string) {
	t.Helper()
	e.tempUser(t, name, attrs)
	err := e.pool.AdminSetUserPassword(e.ctx, userpool.AdminSetUserPasswordInput{Username: name, Password: authPassword, Permanent: true})
	if err != nil {
		t.Fatalf("AdminSetUserPassword(%s): %v", name, err)
	}
}

// signIn runs USER_PASSWORD_AUTH with the app client.
func (e *authEnv) signIn(name, password string) (userpool.AuthOutput, error) {
	return e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserPassword, ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": name, "PASSWORD": password},
	})
}

// tokens signs in and returns the tokens, failing the test otherwise.
func (e *authEnv) tokens(t testing.TB, name, password string) *userpool.AuthenticationResult {
	t.Helper()
	out, err := e.signIn(name, password)
	if err != nil {
		t.Fatalf("sign-in of %s: %v", name, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("sign-in of %s: got challenge %s, want tokens", name, out.ChallengeName)
	}
	return out.AuthenticationResult
}

// wantAuthErr fails unless err is the pool error sentinel and, when msg
// is not "", carries exactly that message.
func wantAuthErr(t testing.TB, what string, err error, sentinel *userpool.Error, msg string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("%s: got %v, want %s", what, err, sentinel.Code)
	}
	if msg != "" {
		var e *userpool.Error
		if !errors.As(err, &e) || e.Message != msg {
			t.Fatalf("%s: got %v, want message %q", what, err, msg)
		}
	}
}

// wantTokens fails unless out is a completed sign-in whose access token
// the pool accepts for the user name want.
func (e *authEnv) wantTokens(t testing.TB, what string, out userpool.AuthOutput, err error, want string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if out.AuthenticationResult == nil {
		t.Fatalf("%s: got challenge %q, want tokens", what, out.ChallengeName)
	}
	claims, err := e.pool.Verifier().Verify(e.ctx, out.AuthenticationResult.AccessToken, userpool.TokenUseAccess)
	if err != nil {
		t.Fatalf("%s: access token: %v", what, err)
	}
	if claims.Username != want {
		t.Fatalf("%s: access token of %q, want %q", what, claims.Username, want)
	}
}

// signUpAndConfirm signs name up with client c (without a password when
// password is empty) and confirms with the code sent to
// name@example.com, returning ConfirmSignUp's auto sign-in session.
func (e *authEnv) signUpAndConfirm(t *testing.T, c userpool.Client, name, password string) string {
	t.Helper()
	email := name + "@example.com"
	if _, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: c.ID, Username: name, Password: password,
		UserAttributes: map[string]string{"email": email}}); err != nil {
		t.Fatalf("SignUp %s: %v", name, err)
	}
	out, err := e.pool.ConfirmSignUp(e.ctx, userpool.ConfirmSignUpInput{ClientID: c.ID, Username: name, ConfirmationCode: e.sent.code(t, email)})
	if err != nil {
		t.Fatalf("ConfirmSignUp %s: %v", name, err)
	}
	return out.Session
}
