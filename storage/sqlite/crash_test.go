package sqlite_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
	"github.com/userpool/userpool/storage/sqlite"
)

// Environment of the child writer started by TestCrash.
const (
	crashDBEnv    = "USERPOOL_SQLITE_CRASH_DB"
	crashRoundEnv = "USERPOOL_SQLITE_CRASH_ROUND"
)

// TestCrash starts a child process that writes users, consumes codes and
// revokes tokens, printing a line after each call returns success, and
// kills it with SIGKILL after a varying number of lines, mid-stream. After
// each kill it reopens the database and checks that PRAGMA integrity_check
// is ok and that every acknowledged change is there: every acknowledged
// user exists, no consumed code is back, no revoked token is usable again.
func TestCrash(t *testing.T) {
	if testing.Short() {
		t.Skip("starts child processes")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "crash.db")
	for round, kill := range []int{7, 40, 113, 260} {
		acked := runCrashChild(t, path, round, kill)
		if len(acked) < kill {
			t.Fatalf("round %d: child acknowledged %d changes before dying, want at least %d", round, len(acked), kill)
		}
		s, err := sqlite.Open(ctx, path)
		must(t, err)
		var check string
		must(t, sqlite.DB(s).QueryRow(`PRAGMA integrity_check`).Scan(&check))
		if check != "ok" {
			t.Fatalf("round %d: integrity_check: %s", round, check)
		}
		for _, line := range acked {
			what, id, _ := strings.Cut(line, " ")
			switch what {
			case "user":
				if _, err := s.GetUser(ctx, pid, id); err != nil {
					t.Errorf("round %d: acknowledged user %s: %v", round, id, err)
				}
			case "consumed":
				if _, err := s.GetCode(ctx, pid, id, "confirm_sign_up"); !errors.Is(err, storage.ErrNotFound) {
					t.Errorf("round %d: consumed code of %s is back: %v", round, id, err)
				}
			case "revoked":
				tok, err := s.GetRefreshToken(ctx, pid, id)
				if err != nil || tok.RevokedAt.IsZero() {
					t.Errorf("round %d: revoked token %s: revoked at %v, err %v", round, id, tok.RevokedAt, err)
				}
			default:
				t.Fatalf("round %d: child said %q", round, line)
			}
		}
		must(t, s.Close())
	}
}

// runCrashChild runs the child writer on path until it has printed kill
// lines, kills it with SIGKILL, and returns every line it printed,
// including those still in the pipe at the kill.
func runCrashChild(t *testing.T, path string, round, kill int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashDBEnv+"="+path, fmt.Sprintf("%s=%d", crashRoundEnv, round))
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	must(t, err)
	must(t, cmd.Start())
	var lines []string
	killed := false
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if line := sc.Text(); strings.HasPrefix(line, "ack ") {
			lines = append(lines, strings.TrimPrefix(line, "ack "))
		}
		if len(lines) == kill && !killed {
			must(t, cmd.Process.Kill()) // SIGKILL on Unix
			killed = true
		}
	}
	must(t, sc.Err())
	err = cmd.Wait()
	if !killed {
		t.Fatalf("round %d: child ended before %d acknowledgements: %v", round, kill, err)
	}
	return lines
}

// TestCrashChild is the child writer of TestCrash; it does nothing unless
// started by it. It never returns on its own before the parent kills it,
// except after a bound that keeps an orphan from running forever.
func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashDBEnv)
	if path == "" {
		t.Skip("run by TestCrash")
	}
	round := os.Getenv(crashRoundEnv)
	ctx := context.Background()
	s, err := sqlite.Open(ctx, path)
	must(t, err)
	err = s.CreatePool(ctx, storage.Pool{ID: pid, CreatedAt: t0, UpdatedAt: t0})
	if err != nil && !errors.Is(err, storage.ErrConflict) {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for i := 0; time.Now().Before(deadline); i++ {
		u := user(i)
		u.Sub = fmt.Sprintf("r%s-%06d", round, i)
		for j := range u.Logins {
			u.Logins[j].Key = u.Sub + "/" + u.Logins[j].Key
		}
		must(t, s.CreateUser(ctx, u))
		fmt.Printf("ack user %s\n", u.Sub) // unbuffered: a line out is an acknowledgement
		code := storage.Code{PoolID: pid, Sub: u.Sub, Purpose: "confirm_sign_up", Hash: []byte{byte(i)}, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, s.PutCode(ctx, code))
		must(t, s.ConsumeCode(ctx, pid, u.Sub, code.Purpose, code.Hash))
		fmt.Printf("ack consumed %s\n", u.Sub)
		tok := storage.RefreshToken{PoolID: pid, Hash: "h-" + u.Sub, Sub: u.Sub, FamilyID: u.Sub, IssuedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		must(t, s.PutRefreshToken(ctx, tok))
		must(t, s.RevokeRefreshToken(ctx, pid, tok.Hash, t0))
		fmt.Printf("ack revoked %s\n", tok.Hash)
	}
}
