// Command userpoold serves user pools over Amazon Cognito's JSON API, so
// AWS SDKs, amazon-cognito-identity-js and Amplify apps can use it in place
// of Cognito. Pools live in a SQLite database and are created through the
// API (CreateUserPool) or from a JSON file at start (-config).
//
// Usage:
//
//	userpoold [-addr 127.0.0.1:9229] [-db ./userpool.db] [-config pools.json]
//	          [-admin-credentials ACCESS_KEY:SECRET] [-issuer URL] [-messages-dir DIR]
//
// Administrative calls must be signed (SigV4) with the key pair of
// -admin-credentials (or USERPOOLD_ADMIN_CREDENTIALS). Without one, the
// server accepts unsigned administrative calls, and only while it listens
// on a loopback address; on any other address it refuses to start.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "userpoold:", err)
		os.Exit(1)
	}
}
