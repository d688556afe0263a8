package userpool

import (
	"context"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// AdminUpdateUserAttributesInput is the request of
// [Pool.AdminUpdateUserAttributes].
type AdminUpdateUserAttributesInput struct {
	Username string
	// UserAttributes are the attributes to set; an empty value deletes
	// the attribute. email_verified and phone_number_verified may be set.
	UserAttributes map[string]string
	ClientMetadata map[string]string
}

// UpdateUserAttributesOutput lists where verification codes went.
type UpdateUserAttributesOutput struct {
	CodeDeliveryDetailsList []CodeDeliveryDetails
}

// AdminUpdateUserAttributes changes a user's attributes, mirroring
// Cognito's AdminUpdateUserAttributes. See [Pool.updateAttributes] for
// what a change of email or phone number does. Errors: UserNotFound;
// InvalidParameter for an unknown, immutable or invalid attribute or the
// deletion of a required one; AliasExists for an alias another user
// holds; CodeDeliveryFailure when a verification code cannot be sent, in
// which case nothing changes.
func (p *Pool) AdminUpdateUserAttributes(ctx context.Context, in AdminUpdateUserAttributesInput) (UpdateUserAttributesOutput, error) {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	return p.updateAttributes(ctx, u, in.UserAttributes, adminUpdates, "", in.ClientMetadata)
}

// AdminDeleteUserAttributesInput is the request of
// [Pool.AdminDeleteUserAttributes].
type AdminDeleteUserAttributesInput struct {
	Username           string
	UserAttributeNames []string
}

// AdminDeleteUserAttributes deletes attributes of a user, mirroring
// Cognito's AdminDeleteUserAttributes. Deleting an email or phone number
// deletes its verified flag and any new value waiting for verification.
// Errors: UserNotFound; InvalidParameter for an unknown attribute, sub, an
// immutable or required attribute, or the address that is the user name.
func (p *Pool) AdminDeleteUserAttributes(ctx context.Context, in AdminDeleteUserAttributesInput) error {
	u, err := p.lookup(ctx, in.Username)
	if err != nil {
		return err
	}
	attrs := make(map[string]string, len(in.UserAttributeNames))
	for _, name := range in.UserAttributeNames {
		attrs[name] = ""
	}
	_, err = p.updateAttributes(ctx, u, attrs, adminUpdates, "", nil)
	return err
}

// attributeChange is a planned attribute update.
type attributeChange struct {
	set    map[string]string
	delete []string
	// verify lists the addresses that get a code: the attribute and its
	// new value.
	verify []destination
}

// updateAttributes is the core of (Admin)UpdateUserAttributes and
// (Admin)DeleteUserAttributes: it sets the non-empty values of attrs and
// deletes the attributes given empty, as writer w may.
//
// A new email or phone number is unverified. When the attribute is in
// KeepOriginalAttributes (both are, by default) and the current value is
// verified, the new value waits in PendingAttributes and the old one stays
// active and verified, for sign-in and recovery, until VerifyAttribute
// confirms the new one (Cognito's AttributesRequireVerificationBeforeUpdate);
// a code goes to the new address (CustomMessage_UpdateUserAttribute), since
// the change takes effect only once it is verified. Otherwise the new value
// replaces the old at once with its verified flag "false", and a code goes
// to it if the pool auto-verifies the attribute. Cognito allows the keeping
// only for auto-verified attributes; here it is the rule for every verified
// address, so that codes and recovery only ever reach an address the user
// proved. An administrator setting the verified flag to "true" in the same
// call applies the new value verified at once.
//
// Codes are sent before anything is stored, so a Sender failure changes
// nothing.
func (p *Pool) updateAttributes(ctx context.Context, u storage.User, attrs map[string]string, w attrWriter, clientID string, metadata map[string]string) (UpdateUserAttributesOutput, error) {
	ch, err := p.planAttributes(u, attrs, w)
	if err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	apply := func(u *storage.User) ([]storage.User, error) {
		p.applyAttributes(u, ch)
		others, _, err := p.claimLogins(ctx, u, false, nil)
		return others, err
	}
	trial := cloneUser(u)
	if _, err := apply(&trial); err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	var out UpdateUserAttributesOutput
	var codes []storage.Code
	for _, to := range ch.verify {
		code, rec, err := p.issueCode(u.Sub, purposeVerify+to.attribute, codeData{Attribute: to.attribute, Value: to.value}, verifyCodeLifetime)
		if err != nil {
			return UpdateUserAttributesOutput{}, err
		}
		m := outgoing{event: eventUpdateUserAttribute, to: to, code: code, user: trial, clientID: clientID, metadata: metadata}
		if err := p.send(ctx, m); err != nil {
			return UpdateUserAttributesOutput{}, err
		}
		codes = append(codes, rec)
		out.CodeDeliveryDetailsList = append(out.CodeDeliveryDetailsList, *to.details())
	}
	if _, err := p.modifyUser(ctx, u.Sub, apply); err != nil {
		return UpdateUserAttributesOutput{}, err
	}
	for _, c := range codes {
		if err := p.putCode(ctx, c); err != nil {
			return UpdateUserAttributesOutput{}, err
		}
	}
	return out, nil
}

// planAttributes checks an update against the schema and the user and
// decides what it does; it changes nothing.
func (p *Pool) planAttributes(u storage.User, attrs map[string]string, w attrWriter) (attributeChange, error) {
	ch := attributeChange{set: map[string]string{}}
	for name, v := range attrs {
		if v == "" {
			ch.delete = append(ch.delete, name)
		} else {
			ch.set[name] = v
		}
	}
	slices.Sort(ch.delete)
	if err := p.schema.validate(ch.set, w); err != nil {
		return attributeChange{}, err
	}
	if err := p.checkDeletable(ch.delete, w); err != nil {
		return attributeChange{}, err
	}
	if err := checkVerifiedFlags(mergedAttributes(u.Attributes, ch)); err != nil {
		return attributeChange{}, err
	}
	for _, a := range []string{"phone_number", "email"} {
		v, ok := ch.set[a]
		flag, flagGiven := ch.set[a+"_verified"]
		if !ok || v == u.Attributes[a] || flag == "true" {
			// Unchanged (a pending value is dropped), or verified by the
			// administrator: nothing to verify.
			continue
		}
		pending := p.keepsOriginal(a) && u.Attributes[a+"_verified"] == "true" && !flagGiven
		if pending || slices.Contains(p.cfg.AutoVerifiedAttributes, a) {
			ch.verify = append(ch.verify, destination{attribute: a, value: v, channel: channelOf(a)})
		}
	}
	if len(p.cfg.SignIn.UsernameAttributes) > 0 {
		// The address that is the user name may change but not go.
		for _, a := range ch.delete {
			if slices.Contains(p.cfg.SignIn.UsernameAttributes, a) && u.Attributes[a] != "" && !hasOtherUsernameAttribute(p.cfg.SignIn.UsernameAttributes, a, mergedAttributes(u.Attributes, ch)) {
				return attributeChange{}, ErrInvalidParameter.With("Invalid user attributes: %s: the user signs in with it and it cannot be deleted.", a)
			}
		}
	}
	return ch, nil
}

func hasOtherUsernameAttribute(ids []string, a string, attrs map[string]string) bool {
	for _, o := range ids {
		if o != a && attrs[o] != "" {
			return true
		}
	}
	return false
}

// mergedAttributes is attrs after ch, ignoring pending values.
func mergedAttributes(attrs map[string]string, ch attributeChange) map[string]string {
	out := maps.Clone(attrs)
	if out == nil {
		out = map[string]string{}
	}
	maps.Copy(out, ch.set)
	for _, a := range ch.delete {
		delete(out, a)
		if a == "email" || a == "phone_number" {
			delete(out, a+"_verified")
		}
	}
	return out
}

// checkDeletable refuses deleting what cannot be deleted.
func (p *Pool) checkDeletable(names []string, w attrWriter) error {
	for _, name := range names {
		a, ok := p.schema[name]
		switch {
		case !ok:
			return ErrInvalidParameter.With("Attribute does not exist in the schema: %s", name)
		case name == "sub":
			return ErrInvalidParameter.With("Cannot modify the non-mutable attribute sub")
		case isVerifiedFlag(name) && w == userUpdates:
			return ErrInvalidParameter.With("Cannot modify %s: only an administrator or a verification sets it", name)
		case !a.Mutable:
			return ErrInvalidParameter.With("Cannot modify the non-mutable attribute %s", name)
		case a.Required:
			return ErrInvalidParameter.With("Invalid user attributes: %s: Required attribute cannot be deleted.", name)
		}
	}
	return nil
}

// applyAttributes applies a planned change to u.
func (p *Pool) applyAttributes(u *storage.User, ch attributeChange) {
	for _, name := range ch.delete {
		delete(u.Attributes, name)
		if name == "email" || name == "phone_number" {
			delete(u.Attributes, name+"_verified")
			delete(u.PendingAttributes, name)
		}
	}
	for name, v := range ch.set {
		if name != "email" && name != "phone_number" {
			u.Attributes[name] = v
			continue
		}
		flag, flagGiven := ch.set[name+"_verified"]
		switch {
		case v == u.Attributes[name]:
			delete(u.PendingAttributes, name)
		case flagGiven && flag == "true":
			u.Attributes[name] = v
			delete(u.PendingAttributes, name)
		case p.keepsOriginal(name) && u.Attributes[name+"_verified"] == "true" && !flagGiven:
			if u.PendingAttributes == nil {
				u.PendingAttributes = map[string]string{}
			}
			u.PendingAttributes[name] = v
		default:
			u.Attributes[name] = v
			delete(u.PendingAttributes, name)
			if !flagGiven {
				u.Attributes[name+"_verified"] = "false"
			}
		}
	}
	if len(u.PendingAttributes) == 0 {
		u.PendingAttributes = nil
	}
}

// keepsOriginal reports whether a new value of attribute a waits for
// verification while the old, verified one stays active.
func (p *Pool) keepsOriginal(a string) bool {
	return slices.Contains(p.cfg.KeepOriginalAttributes, a)
}
