// Command customstore runs a user pool on a custom storage backend,
// jsonstore, which keeps the pool in one JSON file. It creates a user,
// closes the store as a restart would, opens the file again and finds the
// user still there.
//
//	go run ./examples/customstore               # a file in a new temporary directory
//	go run ./examples/customstore -file pool.json
//
// With -file, a second run finds the user made by the first.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/examples/customstore/jsonstore"
)

func main() {
	file := flag.String("file", "", "the store's JSON file (default: a new temporary directory's store.json)")
	flag.Parse()
	path, cleanup := *file, func() {}
	if path == "" {
		dir, err := os.MkdirTemp("", "customstore")
		if err != nil {
			log.Fatal(err)
		}
		path, cleanup = filepath.Join(dir, "store.json"), func() { os.RemoveAll(dir) }
	}
	err := run(context.Background(), os.Stdout, path)
	cleanup()
	if err != nil {
		log.Fatal(err)
	}
}

// run does the work of main; tests pass options such as cheap password
// hashing.
func run(ctx context.Context, w io.Writer, path string, opts ...userpool.Option) error {
	// First start: create the user.
	store, err := jsonstore.Open(path)
	if err != nil {
		return err
	}
	pool, err := userpool.New(ctx, "Custom store demo", append(opts, userpool.WithStore(store))...)
	if err != nil {
		store.Close()
		return err
	}
	_, err = pool.AdminCreateUser(ctx, userpool.AdminCreateUserInput{
		Username:       "ana",
		UserAttributes: map[string]string{"email": "ana@example.com", "email_verified": "true"},
		MessageAction:  userpool.MessageSuppress, // no invitation to send
	})
	switch {
	case errors.Is(err, userpool.ErrUsernameExists):
		fmt.Fprintf(w, "ana already exists in %s\n", path)
	case err != nil:
		store.Close()
		return err
	default:
		fmt.Fprintf(w, "created ana in pool %s, stored in %s\n", pool.ID(), path)
	}
	// Every change is on disk already: closing loses nothing.
	if err := store.Close(); err != nil {
		return err
	}

	// Second start: the same file, the same options, the same pool.
	store, err = jsonstore.Open(path)
	if err != nil {
		return err
	}
	defer store.Close()
	pool, err = userpool.New(ctx, "Custom store demo", append(opts, userpool.WithStore(store))...)
	if err != nil {
		return err
	}
	u, err := pool.AdminGetUser(ctx, "ana")
	if err != nil {
		return fmt.Errorf("after reopening: %w", err)
	}
	fmt.Fprintf(w, "after reopening: %s is %s, email %s\n", u.Username, u.Status, u.Attributes["email"])
	return nil
}
