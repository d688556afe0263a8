package userpool

import (
	"context"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// The values of AdminCreateUserInput.MessageAction.
const (
	// MessageResend sends the invitation again to an existing user in
	// FORCE_CHANGE_PASSWORD, with a new temporary password.
	MessageResend = "RESEND"
	// MessageSuppress creates the user without sending an invitation.
	MessageSuppress = "SUPPRESS"
)

// AdminCreateUserInput is the request of [Pool.AdminCreateUser], named as
// Cognito's.
type AdminCreateUserInput struct {
	// Username is the user name; in pools whose user names are email
	// addresses or phone numbers, the address.
	Username string
	// UserAttributes may include email_verified and phone_number_verified.
	// Required attributes may be missing: the user supplies them when
	// setting a password.
	UserAttributes map[string]string
	ValidationData map[string]string
	// TemporaryPassword is the password the invitation carries; one is
	// generated to the pool's policy when empty.
	TemporaryPassword string
	// MessageAction is "" (send the invitation), MessageResend or
	// MessageSuppress.
	MessageAction string
	// DesiredDeliveryMediums are the channels of the invitation. Empty
	// means SMS when the user has a phone number, else email, else no
	// message; a channel asked for must have its address.
	DesiredDeliveryMediums []Channel
	// ForceAliasCreation takes a verified email or phone alias given here
	// from another user who holds it, instead of failing with AliasExists.
	ForceAliasCreation bool
	ClientMetadata     map[string]string
}

var errAccountExists = ErrUsernameExists.With("User account already exists")

// AdminCreateUser creates a user in FORCE_CHANGE_PASSWORD with a temporary
// password, and sends the invitation, mirroring Cognito's AdminCreateUser.
// The temporary password expires after the policy's
// TemporaryPasswordValidityDays. PreSignUp runs (PreSignUp_AdminCreateUser)
// and may reject the user; its confirm and verify answers are ignored, as
// in Cognito.
//
// With MessageAction MessageResend the user must exist in
// FORCE_CHANGE_PASSWORD (else UserNotFound or UnsupportedUserState): it gets
// a new temporary password, a new validity period and the invitation
// again.
//
// Errors: UsernameExists "User account already exists"; AliasExists;
// InvalidParameter for a bad user name, attribute or parameter;
// InvalidPassword for a temporary password against the policy;
// UserLambdaValidation; CodeDeliveryFailure when the invitation cannot be
// sent, in which case a new user is deleted again and a resent one keeps
// its previous password.
func (p *Pool) AdminCreateUser(ctx context.Context, in AdminCreateUserInput) (User, error) {
	switch in.MessageAction {
	case "", MessageResend, MessageSuppress:
	default:
		return User{}, ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'messageAction' failed to satisfy constraint: Member must satisfy enum value set: [RESEND, SUPPRESS]", in.MessageAction)
	}
	for _, ch := range in.DesiredDeliveryMediums {
		if ch != ChannelEmail && ch != ChannelSMS {
			return User{}, ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'desiredDeliveryMediums' failed to satisfy constraint: Member must satisfy enum value set: [SMS, EMAIL]", ch)
		}
	}
	if in.TemporaryPassword != "" {
		if err := p.checkNewPassword(ctx, nil, in.TemporaryPassword); err != nil {
			return User{}, err
		}
	}
	if in.MessageAction == MessageResend {
		return p.resendInvitation(ctx, in)
	}

	attrs := maps.Clone(in.UserAttributes)
	if attrs == nil {
		attrs = map[string]string{}
	}
	sub, err := p.newUUID()
	if err != nil {
		return User{}, p.internal("make a user id", err)
	}
	username, err := p.newUsername(in.Username, sub, attrs)
	if err != nil {
		return User{}, err
	}
	if err := p.schema.validate(attrs, adminCreates); err != nil {
		return User{}, err
	}
	if err := checkVerifiedFlags(attrs); err != nil {
		return User{}, err
	}
	var invite []destination
	if in.MessageAction != MessageSuppress {
		if invite, err = inviteDestinations(attrs, in.DesiredDeliveryMediums); err != nil {
			return User{}, err
		}
	}
	now := p.now()
	u := storage.User{
		PoolID: p.id, Sub: sub, Username: username, Attributes: attrs,
		Status: string(StatusForceChangePassword), Enabled: true, CreatedAt: now, UpdatedAt: now,
	}
	probe := cloneUser(u)
	if _, _, err := p.claimLogins(ctx, &probe, in.ForceAliasCreation, errAccountExists); err != nil {
		return User{}, err
	}
	if _, err := p.preSignUp(ctx, "PreSignUp_AdminCreateUser", "", u, in.ValidationData, in.ClientMetadata); err != nil {
		return User{}, err
	}
	password, hash, err := p.temporaryPassword(ctx, in.TemporaryPassword)
	if err != nil {
		return User{}, err
	}
	p.setPassword(&u, hash, true, now)
	if u.SRP, err = p.srpVerifierFor(ctx, username, password); err != nil {
		return User{}, err
	}
	after := func(u storage.User) error {
		return p.invite(ctx, u, in.Username, password, invite, in.ClientMetadata)
	}
	u, err = p.createUser(ctx, u, in.ForceAliasCreation, errAccountExists, after)
	if err != nil {
		return User{}, err
	}
	return publicUser(u), nil
}

// resendInvitation is AdminCreateUser with MessageAction RESEND. The
// invitation is sent before the new password is stored, so a failed
// delivery leaves the user as it was.
func (p *Pool) resendInvitation(ctx context.Context, in AdminCreateUserInput) (User, error) {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return User{}, err
	}
	if u.Status != string(StatusForceChangePassword) {
		return User{}, ErrUnsupportedUserState.With("Resend not possible. %s status is not FORCE_CHANGE_PASSWORD.", in.Username)
	}
	invite, err := inviteDestinations(u.Attributes, in.DesiredDeliveryMediums)
	if err != nil {
		return User{}, err
	}
	password, hash, err := p.temporaryPassword(ctx, in.TemporaryPassword)
	if err != nil {
		return User{}, err
	}
	srp, err := p.srpVerifierFor(ctx, u.Username, password)
	if err != nil {
		return User{}, err
	}
	if err := p.invite(ctx, u, in.Username, password, invite, in.ClientMetadata); err != nil {
		return User{}, err
	}
	u, err = p.modifyUser(ctx, u.Sub, func(u *storage.User) ([]storage.User, error) {
		if u.Status != string(StatusForceChangePassword) {
			return nil, ErrUnsupportedUserState.With("Resend not possible. %s status is not FORCE_CHANGE_PASSWORD.", in.Username)
		}
		p.setPassword(u, hash, true, p.now())
		u.SRP = srp
		return nil, nil
	})
	if err != nil {
		return User{}, err
	}
	return publicUser(u), nil
}

// temporaryPassword returns the given temporary password (already checked
// against the policy) or a generated one, with its hash.
func (p *Pool) temporaryPassword(ctx context.Context, given string) (password, hash string, err error) {
	password = given
	if password == "" {
		if password, err = p.cfg.PasswordPolicy.generateTemporary(p.random); err != nil {
			return "", "", p.internal("generate a password", err)
		}
	}
	if hash, err = p.hashPassword(ctx, password); err != nil {
		return "", "", err
	}
	return password, hash, nil
}

// checkVerifiedFlags refuses a verified flag set true for an address the
// user does not have.
func checkVerifiedFlags(attrs map[string]string) error {
	for _, a := range []string{"email", "phone_number"} {
		if attrs[a+"_verified"] == "true" && attrs[a] == "" {
			return ErrInvalidParameter.With("Invalid attributes given, %s is missing", a)
		}
	}
	return nil
}

// inviteDestinations returns where an invitation goes. Channels asked for
// must have their address (InvalidParameter otherwise). With none asked
// for, Cognito's default SMS is used when the user has a phone number,
// else email when it has an address; a user with neither gets no message
// and the administrator hands out the password.
func inviteDestinations(attrs map[string]string, mediums []Channel) ([]destination, error) {
	var out []destination
	add := func(ch Channel) bool {
		a := "email"
		if ch == ChannelSMS {
			a = "phone_number"
		}
		if attrs[a] == "" || slices.ContainsFunc(out, func(d destination) bool { return d.channel == ch }) {
			return attrs[a] != ""
		}
		out = append(out, destination{attribute: a, value: attrs[a], channel: ch})
		return true
	}
	for _, ch := range mediums {
		if !add(ch) {
			return nil, ErrInvalidParameter.With("Cannot send the invitation by %s: the user has no %s.", ch, map[Channel]string{ChannelEmail: "email", ChannelSMS: "phone_number"}[ch])
		}
	}
	if len(mediums) == 0 && !add(ChannelSMS) {
		add(ChannelEmail)
	}
	return out, nil
}

// invite sends the invitation to each destination.
func (p *Pool) invite(ctx context.Context, u storage.User, signInName, password string, to []destination, metadata map[string]string) error {
	for _, d := range to {
		m := outgoing{event: eventAdminCreateUser, to: d, code: password, user: u, signInName: signInName, metadata: metadata}
		if err := p.send(ctx, m); err != nil {
			return err
		}
	}
	return nil
}
