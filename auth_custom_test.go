package userpool_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"

	"github.com/userpool/userpool"
)

// quizTriggers drive CUSTOM_AUTH as a three-question quiz: the right
// answer is "42"; a right answer issues tokens, three wrong ones fail.
// They record what they were given.
type quizTriggers struct {
	mu       sync.Mutex
	defines  []userpool.DefineAuthChallengeEvent
	creates  []userpool.CreateAuthChallengeEvent
	verifies []userpool.VerifyAuthChallengeEvent
}

func (q *quizTriggers) triggers() userpool.Triggers {
	return userpool.Triggers{
		DefineAuthChallenge: func(_ context.Context, ev *userpool.DefineAuthChallengeEvent) error {
			q.mu.Lock()
			q.defines = append(q.defines, *ev)
			q.mu.Unlock()
			n := len(ev.Session)
			switch {
			case n > 0 && ev.Session[n-1].ChallengeResult:
				ev.IssueTokens = true
			case n >= 3:
				ev.FailAuthentication = true
			default:
				ev.ChallengeName = "CUSTOM_CHALLENGE"
			}
			return nil
		},
		CreateAuthChallenge: func(_ context.Context, ev *userpool.CreateAuthChallengeEvent) error {
			q.mu.Lock()
			q.creates = append(q.creates, *ev)
			q.mu.Unlock()
			ev.PublicChallengeParameters = map[string]string{"question": "6 x 7"}
			ev.PrivateChallengeParameters = map[string]string{"answer": "42"}
			ev.ChallengeMetadata = "QUIZ"
			return nil
		},
		VerifyAuthChallenge: func(_ context.Context, ev *userpool.VerifyAuthChallengeEvent) error {
			q.mu.Lock()
			q.verifies = append(q.verifies, *ev)
			q.mu.Unlock()
			ev.AnswerCorrect = ev.ChallengeAnswer == ev.PrivateChallengeParameters["answer"]
			return nil
		},
	}
}

func (e *authEnv) startCustom(t *testing.T, client, name string) (userpool.AuthOutput, error) {
	t.Helper()
	return e.pool.InitiateAuth(e.ctx, userpool.InitiateAuthInput{
		AuthFlow: "CUSTOM_AUTH", ClientID: client, AuthParameters: map[string]string{"USERNAME": name},
		ClientMetadata: map[string]string{"from": "initiate"},
	})
}

func (e *authEnv) answerCustom(client, name, session, answer string) (userpool.AuthOutput, error) {
	return e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{
		ClientID: client, ChallengeName: "CUSTOM_CHALLENGE", Session: session,
		ChallengeResponses: map[string]string{"USERNAME": name, "ANSWER": answer},
		ClientMetadata:     map[string]string{"from": "respond"},
	})
}

func TestCustomAuth(t *testing.T) {
	q := &quizTriggers{}
	e := newAuthEnv(t, userpool.WithTriggers(q.triggers()))
	e.user(t, "ana", nil)
	out, err := e.startCustom(t, e.app.ID, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if out.ChallengeName != "CUSTOM_CHALLENGE" || out.ChallengeParameters["question"] != "6 x 7" || out.ChallengeParameters["USERNAME"] != "ana" {
		t.Fatalf("got %+v, want the quiz question for ana", out)
	}
	if _, leaked := out.ChallengeParameters["answer"]; leaked {
		t.Fatal("a private challenge parameter reached the client")
	}
	out, err = e.answerCustom(e.app.ID, "ana", out.Session, "41")
	if err != nil || out.ChallengeName != "CUSTOM_CHALLENGE" {
		t.Fatalf("wrong answer: got %+v, %v, want another question", out, err)
	}
	res, err := e.answerCustom(e.app.ID, "ana", out.Session, "42")
	e.wantTokens(t, "right answer", res, err, "ana")

	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.defines) != 3 {
		t.Fatalf("DefineAuthChallenge ran %d times, want 3", len(q.defines))
	}
	want := []userpool.ChallengeResult{
		{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: false, ChallengeMetadata: "QUIZ"},
		{ChallengeName: "CUSTOM_CHALLENGE", ChallengeResult: true, ChallengeMetadata: "QUIZ"},
	}
	if got := q.defines[2].Session; !slices.Equal(got, want) {
		t.Errorf("last session history %+v, want %+v", got, want)
	}
	if got := q.defines[0].ClientMetadata; len(got) != 0 {
		t.Errorf("DefineAuthChallenge got InitiateAuth's metadata %v; Cognito passes none", got)
	}
	if got := q.defines[1].ClientMetadata["from"]; got != "respond" {
		t.Errorf("DefineAuthChallenge after an answer got metadata %q, want the answer's", got)
	}
	if ev := q.verifies[0]; ev.ChallengeAnswer != "41" || ev.PrivateChallengeParameters["answer"] != "42" || ev.TriggerSource != "VerifyAuthChallengeResponse_Authentication" {
		t.Errorf("VerifyAuthChallenge got %+v", ev)
	}
	if ev := q.creates[0]; ev.TriggerSource != "CreateAuthChallenge_Authentication" || ev.Username != "ana" || ev.UserAttributes["sub"] == "" {
		t.Errorf("CreateAuthChallenge got %+v", ev)
	}
}

func TestCustomAuthFails(t *testing.T) {
	q := &quizTriggers{}
	e := newAuthEnv(t, userpool.WithTriggers(q.triggers()))
	e.user(t, "ana", nil)
	e.user(t, "dis", nil)
	if err := e.pool.AdminDisableUser(e.ctx, "dis"); err != nil {
		t.Fatal(err)
	}

	out, err := e.startCustom(t, e.app.ID, "ana")
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 2; i++ {
		if out, err = e.answerCustom(e.app.ID, "ana", out.Session, "0"); err != nil {
			t.Fatalf("wrong answer %d: %v", i, err)
		}
	}
	_, err = e.answerCustom(e.app.ID, "ana", out.Session, "0")
	wantAuthErr(t, "third wrong answer", err, userpool.ErrNotAuthorized, "Incorrect username or password.")

	_, err = e.startCustom(t, e.app.ID, "nobody")
	wantAuthErr(t, "unknown user", err, userpool.ErrUserNotFound, "User does not exist.")
	_, err = e.startCustom(t, e.app.ID, "dis")
	wantAuthErr(t, "disabled user", err, userpool.ErrNotAuthorized, "User is disabled.")
	if _, err = e.startCustom(t, e.srp.ID, "ana"); err != nil {
		t.Errorf("CUSTOM_AUTH with a client of default flows: %v", err)
	}

	out, err = e.startCustom(t, e.app.ID, "ana")
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "CUSTOM_CHALLENGE", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "ana"}})
	wantAuthErr(t, "no ANSWER", err, userpool.ErrInvalidParameter, "Missing required parameter ANSWER")
	res, err := e.answerCustom(e.app.ID, "ana", out.Session, "42")
	e.wantTokens(t, "answer after a malformed one", res, err, "ana")
}

func TestCustomAuthUnknownUserPrevented(t *testing.T) {
	q := &quizTriggers{}
	e := newAuthEnv(t, userpool.WithTriggers(q.triggers()))
	out, err := e.startCustom(t, e.prevent.ID, "nobody")
	if err != nil {
		t.Fatalf("unknown user with existence errors prevented: %v, want a challenge", err)
	}
	if out.ChallengeName != "CUSTOM_CHALLENGE" || out.ChallengeParameters["USERNAME"] != "nobody" {
		t.Fatalf("got %+v, want a question for nobody", out)
	}
	_, err = e.answerCustom(e.prevent.ID, "nobody", out.Session, "42")
	wantAuthErr(t, "right answer, unknown user", err, userpool.ErrNotAuthorized, "Incorrect username or password.")
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.defines[0].UserNotFound || !q.creates[0].UserNotFound || !q.verifies[0].UserNotFound {
		t.Error("triggers were not told UserNotFound")
	}
}

func TestCustomAuthTriggerFaults(t *testing.T) {
	boom := errors.New("boom")
	tests := []struct {
		name     string
		triggers userpool.Triggers
		want     *userpool.Error
		msg      string
	}{
		{"no DefineAuthChallenge", userpool.Triggers{}, userpool.ErrInvalidParameter, "Custom auth lambda trigger is not configured for the user pool."},
		{"DefineAuthChallenge fails", userpool.Triggers{DefineAuthChallenge: func(context.Context, *userpool.DefineAuthChallengeEvent) error { return boom }},
			userpool.ErrUserLambdaValidation, "DefineAuthChallenge failed with error boom."},
		{"DefineAuthChallenge decides nothing", userpool.Triggers{DefineAuthChallenge: func(context.Context, *userpool.DefineAuthChallengeEvent) error { return nil }},
			userpool.ErrInvalidLambdaResponse, ""},
		{"unsupported challenge", userpool.Triggers{DefineAuthChallenge: func(_ context.Context, ev *userpool.DefineAuthChallengeEvent) error {
			ev.ChallengeName = "SOMETHING_ELSE"
			return nil
		}}, userpool.ErrInvalidLambdaResponse, ""},
		{"no CreateAuthChallenge", userpool.Triggers{DefineAuthChallenge: func(_ context.Context, ev *userpool.DefineAuthChallengeEvent) error {
			ev.ChallengeName = "CUSTOM_CHALLENGE"
			return nil
		}}, userpool.ErrInvalidLambdaResponse, ""},
		{"issue tokens at once", userpool.Triggers{DefineAuthChallenge: func(_ context.Context, ev *userpool.DefineAuthChallengeEvent) error {
			ev.IssueTokens = true
			return nil
		}}, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newAuthEnv(t, userpool.WithTriggers(tt.triggers))
			e.user(t, "ana", nil)
			out, err := e.startCustom(t, e.app.ID, "ana")
			if tt.want == nil {
				e.wantTokens(t, tt.name, out, err, "ana")
				return
			}
			wantAuthErr(t, tt.name, err, tt.want, tt.msg)
		})
	}
}

func TestCustomAuthThenNewPassword(t *testing.T) {
	// A user with a temporary password who passes the custom challenges
	// still sets a new password before getting tokens.
	q := &quizTriggers{}
	e := newAuthEnv(t, userpool.WithTriggers(q.triggers()))
	e.tempUser(t, "tmp", nil)
	out, err := e.startCustom(t, e.app.ID, "tmp")
	if err != nil {
		t.Fatal(err)
	}
	out, err = e.answerCustom(e.app.ID, "tmp", out.Session, "42")
	if err != nil || out.ChallengeName != "NEW_PASSWORD_REQUIRED" {
		t.Fatalf("got %+v, %v, want NEW_PASSWORD_REQUIRED", out, err)
	}
	res, err := e.pool.RespondToAuthChallenge(e.ctx, userpool.RespondInput{ClientID: e.app.ID, ChallengeName: "NEW_PASSWORD_REQUIRED", Session: out.Session,
		ChallengeResponses: map[string]string{"USERNAME": "tmp", "NEW_PASSWORD": "New-horse-77"}})
	e.wantTokens(t, "new password after custom auth", res, err, "tmp")
}
