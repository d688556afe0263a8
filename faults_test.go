package userpool_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/memory"
)

// lcFaultyStore is a memory store whose chosen methods fail on demand.
type lcFaultyStore struct {
	storage.Store
	failPutCode     atomic.Bool
	failUpdateUsers atomic.Bool
	failCreateUser  atomic.Bool
}

var lcErrInjected = errors.New("injected store failure")

func (s *lcFaultyStore) PutCode(ctx context.Context, c storage.Code) error {
	if s.failPutCode.Load() {
		return lcErrInjected
	}
	return s.Store.PutCode(ctx, c)
}

func (s *lcFaultyStore) UpdateUsers(ctx context.Context, users ...storage.User) error {
	if s.failUpdateUsers.Load() {
		return lcErrInjected
	}
	return s.Store.UpdateUsers(ctx, users...)
}

func (s *lcFaultyStore) CreateUser(ctx context.Context, u storage.User) error {
	if s.failCreateUser.Load() {
		return lcErrInjected
	}
	return s.Store.CreateUser(ctx, u)
}

func TestStoreFaults(t *testing.T) {
	tests := []struct {
		name  string
		fail  func(s *lcFaultyStore)
		run   func(t *testing.T, e *lcEnv) error
		check func(t *testing.T, e *lcEnv)
	}{
		{name: "sign-up: storing the code fails, no user stays", fail: func(s *lcFaultyStore) { s.failPutCode.Store(true) },
			run: func(t *testing.T, e *lcEnv) error {
				_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "bob", Password: lcPassword, UserAttributes: map[string]string{"email": "bob@example.com"}})
				return err
			},
			check: func(t *testing.T, e *lcEnv) {
				if _, err := e.pool.AdminGetUser(e.ctx, "bob"); !errors.Is(err, userpool.ErrUserNotFound) {
					t.Fatalf("bob exists: %v", err)
				}
				if e.sent.count() != 0 {
					t.Fatalf("a message went out for a failed sign-up")
				}
			}},
		{name: "sign-up: creating fails", fail: func(s *lcFaultyStore) { s.failCreateUser.Store(true) },
			run: func(t *testing.T, e *lcEnv) error {
				_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: "bob", Password: lcPassword})
				return err
			}},
		{name: "attribute update: writing fails, no code stored", fail: func(s *lcFaultyStore) { s.failUpdateUsers.Store(true) },
			run: func(t *testing.T, e *lcEnv) error {
				_, err := e.pool.AdminUpdateUserAttributes(e.ctx, userpool.AdminUpdateUserAttributesInput{Username: "ana", UserAttributes: map[string]string{"email": "new@example.com"}})
				return err
			},
			check: func(t *testing.T, e *lcEnv) {
				u := e.get(t, "ana")
				if _, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), u.Sub, "verify:email"); err == nil {
					t.Fatalf("a code was stored for a change that failed")
				}
			}},
		{name: "password reset: writing fails, no code stored", fail: func(s *lcFaultyStore) { s.failUpdateUsers.Store(true) },
			run: func(t *testing.T, e *lcEnv) error {
				_, err := e.pool.AdminResetUserPassword(e.ctx, userpool.AdminResetUserPasswordInput{Username: "ana"})
				return err
			},
			check: func(t *testing.T, e *lcEnv) {
				u := e.get(t, "ana")
				if _, err := e.pool.Store().GetCode(e.ctx, e.pool.ID(), u.Sub, "forgot_password"); err == nil || u.Status != userpool.StatusConfirmed {
					t.Fatalf("status %s, code stored: %v", u.Status, err == nil)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := &lcFaultyStore{Store: memory.New()}
			e := newLCEnv(t, userpool.WithStore(store), userpool.WithAutoVerifiedAttributes("email"))
			e.confirmed(t, "ana", map[string]string{"email": "ana@example.com"}, "ana@example.com")
			before := e.get(t, "ana")
			e.sent = &lcSender{}
			tt.fail(store)
			err := tt.run(t, e)
			var perr *userpool.Error
			if !errors.Is(err, userpool.ErrInternal) || !errors.As(err, &perr) || !errors.Is(err, lcErrInjected) {
				t.Fatalf("got %v, want an InternalError caused by the store", err)
			}
			store.failPutCode.Store(false)
			store.failUpdateUsers.Store(false)
			store.failCreateUser.Store(false)
			if after := e.get(t, "ana"); !equalAttrs(before.Attributes, after.Attributes) || after.Status != before.Status {
				t.Fatalf("ana changed from %+v to %+v", before, after)
			}
			if tt.check != nil {
				tt.check(t, e)
			}
		})
	}
}

func TestSignUpConcurrentSameName(t *testing.T) {
	e := newLCEnv(t)
	const n = 20
	errs := make([]error, n)
	var wg sync.WaitGroup
	names := []string{"ana", "ANA", "ａｎａ", "Ana"}
	for i := range n {
		wg.Go(func() {
			_, errs[i] = e.pool.SignUp(e.ctx, userpool.SignUpInput{Username: names[i%len(names)], Password: lcPassword})
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, userpool.ErrUsernameExists):
		default:
			t.Errorf("unexpected error %v", err)
		}
	}
	if n, _ := e.pool.Store().CountUsers(e.ctx, e.pool.ID()); wins != 1 || n != 1 {
		t.Fatalf("%d sign-ups succeeded and %d users exist, want 1 and 1", wins, n)
	}
}
