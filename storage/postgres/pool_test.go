package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

// The tests below run two *userpool.Pool values, one per instance, on one
// database, and check that they behave as one pool.

func newPool(t *testing.T, s storage.Store, opts ...userpool.Option) (*userpool.Pool, error) {
	t.Helper()
	opts = append([]userpool.Option{
		userpool.WithStore(s),
		userpool.WithClock(func() time.Time { return t0 }),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()),
	}, opts...)
	return userpool.New(context.Background(), "shop", opts...)
}

// TestPoolsStartTogether starts the same pool on two instances many times
// at once: every start succeeds and there is one pool record.
func TestPoolsStartTogether(t *testing.T) {
	ctx := context.Background()
	s := instances(t, 2)
	ids := make([]string, 20)
	ok, errs := racetest.Run(len(ids), func(i int) error {
		p, err := newPool(t, s[i%2])
		if err == nil {
			ids[i] = p.ID()
		}
		return err
	})
	if ok != len(ids) {
		t.Fatalf("%d of %d starts succeeded: %v", ok, len(ids), errs)
	}
	pools, err := s[1].ListPools(ctx, storage.PageRequest{Limit: 10})
	must(t, err)
	if len(pools.Items) != 1 || pools.Items[0].ID != ids[0] {
		t.Fatalf("got pools %+v, want the one pool %s", pools.Items, ids[0])
	}
	a, err := newPool(t, s[0])
	must(t, err)
	b, err := newPool(t, s[1])
	must(t, err)
	da, err := a.Describe(ctx)
	must(t, err)
	db, err := b.Describe(ctx)
	must(t, err)
	if da.String() != db.String() {
		t.Errorf("the instances describe the pool differently:\n%s\n%s", da, db)
	}
}

// TestPoolFixedSettingsAcrossInstances checks that an instance started
// with a setting that cannot change after creation is refused, whichever
// instance created the pool.
func TestPoolFixedSettingsAcrossInstances(t *testing.T) {
	s := instances(t, 2)
	_, err := newPool(t, s[0])
	must(t, err)
	_, err = newPool(t, s[1], userpool.WithUsernameAttributes("email"))
	var cfgErr *userpool.ConfigError
	if !errors.As(err, &cfgErr) {
		t.Fatalf("second instance with other username attributes: got %v, want a *userpool.ConfigError", err)
	}
}

// outbox keeps the last code sent to each user name, whichever instance
// sent it.
type outbox struct {
	mu    sync.Mutex
	codes map[string]string
}

func (o *outbox) sender() userpool.Sender {
	return userpool.SenderFunc(func(_ context.Context, m userpool.Message) error {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.codes == nil {
			o.codes = make(map[string]string)
		}
		o.codes[m.Username] = m.Code
		return nil
	})
}

func (o *outbox) code(username string) string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.codes[username]
}

// twoPools returns the same user pool opened on two instances that share
// a database, sending their messages to one outbox.
func twoPools(t *testing.T) (a, b *userpool.Pool, out *outbox) {
	t.Helper()
	s := instances(t, 2)
	out = &outbox{}
	a, err := newPool(t, s[0], userpool.WithAutoVerifiedAttributes("email"), userpool.WithSender(out.sender()))
	must(t, err)
	b, err = newPool(t, s[1], userpool.WithAutoVerifiedAttributes("email"), userpool.WithSender(out.sender()))
	must(t, err)
	return a, b, out
}

func signUp(t *testing.T, p *userpool.Pool, username string) {
	t.Helper()
	_, err := p.SignUp(context.Background(), userpool.SignUpInput{
		Username: username, Password: "Correct-horse-9",
		UserAttributes: map[string]string{"email": username + "@example.com"},
	})
	must(t, err)
}

// TestPoolsShareSignUp signs a user up on one instance and confirms it on
// the other, with the code the first one sent.
func TestPoolsShareSignUp(t *testing.T) {
	ctx := context.Background()
	a, b, out := twoPools(t)
	signUp(t, a, "ana")
	u, err := b.AdminGetUser(ctx, "ana")
	must(t, err)
	if u.Status != userpool.StatusUnconfirmed {
		t.Fatalf("status on the other instance: got %s, want UNCONFIRMED", u.Status)
	}
	_, err = b.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: out.code("ana")})
	must(t, err)
	u, err = a.AdminGetUser(ctx, "ana")
	must(t, err)
	if u.Status != userpool.StatusConfirmed {
		t.Errorf("status on the first instance after confirming on the other: got %s, want CONFIRMED", u.Status)
	}
	must(t, b.AdminDisableUser(ctx, "ana"))
	if u, err := a.AdminGetUser(ctx, "ana"); err != nil || u.Enabled {
		t.Errorf("user disabled on the other instance: got enabled %v, %v", u.Enabled, err)
	}
	must(t, a.AdminDeleteUser(ctx, "ana"))
	if _, err := b.AdminGetUser(ctx, "ana"); !errors.Is(err, userpool.ErrUserNotFound) {
		t.Errorf("AdminGetUser of a user deleted on the other instance: got %v, want UserNotFound", err)
	}
}

// TestPoolsConcurrentSignUpSameName signs one name up 200 times at once
// across two instances: exactly one succeeds.
func TestPoolsConcurrentSignUpSameName(t *testing.T) {
	a, b, _ := twoPools(t)
	pools := []*userpool.Pool{a, b}
	ok, errs := racetest.Run(200, func(i int) error {
		_, err := pools[i%2].SignUp(context.Background(), userpool.SignUpInput{
			Username: "ana", Password: "Correct-horse-9",
			UserAttributes: map[string]string{"email": fmt.Sprintf("ana%d@example.com", i)},
		})
		return err
	})
	if ok != 1 {
		t.Errorf("%d sign-ups succeeded, want exactly 1", ok)
	}
	for _, err := range errs {
		if !errors.Is(err, userpool.ErrUsernameExists) {
			t.Fatalf("losing sign-up: got %v, want UsernameExists", err)
		}
	}
}

// TestPoolsCodeGuessesCountAcrossInstances spends a user's guesses at a
// confirmation code on both instances in turn: the budget is one budget,
// and once it is spent the right code is refused on either instance.
func TestPoolsCodeGuessesCountAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a, b, out := twoPools(t)
	pools := []*userpool.Pool{a, b}
	signUp(t, a, "ana")
	right := out.code("ana")
	wrong := "000000"
	if wrong == right {
		wrong = "111111"
	}
	var last error
	for i := 0; i < 5; i++ {
		_, last = pools[i%2].ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: wrong})
		if i < 4 && !errors.Is(last, userpool.ErrCodeMismatch) {
			t.Fatalf("wrong guess %d: got %v, want CodeMismatch", i+1, last)
		}
	}
	if !errors.Is(last, userpool.ErrTooManyFailedAttempts) {
		t.Fatalf("fifth wrong guess, split across instances: got %v, want TooManyFailedAttempts", last)
	}
	for _, p := range pools {
		_, err := p.ConfirmSignUp(ctx, userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: right})
		if err == nil {
			t.Fatal("the right code was accepted after the guesses were spent")
		}
	}
}

// TestPoolsConfirmOnce confirms one code many times at once on both
// instances: exactly one confirmation succeeds.
func TestPoolsConfirmOnce(t *testing.T) {
	a, b, out := twoPools(t)
	pools := []*userpool.Pool{a, b}
	signUp(t, a, "ana")
	code := out.code("ana")
	ok, errs := racetest.Run(4, func(i int) error {
		_, err := pools[i%2].ConfirmSignUp(context.Background(), userpool.ConfirmSignUpInput{Username: "ana", ConfirmationCode: code})
		return err
	})
	if ok != 1 {
		t.Errorf("%d confirmations succeeded, want exactly 1: %v", ok, errs)
	}
}

// TestPoolsSharePaginationTokens pages through ListUsers alternating
// between the instances: a pagination token made by one is good on the
// other, since both derive its key from the pool's secret in the store.
func TestPoolsSharePaginationTokens(t *testing.T) {
	ctx := context.Background()
	a, b, _ := twoPools(t)
	pools := []*userpool.Pool{a, b}
	for _, name := range []string{"cy", "ana", "bo", "dee"} {
		signUp(t, a, name)
	}
	in := userpool.ListUsersInput{Filter: `email ^= ""`, Limit: 1}
	var names []string
	for i := 0; ; i++ {
		out, err := pools[i%2].ListUsers(ctx, in)
		must(t, err)
		for _, u := range out.Users {
			names = append(names, u.Username)
		}
		if out.PaginationToken == "" {
			break
		}
		in.PaginationToken = out.PaginationToken
	}
	if fmt.Sprint(names) != "[ana bo cy dee]" {
		t.Errorf("users listed across instances: got %v, want [ana bo cy dee]", names)
	}
}
