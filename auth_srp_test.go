package userpool_test

import (
	"context"
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// srpRandom is the test clients' randomness (a), apart from the pool's.
func srpRandom(seed byte) *authRand { return &authRand{r: rand.NewChaCha8([32]byte{seed})} }

// srpPoolName is the pool id after the underscore, SRP's "pool name".
func (e *authEnv) srpPoolName() string {
	_, name, _ := strings.Cut(e.pool.ID(), "_")
	return name
}

// srpSignIn is one USER_SRP_AUTH attempt: its client and challenge.
type srpSignIn struct {
	e      *authEnv
	client userpool.Client
	cl     *userpool.SRPClientForTest
	out    userpool.AuthOutput
}

// srpInitiate sends InitiateAuth USER_SRP_AUTH for name with client c.
func (e *authEnv) srpInitiate(c userpool.Client, name string, extra map[string]string) (*srpSignIn, error) {
	s := &srpSignIn{e: e, client: c, cl: userpool.NewSRPClientForTest(srpRandom(byte(len(name))))}
	params := map[string]string{"USERNAME": name, "SRP_A": s.cl.A()}
	for k, v := range extra {
		params[k] = v
	}
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: userpool.AuthUserSRP, ClientID: c.ID, AuthParameters: params})
	s.out = out
	return s, err
}

// mustSRP starts an SRP sign-in that must give PASSWORD_VERIFIER.
func (e *authEnv) mustSRP(t testing.TB, c userpool.Client, name string) *srpSignIn {
	t.Helper()
	s, err := e.srpInitiate(c, name, nil)
	if err != nil {
		t.Fatalf("InitiateAuth USER_SRP_AUTH %s: %v", name, err)
	}
	if s.out.ChallengeName != userpool.ChallengePasswordVerifier {
		t.Fatalf("InitiateAuth USER_SRP_AUTH %s: challenge %q", name, s.out.ChallengeName)
	}
	return s
}

// responses returns the answer for password at the pool's time, changed
// by edit.
func (s *srpSignIn) responses(password string, edit func(r map[string]string)) map[string]string {
	p := s.out.ChallengeParameters
	ts := userpool.SRPTimestampForTest(s.e.clock.Now())
	r := map[string]string{
		"USERNAME":                    p["USER_ID_FOR_SRP"],
		"PASSWORD_CLAIM_SECRET_BLOCK": p["SECRET_BLOCK"],
		"TIMESTAMP":                   ts,
		"PASSWORD_CLAIM_SIGNATURE":    s.cl.Sign(s.e.srpPoolName(), p["USER_ID_FOR_SRP"], password, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts),
	}
	if edit != nil {
		edit(r)
	}
	return r
}

// answer answers PASSWORD_VERIFIER, without a Session as identity-js
// does after USER_SRP_AUTH.
func (s *srpSignIn) answer(r map[string]string) (userpool.AuthOutput, error) {
	return s.e.pool.RespondToAuthChallenge(s.e.ctx, userpool.RespondInput{
		ClientID: s.client.ID, ChallengeName: userpool.ChallengePasswordVerifier,
		Session: s.out.Session, ChallengeResponses: r,
	})
}

func TestUserSRPAuthSignsIn(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "alice", map[string]string{"email": "alice@example.com"})
	s := e.mustSRP(t, e.srp, "alice")
	p := s.out.ChallengeParameters
	for _, k := range []string{"SALT", "SRP_B", "SECRET_BLOCK", "USERNAME", "USER_ID_FOR_SRP"} {
		if p[k] == "" {
			t.Errorf("PASSWORD_VERIFIER lacks %s: %v", k, p)
		}
	}
	if p["USER_ID_FOR_SRP"] != "alice" || s.out.Session != "" {
		t.Errorf("USER_ID_FOR_SRP %q, Session %q: want alice and none", p["USER_ID_FOR_SRP"], s.out.Session)
	}
	out, err := s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "SRP answer", out, err, "alice")
	if out.AuthenticationResult.NewDeviceMetadata != nil {
		t.Errorf("NewDeviceMetadata %+v in a pool without devices", out.AuthenticationResult.NewDeviceMetadata)
	}
	// The exchange is single use.
	_, err = s.answer(s.responses(authPassword, nil))
	wantAuthErr(t, "second answer", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
}

func TestUserSRPAuthByAlias(t *testing.T) {
	e := newAuthEnv(t, userpool.WithAliasAttributes("email"))
	e.user(t, "bob", map[string]string{"email": "bob@example.com", "email_verified": "true"})
	s := e.mustSRP(t, e.srp, "bob@example.com")
	if got := s.out.ChallengeParameters["USER_ID_FOR_SRP"]; got != "bob" {
		t.Fatalf("USER_ID_FOR_SRP = %q, want the real user name", got)
	}
	out, err := s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "SRP by alias", out, err, "bob")
}

func TestUserSRPAuthRefusals(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "carol", nil)
	other := e.mustSRP(t, e.srp, "carol")
	tests := []struct {
		name     string
		password string
		edit     func(s *srpSignIn, r map[string]string)
		sentinel *userpool.Error
		msg      string
		// keeps is set when the answer named another exchange, so the
		// attempt's own is still there.
		keeps bool
	}{
		{name: "wrong password", password: "Wrong-horse-9", sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
		{name: "tampered timestamp", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			r["TIMESTAMP"] = userpool.SRPTimestampForTest(e.clock.Now().Add(time.Second))
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
		{name: "stale timestamp", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			p := s.out.ChallengeParameters
			ts := userpool.SRPTimestampForTest(e.clock.Now().Add(-6 * time.Minute))
			r["TIMESTAMP"] = ts
			r["PASSWORD_CLAIM_SIGNATURE"] = s.cl.Sign(e.srpPoolName(), "carol", authPassword, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts)
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
		{name: "future timestamp", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			p := s.out.ChallengeParameters
			ts := userpool.SRPTimestampForTest(e.clock.Now().Add(6 * time.Minute))
			r["TIMESTAMP"] = ts
			r["PASSWORD_CLAIM_SIGNATURE"] = s.cl.Sign(e.srpPoolName(), "carol", authPassword, p["SALT"], p["SRP_B"], p["SECRET_BLOCK"], ts)
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
		{name: "secret block of another session", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			r["PASSWORD_CLAIM_SECRET_BLOCK"] = other.out.ChallengeParameters["SECRET_BLOCK"]
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password.", keeps: true},
		{name: "forged secret block", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			r["PASSWORD_CLAIM_SECRET_BLOCK"] = "AQ" + strings.Repeat("A", 42)
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password.", keeps: true},
		{name: "another user's name", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			r["USERNAME"] = "dave"
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
		{name: "signature of another key", password: authPassword, edit: func(s *srpSignIn, r map[string]string) {
			r["PASSWORD_CLAIM_SIGNATURE"] = other.responses(authPassword, nil)["PASSWORD_CLAIM_SIGNATURE"]
		}, sentinel: userpool.ErrNotAuthorized, msg: "Incorrect username or password."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := e.mustSRP(t, e.srp, "carol")
			r := s.responses(tt.password, nil)
			if tt.edit != nil {
				tt.edit(s, r)
			}
			_, err := s.answer(r)
			wantAuthErr(t, tt.name, err, tt.sentinel, tt.msg)
			// A refused proof used the exchange up.
			out, err := s.answer(s.responses(authPassword, nil))
			if tt.keeps {
				e.wantTokens(t, tt.name+", then the right answer", out, err, "carol")
			} else {
				wantAuthErr(t, tt.name+", then the right answer", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
			}
			// Each counted as a failed password: reset before the next.
			e.clock.Advance(16 * time.Minute)
		})
	}
}

func TestUserSRPAuthBadA(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "erin", nil)
	n := userpool.SRPModulusHexForTest()
	for name, a := range map[string]string{"A = 0": "0", "A = N": n, "A = 2N": "1" + strings.Repeat("0", 10) + n, "not hex": "xyz", "A = 00": "00"} {
		t.Run(name, func(t *testing.T) {
			_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
				AuthFlow: userpool.AuthUserSRP, ClientID: e.srp.ID,
				AuthParameters: map[string]string{"USERNAME": "erin", "SRP_A": a},
			})
			wantAuthErr(t, name, err, userpool.ErrInvalidParameter, "SRP_A is not valid.")
		})
	}
	_, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
		AuthFlow: userpool.AuthUserSRP, ClientID: e.srp.ID, AuthParameters: map[string]string{"USERNAME": "erin"},
	})
	wantAuthErr(t, "no SRP_A", err, userpool.ErrInvalidParameter, "Missing required parameter SRP_A")
}

func TestUserSRPAuthMalformedAnswerKeepsExchange(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "fay", nil)
	s := e.mustSRP(t, e.srp, "fay")
	r := s.responses(authPassword, nil)
	// A zero-padded day is not Cognito's form (the clock says Mar 1).
	bad := s.responses(authPassword, func(r map[string]string) { r["TIMESTAMP"] = strings.Replace(r["TIMESTAMP"], "Mar 1 ", "Mar 01 ", 1) })
	_, err := s.answer(bad)
	wantAuthErr(t, "padded day", err, userpool.ErrInvalidParameter, "TIMESTAMP is not valid.")
	delete(bad, "PASSWORD_CLAIM_SIGNATURE")
	_, err = s.answer(bad)
	wantAuthErr(t, "no signature", err, userpool.ErrInvalidParameter, "Missing required parameter PASSWORD_CLAIM_SIGNATURE")
	out, err := s.answer(r)
	e.wantTokens(t, "corrected answer", out, err, "fay")
}

func TestUserSRPAuthLockout(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "gus", nil)
	for i := range 5 {
		s := e.mustSRP(t, e.srp, "gus")
		_, err := s.answer(s.responses("Wrong-horse-9", nil))
		wantAuthErr(t, "wrong proof", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
		_ = i
	}
	s := e.mustSRP(t, e.srp, "gus")
	_, err := s.answer(s.responses(authPassword, nil))
	wantAuthErr(t, "after five wrong proofs", err, userpool.ErrNotAuthorized, "Password attempts exceeded")
	// The password flow shares the counter.
	_, err = e.signIn("gus", authPassword)
	wantAuthErr(t, "password flow while locked", err, userpool.ErrNotAuthorized, "Password attempts exceeded")
	e.clock.Advance(16 * time.Minute)
	s = e.mustSRP(t, e.srp, "gus")
	out, err := s.answer(s.responses(authPassword, nil))
	e.wantTokens(t, "after the lock", out, err, "gus")
}

func TestUserSRPAuthUnknownUser(t *testing.T) {
	e := newAuthEnv(t)
	_, err := e.srpInitiate(e.srp, "nobody", nil)
	wantAuthErr(t, "unknown user", err, userpool.ErrUserNotFound, "User does not exist.")

	prevent := e.client(t, userpool.ClientConfig{Name: "prevent-srp", PreventUserExistenceErrors: true})
	s1 := e.mustSRP(t, prevent, "nobody")
	s2 := e.mustSRP(t, prevent, "nobody")
	p1, p2 := s1.out.ChallengeParameters, s2.out.ChallengeParameters
	if p1["USER_ID_FOR_SRP"] != p2["USER_ID_FOR_SRP"] || p1["SALT"] != p2["SALT"] {
		t.Errorf("decoys differ between attempts: %v / %v", p1, p2)
	}
	if len(p1["USER_ID_FOR_SRP"]) != 36 || p1["SALT"] == "" || p1["SRP_B"] == "" || p1["SECRET_BLOCK"] == "" {
		t.Errorf("decoy challenge %v does not look like a user's", p1)
	}
	_, err = s1.answer(s1.responses(authPassword, nil))
	wantAuthErr(t, "decoy answer", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
}

func TestUserSRPAuthGates(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "hal", nil)
	_, err := e.srpInitiate(e.app, "hal", nil)
	wantAuthErr(t, "client without ALLOW_USER_SRP_AUTH", err, userpool.ErrInvalidParameter, "USER_SRP_AUTH flow not enabled for this client")

	off := newAuthEnv(t, userpool.WithoutSRP())
	off.user(t, "hal", nil)
	_, err = off.srpInitiate(off.srp, "hal", nil)
	wantAuthErr(t, "pool without SRP", err, userpool.ErrInvalidParameter, "")
	// The password flow still works there.
	off.tokens(t, "hal", authPassword)
}

func TestUserSRPAuthSecretHash(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "ivy", nil)
	c := e.client(t, userpool.ClientConfig{Name: "srp-secret", GenerateSecret: true})
	_, err := e.srpInitiate(c, "ivy", nil)
	wantAuthErr(t, "no SECRET_HASH", err, userpool.ErrNotAuthorized, "")
	sh := userpool.SecretHash("ivy", c.ID, c.Secret)
	s, err := e.srpInitiate(c, "ivy", map[string]string{"SECRET_HASH": sh})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.answer(s.responses(authPassword, nil))
	wantAuthErr(t, "answer without SECRET_HASH", err, userpool.ErrNotAuthorized, "")
	out, err := s.answer(s.responses(authPassword, func(r map[string]string) { r["SECRET_HASH"] = sh }))
	e.wantTokens(t, "with SECRET_HASH", out, err, "ivy")
}

// Every way the pool sets a password stores an SRP verifier for it.
func TestUserSRPAuthAfterEveryPasswordSet(t *testing.T) {
	e := newAuthEnv(t)
	srpTokens := func(t *testing.T, name, password string) {
		t.Helper()
		s := e.mustSRP(t, e.srp, name)
		out, err := s.answer(s.responses(password, nil))
		e.wantTokens(t, "SRP of "+name, out, err, name)
	}

	t.Run("AdminCreateUser", func(t *testing.T) {
		e.tempUser(t, "temp", nil)
		s := e.mustSRP(t, e.srp, "temp")
		out, err := s.answer(s.responses(tempPassword, nil))
		if err != nil || out.ChallengeName != userpool.ChallengeNewPasswordRequired {
			t.Fatalf("SRP with the temporary password: %v, %q", err, out.ChallengeName)
		}
		out, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.srp.ID, ChallengeName: userpool.ChallengeNewPasswordRequired, Session: out.Session,
			ChallengeResponses: map[string]string{"USERNAME": "temp", "NEW_PASSWORD": "Brand-new-pass-1"},
		})
		e.wantTokens(t, "NEW_PASSWORD_REQUIRED", out, err, "temp")
		srpTokens(t, "temp", "Brand-new-pass-1")
	})
	t.Run("AdminSetUserPassword", func(t *testing.T) {
		e.user(t, "set", nil)
		srpTokens(t, "set", authPassword)
	})
	t.Run("SignUp", func(t *testing.T) {
		_, err := e.pool.SignUp(e.ctx, userpool.SignUpInput{ClientID: e.app.ID, Username: "signed", Password: authPassword})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.pool.AdminConfirmSignUp(e.ctx, userpool.AdminConfirmSignUpInput{Username: "signed"}); err != nil {
			t.Fatal(err)
		}
		srpTokens(t, "signed", authPassword)
	})
	t.Run("ChangePassword", func(t *testing.T) {
		e.user(t, "changer", nil)
		tok := e.tokens(t, "changer", authPassword)
		err := e.pool.ChangePassword(e.ctx, userpool.ChangePasswordInput{AccessToken: tok.AccessToken, PreviousPassword: authPassword, ProposedPassword: "Changed-pass-22"})
		if err != nil {
			t.Fatal(err)
		}
		srpTokens(t, "changer", "Changed-pass-22")
		s := e.mustSRP(t, e.srp, "changer")
		_, err = s.answer(s.responses(authPassword, nil))
		wantAuthErr(t, "old password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	})
}

// A disabled user learns so only after proving the password.
func TestUserSRPAuthDisabledUser(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "jo", nil)
	if err := e.pool.AdminDisableUser(e.ctx, "jo"); err != nil {
		t.Fatal(err)
	}
	s := e.mustSRP(t, e.srp, "jo")
	_, err := s.answer(s.responses("Wrong-horse-9", nil))
	wantAuthErr(t, "wrong password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	s = e.mustSRP(t, e.srp, "jo")
	_, err = s.answer(s.responses(authPassword, nil))
	wantAuthErr(t, "right password", err, userpool.ErrNotAuthorized, "User is disabled.")
}

// CUSTOM_AUTH with CHALLENGE_NAME=SRP_A: DefineAuthChallenge asks for
// PASSWORD_VERIFIER, sees its result, and issues tokens.
func TestCustomAuthWithSRP(t *testing.T) {
	var seen [][]userpool.ChallengeResult
	e := newAuthEnv(t, userpool.WithTriggers(userpool.Triggers{
		DefineAuthChallenge: func(_ context.Context, ev *userpool.DefineAuthChallengeEvent) error {
			seen = append(seen, slices.Clone(ev.Session))
			last := ev.Session[len(ev.Session)-1]
			switch {
			case !last.ChallengeResult:
				ev.FailAuthentication = true
			case last.ChallengeName == "SRP_A":
				ev.ChallengeName = userpool.ChallengePasswordVerifier
			default:
				ev.IssueTokens = true
			}
			return nil
		},
	}))
	e.user(t, "kim", nil)
	for _, tt := range []struct {
		password string
		ok       bool
	}{{authPassword, true}, {"Wrong-horse-9", false}} {
		cl := userpool.NewSRPClientForTest(srpRandom(11))
		out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
			AuthFlow: userpool.AuthCustom, ClientID: e.srp.ID,
			AuthParameters: map[string]string{"USERNAME": "kim", "CHALLENGE_NAME": "SRP_A", "SRP_A": cl.A()},
		})
		if err != nil || out.ChallengeName != userpool.ChallengePasswordVerifier {
			t.Fatalf("CUSTOM_AUTH with SRP_A: %+v, %v", out, err)
		}
		s := &srpSignIn{e: e, client: e.srp, cl: cl, out: out}
		out, err = s.answer(s.responses(tt.password, nil))
		if tt.ok {
			e.wantTokens(t, "custom SRP", out, err, "kim")
			last := seen[len(seen)-1]
			if len(last) != 2 || last[1].ChallengeName != userpool.ChallengePasswordVerifier || !last[1].ChallengeResult {
				t.Errorf("DefineAuthChallenge session %+v", last)
			}
		} else {
			wantAuthErr(t, "custom SRP, wrong password", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
		}
	}
}

// Of concurrent answers to one PASSWORD_VERIFIER, exactly one signs in.
func TestUserSRPAuthConcurrentAnswers(t *testing.T) {
	e := newAuthEnv(t)
	e.user(t, "lee", nil)
	s := e.mustSRP(t, e.srp, "lee")
	r := s.responses(authPassword, nil)
	const n = 8
	results := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			out, err := s.answer(maps.Clone(r))
			if err == nil && out.AuthenticationResult == nil {
				err = errors.New("no tokens")
			}
			results <- err
		})
	}
	wg.Wait()
	close(results)
	ok := 0
	for err := range results {
		if err == nil {
			ok++
		} else {
			wantAuthErr(t, "concurrent answer", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
		}
	}
	if ok != 1 {
		t.Fatalf("%d answers signed in, want 1", ok)
	}
}
