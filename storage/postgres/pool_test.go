package postgres_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/userpool/userpool"
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
	ok, errs := race(len(ids), func(i int) error {
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
