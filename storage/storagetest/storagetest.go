// Package storagetest is the conformance suite for [storage.Store]
// backends. A backend is correct when [Run] passes, under -race, including
// its concurrency cases:
//
//	func TestConformance(t *testing.T) {
//		storagetest.Run(t, func(t *testing.T) storage.Store {
//			s, err := sqlite.Open(filepath.Join(t.TempDir(), "pool.db"))
//			if err != nil {
//				t.Fatal(err)
//			}
//			t.Cleanup(func() { s.Close() })
//			return s
//		})
//	}
//
// Each subtest checks one sentence of the contract documented in package
// storage, on a fresh store. Times are fixed, so the suite never waits and
// never depends on the clock; it compares times with time.Time.Equal
// semantics and treats empty and nil maps and slices alike, so backends may
// round-trip records through a database. Times have whole seconds only and
// strings whose order could depend on a collation are avoided, so any
// backend that sorts consistently can pass.
package storagetest

import (
	"slices"
	"testing"

	"github.com/userpool/userpool/storage"
)

// test is one subtest: a sentence of the contract and its check.
type test struct {
	name string
	run  func(t *testing.T, s storage.Store)
}

// Run runs the whole suite. newStore must return a new, empty store on
// every call; it may use t.Cleanup to close it. Run names subtests
// "Concern/Sentence" (for example "Users/UpdateStaleVersion"), so one case
// can be run with -run.
func Run(t *testing.T, newStore func(t *testing.T) storage.Store) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"Pools", poolTests},
		{"Clients", clientTests},
		{"Users", slices.Concat(userTests, listTests)},
		{"Groups", groupTests},
		{"Codes", codeTests},
		{"Sessions", sessionTests},
		{"RefreshTokens", tokenTests},
		{"Devices", deviceTests},
		{"SigningKeys", keyTests},
		{"Attempts", attemptTests},
		{"Revocations", revocationTests},
		{"Sweep", sweepTests},
		{"Cursors", cursorTests},
		{"Context", contextTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) { tc.run(t, newStore(t)) })
			}
		})
	}
}
