package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/internal/clienttest"
)

// syncBuffer collects the server's log safely across goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// server is a running userpoold.
type server struct {
	url  string
	stop func() error
	log  *syncBuffer
}

// start runs userpoold with args on a free loopback port.
func start(t *testing.T, env map[string]string, args ...string) server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncBuffer{}
	addrs := make(chan net.Addr, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...),
			func(k string) string { return env[k] }, io.Discard, log, func(a net.Addr) { addrs <- a })
	}()
	var addr net.Addr
	select {
	case addr = <-addrs:
	case err := <-done:
		cancel()
		t.Fatalf("userpoold did not start: %v\n%s", err, log)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { stop() })
	return server{url: "http://" + addr.String(), stop: stop, log: log}
}

func client(url, key, secret string) *cip.Client {
	return cip.New(cip.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider(key, secret, ""),
		RetryMaxAttempts: 1,
		HTTPClient:       &http.Client{Transport: clienttest.BufferedTransport(http.DefaultTransport)},
	})
}

func TestServeRestartAndShutdown(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "pools.db")
	pools := filepath.Join(dir, "pools.json")
	if err := os.WriteFile(pools, []byte(`[{"PoolName":"from-file","UserPoolId":"us-east-1_FromFile1"}]`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"USERPOOLD_ADMIN_CREDENTIALS": "AKIDTEST:s3cret"}
	srv := start(t, env, "-db", db, "-config", pools, "-issuer", "https://auth.example.com/")

	resp, err := http.Get(srv.url + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "ok\n" {
		t.Errorf("/healthz = %d %q", resp.StatusCode, body)
	}

	c := client(srv.url, "AKIDTEST", "s3cret")
	created, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{PoolName: aws.String("api-made"),
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{MinimumLength: aws.Int32(14)}}})
	if err != nil {
		t.Fatalf("CreateUserPool: %v", err)
	}
	if _, err := client(srv.url, "AKIDTEST", "wrong").ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(1)}); err == nil {
		t.Error("a call signed with the wrong secret succeeded")
	}
	if err := srv.stop(); err != nil {
		t.Fatalf("graceful shutdown: %v", err)
	}
	if !strings.Contains(srv.log.String(), "stopped") {
		t.Errorf("no shutdown in the log:\n%s", srv.log)
	}

	// The same database after a restart: both pools are served again.
	srv = start(t, env, "-db", db, "-config", pools)
	c = client(srv.url, "AKIDTEST", "s3cret")
	desc, err := c.DescribeUserPool(ctx, &cip.DescribeUserPoolInput{UserPoolId: created.UserPool.Id})
	if err != nil {
		t.Fatalf("DescribeUserPool after restart: %v", err)
	}
	if got := aws.ToInt32(desc.UserPool.Policies.PasswordPolicy.MinimumLength); got != 14 {
		t.Errorf("MinimumLength after restart = %d, want 14", got)
	}
	list, err := c.ListUserPools(ctx, &cip.ListUserPoolsInput{MaxResults: aws.Int32(60)})
	if err != nil || len(list.UserPools) != 2 {
		t.Fatalf("ListUserPools after restart = %v, %v; want 2 pools (the file's pool created once)", list, err)
	}
}

func TestUnsignedAdminOnlyOnLoopback(t *testing.T) {
	env := map[string]string{}
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0", "192.0.2.1:0"} {
		err := run(context.Background(), []string{"-addr", addr, "-db", filepath.Join(t.TempDir(), "x.db")},
			func(k string) string { return env[k] }, io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), "refusing") {
			t.Errorf("-addr %s without credentials: %v, want a refusal", addr, err)
		}
	}

	srv := start(t, env, "-db", filepath.Join(t.TempDir(), "x.db"))
	if !strings.Contains(srv.log.String(), "no -admin-credentials") {
		t.Errorf("no warning in the log:\n%s", srv.log)
	}
	req, _ := http.NewRequest(http.MethodPost, srv.url, strings.NewReader(`{"PoolName":"dev"}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService.CreateUserPool")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("unsigned CreateUserPool on loopback: %d", resp.StatusCode)
	}
}

func TestFlags(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-version"}, os.Getenv, &out, io.Discard, nil); err != nil {
		t.Fatal(err)
	}
	if out.String() != "userpoold dev\n" {
		t.Errorf("-version printed %q", out.String())
	}
	for _, args := range [][]string{
		{"-admin-credentials", "nocolon"},
		{"-log-format", "xml"},
		{"-log-level", "loud"},
		{"-no-such-flag"},
		{"extra"},
	} {
		if err := run(context.Background(), args, os.Getenv, io.Discard, io.Discard, nil); err == nil {
			t.Errorf("run %v succeeded", args)
		}
	}
}

// TestMessagesDir runs userpoold with -messages-dir and signs a user up
// through the wire protocol: the confirmation code lands in the
// directory as a JSON file with the outbox sender's fields.
func TestMessagesDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	s, err := userpool.NewOutboxSender(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range []string{"111111", "222222"} {
		if err := s.Send(context.Background(), userpool.Message{Channel: userpool.ChannelEmail, To: "a@example.com", Code: code, Event: "SignUp"}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) != 2 {
		t.Fatalf("files %v, %v; want 2", files, err)
	}
	b, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil || m["code"] != "222222" || m["to"] != "a@example.com" || m["channel"] != "EMAIL" {
		t.Errorf("second file: %v, %v; want the second message with to, channel and code", m, err)
	}
	err = run(context.Background(), []string{"-addr", "127.0.0.1:0", "-db", filepath.Join(t.TempDir(), "u.db"), "-messages-dir", files[0]}, os.Getenv, io.Discard, io.Discard, nil)
	if err == nil {
		t.Error("a messages dir that is a file was accepted")
	}
}

// TestPasskeyFlag: -passkey-rp-id turns passkeys on, so a pool may offer
// WEB_AUTHN as a first factor; without it the pool is refused.
func TestPasskeyFlag(t *testing.T) {
	ctx := context.Background()
	in := &cip.CreateUserPoolInput{PoolName: aws.String("passkeys"), Policies: &types.UserPoolPolicyType{
		SignInPolicy: &types.SignInPolicyType{AllowedFirstAuthFactors: []types.AuthFactorType{types.AuthFactorTypePassword, types.AuthFactorTypeWebAuthn}}}}
	for _, tc := range []struct {
		args []string
		ok   bool
	}{
		{[]string{"-db", filepath.Join(t.TempDir(), "a.db")}, false},
		{[]string{"-db", filepath.Join(t.TempDir(), "b.db"), "-passkey-rp-id", "shop.example"}, true},
	} {
		s := start(t, nil, tc.args...)
		_, err := client(s.url, "k", "s").CreateUserPool(ctx, in)
		if (err == nil) != tc.ok {
			t.Errorf("%v: CreateUserPool with WEB_AUTHN: %v", tc.args, err)
		}
	}
}
