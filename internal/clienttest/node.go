package clienttest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"
)

// nodeDir is the directory of the Node flows script and its package-lock
// (cognitoapi/testdata/node); .ci/run installs its node_modules with
// npm ci.
func nodeDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..", "cognitoapi", "testdata", "node")
}

// NeedNode skips t when Node or amazon-cognito-identity-js is missing,
// except under CI, where that is a failure.
func NeedNode(t testing.TB) {
	t.Helper()
	missing := func(what string) {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s: CI must run the amazon-cognito-identity-js tests (.ci/run installs them)", what)
		}
		t.Skipf("%s: run `npm ci --prefix cognitoapi/testdata/node` (as .ci/run does) to test with amazon-cognito-identity-js", what)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing("node is not installed")
	}
	if _, err := os.Stat(filepath.Join(nodeDir(), "node_modules", "amazon-cognito-identity-js")); err != nil {
		missing("amazon-cognito-identity-js is not installed")
	}
}

// RunFlows runs flows.cjs with env added to the environment and returns
// each step it printed (one JSON object a line), by its "step" name. On a
// failure it reports report() with the script's output.
func RunFlows(t testing.TB, env []string, report func() string) map[string]map[string]any {
	t.Helper()
	NeedNode(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute) // a bound on a hang, not a speed target
	defer cancel()
	cmd := exec.CommandContext(ctx, "node", "flows.cjs")
	cmd.Dir = nodeDir()
	cmd.Env = append(os.Environ(), env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node flows.cjs: %v\nstdout:\n%s\nstderr:\n%s\n%s", err, out, stderr.String(), report())
	}
	steps := map[string]map[string]any{}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("node output %q: %v", sc.Text(), err)
		}
		name, _ := m["step"].(string)
		steps[name] = m
	}
	return steps
}

// Strings returns a step's list value as strings.
func Strings(v any) []string {
	list, _ := v.([]any)
	out := make([]string, 0, len(list))
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}
