package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/userpool/userpool/storage"
)

// USER_SRP_AUTH: InitiateAuth with SRP_A gives PASSWORD_VERIFIER (SALT,
// SRP_B, SECRET_BLOCK, USERNAME, USER_ID_FOR_SRP) and no Session, as
// Cognito's does; the answer (PASSWORD_CLAIM_SIGNATURE,
// PASSWORD_CLAIM_SECRET_BLOCK, TIMESTAMP) finds the exchange by its
// secret block. The SRP arithmetic is in srp.go.

func init() {
	registerFlow(AuthUserSRP, flowSpec{gate: FlowUserSRP, handler: (*Pool).srpFlow})
	registerChallenge(ChallengePasswordVerifier, challengeSpec{handler: (*Pool).answerPasswordVerifier, sessionOptional: true})
	registerCustomIssuer(ChallengePasswordVerifier, (*Pool).issueCustomPasswordVerifier)
}

// srpRecord is what the store keeps between PASSWORD_VERIFIER and its
// answer, as a storage.Session whose ID is the exchange's BlockID: the
// sign-in's state and the server's half of the exchange.
type srpRecord struct {
	State    authState   `json:"state"`
	Exchange srpExchange `json:"exchange"`
}

// errSRPOff refuses USER_SRP_AUTH in a pool that keeps no verifiers.
var errSRPOff = ErrInvalidParameter.With("USER_SRP_AUTH flow not enabled for this client")

// srpFlow is USER_SRP_AUTH. SRP_A is checked (A mod N != 0) before the
// user is looked up, so a bad A says nothing about the user. An unknown
// user gives UserNotFound, or, with PreventUserExistenceErrors, a decoy
// challenge whose answer fails like a wrong password. PreAuthentication
// runs here, before the challenge; the password's proof, the lockout and
// the user's status come with the answer.
func (p *Pool) srpFlow(ctx context.Context, req *authRequest) (AuthOutput, error) {
	if !p.cfg.SRP {
		return AuthOutput{}, errSRPOff
	}
	name, srpA := req.param("USERNAME"), req.param("SRP_A")
	switch {
	case name == "":
		return AuthOutput{}, missing("USERNAME")
	case srpA == "":
		return AuthOutput{}, missing("SRP_A")
	}
	if _, err := srpParseA(srpA); err != nil {
		return AuthOutput{}, err
	}
	c := req.client
	st := &authState{
		Flow: req.AuthFlow, Admin: req.admin, ClientID: c.ID,
		LoginName: name, AuthTime: p.now().Unix(),
	}
	st.PresentedDevice = req.param("DEVICE_KEY")
	u, err := p.signInUser(ctx, req, st)
	if err != nil {
		return AuthOutput{}, err
	}
	if u.Status == string(StatusResetRequired) && u.PasswordHash == "" && !c.PreventUserExistenceErrors {
		return AuthOutput{}, errResetRequired
	}
	return p.passwordVerifierChallenge(ctx, st, u, c, srpA)
}

// srpUserVerifier returns the user id and verifier an exchange runs
// against: the user's own, or a decoy (for an unknown user, and for a
// user without a verifier, such as one imported without a password or
// whose password was set while SRP was off) that no password matches.
func (p *Pool) srpUserVerifier(st *authState, u storage.User) (string, storage.SRPVerifier, error) {
	if !st.UserNotFound && len(u.SRP.Verifier) > 0 {
		return u.Username, u.SRP, nil
	}
	key := p.decoyKey(st.LoginName)
	if !st.UserNotFound {
		key = "user\x00" + u.Sub
	}
	id, rec, err := p.srpDecoy(p.derivedKey("srp decoy"), key)
	if err != nil {
		return "", storage.SRPVerifier{}, err
	}
	if !st.UserNotFound {
		id = u.Username
	}
	return id, rec, nil
}

// passwordVerifierChallenge starts the exchange and issues
// PASSWORD_VERIFIER. The state is kept under the exchange's block id for
// the client's AuthSessionValidity; no Session is returned.
func (p *Pool) passwordVerifierChallenge(ctx context.Context, st *authState, u storage.User, c Client, srpA string) (AuthOutput, error) {
	userID, rec, err := p.srpUserVerifier(st, u)
	if err != nil {
		return AuthOutput{}, err
	}
	if st.UserNotFound {
		st.Username = userID
	}
	ex, params, err := p.srpStart(p.srpPoolName(), userID, false, rec, srpA)
	if err != nil {
		return AuthOutput{}, err
	}
	st.Challenge = ChallengePasswordVerifier
	ttl := c.AuthSessionValidity
	if ttl <= 0 {
		ttl = 3 * time.Minute
	}
	expires := p.now().Add(ttl)
	st.ExpiresAt = expires.Unix()
	data, err := json.Marshal(srpRecord{State: *st, Exchange: ex})
	if err != nil {
		return AuthOutput{}, p.internal("sign in with SRP", err)
	}
	err = p.store.PutSession(ctx, storage.Session{PoolID: p.id, ID: ex.BlockID, Data: data, ExpiresAt: expires})
	if err != nil {
		return AuthOutput{}, p.internal("store a session", err)
	}
	return AuthOutput{
		ChallengeName: ChallengePasswordVerifier,
		ChallengeParameters: map[string]string{
			"SALT":            params.Salt,
			"SRP_B":           params.B,
			"SECRET_BLOCK":    params.SecretBlock,
			"USERNAME":        userID,
			"USER_ID_FOR_SRP": userID,
		},
	}, nil
}

// issueCustomPasswordVerifier issues PASSWORD_VERIFIER inside a custom
// sign-in, for the SRP_A the sign-in started with (CHALLENGE_NAME=SRP_A).
func (p *Pool) issueCustomPasswordVerifier(ctx context.Context, st *authState, u storage.User, c Client) (AuthOutput, error) {
	if !p.cfg.SRP {
		return AuthOutput{}, errSRPOff
	}
	srpA := st.Private["SRP_A"]
	if srpA == "" {
		return AuthOutput{}, missing("SRP_A")
	}
	st.Private = nil
	return p.passwordVerifierChallenge(ctx, st, u, c, srpA)
}

// answerPasswordVerifier answers PASSWORD_VERIFIER. A malformed answer
// (a missing field, a TIMESTAMP not in Cognito's form) and an unknown
// DEVICE_KEY are refused before the exchange is used, so the client may
// correct it; otherwise the exchange is consumed, the attempt counts
// toward the lockout, and a wrong proof, a stale timestamp or a secret
// block of another exchange give NotAuthorized "Incorrect username or
// password.".
func (p *Pool) answerPasswordVerifier(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	c := req.client
	name := req.response("USERNAME")
	if name == "" {
		return AuthOutput{}, missing("USERNAME")
	}
	ans := srpAnswer{
		SecretBlock: req.response("PASSWORD_CLAIM_SECRET_BLOCK"),
		Timestamp:   req.response("TIMESTAMP"),
		Signature:   req.response("PASSWORD_CLAIM_SIGNATURE"),
	}
	for _, f := range []struct{ name, v string }{
		{"PASSWORD_CLAIM_SIGNATURE", ans.Signature},
		{"PASSWORD_CLAIM_SECRET_BLOCK", ans.SecretBlock},
		{"TIMESTAMP", ans.Timestamp},
	} {
		if f.v == "" {
			return AuthOutput{}, missing(f.name)
		}
	}
	if err := srpCheckTimestamp(ans.Timestamp, p.now()); errors.Is(err, ErrInvalidParameter) {
		return AuthOutput{}, err
	}
	if err := checkSecretHash(c, req.response("SECRET_HASH"), name); err != nil {
		return AuthOutput{}, err
	}
	deviceKey := req.response("DEVICE_KEY")
	if deviceKey != "" && p.devicesOn() {
		if _, err := p.presentedDevice(ctx, deviceKey, ""); err != nil {
			return AuthOutput{}, err
		}
	}
	id, err := srpSecretBlockID(ans.SecretBlock)
	if err != nil {
		return AuthOutput{}, err
	}
	rec, err := p.store.TakeSession(ctx, p.id, id, p.now())
	if isNotFound(err) {
		return AuthOutput{}, ErrNotAuthorized.Wrap(errSRPSecretBlock, incorrectCredentials)
	}
	if err != nil {
		return AuthOutput{}, p.internal("read a session", err)
	}
	var r srpRecord
	if err := json.Unmarshal(rec.Data, &r); err != nil {
		return AuthOutput{}, p.internal("read a session", err)
	}
	st := &r.State
	// The exchange answers for its client and user only; a session sent
	// along (a custom sign-in's) must be the one it was issued with.
	if st.ClientID != c.ID || (name != st.Username && name != st.LoginName) {
		return AuthOutput{}, ErrNotAuthorized.Wrap(errSRPSecretBlock, incorrectCredentials)
	}
	// The answer's DEVICE_KEY is the one that counts. identity-js sends
	// it with InitiateAuth too, and after "Device does not exist."
	// answers again without it: then a key from InitiateAuth that names
	// no device of the user is dropped, and the sign-in meets a new
	// device.
	switch old := st.PresentedDevice; {
	case deviceKey != "":
		st.PresentedDevice = deviceKey
	case old != "" && p.devicesOn() && !st.UserNotFound:
		if _, err := p.presentedDevice(ctx, old, st.Sub); errors.Is(err, ErrResourceNotFound) {
			st.PresentedDevice = ""
		} else if err != nil {
			return AuthOutput{}, err
		}
	}
	if st.UserNotFound {
		err := p.failDecoy(ctx, st, r.Exchange, ans)
		if st.Flow == AuthCustom && proofFailed(err) {
			return p.customResult(ctx, st, storage.User{Username: st.LoginName}, c, ChallengePasswordVerifier, false, req.ClientMetadata)
		}
		return AuthOutput{}, err
	}
	// The user is read afresh, but whether it may sign in (enabled,
	// confirmed) is told only after the proof, as for a password.
	u, err := p.store.GetUser(ctx, p.id, st.Sub)
	if isNotFound(err) {
		return AuthOutput{}, errIncorrectCredentials
	}
	if err != nil {
		return AuthOutput{}, p.internal("read a user", err)
	}
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	if err := p.checkLockout(ctx, passwordKey(u.Sub)); err != nil {
		return AuthOutput{}, err
	}
	_, v, err := p.srpUserVerifier(st, u)
	if err != nil {
		return AuthOutput{}, err
	}
	if err := p.srpFinish(r.Exchange, v, ans); err != nil {
		if st.Flow == AuthCustom && proofFailed(err) {
			return p.customResult(ctx, st, u, c, ChallengePasswordVerifier, false, req.ClientMetadata)
		}
		return AuthOutput{}, err
	}
	if u.Status == string(StatusResetRequired) && u.PasswordHash == "" {
		// Only a decoy could have been proven against, and it cannot.
		return AuthOutput{}, errIncorrectCredentials
	}
	p.passwordSucceeded(ctx, u.Sub)
	if err := p.canSignIn(u); err != nil {
		return AuthOutput{}, err
	}
	st.PasswordVerified = true
	if st.Flow == AuthCustom {
		return p.customResult(ctx, st, u, c, ChallengePasswordVerifier, true, req.ClientMetadata)
	}
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}

// failDecoy answers a decoy exchange as a wrong password: counted against
// the login name, at the cost of a real proof's check.
func (p *Pool) failDecoy(ctx context.Context, st *authState, ex srpExchange, ans srpAnswer) error {
	key, err := p.loginKey(st.LoginName)
	if err != nil {
		key = st.LoginName
	}
	if err := p.checkLockout(ctx, unknownPasswordKey(key)); err != nil {
		return err
	}
	_, v, err := p.srpUserVerifier(st, storage.User{Username: st.LoginName})
	if err != nil {
		return err
	}
	if err := p.srpFinish(ex, v, ans); err != nil && !errors.Is(err, ErrNotAuthorized) {
		return err
	}
	return errIncorrectCredentials
}

// proofFailed reports whether err is a failed proof ("Incorrect username
// or password."), which a custom sign-in records as a failed step, as
// opposed to a lockout or a fault, which end it.
func proofFailed(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Message == incorrectCredentials
}
