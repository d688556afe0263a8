package userpool

import (
	"context"
	"errors"
	"maps"
	"strings"

	"github.com/userpool/userpool/storage"
)

// The triggerSource values of UserMigration.
const (
	migrationSignIn = "UserMigration_Authentication"
	migrationForgot = "UserMigration_ForgotPassword"
)

// migrateUser asks the UserMigration trigger for a user the pool does not
// know, and creates it from the answer. source says why (a sign-in, with
// the password tried, or ForgotPassword, without). It returns
// ErrUserNotFound when the trigger leaves UserAttributes nil (the user is
// unknown there too).
//
// The user gets the trigger's attributes (verified flags included) and
// FinalUserStatus: CONFIRMED, which on sign-in keeps the password just
// vouched for (the password policy is not applied, as in Cognito), or
// RESET_REQUIRED (the default), which keeps no password: the user sets
// one with ForgotPassword. No welcome message is sent. A response the pool
// cannot use (another status, a bad attribute) gives
// InvalidLambdaResponse and creates nothing.
//
// migrated is false when a concurrent request created the same user
// first: u is then that user, whose password the caller checks as usual.
func (p *Pool) migrateUser(ctx context.Context, source string, c Client, name, password string, metadata map[string]string) (u storage.User, migrated bool, err error) {
	fn := p.triggers.UserMigration
	ev := &UserMigrationEvent{
		TriggerRequest: TriggerRequest{
			TriggerSource: source,
			PoolID:        p.id,
			ClientID:      c.ID,
			Username:      name,
			// nil: the trigger migrates the user by setting it.
			ClientMetadata: cloneMetadata(metadata),
		},
		Password:       password,
		ValidationData: cloneMetadata(metadata),
	}
	if err := callTrigger(ctx, "UserMigration", func(ctx context.Context) error { return fn(ctx, ev) }); err != nil {
		return storage.User{}, false, err
	}
	if ev.UserAttributes == nil {
		return storage.User{}, false, ErrUserNotFound.With("User does not exist.")
	}
	bad := func(format string, args ...any) error {
		return ErrInvalidLambdaResponse.With("Invalid UserMigration response: "+format, args...)
	}
	status := StatusResetRequired
	switch ev.FinalUserStatus {
	case "", string(StatusResetRequired):
	case string(StatusConfirmed):
		status = StatusConfirmed
	default:
		return storage.User{}, false, bad("finalUserStatus must be CONFIRMED or RESET_REQUIRED.")
	}
	switch ev.MessageAction {
	case "", MessageSuppress:
	default:
		return storage.User{}, false, bad("messageAction must be SUPPRESS or absent.")
	}
	attrs := maps.Clone(ev.UserAttributes)
	// A trigger may echo what it was given: sub and the cognito:
	// pseudo-attributes are the pool's, not the trigger's, to set.
	delete(attrs, "sub")
	maps.DeleteFunc(attrs, func(k, _ string) bool { return strings.HasPrefix(k, "cognito:") })
	sub, err := p.newUUID()
	if err != nil {
		return storage.User{}, false, p.internal("make a user id", err)
	}
	username, err := p.newUsername(name, sub, attrs)
	if err != nil {
		return storage.User{}, false, bad("%s", errorMessage(err))
	}
	if err := p.schema.validate(attrs, adminCreates); err != nil {
		return storage.User{}, false, bad("%s", errorMessage(err))
	}
	if err := checkVerifiedFlags(attrs); err != nil {
		return storage.User{}, false, bad("%s", errorMessage(err))
	}
	now := p.now()
	u = storage.User{
		PoolID: p.id, Sub: sub, Username: username, Attributes: attrs,
		Status: string(status), Enabled: true, CreatedAt: now, UpdatedAt: now,
	}
	if status == StatusConfirmed && password != "" {
		hash, srp, err := p.newPasswordRecords(ctx, username, password)
		if err != nil {
			return storage.User{}, false, err
		}
		p.setPassword(&u, hash, false, now)
		u.SRP = srp
	}
	u, err = p.createUser(ctx, u, ev.ForceAliasCreation, errUserExists, nil)
	if errors.Is(err, ErrUsernameExists) {
		// Created meanwhile by a concurrent request: use that user.
		u, err = p.lookup(ctx, name)
		return u, false, err
	}
	if err != nil {
		return storage.User{}, false, err
	}
	return u, true, nil
}

// errorMessage returns the message of a pool error, or its text.
func errorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return err.Error()
}
