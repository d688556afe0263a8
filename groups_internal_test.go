package userpool

import (
	"slices"
	"testing"

	"github.com/userpool/userpool/storage"
)

func TestPreferredRole(t *testing.T) {
	g := func(name string, prec *int64, role string) storage.Group {
		return storage.Group{Name: name, Precedence: prec, RoleARN: role}
	}
	tests := []struct {
		name   string
		groups []storage.Group
		want   string
	}{
		{"no groups", nil, ""},
		{"no roles", []storage.Group{g("a", new(int64(1)), "")}, ""},
		{"one role", []storage.Group{g("a", nil, "r1")}, "r1"},
		{"lowest precedence wins", []storage.Group{g("a", new(int64(5)), "r5"), g("b", new(int64(1)), "r1"), g("c", nil, "rn")}, "r1"},
		{"precedence beats none", []storage.Group{g("a", nil, "rn"), g("b", new(int64(9)), "r9")}, "r9"},
		{"groups without roles are skipped", []storage.Group{g("a", new(int64(0)), ""), g("b", new(int64(3)), "r3")}, "r3"},
		{"tie, same role", []storage.Group{g("a", new(int64(2)), "r"), g("b", new(int64(2)), "r")}, "r"},
		{"tie, different roles", []storage.Group{g("a", new(int64(2)), "r1"), g("b", new(int64(2)), "r2")}, ""},
		{"tie, different roles, then a better group", []storage.Group{g("a", new(int64(2)), "r1"), g("b", new(int64(2)), "r2"), g("c", new(int64(1)), "r3")}, "r3"},
		{"tie, different roles, then a worse group", []storage.Group{g("a", new(int64(2)), "r1"), g("b", new(int64(2)), "r2"), g("c", new(int64(3)), "r3")}, ""},
		{"tie without precedence, different roles", []storage.Group{g("a", nil, "r1"), g("b", nil, "r2")}, ""},
		{"three tied, two roles", []storage.Group{g("a", new(int64(2)), "r1"), g("b", new(int64(2)), "r2"), g("c", new(int64(2)), "r1")}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := preferredRole(tt.groups); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			// The rule does not depend on the order groups come in.
			rev := slices.Clone(tt.groups)
			slices.Reverse(rev)
			if got := preferredRole(rev); got != tt.want {
				t.Fatalf("reversed: got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCompareGroups(t *testing.T) {
	groups := []storage.Group{
		{Name: "none-b"}, {Name: "b", Precedence: new(int64(1))}, {Name: "none-a"},
		{Name: "a", Precedence: new(int64(1))}, {Name: "z", Precedence: new(int64(0))},
	}
	slices.SortFunc(groups, compareGroups)
	var got []string
	for _, g := range groups {
		got = append(got, g.Name)
	}
	if want := []string{"z", "a", "b", "none-a", "none-b"}; !slices.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestGroupPositionRoundTrip(t *testing.T) {
	for _, g := range []storage.Group{{Name: "a/b"}, {Name: "x", Precedence: new(int64(0))}, {Name: "-", Precedence: new(int64(2147483647))}} {
		got, err := decodeGroupPosition(encodeGroupPosition(g))
		if err != nil || compareGroups(got, g) != 0 {
			t.Fatalf("%+v: got %+v, %v", g, got, err)
		}
	}
	for _, bad := range []string{"", "x", "1.5/a"} {
		if _, err := decodeGroupPosition(bad); err == nil {
			t.Fatalf("decodeGroupPosition(%q) succeeded", bad)
		}
	}
}
