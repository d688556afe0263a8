package sqlite

import (
	"testing"
	"time"
)

// TestDecAgreesWithTimeParse checks the fast path of dec against
// time.Parse on the times this package writes and on near misses.
func TestDecAgreesWithTimeParse(t *testing.T) {
	written := []time.Time{
		{},
		time.Date(2025, 3, 1, 12, 0, 0, 123456789, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2024, 2, 29, 1, 2, 3, 4, time.UTC),
	}
	for _, w := range written {
		s, err := enc(w)
		if err != nil {
			t.Fatal(err)
		}
		got, err := dec(s)
		if err != nil || !got.Equal(w) || got.Location() != time.UTC {
			t.Errorf("dec(%q) = %v, %v; want %v", s, got, err, w)
		}
	}
	for _, s := range []string{
		"",
		"2025-02-30T00:00:00.000000000Z",
		"2023-02-29T00:00:00.000000000Z",
		"2025-13-01T00:00:00.000000000Z",
		"2025-00-01T00:00:00.000000000Z",
		"2025-01-01T24:00:00.000000000Z",
		"2025-01-01T00:60:00.000000000Z",
		"2025-01-01T00:00:60.000000000Z",
		"2025-01-01T00:00:00.000000000+",
		"2025-01-01 00:00:00.000000000Z",
		"2025-01-01T00:00:00.00000000xZ",
		"2025-01-01T00:00:00.000000000Z0",
	} {
		checkDec(t, s)
	}
}

func checkDec(t *testing.T, s string) {
	t.Helper()
	got, err := dec(s)
	want, wantErr := time.Parse(timeLayout, s)
	if s == zeroTime {
		want = time.Time{}
	}
	if (err == nil) != (wantErr == nil) || !got.Equal(want) {
		t.Errorf("dec(%q) = %v, %v; time.Parse gives %v, %v", s, got, err, want, wantErr)
	}
}

// FuzzDec checks that dec accepts exactly what time.Parse accepts for the
// stored layout, with the same result.
func FuzzDec(f *testing.F) {
	f.Add("2025-03-01T12:00:00.123456789Z")
	f.Add("2025-02-29T12:00:00.123456789Z")
	f.Add(zeroTime)
	f.Fuzz(checkDec)
}
