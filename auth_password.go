package userpool

import (
	"context"
	"errors"

	"github.com/userpool/userpool/storage"
)

func init() {
	registerFlow(AuthUserPassword, flowSpec{gate: FlowUserPassword, handler: (*Pool).passwordFlow})
	registerFlow(AuthAdminUserPassword, flowSpec{gate: FlowAdminUserPassword, adminOnly: true, handler: (*Pool).passwordFlow})
	registerFlow(AuthAdminNoSRP, flowSpec{gate: FlowAdminUserPassword, adminOnly: true, handler: (*Pool).passwordFlow})
	registerFlow(AuthRefreshToken, flowSpec{gate: FlowRefreshToken, handler: (*Pool).refreshFlow})
	registerFlow(AuthRefreshTokenLegacy, flowSpec{gate: FlowRefreshToken, handler: (*Pool).refreshFlow})
}

// missing is Cognito's error for a required parameter left out.
func missing(name string) error {
	return ErrInvalidParameter.With("Missing required parameter %s", name)
}

// passwordFlow is USER_PASSWORD_AUTH and ADMIN_USER_PASSWORD_AUTH: the
// user name and password in AuthParameters, checked in the order
// InitiateAuth documents.
func (p *Pool) passwordFlow(ctx context.Context, req *authRequest) (AuthOutput, error) {
	name, password := req.param("USERNAME"), req.param("PASSWORD")
	switch {
	case name == "":
		return AuthOutput{}, missing("USERNAME")
	case password == "":
		return AuthOutput{}, missing("PASSWORD")
	}
	if err := checkPasswordParameter("password", password); err != nil {
		return AuthOutput{}, err
	}
	c := req.client
	hide := c.PreventUserExistenceErrors
	authTime := p.now()
	u, err := p.lookup(ctx, name)
	migrated := false
	if errors.Is(err, ErrUserNotFound) && p.triggers.UserMigration != nil {
		if err := checkSecretHash(c, req.param("SECRET_HASH"), name); err != nil {
			return AuthOutput{}, err
		}
		u, migrated, err = p.migrateUser(ctx, migrationSignIn, c, name, password, req.ClientMetadata)
		if err == nil && !migrated {
			err = ErrUserNotFound.With("User does not exist.")
		}
	}
	if errors.Is(err, ErrUserNotFound) {
		return AuthOutput{}, p.unknownUserPassword(ctx, req, name, password)
	}
	if err != nil {
		return AuthOutput{}, err
	}
	if err := checkSecretHash(c, req.param("SECRET_HASH"), name, u.Username); err != nil {
		return AuthOutput{}, err
	}
	if err := p.preAuthentication(ctx, c, u, name, false, req.ClientMetadata); err != nil {
		return AuthOutput{}, err
	}
	if err := p.passwordStatus(ctx, u, password, hide, migrated); err != nil {
		return AuthOutput{}, err
	}
	st := &authState{
		Flow: req.AuthFlow, Admin: req.admin, ClientID: c.ID,
		Sub: u.Sub, Username: u.Username, LoginName: name,
		AuthTime: authTime.Unix(), PasswordVerified: true,
	}
	st.PresentedDevice = req.param("DEVICE_KEY")
	return p.continueAuth(ctx, st, u, c, nil)
}

// unknownUserPassword answers a password sign-in of a user who does not
// exist. A client that prevents user-existence errors gets exactly what a
// wrong password gets: PreAuthentication runs (with UserNotFound), the
// attempt is counted against the name (so the lockout shows too), a hash
// of the real cost is computed, and the error is NotAuthorized "Incorrect
// username or password.". Other clients get UserNotFound "User does not
// exist." at once.
func (p *Pool) unknownUserPassword(ctx context.Context, req *authRequest, name, password string) error {
	c := req.client
	if err := checkSecretHash(c, req.param("SECRET_HASH"), name); err != nil {
		return err
	}
	if !c.PreventUserExistenceErrors {
		return ErrUserNotFound.With("User does not exist.")
	}
	if err := p.preAuthentication(ctx, c, storage.User{Username: name}, name, true, req.ClientMetadata); err != nil {
		return err
	}
	return p.dummyPassword(ctx, p.decoyKey(name), password, true)
}

// passwordStatus checks the password of an existing user, then whether
// the user may sign in, in Cognito's order: the password first (so the
// errors after it confirm the password was right), then Enabled, then
// the status. migrated is set when the password was just given by the
// UserMigration trigger, which has already vouched for it.
func (p *Pool) passwordStatus(ctx context.Context, u storage.User, password string, hide, migrated bool) error {
	reset := u.Status == string(StatusResetRequired)
	switch {
	case migrated:
	case reset && u.PasswordHash == "":
		// An imported user without a password: nothing to check. With
		// existence errors prevented it looks like a wrong password
		// (cognito.md §8.6), and costs the same.
		if hide {
			if err := p.checkLockout(ctx, passwordKey(u.Sub)); err != nil {
				return err
			}
			return p.dummyPassword(ctx, "", password, false)
		}
		return errResetRequired
	default:
		if err := p.verifyPassword(ctx, u, password); err != nil {
			return err
		}
	}
	return p.canSignIn(u)
}

var errResetRequired = ErrPasswordResetRequired.With("Password reset required for the user")

// canSignIn checks that a user who proved who they are may sign in:
// enabled, confirmed, not awaiting a reset, and (for a temporary
// password) not past its expiry.
func (p *Pool) canSignIn(u storage.User) error {
	if !u.Enabled {
		return ErrNotAuthorized.With("User is disabled.")
	}
	switch UserStatus(u.Status) {
	case StatusUnconfirmed:
		return ErrUserNotConfirmed.With("User is not confirmed.")
	case StatusResetRequired:
		return errResetRequired
	case StatusForceChangePassword:
		if !u.PasswordExpiresAt.IsZero() && !p.now().Before(u.PasswordExpiresAt) {
			return ErrNotAuthorized.With("Temporary password has expired and must be reset by an administrator.")
		}
	}
	return nil
}

// signInUser opens a sign-in that names st.LoginName: the user is looked
// up, SECRET_HASH checked against the name given (and the user name, for
// a known user), and PreAuthentication run. A known user's sub and user
// name go into st. An unknown user gives UserNotFound, unless the client
// prevents user-existence errors: then st is marked UserNotFound and the
// user returned is a stand-in holding only the name, for the flow to fail
// later as a wrong answer would.
func (p *Pool) signInUser(ctx context.Context, req *authRequest, st *authState) (storage.User, error) {
	name, c := st.LoginName, req.client
	u, err := p.lookup(ctx, name)
	switch {
	case errors.Is(err, ErrUserNotFound):
		if err := checkSecretHash(c, req.param("SECRET_HASH"), name); err != nil {
			return u, err
		}
		if !c.PreventUserExistenceErrors {
			return u, err
		}
		u, st.UserNotFound = storage.User{Username: name}, true
	case err != nil:
		return u, err
	default:
		if err := checkSecretHash(c, req.param("SECRET_HASH"), name, u.Username); err != nil {
			return u, err
		}
		st.Sub, st.Username = u.Sub, u.Username
	}
	return u, p.preAuthentication(ctx, c, u, name, st.UserNotFound, req.ClientMetadata)
}

// preAuthentication runs the PreAuthentication trigger, which may refuse
// the sign-in. Its ValidationData is the request's ClientMetadata, as
// Cognito passes it. For an unknown user (userNotFound, only with
// PreventUserExistenceErrors) the event carries the name given and no
// attributes.
func (p *Pool) preAuthentication(ctx context.Context, c Client, u storage.User, name string, userNotFound bool, metadata map[string]string) error {
	fn := p.triggers.PreAuthentication
	if fn == nil {
		return nil
	}
	ev := &PreAuthenticationEvent{
		TriggerRequest: p.triggerRequest("PreAuthentication_Authentication", c.ID, u, metadata),
		ValidationData: cloneMetadata(metadata),
		UserNotFound:   userNotFound,
	}
	if userNotFound {
		ev.Username = name
		ev.UserAttributes = map[string]string{}
	}
	return callTrigger(ctx, "PreAuthentication", func(ctx context.Context) error { return fn(ctx, ev) })
}

// refreshFlow is REFRESH_TOKEN_AUTH (and its legacy name REFRESH_TOKEN):
// the tokens core does the work.
func (p *Pool) refreshFlow(ctx context.Context, req *authRequest) (AuthOutput, error) {
	token := req.param("REFRESH_TOKEN")
	if token == "" {
		return AuthOutput{}, missing("REFRESH_TOKEN")
	}
	res, err := p.refresh(ctx, RefreshInput{
		ClientID:       req.ClientID,
		RefreshToken:   token,
		SecretHash:     req.param("SECRET_HASH"),
		DeviceKey:      req.param("DEVICE_KEY"),
		ClientMetadata: req.ClientMetadata,
	})
	if err != nil {
		return AuthOutput{}, err
	}
	return AuthOutput{AuthenticationResult: &res}, nil
}
