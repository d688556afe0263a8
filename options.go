package userpool

import (
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/userpool/userpool/storage"
)

// Option configures a pool in New. Options apply in order over the
// defaults; New then validates the result as a whole.
type Option func(*options)

// options is what the Option funcs fill in: the serialisable Config plus
// the runtime wiring that is not persisted. Each option also records its
// name next to the fields it set, so a validation error can say which
// option caused it.
type options struct {
	cfg Config

	store       storage.Store
	sender      Sender
	triggers    Triggers
	clock       func() time.Time
	random      io.Reader
	logger      *slog.Logger
	secretKey   []byte
	poolID      string
	hashing     PasswordHashing
	compromised CompromisedPasswordChecker
	passkeys    PasskeyCeremonies
	tokens      tokenOptions

	// origin maps a Config field path to the option that last set it.
	origin map[string]string
}

func (o *options) set(field, option string) {
	if o.origin == nil {
		o.origin = map[string]string{}
	}
	o.origin[field] = option
}

// WithRegion sets the region that starts the pool id and appears in its
// ARN and issuer (us-east-1 by default).
func WithRegion(region string) Option {
	return func(o *options) { o.cfg.Region = region; o.set("Region", "WithRegion") }
}

// WithAccountID sets the twelve-digit account number in the pool's ARN
// (000000000000 by default).
func WithAccountID(id string) Option {
	return func(o *options) { o.cfg.AccountID = id; o.set("AccountID", "WithAccountID") }
}

// WithPoolID opens the pool with this id instead of the one derived from
// the pool's name and region.
func WithPoolID(id string) Option {
	return func(o *options) { o.poolID = id; o.set("PoolID", "WithPoolID") }
}

// WithUsernameAttributes makes users sign up and sign in with their email
// address and/or phone number as user name ("email", "phone_number"). It
// excludes WithAliasAttributes.
func WithUsernameAttributes(attrs ...string) Option {
	return func(o *options) {
		o.cfg.SignIn.UsernameAttributes = slices.Clone(attrs)
		o.set("SignIn.UsernameAttributes", "WithUsernameAttributes")
	}
}

// WithAliasAttributes lets users who chose a user name also sign in with a
// verified email ("email"), a verified phone number ("phone_number") or
// their "preferred_username".
func WithAliasAttributes(attrs ...string) Option {
	return func(o *options) {
		o.cfg.SignIn.AliasAttributes = slices.Clone(attrs)
		o.set("SignIn.AliasAttributes", "WithAliasAttributes")
	}
}

// WithCaseSensitiveUsernames makes user names and aliases case-sensitive.
// Pools are case-insensitive by default.
func WithCaseSensitiveUsernames() Option {
	return func(o *options) {
		o.cfg.SignIn.CaseSensitive = true
		o.set("SignIn.CaseSensitive", "WithCaseSensitiveUsernames")
	}
}

// WithRequiredAttributes makes these standard attributes required at
// sign-up.
func WithRequiredAttributes(names ...string) Option {
	return func(o *options) {
		for _, name := range names {
			o.attribute(name, "WithRequiredAttributes", func(a *AttributeSchema) { a.Required = true })
		}
	}
}

// WithImmutableAttributes makes these standard attributes unchangeable
// after the user is created.
func WithImmutableAttributes(names ...string) Option {
	return func(o *options) {
		for _, name := range names {
			o.attribute(name, "WithImmutableAttributes", func(a *AttributeSchema) { a.Mutable = false })
		}
	}
}

// WithCustomAttributes declares custom attributes (see [CustomAttribute]).
func WithCustomAttributes(attrs ...AttributeSchema) Option {
	return func(o *options) {
		for _, a := range attrs {
			o.cfg.Attributes = append(o.cfg.Attributes, a)
			o.set("Attributes."+a.Name, "WithCustomAttributes")
		}
	}
}

// attribute changes a standard attribute's schema, or records an unknown
// name so validation reports it.
func (o *options) attribute(name, option string, change func(*AttributeSchema)) {
	o.set("Attributes."+name, option)
	for i := range o.cfg.Attributes {
		if o.cfg.Attributes[i].Name == name && !o.cfg.Attributes[i].Custom() {
			change(&o.cfg.Attributes[i])
			return
		}
	}
	a := AttributeSchema{Name: name}
	change(&a)
	o.cfg.Attributes = append(o.cfg.Attributes, a)
}

// WithPasswordPolicy sets the password policy (see [DefaultPasswordPolicy]).
func WithPasswordPolicy(p PasswordPolicy) Option {
	return func(o *options) { o.cfg.PasswordPolicy = p; o.set("PasswordPolicy", "WithPasswordPolicy") }
}

// WithAdminCreateUserOnly refuses self sign-up: only administrators create
// users.
func WithAdminCreateUserOnly() Option {
	return func(o *options) {
		o.cfg.AdminCreateUserOnly = true
		o.set("AdminCreateUserOnly", "WithAdminCreateUserOnly")
	}
}

// WithSelfSignUp lets users sign themselves up (the default).
func WithSelfSignUp() Option {
	return func(o *options) { o.cfg.AdminCreateUserOnly = false; o.set("AdminCreateUserOnly", "WithSelfSignUp") }
}

// WithInviteMessage sets the invitation sent to users created by an
// administrator. Empty fields keep their defaults.
func WithInviteMessage(m InviteMessage) Option {
	return func(o *options) {
		mergeStrings(&o.cfg.InviteMessage.SMSMessage, m.SMSMessage)
		mergeStrings(&o.cfg.InviteMessage.EmailSubject, m.EmailSubject)
		mergeStrings(&o.cfg.InviteMessage.EmailMessage, m.EmailMessage)
		o.set("InviteMessage", "WithInviteMessage")
	}
}

// WithMFA sets the pool's MFA mode and the factors users may choose.
func WithMFA(mode MFAMode, factors ...Factor) Option {
	return func(o *options) {
		o.cfg.MFA.Mode = mode
		o.cfg.MFA.Factors = slices.Clone(factors)
		o.set("MFA", "WithMFA")
	}
}

// WithMFAMessages sets the SMS text and email subject and body that carry
// MFA codes. Empty fields keep their defaults.
func WithMFAMessages(smsMessage, emailSubject, emailMessage string) Option {
	return func(o *options) {
		mergeStrings(&o.cfg.MFA.SMSMessage, smsMessage)
		mergeStrings(&o.cfg.MFA.EmailSubject, emailSubject)
		mergeStrings(&o.cfg.MFA.EmailMessage, emailMessage)
		o.set("MFA", "WithMFAMessages")
	}
}

// WithAccountRecovery sets the channels of ForgotPassword in priority order.
func WithAccountRecovery(mechanisms ...RecoveryMechanism) Option {
	return func(o *options) {
		o.cfg.AccountRecovery = slices.Clone(mechanisms)
		o.set("AccountRecovery", "WithAccountRecovery")
	}
}

// WithAutoVerifiedAttributes sends a verification code to these attributes
// ("email", "phone_number") at sign-up.
func WithAutoVerifiedAttributes(names ...string) Option {
	return func(o *options) {
		o.cfg.AutoVerifiedAttributes = slices.Clone(names)
		o.set("AutoVerifiedAttributes", "WithAutoVerifiedAttributes")
	}
}

// WithKeepOriginalAttributes keeps the old, verified value of these
// attributes active until a new value is verified (the default for email
// and phone_number). Call it with no names to switch it off.
func WithKeepOriginalAttributes(names ...string) Option {
	return func(o *options) {
		o.cfg.KeepOriginalAttributes = slices.Clone(names)
		o.set("KeepOriginalAttributes", "WithKeepOriginalAttributes")
	}
}

// WithVerificationMessage sets how verification codes are sent: by code or
// by link, and the texts. Empty fields keep their defaults.
func WithVerificationMessage(m VerificationMessage) Option {
	return func(o *options) {
		v := &o.cfg.Verification
		if m.DefaultEmailOption != "" {
			v.DefaultEmailOption = m.DefaultEmailOption
		}
		mergeStrings(&v.SMSMessage, m.SMSMessage)
		mergeStrings(&v.EmailSubject, m.EmailSubject)
		mergeStrings(&v.EmailMessage, m.EmailMessage)
		mergeStrings(&v.EmailSubjectByLink, m.EmailSubjectByLink)
		mergeStrings(&v.EmailMessageByLink, m.EmailMessageByLink)
		mergeStrings(&v.LinkBaseURL, m.LinkBaseURL)
		o.set("Verification", "WithVerificationMessage")
	}
}

// WithEmailFrom sets the From and Reply-To addresses given to the Sender.
func WithEmailFrom(from, replyTo string) Option {
	return func(o *options) {
		o.cfg.Email = EmailConfig{From: from, ReplyTo: replyTo}
		o.set("Email", "WithEmailFrom")
	}
}

// WithTags labels the pool; repeated calls add to the tags.
func WithTags(tags map[string]string) Option {
	return func(o *options) {
		if o.cfg.Tags == nil {
			o.cfg.Tags = map[string]string{}
		}
		maps.Copy(o.cfg.Tags, tags)
		o.set("Tags", "WithTags")
	}
}

// WithDevices sets whether devices are remembered: DevicesOff (the
// default), DevicesAlways or DevicesOptIn.
func WithDevices(mode DeviceMode, challengeRequiredOnNewDevice bool) Option {
	return func(o *options) {
		o.cfg.Devices = DeviceConfig{Mode: mode, ChallengeRequiredOnNewDevice: challengeRequiredOnNewDevice}
		o.set("Devices", "WithDevices")
	}
}

// WithClient declares an app client that New creates if the pool lacks a
// client of that name.
func WithClient(c ClientConfig) Option {
	return func(o *options) {
		o.cfg.Clients = append(o.cfg.Clients, c)
		o.set("Clients."+c.Name, "WithClient")
	}
}

// WithoutSRP turns USER_SRP_AUTH off, so no SRP verifiers are kept.
func WithoutSRP() Option {
	return func(o *options) { o.cfg.SRP = false; o.set("SRP", "WithoutSRP") }
}

// WithDeletionProtection refuses to delete the pool while it is set.
func WithDeletionProtection() Option {
	return func(o *options) {
		o.cfg.DeletionProtection = true
		o.set("DeletionProtection", "WithDeletionProtection")
	}
}

// WithIssuer sets the base URL of the pool's tokens: iss is
// baseURL + "/" + pool id (Cognito's regional URL by default).
func WithIssuer(baseURL string) Option {
	return func(o *options) { o.cfg.Issuer = baseURL; o.set("Issuer", "WithIssuer") }
}

// WithConfig replaces the whole configuration, for programs that build a
// Config themselves (a server creating pools from requests). Options after
// it still apply.
func WithConfig(c Config) Option {
	return func(o *options) { o.cfg = c.clone(); o.set("Config", "WithConfig") }
}

// WithStore sets where the pool keeps its users (an in-memory store by
// default, which forgets everything when the program ends).
func WithStore(s storage.Store) Option {
	return func(o *options) { o.store = s }
}

// WithSender sets how messages leave the pool (logged by default).
func WithSender(s Sender) Option {
	return func(o *options) { o.sender = s }
}

// WithTriggers sets the pool's triggers.
func WithTriggers(t Triggers) Option {
	return func(o *options) { o.triggers = t }
}

// WithClock sets the pool's clock (time.Now by default). Every expiry,
// lockout and token time comes from it.
func WithClock(now func() time.Time) Option {
	return func(o *options) { o.clock = now }
}

// WithRandom sets the source of randomness for ids, codes, salts and keys
// (crypto/rand by default). Only tests should set it.
func WithRandom(r io.Reader) Option {
	return func(o *options) { o.random = r }
}

// WithLogger sets the pool's logger (slog.Default() by default).
func WithLogger(l *slog.Logger) Option {
	return func(o *options) { o.logger = l }
}

// WithSecretKey sets a secret held outside the store (at least 32 bytes).
// It peppers password hashes and encrypts SRP verifiers, TOTP secrets and
// signing keys at rest, so a stolen store alone is not enough to attack
// them. Changing it makes existing secrets unreadable.
func WithSecretKey(key []byte) Option {
	return func(o *options) { o.secretKey = slices.Clone(key); o.set("SecretKey", "WithSecretKey") }
}

func mergeStrings(dst *string, src string) {
	if src != "" {
		*dst = src
	}
}
