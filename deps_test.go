package userpool_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestRootImports guards the dependency graph: the root package may import
// the standard library, storage and storage/memory, and a short list of
// well-kept modules; never a database driver, an HTTP package of this
// project, or anything else a program embedding a pool would not expect.
func TestRootImports(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	allowed := []string{
		"github.com/userpool/userpool",
		"github.com/userpool/userpool/storage",
		"github.com/userpool/userpool/storage/memory",
		"golang.org/x/crypto/",
		"golang.org/x/text/",
		"golang.org/x/sys/",
		"github.com/go-jose/go-jose/v4",
		"github.com/pquerna/otp",
		"github.com/boombuler/barcode",
	}
	for _, pkg := range strings.Fields(string(out)) {
		ok := false
		for _, a := range allowed {
			if pkg == a || (strings.HasSuffix(a, "/") && strings.HasPrefix(pkg, a)) ||
				(!strings.HasPrefix(a, "github.com/userpool/") && strings.HasPrefix(pkg, a)) {
				ok = true
				break
			}
		}
		if !ok {
			t.Errorf("the root package depends on %s, which is not on the allowed list", pkg)
		}
	}
}
