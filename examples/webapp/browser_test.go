package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/pquerna/otp/totp"
	"github.com/userpool/userpool"
)

// findBrowser returns the path of a Chromium or Chrome: $CHROME_PATH,
// Debian's chromium, or one on $PATH; "" when there is none.
func findBrowser() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		// Only the browser asked for: a wrong path means none.
		if p, err := exec.LookPath(p); err == nil {
			return p
		}
		return ""
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless browser for the test: no sandbox (it runs
// in containers as root), no background networking, a fresh profile.
// Without a browser the test fails in CI and is skipped elsewhere.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := findBrowser()
	if path == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("no Chromium found: CI must install it (.ci/run does, with apt)")
		}
		t.Skip("skipping the browser tests: no Chromium found (install Debian's chromium, or set CHROME_PATH)")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Names resolve to nothing: the test's servers are on 127.0.0.1,
		// and the browser reaches nothing else.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"),
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1000, 800),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	// The first run starts the browser, which lives as long as ctx: no
	// timeout on it. The steps run with one.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", path, err)
	}
	// The bounds only turn a hang into a failure; a loaded 2-core machine
	// running the race detector over every package at once is slow.
	ctx, cancelTimeout := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// step is one action of a browser test.
type step = chromedp.Action[chromedp.Void]

// screenshots writes full-page screenshots to the test's artifact
// directory (go test -artifacts -outputdir DIR keeps them) and, with
// UPDATE_SCREENSHOTS=1, to docs/screenshots for the README.
type screenshots struct {
	dirs []string
	n    int
}

func newScreenshots(t *testing.T) *screenshots {
	s := &screenshots{dirs: []string{t.ArtifactDir()}}
	if os.Getenv("UPDATE_SCREENSHOTS") == "1" {
		dir := filepath.Join("..", "..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		s.dirs = append(s.dirs, dir)
	}
	return s
}

// take screenshots the page as NN-name.png.
func (s *screenshots) take(name string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		buf, err := chromedp.FullScreenshot(100)(ctx, tg)
		if err != nil {
			return err
		}
		s.n++
		file := fmt.Sprintf("%02d-%s.png", s.n, name)
		for _, d := range s.dirs {
			if err := os.WriteFile(filepath.Join(d, file), buf, 0o644); err != nil {
				return err
			}
		}
		return nil
	})
}

// do runs steps, failing the test with the step's name and the page.
func do(t *testing.T, ctx context.Context, name string, steps ...step) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(sctx, steps...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\nat %s:\n%s", name, err, loc, text)
	}
}

// read runs an action that reads a value.
func read[T any](t *testing.T, ctx context.Context, name string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("%s: %v (at %s)", name, err, loc)
	}
	return v
}

// heading waits for a page whose h1 contains text.
func heading(text string) step {
	return chromedp.WaitVisible(chromedp.Search(fmt.Sprintf(`//h1[contains(., %q)]`, text)))
}

// fill sets inputs by id: id, value, id, value...
func fill(values ...string) step {
	var steps []step
	for i := 0; i+1 < len(values); i += 2 {
		steps = append(steps, chromedp.SetValue(chromedp.CSS("#"+values[i]), values[i+1]))
	}
	return chromedp.Steps(steps...)
}

// fillFrom sets the input with id to what value returns when the step
// runs (a code computed or read by an earlier step).
func fillFrom(id string, value func() string) step {
	return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := chromedp.SetValue(chromedp.CSS("#"+id), value())(ctx, tg)
		return err
	})
}

// submit clicks the submit button of the main form whose action is action.
func submit(action string) step {
	return chromedp.Click(chromedp.CSS(fmt.Sprintf(`main form[action=%q] button[type=submit]`, action)))
}

// signOut clicks the header's sign-out button.
func signOut() step {
	return chromedp.Steps(chromedp.Click(chromedp.CSS(`header form[action="/signout"] button`)), heading("Welcome"))
}

// outboxCode opens the outbox page and reads into *code the newest code
// sent to email, as a newcomer would.
func outboxCode(base, email string, code *string) step {
	return chromedp.Steps(
		chromedp.Navigate(base+"/outbox"), heading("Outbox"),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			*code, err = chromedp.Text(chromedp.Search(fmt.Sprintf(`(//tr[td[@class="to" and text()=%q]])[1]/td[@class="code"]`, email)))(ctx, tg)
			return err
		}),
	)
}

// flash reads the page's status or error message.
func flash() chromedp.Action[string] {
	return chromedp.Text(chromedp.CSS(`main p.flash`))
}

// TestBrowser walks through the app in a headless Chromium: sign-up with
// the outbox's code, sign-in, TOTP setup and sign-in, a forgotten
// password, a new password required, an administrator disabling a user,
// and a sign-in through the managed login pages from a second app.
func TestBrowser(t *testing.T) {
	// The app first: cleanups run last-in first-out, so the browser, and
	// its connections, are gone before the app shuts down.
	ta := startApp(t)
	ctx := browser(t)
	base := ta.url
	shots := newScreenshots(t)
	const (
		alice    = "alice@example.com"
		password = "Passw0rd!"
		newPass  = "N3w-Passw0rd!"
	)
	var code string
	codeValue := func() string { return code }

	do(t, ctx, "sign up",
		chromedp.Navigate(base+"/"), heading("Welcome"), shots.take("home"),
		chromedp.Navigate(base+"/signup"), heading("Sign up"),
		fill("email", alice, "password", password, "name", "Alice Liddell", "gender", "female",
			"address", "1 Main Street", "phone_number", "+14155550100", "profile", "https://example.com/alice"),
		shots.take("signup"),
		submit("/signup"), heading("Confirm your account"), shots.take("confirm"),
		outboxCode(base, alice, &code), shots.take("outbox"),
	)
	do(t, ctx, "confirm and sign in",
		chromedp.Navigate(base+"/confirm?email="+urlQuery(alice)), heading("Confirm your account"),
		fill("email", alice), fillFrom("code", codeValue), submit("/confirm"),
		heading("Sign in"), fill("password", password), shots.take("signin"),
		submit("/signin"), heading("Your profile"), shots.take("profile"),
	)

	// TOTP: the pool's clock moves a step forward before each code, since
	// a code is accepted once.
	mfa := totpSetupAvailable
	var secret string
	totpCode := chromedp.Func(func(context.Context, *chromedp.Target) error {
		ta.clock.Advance(30 * time.Second)
		var err error
		code, err = totp.GenerateCode(secret, ta.clock.Now())
		return err
	})
	mfaStep := heading("Your profile")
	if mfa {
		mfaStep = chromedp.Steps(heading("Enter your authenticator code"), totpCode,
			fillFrom("code", codeValue), submit("/signin/mfa"), heading("Your profile"))
		do(t, ctx, "open the TOTP setup", chromedp.Navigate(base+"/mfa/setup"), heading("Set up an authenticator app"))
		secret = read(t, ctx, "read the secret", chromedp.Text(chromedp.ID("secret")))
		do(t, ctx, "set up TOTP",
			shots.take("mfa-setup"), totpCode, fillFrom("code", codeValue),
			submit("/mfa/setup"), heading("Your profile"),
		)
		do(t, ctx, "sign in with TOTP",
			signOut(),
			chromedp.Navigate(base+"/signin"), fill("email", alice, "password", password), submit("/signin"),
			heading("Enter your authenticator code"), shots.take("mfa-signin"),
			totpCode, fillFrom("code", codeValue), submit("/signin/mfa"), heading("Your profile"),
		)
	} else {
		t.Log("TOTP setup is not in this build of the library: skipping its steps")
	}

	// The administrator (alice, the first user) disables bob, who then
	// cannot sign in.
	pool, clientID := ta.app.pool, ta.app.clientID
	bg := context.Background()
	for _, email := range []string{"bob@example.com", "bea@example.com"} {
		if _, err := pool.SignUp(bg, userpool.SignUpInput{ClientID: clientID, Username: email, Password: password, UserAttributes: person(email)}); err != nil {
			t.Fatal(err)
		}
		if err := pool.AdminConfirmSignUp(bg, userpool.AdminConfirmSignUpInput{Username: email}); err != nil {
			t.Fatal(err)
		}
	}
	do(t, ctx, "admin disables bob",
		chromedp.Navigate(base+"/admin"), heading("Users"),
		fill("value", "b"), chromedp.Click(chromedp.CSS(`form[role=search] button`)),
		chromedp.WaitNotPresent(chromedp.Search(`//td[text()="alice@example.com"]`)),
		chromedp.WaitVisible(chromedp.Search(`//td[text()="bea@example.com"]`)),
		shots.take("admin"),
		chromedp.Click(chromedp.CSS(`button[aria-label="Disable bob@example.com"]`)),
		chromedp.WaitVisible(chromedp.CSS(`button[aria-label="Enable bob@example.com"]`)),
	)
	if msg := read(t, ctx, "read the message", flash()); !strings.Contains(msg, "bob@example.com disabled") {
		t.Errorf("after disabling: %q", msg)
	}
	do(t, ctx, "bob cannot sign in",
		signOut(),
		chromedp.Navigate(base+"/signin"), fill("email", "bob@example.com", "password", password), submit("/signin"),
		chromedp.WaitVisible(chromedp.CSS(`main p.error`)), shots.take("signin-disabled"),
	)
	if msg := read(t, ctx, "read the error", flash()); !strings.Contains(msg, "disabled") {
		t.Errorf("bob's sign-in said %q, want that the user is disabled", msg)
	}

	do(t, ctx, "forgotten password",
		chromedp.Navigate(base+"/forgot"), heading("Forgot your password?"), fill("email", alice), shots.take("forgot"),
		submit("/forgot"), heading("Reset your password"),
		outboxCode(base, alice, &code), chromedp.Navigate(base+"/reset?email="+urlQuery(alice)), heading("Reset your password"),
		fillFrom("code", codeValue), fill("password", newPass), shots.take("reset"), submit("/reset"),
		heading("Sign in"), fill("password", newPass), submit("/signin"), mfaStep,
		signOut(),
	)

	// An administrator-created user must choose a new password.
	const carol = "carol@example.com"
	attrs := person(carol)
	attrs["email_verified"] = "true"
	if _, err := pool.AdminCreateUser(bg, userpool.AdminCreateUserInput{
		Username: carol, TemporaryPassword: "Temp-Passw0rd!", UserAttributes: attrs, MessageAction: userpool.MessageSuppress,
	}); err != nil {
		t.Fatal(err)
	}
	do(t, ctx, "new password required",
		chromedp.Navigate(base+"/signin"), fill("email", carol, "password", "Temp-Passw0rd!"), submit("/signin"),
		heading("Choose a new password"), fill("password", newPass), shots.take("new-password"),
		submit("/signin/new-password"), heading("Your profile"),
		signOut(),
	)

	// A second app signs carol in through the managed login pages.
	rp := startRelyingParty(t, pool)
	do(t, ctx, "OIDC sign-in",
		chromedp.Navigate(rp.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="username"]`)), shots.take("oidc-signin"),
		chromedp.SetValue(chromedp.CSS(`input[name="username"]`), carol),
		chromedp.SetValue(chromedp.CSS(`input[name="password"]`), newPass),
		chromedp.Click(chromedp.CSS(`form button[type=submit]`)),
		heading("Signed in with the user pool"), shots.take("oidc-client"),
	)
	if email := read(t, ctx, "read the email", chromedp.Text(chromedp.ID("email"))); email != carol {
		t.Errorf("the relying party saw email %q, want %q", email, carol)
	}
}
