package cognitoapi

import (
	"fmt"
	"testing"
	"time"
)

func TestSessionIndex(t *testing.T) {
	var s sessionIndex
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s.put("", "us-east-1_a", t0)
	s.put("sess", "us-east-1_a", t0)
	tests := []struct {
		name    string
		session string
		at      time.Time
		want    string
	}{
		{"just issued", "sess", t0, "us-east-1_a"},
		{"at the longest session validity", "sess", t0.Add(maxSessionAge), "us-east-1_a"},
		{"after it", "sess", t0.Add(maxSessionAge + time.Second), ""},
		{"unknown", "other", t0, ""},
		{"empty sessions are never kept", "", t0, ""},
	}
	for _, tt := range tests {
		got, ok := s.get(tt.session, tt.at)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("%s: get = %q, %v; want %q", tt.name, got, ok, tt.want)
		}
	}
}

// TestSessionIndexBounded: a full index drops expired entries first, and
// starts over only when none has expired.
func TestSessionIndexBounded(t *testing.T) {
	var s sessionIndex
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range maxSessions - 1 {
		s.put(fmt.Sprint("old", i), "p", t0)
	}
	s.put("fresh", "p", t0.Add(time.Hour))
	later := t0.Add(time.Hour)
	s.put("newest", "p", later)
	if len(s.pools) != 2 {
		t.Fatalf("after the expired entries were dropped: %d entries, want 2", len(s.pools))
	}
	for i := range maxSessions {
		s.put(fmt.Sprint("live", i), "p", later)
	}
	if len(s.pools) > maxSessions {
		t.Fatalf("index grew to %d entries, past %d", len(s.pools), maxSessions)
	}
	if _, ok := s.get(fmt.Sprint("live", maxSessions-1), later); !ok {
		t.Error("the entry just put is missing")
	}
}
