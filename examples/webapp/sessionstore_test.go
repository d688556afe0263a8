package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSessionsSurviveRestart: a browser signed in at one instance of the
// app is signed in at another on the same files (a restart is the same
// case), its tokens are not readable in the sessions database, and after
// it signs out no instance takes the old cookie.
func TestSessionsSurviveRestart(t *testing.T) {
	db := filepath.Join(t.TempDir(), "webapp.db")
	onDB := func(c *config) { c.DB = db }
	first := startApp(t, onDB)
	newUser(t, first, "sam@example.com")
	c := signIn(t, first, "sam@example.com")

	second := startApp(t, onDB)
	if status, body := page(t, c, second.url+"/profile"); status != http.StatusOK || !strings.Contains(body, "sam@example.com") {
		t.Fatalf("profile at the second instance: %d", status)
	}

	// At rest: no token, no cookie value; the key file is the owner's.
	var files []byte
	for _, suffix := range []string{"-sessions", "-sessions-wal"} {
		b, err := os.ReadFile(db + suffix)
		if err == nil {
			files = append(files, b...)
		}
	}
	u, _ := url.Parse(first.url)
	cookie := c.Jar.Cookies(u)[0].Value
	if len(files) == 0 || bytes.Contains(files, []byte("eyJ")) || bytes.Contains(files, []byte(cookie)) {
		t.Errorf("the sessions database holds a token or the cookie (%d bytes read)", len(files))
	}
	if fi, err := os.Stat(db + "-sessions.key"); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v", fi, err)
	}

	// Signed out at the second instance: a third, fresh one does not take
	// the old cookie.
	token := csrfOf(t, c, second.url+"/profile")
	postForm(t, c, second.url+"/signout", url.Values{"csrf": {token}})
	stale := httpClient(t)
	stale.Jar.SetCookies(u, []*http.Cookie{{Name: cookieName, Value: cookie}})
	third := startApp(t, onDB)
	if status, _ := page(t, stale, third.url+"/profile"); status != http.StatusSeeOther {
		t.Errorf("the signed-out cookie at a third instance: %d, want a redirect to sign in", status)
	}
}

// TestSessionStoreRefusesOtherKeys: a record sealed under another key, or
// moved to another row, does not open; an idle one is not loaded.
func TestSessionStoreRefusesOtherKeys(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "a.db")
	st, err := openSessionStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	now := time.Now()
	if err := st.save(ctx, "cookie-1", storedSession{CSRF: "c", Refresh: "r"}, now); err != nil {
		t.Fatal(err)
	}
	if got, ok := st.load(ctx, "cookie-1", now, time.Hour); !ok || got.Refresh != "r" {
		t.Fatalf("load: %+v %v", got, ok)
	}
	if _, ok := st.load(ctx, "cookie-1", now.Add(2*time.Hour), time.Hour); ok {
		t.Error("an idle session loaded")
	}
	// The same row under another key file.
	if err := os.WriteFile(db+"-sessions.key", bytes.Repeat([]byte{7}, 32), 0o600); err != nil {
		t.Fatal(err)
	}
	other, err := openSessionStore(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if _, ok := other.load(ctx, "cookie-1", now, time.Hour); ok {
		t.Error("a record opened under another key")
	}
	// A record copied to another row.
	if _, err := st.db.ExecContext(ctx, `INSERT INTO sessions (id, data, saved_at) SELECT ?, data, saved_at FROM sessions WHERE id = ?`,
		rowID("cookie-2"), rowID("cookie-1")); err != nil {
		t.Fatal(err)
	}
	if _, ok := st.load(ctx, "cookie-2", now, time.Hour); ok {
		t.Error("a record opened in another row")
	}
}
