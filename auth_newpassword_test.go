package userpool_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/userpool/userpool"
)

// newPasswordEnv is a pool whose users must have a name, with user "tmp"
// in FORCE_CHANGE_PASSWORD, and a PreTokenGeneration trigger recording
// its sources.
func newPasswordEnv(t *testing.T) (*authEnv, *[]string) {
	var mu sync.Mutex
	sources := &[]string{}
	e := newAuthEnv(t,
		userpool.WithRequiredAttributes("name"),
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString)),
		userpool.WithTriggers(userpool.Triggers{PreTokenGeneration: func(_ context.Context, ev *userpool.PreTokenGenerationEvent) error {
			mu.Lock()
			defer mu.Unlock()
			*sources = append(*sources, ev.TriggerSource)
			return nil
		}}))
	e.tempUser(t, "tmp", map[string]string{"email": "tmp@example.com"})
	return e, sources
}

func TestNewPasswordRequired(t *testing.T) {
	e, sources := newPasswordEnv(t)
	out, err := e.signIn("tmp", tempPassword)
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != "NEW_PASSWORD_REQUIRED" || out.AuthenticationResult != nil || len(out.Session) < 20 {
		t.Fatalf("got %+v, want NEW_PASSWORD_REQUIRED with a session", out)
	}
	params := out.ChallengeParameters
	if params["USER_ID_FOR_SRP"] != "tmp" {
		t.Errorf("USER_ID_FOR_SRP = %q, want tmp", params["USER_ID_FOR_SRP"])
	}
	var required []string
	if err := json.Unmarshal([]byte(params["requiredAttributes"]), &required); err != nil || len(required) != 1 || required[0] != "userAttributes.name" {
		t.Errorf("requiredAttributes = %s, want [\"userAttributes.name\"]", params["requiredAttributes"])
	}
	var current map[string]string
	if err := json.Unmarshal([]byte(params["userAttributes"]), &current); err != nil || current["email"] != "tmp@example.com" {
		t.Errorf("userAttributes = %s, want the email", params["userAttributes"])
	}
	if _, ok := current["sub"]; ok {
		t.Errorf("userAttributes = %s, want no sub", params["userAttributes"])
	}

	respond := func(session string, responses map[string]string) (userpool.AuthOutput, error) {
		all := map[string]string{"USERNAME": "tmp"}
		for k, v := range responses {
			all[k] = v
		}
		return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
			ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: session, ChallengeResponses: all,
		})
	}
	const newPassword = "New-horse-77"
	// Answers refused for their form keep the session usable.
	refusals := []struct {
		name      string
		responses map[string]string
		want      *userpool.Error
		msg       string
	}{
		{"no new password", map[string]string{"userAttributes.name": "Tim"}, userpool.ErrInvalidParameter, "Missing required parameter NEW_PASSWORD"},
		{"weak password", map[string]string{"NEW_PASSWORD": "short", "userAttributes.name": "Tim"}, userpool.ErrInvalidPassword, ""},
		{"required attribute missing", map[string]string{"NEW_PASSWORD": newPassword}, userpool.ErrInvalidParameter, "Invalid attributes given, name is missing"},
		{"attribute the client may not write", map[string]string{"NEW_PASSWORD": newPassword, "userAttributes.name": "Tim", "userAttributes.custom:tier": "gold"},
			userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute"},
	}
	for _, r := range refusals {
		_, err := respond(out.Session, r.responses)
		wantAuthErr(t, r.name, err, r.want, r.msg)
	}
	// The current email echoed back (as identity-js does) changes nothing.
	res, err := respond(out.Session, map[string]string{"NEW_PASSWORD": newPassword, "userAttributes.name": "Tim", "userAttributes.email": "tmp@example.com"})
	e.wantTokens(t, "answer", res, err, "tmp")
	u, err := e.pool.AdminGetUser(e.ctx, "tmp")
	if err != nil {
		t.Fatal(err)
	}
	if u.Status != userpool.StatusConfirmed || u.Attributes["name"] != "Tim" {
		t.Errorf("got status %s name %q, want CONFIRMED and Tim", u.Status, u.Attributes["name"])
	}
	if got := *sources; len(got) != 1 || got[0] != "TokenGeneration_NewPasswordChallenge" {
		t.Errorf("PreTokenGeneration sources %v, want [TokenGeneration_NewPasswordChallenge]", got)
	}
	_, err = respond(out.Session, map[string]string{"NEW_PASSWORD": newPassword, "userAttributes.name": "Tim"})
	wantAuthErr(t, "session used twice", err, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once.")
	e.tokens(t, "tmp", newPassword)
	wantAuthErr(t, "temporary password after the change", func() error { _, err := e.signIn("tmp", tempPassword); return err }(),
		userpool.ErrNotAuthorized, "Incorrect username or password.")
}

func TestNewPasswordAlreadyProvidedAttribute(t *testing.T) {
	e, _ := newPasswordEnv(t)
	e.tempUser(t, "named", map[string]string{"name": "Nina"})
	out, err := e.signIn("named", tempPassword)
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "named", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Other"},
	})
	wantAuthErr(t, "changing a provided required attribute", err, userpool.ErrInvalidParameter, "Cannot modify an already provided name")
	_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "named", "NEW_PASSWORD": "New-horse-77", "userAttributes.email_verified": "true"},
	})
	wantAuthErr(t, "setting a verified flag", err, userpool.ErrNotAuthorized, "A client attempted to write unauthorized attribute")
}

// TestSessions covers what a session refuses: another client, another
// challenge, another user, expiry, reuse, garbage, and too many refused
// answers.
func TestSessions(t *testing.T) {
	e, _ := newPasswordEnv(t)
	start := func(t *testing.T) string {
		t.Helper()
		out, err := e.signIn("tmp", tempPassword)
		if err != nil || out.Session == "" {
			t.Fatalf("sign-in: %+v, %v", out, err)
		}
		return out.Session
	}
	good := map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Tim"}
	tests := []struct {
		name string
		in   func(session string) userpool.RespondInput
		wait time.Duration
		want *userpool.Error
		msg  string
	}{
		{"another client", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.prevent.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: good}
		}, 0, userpool.ErrNotAuthorized, "Invalid session for the user."},
		{"another challenge", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "CUSTOM_CHALLENGE", Session: s, ChallengeResponses: map[string]string{"USERNAME": "tmp", "ANSWER": "x"}}
		}, 0, userpool.ErrNotAuthorized, "Invalid session for the user."},
		{"another user", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s,
				ChallengeResponses: map[string]string{"USERNAME": "ana", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Tim"}}
		}, 0, userpool.ErrNotAuthorized, "Invalid session for the user."},
		{"expired", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: good}
		}, 3 * time.Minute, userpool.ErrNotAuthorized, "Invalid session for the user, session is expired."},
		{"never issued", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "never-issued-session-string-of-some-length", ChallengeResponses: good}
		}, 0, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once."},
		{"too short", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: "short", ChallengeResponses: good}
		}, 0, userpool.ErrInvalidParameter, ""},
		{"missing", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", ChallengeResponses: good}
		}, 0, userpool.ErrInvalidParameter, "Missing required parameter Session"},
		{"no USERNAME", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: map[string]string{"NEW_PASSWORD": "New-horse-77"}}
		}, 0, userpool.ErrInvalidParameter, "Missing required parameter USERNAME"},
		{"unknown challenge", func(s string) userpool.RespondInput {
			return userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NOPE", Session: s, ChallengeResponses: good}
		}, 0, userpool.ErrInvalidParameter, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := start(t)
			e.clock.Advance(tt.wait)
			_, err := e.pool.RespondToAuthChallenge(e.ctx, tt.in(s))
			wantAuthErr(t, tt.name, err, tt.want, tt.msg)
		})
	}
	t.Run("bounded retries", func(t *testing.T) {
		s := start(t)
		weak := map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "weak", "userAttributes.name": "Tim"}
		for i := 1; i < 5; i++ {
			_, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: weak})
			wantAuthErr(t, "weak password", err, userpool.ErrInvalidPassword, "")
		}
		_, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: weak})
		wantAuthErr(t, "5th weak password", err, userpool.ErrInvalidPassword, "")
		_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: good})
		wantAuthErr(t, "after 5 refused answers", err, userpool.ErrNotAuthorized, "Invalid session for the user, session can only be used once.")
	})
	t.Run("concurrent answers", func(t *testing.T) {
		s := start(t)
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins := 0
		for range 20 {
			wg.Go(func() {
				out, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: s, ChallengeResponses: good})
				if err == nil && out.AuthenticationResult != nil {
					mu.Lock()
					wins++
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if wins != 1 {
			t.Errorf("%d answers succeeded, want exactly 1", wins)
		}
	})
}

func TestSessionAcrossInstances(t *testing.T) {
	// A second pool on the same store continues the first one's sign-in.
	e, _ := newPasswordEnv(t)
	out, err := e.signIn("tmp", tempPassword)
	if err != nil {
		t.Fatal(err)
	}
	other, err := userpool.New(e.ctx, "signin", userpool.WithStore(e.store), userpool.WithClock(e.clock.Now),
		userpool.WithPasswordHashing(userpool.InsecureFastPasswordHashing()), userpool.WithRequiredAttributes("name"),
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString)))
	if err != nil {
		t.Fatal(err)
	}
	res, err := other.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Tim"},
	})
	if err != nil || res.AuthenticationResult == nil {
		t.Fatalf("answer on the other instance: %+v, %v", res, err)
	}
}

func TestAdminRespondToAuthChallenge(t *testing.T) {
	e, _ := newPasswordEnv(t)
	out, err := e.pool.AdminInitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "ADMIN_USER_PASSWORD_AUTH", ClientID: e.app.ID,
		AuthParameters: map[string]string{"USERNAME": "tmp", "PASSWORD": tempPassword}})
	if err != nil || out.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("got %+v, %v, want NEW_PASSWORD_REQUIRED", out, err)
	}
	res, err := e.pool.AdminRespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Tim"},
	})
	e.wantTokens(t, "admin answer", res, err, "tmp")
}

func TestNewPasswordSecretHash(t *testing.T) {
	e, _ := newPasswordEnv(t)
	out, err := e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{AuthFlow: "USER_PASSWORD_AUTH", ClientID: e.secret.ID,
		AuthParameters: map[string]string{"USERNAME": "tmp", "PASSWORD": tempPassword, "SECRET_HASH": userpool.SecretHash("tmp", e.secret.ID, e.secret.Secret)}})
	if err != nil {
		t.Fatal(err)
	}
	answer := map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "New-horse-77", "userAttributes.name": "Tim"}
	_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.secret.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session, ChallengeResponses: answer})
	wantAuthErr(t, "answer without SECRET_HASH", err, userpool.ErrNotAuthorized, "Client "+e.secret.ID+" is configured with secret but SECRET_HASH was not received")
	answer["SECRET_HASH"] = userpool.SecretHash("tmp", e.secret.ID, e.secret.Secret)
	res, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.secret.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session, ChallengeResponses: answer})
	e.wantTokens(t, "answer with SECRET_HASH", res, err, "tmp")
}
