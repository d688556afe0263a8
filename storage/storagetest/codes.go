package storagetest

import (
	"testing"
	"time"

	"github.com/userpool/userpool/internal/racetest"
	"github.com/userpool/userpool/storage"
)

var codeTests = []test{
	{"PutGet", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		c := newCode(pid, "s1", "confirm_sign_up", "h1")
		must(t, s.PutCode(t.Context(), c))
		c.Hash[0] = 'X' // the store kept its own copy
		got, err := s.GetCode(t.Context(), pid, "s1", "confirm_sign_up")
		must(t, err)
		equal(t, "GetCode", got, newCode(pid, "s1", "confirm_sign_up", "h1"))
	}},
	{"PutReplacesSamePurpose", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "verify:email", "h1")))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "forgot_password", "h2")))
		next := newCode(pid, "s1", "verify:email", "h3")
		next.ExpiresAt = t0.Add(2 * time.Hour)
		must(t, s.PutCode(t.Context(), next))
		got, err := s.GetCode(t.Context(), pid, "s1", "verify:email")
		must(t, err)
		equal(t, "GetCode of the replaced code", got, next)
		wantErr(t, "ConsumeCode with the replaced hash", s.ConsumeCode(t.Context(), pid, "s1", "verify:email", []byte("h1")), storage.ErrNotFound)
		must(t, s.ConsumeCode(t.Context(), pid, "s1", "forgot_password", []byte("h2")))
	}},
	{"PutMissingUser", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		wantErr(t, "PutCode", s.PutCode(t.Context(), newCode(pid, "nope", "p", "h")), storage.ErrNotFound)
	}},
	{"GetMissing", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		_, err := s.GetCode(t.Context(), pid, "s1", "p")
		wantErr(t, "GetCode", err, storage.ErrNotFound)
	}},
	{"ConsumeWrongHash", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "p", "right")))
		for _, h := range []string{"wrong", "righ", "right!", ""} {
			wantErr(t, "ConsumeCode with hash "+h, s.ConsumeCode(t.Context(), pid, "s1", "p", []byte(h)), storage.ErrNotFound)
		}
		must(t, s.ConsumeCode(t.Context(), pid, "s1", "p", []byte("right"))) // still there
	}},
	{"ConsumeOnce", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "p", "h")))
		must(t, s.ConsumeCode(t.Context(), pid, "s1", "p", []byte("h")))
		wantErr(t, "second ConsumeCode", s.ConsumeCode(t.Context(), pid, "s1", "p", []byte("h")), storage.ErrNotFound)
		_, err := s.GetCode(t.Context(), pid, "s1", "p")
		wantErr(t, "GetCode after ConsumeCode", err, storage.ErrNotFound)
	}},
	{"Delete", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "p", "h")))
		must(t, s.DeleteCode(t.Context(), pid, "s1", "p"))
		_, err := s.GetCode(t.Context(), pid, "s1", "p")
		wantErr(t, "GetCode after DeleteCode", err, storage.ErrNotFound)
		must(t, s.DeleteCode(t.Context(), pid, "s1", "p")) // none left: not an error
	}},
	{"ConcurrentConsume", func(t *testing.T, s storage.Store) {
		createPool(t, s, pid)
		createUser(t, s, newUser(pid, "s1", "ana"))
		must(t, s.PutCode(t.Context(), newCode(pid, "s1", "p", "h")))
		ok, errs := racetest.Run(50, func(int) error {
			return s.ConsumeCode(t.Context(), pid, "s1", "p", []byte("h"))
		})
		racetest.OneWinner(t, ok, errs, storage.ErrNotFound)
	}},
}
