package userpool

import (
	"context"

	"github.com/userpool/userpool/storage"
)

// checkVerifiable refuses attributes that cannot be verified.
func checkVerifiable(attribute string) error {
	if attribute != "email" && attribute != "phone_number" {
		return ErrInvalidParameter.With("Invalid attribute name. Only phone_number and email can be verified.")
	}
	return nil
}

// RequestAttributeVerification sends the user a code to verify their email
// or phone number: the new value waiting for verification if there is one
// (see [Pool.AdminUpdateUserAttributes]), else the current value. It is the
// core of Cognito's GetUserAttributeVerificationCode, by user name instead
// of access token, and returns where the code went.
//
// Errors: UserNotFound; InvalidParameter for another attribute or one the
// user does not have; LimitExceeded after five requests in an hour;
// CodeDeliveryFailure when the Sender fails (the previous code, if any,
// stays valid).
func (p *Pool) RequestAttributeVerification(ctx context.Context, username, attribute string) (CodeDeliveryDetails, error) {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	return p.requestVerification(ctx, u, attribute, "", nil)
}

func (p *Pool) requestVerification(ctx context.Context, u storage.User, attribute, clientID string, metadata map[string]string) (CodeDeliveryDetails, error) {
	if err := checkVerifiable(attribute); err != nil {
		return CodeDeliveryDetails{}, err
	}
	value := u.PendingAttributes[attribute]
	if value == "" {
		value = u.Attributes[attribute]
	}
	if value == "" {
		return CodeDeliveryDetails{}, ErrInvalidParameter.With("Invalid attributes given, %s is missing", attribute)
	}
	if err := p.takeSend(ctx, "verify", u.Sub); err != nil {
		return CodeDeliveryDetails{}, err
	}
	to := destination{attribute: attribute, value: value, channel: channelOf(attribute)}
	code, rec, err := p.issueCode(u.Sub, purposeVerify+attribute, codeData{Attribute: attribute, Value: value}, verifyCodeLifetime)
	if err != nil {
		return CodeDeliveryDetails{}, err
	}
	m := outgoing{event: eventVerifyUserAttribute, to: to, code: code, user: u, clientID: clientID, metadata: metadata}
	if err := p.send(ctx, m); err != nil {
		return CodeDeliveryDetails{}, err
	}
	if err := p.putCode(ctx, rec); err != nil {
		return CodeDeliveryDetails{}, err
	}
	return *to.details(), nil
}

// VerifyAttribute verifies the user's email or phone number with the code
// sent for it, the core of Cognito's VerifyUserAttribute by user name
// instead of access token. The verified flag becomes "true"; a value that
// was waiting for verification replaces the old one, which stops working
// for sign-in.
//
// Errors: UserNotFound; InvalidParameter for another attribute;
// CodeMismatch, ExpiredCode (also when the address changed since the code
// was sent) and TooManyFailedAttempts as for [Pool.ConfirmSignUp];
// AliasExists when the address is another user's verified alias (the code
// stays valid). Codes are single use.
func (p *Pool) VerifyAttribute(ctx context.Context, username, attribute, code string) error {
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	return p.verifyAttribute(ctx, u, attribute, code)
}

func (p *Pool) verifyAttribute(ctx context.Context, u storage.User, attribute, code string) error {
	if err := checkVerifiable(attribute); err != nil {
		return err
	}
	c, err := p.checkCode(ctx, u.Sub, purposeVerify+attribute, code)
	if err != nil {
		return err
	}
	sent := decodeCodeData(c).Value
	apply := func(u *storage.User) ([]storage.User, error) {
		switch {
		case sent != "" && u.PendingAttributes[attribute] == sent:
			u.Attributes[attribute] = sent
			delete(u.PendingAttributes, attribute)
			if len(u.PendingAttributes) == 0 {
				u.PendingAttributes = nil
			}
		case sent != "" && u.PendingAttributes[attribute] == "" && u.Attributes[attribute] == sent:
		default:
			return nil, errCodeExpired
		}
		u.Attributes[attribute+"_verified"] = "true"
		others, _, err := p.claimLogins(ctx, u, false, nil)
		return others, err
	}
	trial := cloneUser(u)
	if _, err := apply(&trial); err != nil {
		if err == errCodeExpired {
			// The address changed since the code went out: the code
			// can never verify anything.
			_ = p.store.DeleteCode(ctx, p.id, u.Sub, c.Purpose)
		}
		return err
	}
	if err := p.consumeCode(ctx, c); err != nil {
		return err
	}
	_, err = p.modifyUser(ctx, u.Sub, apply)
	return err
}
