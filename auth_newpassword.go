package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/userpool/userpool/storage"
)

func init() {
	registerAfterPrimary(stepNewPassword, ChallengeNewPasswordRequired, (*Pool).newPasswordStep)
	registerChallenge(ChallengeNewPasswordRequired, challengeSpec{handler: (*Pool).answerNewPassword})
}

// userAttributePrefix prefixes attribute names in NEW_PASSWORD_REQUIRED's
// parameters and responses.
const userAttributePrefix = "userAttributes."

// newPasswordStep issues NEW_PASSWORD_REQUIRED to a user whose password is
// temporary (FORCE_CHANGE_PASSWORD), unless the temporary password has
// expired: then only an administrator can help. The parameters are
// Cognito's: userAttributes, a JSON object of the user's current
// attributes the client may read, and requiredAttributes, a JSON array of
// the required attributes the user has no value for, each prefixed
// "userAttributes.".
func (p *Pool) newPasswordStep(ctx context.Context, st *authState, u storage.User, c Client) (string, map[string]string, error) {
	if u.Status != string(StatusForceChangePassword) || st.done(ChallengeNewPasswordRequired) {
		return "", nil, nil
	}
	if err := p.canSignIn(u); err != nil {
		return "", nil, err
	}
	current := map[string]string{}
	for name, v := range u.Attributes {
		if readable(c, name) {
			current[name] = v
		}
	}
	required := []string{}
	for _, a := range p.cfg.Attributes {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" {
			required = append(required, userAttributePrefix+a.Name)
		}
	}
	slices.Sort(required)
	attrsJSON, err := json.Marshal(current)
	if err != nil {
		return "", nil, p.internal("render attributes", err)
	}
	requiredJSON, err := json.Marshal(required)
	if err != nil {
		return "", nil, p.internal("render attributes", err)
	}
	return ChallengeNewPasswordRequired, map[string]string{
		"userAttributes":     string(attrsJSON),
		"requiredAttributes": string(requiredJSON),
	}, nil
}

// errUnauthorizedWrite is Cognito's error for an attribute the app client
// may not write.
var errUnauthorizedWrite = ErrNotAuthorized.With("A client attempted to write unauthorized attribute")

// answerNewPassword answers NEW_PASSWORD_REQUIRED: NEW_PASSWORD, checked
// against the policy, the compromised-password check and the history (the
// temporary password included), and userAttributes.<name> for each
// required attribute the user lacks; other attributes the client may
// write may be given too, but a required attribute that has a value
// cannot be changed here. The user becomes CONFIRMED with the new
// password, and the sign-in goes on (MFA, then tokens minted with
// TokenGeneration_NewPasswordChallenge). PostConfirmation does not run,
// as in Cognito. Attributes set here are stored as given; a new email or
// phone number is unverified and no code is sent for it.
//
// Every refusal of the answer's form keeps the session for a corrected
// answer.
func (p *Pool) answerNewPassword(ctx context.Context, req *respondRequest) (AuthOutput, error) {
	st, c := req.state, req.client
	u, err := p.sessionUser(ctx, st)
	if err != nil {
		return AuthOutput{}, err
	}
	if u.Status != string(StatusForceChangePassword) {
		return AuthOutput{}, errSessionInvalid
	}
	password := req.response("NEW_PASSWORD")
	if password == "" {
		return AuthOutput{}, retryable(missing("NEW_PASSWORD"))
	}
	attrs := map[string]string{}
	for k, v := range req.ChallengeResponses {
		name, ok := strings.CutPrefix(k, userAttributePrefix)
		if !ok {
			continue
		}
		a, known := p.schema[name]
		switch {
		case !known:
			return AuthOutput{}, retryable(ErrInvalidParameter.With("Attribute does not exist in the schema: %s", name))
		case !writable(c, p.schema, name):
			return AuthOutput{}, retryable(errUnauthorizedWrite)
		case v == u.Attributes[name]:
			continue // an echo of the current value changes nothing
		case a.Required && u.Attributes[name] != "":
			return AuthOutput{}, retryable(ErrInvalidParameter.With("Cannot modify an already provided %s", name))
		}
		attrs[name] = v
	}
	for _, a := range p.cfg.Attributes {
		if a.Required && a.Name != "sub" && u.Attributes[a.Name] == "" && attrs[a.Name] == "" {
			return AuthOutput{}, retryable(ErrInvalidParameter.With("Invalid attributes given, %s is missing", a.Name))
		}
	}
	ch, err := p.planAttributes(u, attrs, userUpdates)
	if err != nil {
		return AuthOutput{}, retryable(err)
	}
	if err := p.checkNewPassword(ctx, &u, password); err != nil {
		return AuthOutput{}, retryable(err)
	}
	hash, srp, err := p.newPasswordRecords(ctx, u.Username, password)
	if err != nil {
		return AuthOutput{}, err
	}
	u, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if u.Status != string(StatusForceChangePassword) {
			return nil, errSessionInvalid
		}
		p.applyAttributes(u, ch)
		p.setPassword(u, hash, false, p.now())
		u.SRP = srp
		u.Status = string(StatusConfirmed)
		others, _, err := p.claimLogins(ctx, u, false, nil)
		return others, err
	})
	if errors.Is(err, ErrAliasExists) {
		return AuthOutput{}, retryable(err)
	}
	if err != nil {
		return AuthOutput{}, err
	}
	st.markDone(ChallengeNewPasswordRequired)
	st.TokenSource = TokenGenerationNewPasswordChallenge
	return p.continueAuth(ctx, st, u, c, req.ClientMetadata)
}

// sessionUser reads the user a session is about, afresh: one deleted or
// disabled since the session began cannot continue.
func (p *Pool) sessionUser(ctx context.Context, st *authState) (storage.User, error) {
	u, err := p.store.GetUser(ctx, p.id, st.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.User{}, errSessionInvalid
	}
	if err != nil {
		return storage.User{}, p.internal("read a user", err)
	}
	if !u.Enabled {
		return storage.User{}, ErrNotAuthorized.With("User is disabled.")
	}
	if u.Attributes == nil {
		u.Attributes = map[string]string{}
	}
	return u, nil
}

// writable reports whether client c may write attribute name: the
// attributes of its WriteAttributes, or, when it has none, every standard
// attribute but sub and the verified flags. Required attributes are
// always writable, as in Cognito.
func writable(c Client, s schema, name string) bool {
	if name == "sub" || isVerifiedFlag(name) {
		return false
	}
	if a, ok := s[name]; ok && a.Required {
		return true
	}
	if len(c.WriteAttributes) == 0 {
		return isStandardAttribute(name)
	}
	return slices.Contains(c.WriteAttributes, name)
}
