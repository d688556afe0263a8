package userpool

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"
)

// ConfigError is New's error for an invalid configuration: every problem
// found, each with the setting and the option it came from. It matches
// [ErrInvalidParameter] with errors.Is.
type ConfigError struct {
	Problems []ConfigProblem
}

// ConfigProblem is one invalid setting.
type ConfigProblem struct {
	// Field is the Config field, for example "PasswordPolicy.MinLength".
	Field string
	// Option is the option that set it, or "default".
	Option  string
	Message string
}

// Error lists every problem, one per line.
func (e *ConfigError) Error() string {
	var b strings.Builder
	b.WriteString("userpool: invalid configuration:")
	for _, p := range e.Problems {
		fmt.Fprintf(&b, "\n  - %s (%s): %s", p.Field, p.Option, p.Message)
	}
	return b.String()
}

// Is makes a ConfigError match ErrInvalidParameter.
func (e *ConfigError) Is(target error) bool { return target == ErrInvalidParameter }

var (
	poolNamePattern  = regexp.MustCompile(`^[\w\s+=,.@-]+$`)
	poolIDPattern    = regexp.MustCompile(`^[\w-]+_[0-9a-zA-Z]+$`)
	regionPattern    = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]+$`)
	accountPattern   = regexp.MustCompile(`^[0-9]{12}$`)
	customAttrName   = regexp.MustCompile(`^[\w.:-]{1,20}$`)
	linkPlaceholder  = regexp.MustCompile(`\{##[^#]+##\}`)
	validAliases     = []string{"email", "phone_number", "preferred_username"}
	validUsernameIDs = []string{"email", "phone_number"}
)

// validator collects problems; each check names the Config field, and the
// option that set the field is looked up in origin.
type validator struct {
	o        *options
	problems []ConfigProblem
}

func (v *validator) fail(field, format string, args ...any) {
	option := "default"
	for f := field; f != ""; {
		if opt, ok := v.o.origin[f]; ok {
			option = opt
			break
		}
		i := strings.LastIndexByte(f, '.')
		if i < 0 {
			if opt, ok := v.o.origin["Config"]; ok {
				option = opt
			}
			break
		}
		f = f[:i]
	}
	v.problems = append(v.problems, ConfigProblem{Field: field, Option: option, Message: fmt.Sprintf(format, args...)})
}

func (o *options) validate() error {
	v := &validator{o: o}
	c := &o.cfg
	v.identity()
	v.signIn()
	v.attributes()
	v.passwordPolicy(c.PasswordPolicy)
	v.messages()
	v.mfa()
	v.firstAuthFactors()
	v.webAuthn()
	v.recovery()
	v.verification()
	v.devicesAndTags()
	for i, cl := range c.Clients {
		v.client(fmt.Sprintf("Clients.%s", cl.Name), i, cl)
	}
	v.runtime()
	v.tokenSettings()
	v.resourceServers()
	if len(v.problems) == 0 {
		return nil
	}
	return &ConfigError{Problems: v.problems}
}

func (v *validator) identity() {
	c := &v.o.cfg
	if n := utf8.RuneCountInString(c.Name); n < 1 || n > 128 || !poolNamePattern.MatchString(c.Name) {
		v.fail("Name", "pool name %q must be 1 to 128 letters, digits, spaces or + = , . @ -", c.Name)
	}
	if !regionPattern.MatchString(c.Region) {
		v.fail("Region", "%q is not a region name such as us-east-1", c.Region)
	}
	if !accountPattern.MatchString(c.AccountID) {
		v.fail("AccountID", "%q is not a twelve-digit account id", c.AccountID)
	}
	if id := v.o.poolID; id != "" && (len(id) > 55 || !poolIDPattern.MatchString(id)) {
		v.fail("PoolID", "%q is not a pool id such as us-east-1_AbC123xyZ", id)
	}
	if c.Issuer != "" {
		u, err := url.Parse(c.Issuer)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(c.Issuer, "/") {
			v.fail("Issuer", "%q is not an absolute http(s) URL without query, fragment or trailing slash", c.Issuer)
		}
	}
}

func (v *validator) signIn() {
	s := v.o.cfg.SignIn
	if len(s.UsernameAttributes) > 0 && len(s.AliasAttributes) > 0 {
		v.fail("SignIn.AliasAttributes", "only one of alias attributes or username attributes can be set in a user pool")
	}
	v.subset("SignIn.UsernameAttributes", s.UsernameAttributes, validUsernameIDs)
	v.subset("SignIn.AliasAttributes", s.AliasAttributes, validAliases)
	if slices.Contains(s.AliasAttributes, "preferred_username") {
		if a, ok := v.find("preferred_username"); ok && a.Required {
			v.fail("Attributes.preferred_username", "preferred_username cannot be both required and an alias")
		}
	}
}

func (v *validator) subset(field string, got, allowed []string) {
	seen := map[string]bool{}
	for _, g := range got {
		if !slices.Contains(allowed, g) {
			v.fail(field, "%q is not one of %s", g, strings.Join(allowed, ", "))
		}
		if seen[g] {
			v.fail(field, "%q is listed twice", g)
		}
		seen[g] = true
	}
}

func (v *validator) find(name string) (AttributeSchema, bool) {
	for _, a := range v.o.cfg.Attributes {
		if a.Name == name {
			return a, true
		}
	}
	return AttributeSchema{}, false
}

func (v *validator) attributes() {
	seen := map[string]bool{}
	custom := 0
	for _, a := range v.o.cfg.Attributes {
		field := "Attributes." + a.Name
		if seen[a.Name] {
			v.fail(field, "attribute %s is declared twice", a.Name)
			continue
		}
		seen[a.Name] = true
		if !a.Custom() {
			std := slices.IndexFunc(standardAttributes, func(s AttributeSchema) bool { return s.Name == a.Name })
			if std < 0 {
				v.fail(field, "%q is not a standard attribute; custom attributes are named custom:<name>", a.Name)
				continue
			}
			want := standardAttributes[std]
			if a.Type != want.Type {
				v.fail(field, "the type of standard attribute %s cannot change", a.Name)
			}
			if a.Name == "sub" && (!a.Required || a.Mutable) {
				v.fail(field, "sub is always required and immutable")
			}
			if isVerifiedFlag(a.Name) && a.Required {
				v.fail(field, "%s cannot be required", a.Name)
			}
			continue
		}
		custom++
		if !customAttrName.MatchString(strings.TrimPrefix(a.Name, CustomPrefix)) {
			v.fail(field, "custom attribute names are 1 to 20 letters, digits or _ . : - after custom:")
		}
		if a.Required {
			v.fail(field, "custom attributes cannot be required")
		}
		switch a.Type {
		case TypeString:
			if a.MinLength < 0 || a.MaxLength < 0 || a.MaxLength > MaxAttributeLength || (a.MaxLength > 0 && a.MinLength > a.MaxLength) {
				v.fail(field, "string length bounds must satisfy 0 <= MinLength <= MaxLength <= %d", MaxAttributeLength)
			}
			if a.MinValue != nil || a.MaxValue != nil {
				v.fail(field, "value bounds apply to Number attributes only")
			}
		case TypeNumber:
			if a.MinValue != nil && a.MaxValue != nil && *a.MinValue > *a.MaxValue {
				v.fail(field, "MinValue %d is greater than MaxValue %d", *a.MinValue, *a.MaxValue)
			}
			if a.MinLength != 0 || a.MaxLength != 0 {
				v.fail(field, "length bounds apply to String attributes only")
			}
		case TypeDateTime, TypeBoolean:
			if a.MinLength != 0 || a.MaxLength != 0 || a.MinValue != nil || a.MaxValue != nil {
				v.fail(field, "%s attributes take no bounds", a.Type)
			}
		default:
			v.fail(field, "type %q is not String, Number, DateTime or Boolean", a.Type)
		}
	}
	if custom > MaxCustomAttributes {
		v.fail("Attributes", "%d custom attributes; a pool has at most %d", custom, MaxCustomAttributes)
	}
}

func (v *validator) passwordPolicy(p PasswordPolicy) {
	if p.MinLength < 6 || p.MinLength > 99 {
		v.fail("PasswordPolicy.MinLength", "%d is outside 6 to 99", p.MinLength)
	}
	if p.TemporaryPasswordValidityDays < 1 || p.TemporaryPasswordValidityDays > 365 {
		v.fail("PasswordPolicy.TemporaryPasswordValidityDays", "%d is outside 1 to 365", p.TemporaryPasswordValidityDays)
	}
	if p.HistorySize < 0 || p.HistorySize > 24 {
		v.fail("PasswordPolicy.HistorySize", "%d is outside 0 to 24", p.HistorySize)
	}
}

// template checks one message template's length and placeholders.
func (v *validator) template(field, text string, min, max int, must ...string) {
	if n := utf8.RuneCountInString(text); n < min || n > max {
		v.fail(field, "must be %d to %d characters, not %d", min, max, n)
	}
	for _, m := range must {
		if !strings.Contains(text, m) {
			v.fail(field, "must contain %s", m)
		}
	}
}

func (v *validator) messages() {
	m := v.o.cfg.InviteMessage
	v.template("InviteMessage.SMSMessage", m.SMSMessage, 6, 140, "{username}", "{####}")
	v.template("InviteMessage.EmailSubject", m.EmailSubject, 1, 140)
	v.template("InviteMessage.EmailMessage", m.EmailMessage, 6, 20000, "{username}", "{####}")
}

func (v *validator) mfa() {
	c := v.o.cfg
	m := c.MFA
	switch m.Mode {
	case MFAOff, MFAOptional, MFARequired:
	default:
		v.fail("MFA.Mode", "%q is not OFF, OPTIONAL or ON", m.Mode)
	}
	if m.Mode != MFAOff && len(m.Factors) == 0 {
		v.fail("MFA.Factors", "MFA %s needs at least one factor", m.Mode)
	}
	seen := map[Factor]bool{}
	for _, f := range m.Factors {
		switch f {
		case FactorTOTP:
		case FactorSMS:
			if !slices.Contains(c.AutoVerifiedAttributes, "phone_number") {
				v.fail("MFA.Factors", "SMS MFA needs phone numbers that can be verified: add phone_number to the auto-verified attributes")
			}
		case FactorEmail:
			if !slices.Contains(c.AutoVerifiedAttributes, "email") {
				v.fail("MFA.Factors", "email MFA needs email addresses that can be verified: add email to the auto-verified attributes")
			}
		default:
			v.fail("MFA.Factors", "%q is not SOFTWARE_TOKEN_MFA, SMS_MFA or EMAIL_OTP", f)
		}
		if seen[f] {
			v.fail("MFA.Factors", "%s is listed twice", f)
		}
		seen[f] = true
	}
	v.template("MFA.SMSMessage", m.SMSMessage, 6, 140, "{####}")
	v.template("MFA.EmailSubject", m.EmailSubject, 1, 140)
	v.template("MFA.EmailMessage", m.EmailMessage, 6, 20000, "{####}")
}

func (v *validator) recovery() {
	r := v.o.cfg.AccountRecovery
	if len(r) < 1 || len(r) > 2 {
		v.fail("AccountRecovery", "needs 1 or 2 mechanisms, not %d", len(r))
	}
	for i, m := range r {
		switch m {
		case RecoveryVerifiedEmail, RecoveryVerifiedPhone:
		case RecoveryAdminOnly:
			if len(r) > 1 {
				v.fail("AccountRecovery", "admin_only cannot be combined with another mechanism")
			}
		default:
			v.fail("AccountRecovery", "%q is not verified_email, verified_phone_number or admin_only", m)
		}
		if slices.Contains(r[:i], m) {
			v.fail("AccountRecovery", "%s is listed twice", m)
		}
	}
}

func (v *validator) verification() {
	c := v.o.cfg
	v.subset("AutoVerifiedAttributes", c.AutoVerifiedAttributes, validUsernameIDs)
	v.subset("KeepOriginalAttributes", c.KeepOriginalAttributes, validUsernameIDs)
	m := c.Verification
	switch m.DefaultEmailOption {
	case ConfirmWithCode, ConfirmWithLink:
	default:
		v.fail("Verification.DefaultEmailOption", "%q is not CONFIRM_WITH_CODE or CONFIRM_WITH_LINK", m.DefaultEmailOption)
	}
	v.template("Verification.SMSMessage", m.SMSMessage, 6, 140, "{####}")
	v.template("Verification.EmailSubject", m.EmailSubject, 1, 140)
	v.template("Verification.EmailMessage", m.EmailMessage, 6, 20000, "{####}")
	v.template("Verification.EmailSubjectByLink", m.EmailSubjectByLink, 1, 140)
	v.template("Verification.EmailMessageByLink", m.EmailMessageByLink, 6, 20000)
	if !linkPlaceholder.MatchString(m.EmailMessageByLink) {
		v.fail("Verification.EmailMessageByLink", "must contain a link placeholder such as {##Verify Email##}")
	}
	for field, text := range map[string]string{"Verification.SMSMessage": m.SMSMessage, "Verification.EmailMessage": m.EmailMessage, "Verification.EmailMessageByLink": m.EmailMessageByLink} {
		if strings.Contains(text, "{username}") {
			v.fail(field, "{username} is allowed in invitation messages only")
		}
	}
	if m.DefaultEmailOption == ConfirmWithLink && m.LinkBaseURL == "" {
		v.fail("Verification.LinkBaseURL", "verification by link needs the base URL the link points to")
	}
}

func (v *validator) devicesAndTags() {
	c := v.o.cfg
	switch c.Devices.Mode {
	case DevicesOff, DevicesAlways, DevicesOptIn:
	default:
		v.fail("Devices.Mode", "%q is not off, always or opt-in", c.Devices.Mode)
	}
	if len(c.Tags) > 50 {
		v.fail("Tags", "%d tags; a pool has at most 50", len(c.Tags))
	}
	for k, val := range c.Tags {
		if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
			v.fail("Tags", "tag key %q must be 1 to 128 characters", k)
		}
		if utf8.RuneCountInString(val) > 256 {
			v.fail("Tags", "tag %q: value longer than 256 characters", k)
		}
	}
}

func (v *validator) runtime() {
	if k := v.o.secretKey; k != nil && len(k) < 32 {
		v.fail("SecretKey", "a secret key needs at least 32 bytes, not %d", len(k))
	}
	h := v.o.hashing
	if h.Time < 1 || h.Threads < 1 || h.Memory < 8*uint32(h.Threads) {
		v.fail("PasswordHashing", "argon2id needs Time >= 1, Threads >= 1 and Memory >= 8 KiB per thread")
	}
	if h.MaxConcurrent < 0 || h.QueueTimeout < 0 {
		v.fail("PasswordHashing", "MaxConcurrent and QueueTimeout cannot be negative")
	}
}
