package cognitoapi

import (
	"strings"
	"testing"
)

func TestSessionPrefix(t *testing.T) {
	if got := wrapSession("us-east-1_Abc123456", ""); got != "" {
		t.Errorf("wrapSession of no session = %q, want none", got)
	}
	w := wrapSession("us-east-1_Abc123456", "c2Vzc2lvbg")
	if pool, s, ok := unwrapSession(w); !ok || pool != "us-east-1_Abc123456" || s != "c2Vzc2lvbg" {
		t.Errorf("unwrapSession(%q) = %q, %q, %v", w, pool, s, ok)
	}
	for _, s := range []string{"", "c2Vzc2lvbg", ".c2Vzc2lvbg", "us-east-1_Abc123456.", "."} {
		if pool, inner, ok := unwrapSession(s); ok || pool != "" || inner != s {
			t.Errorf("unwrapSession(%q) = %q, %q, %v; want it unchanged, not ok", s, pool, inner, ok)
		}
	}
}

// FuzzUnwrapSession: any session a client sends splits without panic,
// and what wrapSession made comes back apart exactly.
func FuzzUnwrapSession(f *testing.F) {
	f.Add("us-east-1_Abc123456", "c2Vzc2lvbg")
	f.Add("", "x")
	f.Add("a.b", "c.d")
	f.Fuzz(func(t *testing.T, pool, session string) {
		unwrapSession(pool + session)
		if pool == "" || session == "" || strings.Contains(pool, sessionSep) {
			return
		}
		p, s, ok := unwrapSession(wrapSession(pool, session))
		if !ok || p != pool || s != session {
			t.Fatalf("unwrapSession(wrapSession(%q, %q)) = %q, %q, %v", pool, session, p, s, ok)
		}
	})
}
