package userpool_test

import (
	"context"
	"fmt"
	"github.com/userpool/userpool/internal/fakeclock"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

func newListClock() *fakeclock.Clock {
	return fakeclock.New(time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC))
}

// listPool is a pool on a fresh memory store with a fake clock.
type listPool struct {
	*userpool.Pool
	store storage.Store
	clock *fakeclock.Clock
	subs  int
}

func newListPool(t testing.TB, opts ...userpool.Option) *listPool {
	t.Helper()
	lp := &listPool{store: memory.New(), clock: newListClock()}
	all := append([]userpool.Option{userpool.WithStore(lp.store), userpool.WithClock(lp.clock.Now), userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing())}, opts...)
	p, err := userpool.New(context.Background(), "listing", all...)
	if err != nil {
		t.Fatal(err)
	}
	lp.Pool = p
	return lp
}

// testUser describes a user to put straight into the store.
type testUser struct {
	username string
	attrs    map[string]string
	status   userpool.UserStatus // CONFIRMED when ""
	disabled bool
}

// add stores users directly, with the login key the pool computes for an
// ASCII lower-case user name, until AdminCreateUser is available here.
// It returns their subs.
func (lp *listPool) add(t testing.TB, users ...testUser) []string {
	t.Helper()
	subs, err := lp.addUsers(users...)
	if err != nil {
		t.Fatal(err)
	}
	return subs
}

func (lp *listPool) addUsers(users ...testUser) ([]string, error) {
	var subs []string
	for _, tu := range users {
		lp.subs++
		sub := fmt.Sprintf("00000000-0000-4000-8000-%012d", lp.subs)
		status := tu.status
		if status == "" {
			status = userpool.StatusConfirmed
		}
		attrs := map[string]string{}
		for k, v := range tu.attrs {
			attrs[k] = v
		}
		now := lp.clock.Now()
		err := lp.store.CreateUser(context.Background(), storage.User{
			PoolID:     lp.ID(),
			Sub:        sub,
			Username:   tu.username,
			Logins:     []storage.Login{{Name: "username", Key: strings.ToLower(tu.username)}},
			Attributes: attrs,
			Status:     string(status),
			Enabled:    !tu.disabled,
			CreatedAt:  now,
			UpdatedAt:  now,
		})
		if err != nil {
			return nil, err
		}
		subs = append(subs, sub)
	}
	return subs, nil
}
