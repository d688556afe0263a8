package userpool

// Config is a pool's settings: one plain, serialisable value that the
// options fill in, New validates and the store persists with the pool. It
// covers every setting of Cognito's create-pool wizard. Runtime wiring (the
// store, the sender, triggers, the clock) is not part of it.
type Config struct {
	// Name is the pool's name, 1 to 128 characters.
	Name string `json:"name"`
	// Region is the first part of the pool id, us-east-1 by default.
	Region string `json:"region"`
	// AccountID is the account number in the pool's ARN, twelve digits.
	AccountID string `json:"accountId"`

	SignIn SignInConfig `json:"signIn"`
	// Attributes are the pool's attribute schema: every standard
	// attribute (with the required and mutable flags chosen for it) and
	// the custom attributes, in that order.
	Attributes []AttributeSchema `json:"attributes"`

	PasswordPolicy PasswordPolicy `json:"passwordPolicy"`
	// AdminCreateUserOnly refuses self sign-up: only administrators create
	// users.
	AdminCreateUserOnly bool `json:"adminCreateUserOnly"`
	// InviteMessage is sent to users created by an administrator.
	InviteMessage InviteMessage `json:"inviteMessage"`

	MFA MFAConfig `json:"mfa"`
	// AccountRecovery lists the channels ForgotPassword uses, in priority
	// order: RecoveryVerifiedEmail, RecoveryVerifiedPhone, or RecoveryAdminOnly alone.
	AccountRecovery []RecoveryMechanism `json:"accountRecovery"`
	// AutoVerifiedAttributes are verified by sending a code at sign-up:
	// a subset of email and phone_number.
	AutoVerifiedAttributes []string `json:"autoVerifiedAttributes"`
	// KeepOriginalAttributes keeps the old, verified value of these
	// attributes (email, phone_number) active until a new value is
	// verified. Cognito calls it AttributesRequireVerificationBeforeUpdate.
	KeepOriginalAttributes []string `json:"keepOriginalAttributes"`
	// Verification holds the messages that carry verification codes.
	Verification VerificationMessage `json:"verification"`
	// Email configures the sender identity of email messages.
	Email EmailConfig `json:"email"`

	// Tags are free key/value labels of the pool.
	Tags map[string]string `json:"tags,omitempty"`
	// Devices configures remembered devices.
	Devices DeviceConfig `json:"devices"`
	// Clients are app clients created with the pool, if absent.
	Clients []ClientConfig `json:"clients,omitempty"`

	// SRP allows USER_SRP_AUTH; it is on by default. Turning it off stops
	// keeping SRP verifiers, which are cheaper to attack than the password
	// hash if the store is stolen.
	SRP bool `json:"srp"`
	// DeletionProtection refuses to delete the pool while set.
	DeletionProtection bool `json:"deletionProtection"`
	// Issuer is the base URL of the pool's tokens: their iss claim is
	// Issuer + "/" + pool id. Empty means Cognito's URL for the region.
	Issuer string `json:"issuer,omitempty"`
	// WebAuthn is the pool's passkey relying party, when it is not the
	// passkey implementation's default (see WithWebAuthnConfiguration).
	WebAuthn WebAuthnConfig `json:"webAuthn,omitzero"`
	// AllowedFirstAuthFactors are the first factors of choice-based
	// sign-in (USER_AUTH) besides PASSWORD_SRP: PASSWORD, EMAIL_OTP,
	// SMS_OTP. Empty means the password alone.
	AllowedFirstAuthFactors []string `json:"allowedFirstAuthFactors,omitempty"`
	// ResourceServers are the APIs with custom OAuth scopes: those
	// declared with WithResourceServer and, in the stored settings, those
	// created with CreateResourceServer (see resource_servers.go).
	ResourceServers []ResourceServer `json:"resourceServers,omitempty"`
}

// SignInConfig says how users name themselves when they sign in.
type SignInConfig struct {
	// UsernameAttributes makes the email address and/or phone number the
	// user name (the pool then generates the internal user name). It
	// excludes AliasAttributes.
	UsernameAttributes []string `json:"usernameAttributes,omitempty"`
	// AliasAttributes let users with a chosen user name also sign in with a
	// verified email, a verified phone number or a preferred_username.
	AliasAttributes []string `json:"aliasAttributes,omitempty"`
	// CaseSensitive makes user names and aliases case-sensitive. The
	// default is case-insensitive, as the console recommends.
	CaseSensitive bool `json:"caseSensitive"`
}

// InviteMessage is the invitation sent to users created by an
// administrator. {username} and {####} (the temporary password) are
// replaced.
type InviteMessage struct {
	SMSMessage   string `json:"smsMessage"`
	EmailSubject string `json:"emailSubject"`
	EmailMessage string `json:"emailMessage"`
}

// EmailOption says whether verification emails carry a code or a link.
type EmailOption string

// The verification email options.
const (
	ConfirmWithCode EmailOption = "CONFIRM_WITH_CODE"
	ConfirmWithLink EmailOption = "CONFIRM_WITH_LINK"
)

// VerificationMessage is the message that carries a verification code.
// {####} is replaced by the code; a link message has {##link text##}
// replaced by a link.
type VerificationMessage struct {
	DefaultEmailOption EmailOption `json:"defaultEmailOption"`
	SMSMessage         string      `json:"smsMessage"`
	EmailSubject       string      `json:"emailSubject"`
	EmailMessage       string      `json:"emailMessage"`
	EmailSubjectByLink string      `json:"emailSubjectByLink"`
	EmailMessageByLink string      `json:"emailMessageByLink"`
	// LinkBaseURL is where verification links point
	// (<LinkBaseURL>/confirmUser?client_id=...&user_name=...&confirmation_code=...).
	LinkBaseURL string `json:"linkBaseUrl,omitempty"`
}

// EmailConfig is the identity email messages are sent from. The Sender
// decides how; these are only the headers it is given.
type EmailConfig struct {
	From    string `json:"from,omitempty"`
	ReplyTo string `json:"replyTo,omitempty"`
}

// RecoveryMechanism is a channel for forgotten passwords.
type RecoveryMechanism string

// The recovery mechanisms, named as Cognito's.
const (
	RecoveryVerifiedEmail RecoveryMechanism = "verified_email"
	RecoveryVerifiedPhone RecoveryMechanism = "verified_phone_number"
	RecoveryAdminOnly     RecoveryMechanism = "admin_only"
)

// DeviceMode says whether devices are remembered.
type DeviceMode string

// The device modes, as the console names them.
const (
	DevicesOff    DeviceMode = "off"    // don't remember devices
	DevicesAlways DeviceMode = "always" // remember every confirmed device
	DevicesOptIn  DeviceMode = "opt-in" // remember when the user asks
)

// DeviceConfig configures remembered devices.
type DeviceConfig struct {
	Mode DeviceMode `json:"mode"`
	// ChallengeRequiredOnNewDevice demands MFA on a device not yet
	// remembered, even when the user's MFA would otherwise be skipped.
	ChallengeRequiredOnNewDevice bool `json:"challengeRequiredOnNewDevice"`
}
