package cognitoapi

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage"
)

// Conversions between the wire shapes and userpool.Config. Settings a
// request omits take the library's defaults (UpdateUserPool is a full
// replace, as in Cognito); settings the API fixes at creation come from
// the stored pool on update.

// createConfig builds the configuration of a new pool from a
// CreateUserPool request.
func createConfig(in *createUserPoolInput, region string) (userpool.Config, error) {
	cfg := userpool.DefaultConfig(in.PoolName)
	cfg.Region = region
	cfg.SignIn.UsernameAttributes = slices.Clone(in.UsernameAttributes)
	cfg.SignIn.AliasAttributes = slices.Clone(in.AliasAttributes)
	// The API's default is case-sensitive, unlike the console's (and the
	// library's); SDK callers get the API's.
	cfg.SignIn.CaseSensitive = true
	if uc := in.UsernameConfiguration; uc != nil {
		if uc.CaseSensitive == nil {
			return cfg, required(need("UsernameConfiguration.CaseSensitive", false))
		}
		cfg.SignIn.CaseSensitive = *uc.CaseSensitive
	}
	if err := applySchema(&cfg, in.Schema); err != nil {
		return cfg, err
	}
	return cfg, in.poolSettings.apply(&cfg, nil)
}

// updateConfig builds the configuration that replaces stored from an
// UpdateUserPool request: the request's settings over the defaults, with
// what cannot change (identity, sign-in, schema, clients) kept.
func updateConfig(in *updateUserPoolInput, stored userpool.Config) (userpool.Config, error) {
	name := cmp.Or(in.PoolName, stored.Name)
	cfg := userpool.DefaultConfig(name)
	cfg.Region, cfg.AccountID = stored.Region, stored.AccountID
	cfg.SignIn = stored.SignIn
	cfg.Attributes = stored.Attributes
	cfg.Clients = stored.Clients
	cfg.SRP = stored.SRP
	cfg.Issuer = stored.Issuer
	cfg.Verification.LinkBaseURL = stored.Verification.LinkBaseURL
	return cfg, in.poolSettings.apply(&cfg, &stored)
}

// apply sets the updatable settings of cfg from the request; stored is the
// pool's current configuration on update, nil on create.
func (s *poolSettings) apply(cfg *userpool.Config, stored *userpool.Config) error {
	if err := s.checkEnums(); err != nil {
		return err
	}
	if len(s.LambdaConfig) > 0 {
		return userpool.ErrInvalidParameter.With("LambdaConfig is not supported: this server runs triggers as Go functions configured in the program, not Lambda functions")
	}
	if s.UserPoolAddOns != nil && s.UserPoolAddOns.AdvancedSecurityMode != "" && s.UserPoolAddOns.AdvancedSecurityMode != "OFF" {
		return userpool.ErrInvalidParameter.With("UserPoolAddOns.AdvancedSecurityMode %s is not supported: only OFF", s.UserPoolAddOns.AdvancedSecurityMode)
	}
	tempDays := 0
	if a := s.AdminCreateUserConfig; a != nil {
		cfg.AdminCreateUserOnly = a.AllowAdminCreateUserOnly
		tempDays = a.UnusedAccountValidityDays
		if t := a.InviteMessageTemplate; t != nil {
			setIf(&cfg.InviteMessage.SMSMessage, t.SMSMessage)
			setIf(&cfg.InviteMessage.EmailMessage, t.EmailMessage)
			setIf(&cfg.InviteMessage.EmailSubject, t.EmailSubject)
		}
	}
	if s.Policies != nil && s.Policies.PasswordPolicy != nil {
		pp := s.Policies.PasswordPolicy
		cfg.PasswordPolicy = userpool.PasswordPolicy{
			MinLength:                     8,
			RequireUppercase:              pp.RequireUppercase,
			RequireLowercase:              pp.RequireLowercase,
			RequireNumbers:                pp.RequireNumbers,
			RequireSymbols:                pp.RequireSymbols,
			TemporaryPasswordValidityDays: pp.TemporaryPasswordValidityDays,
		}
		if pp.MinimumLength != nil {
			cfg.PasswordPolicy.MinLength = *pp.MinimumLength
		}
		if pp.PasswordHistorySize != nil {
			cfg.PasswordPolicy.HistorySize = *pp.PasswordHistorySize
		}
	}
	if s.Policies != nil && s.Policies.SignInPolicy != nil {
		cfg.AllowedFirstAuthFactors = slices.Clone(s.Policies.SignInPolicy.AllowedFirstAuthFactors)
	}
	// 0 means the default, for the policy's field and the legacy one.
	if cfg.PasswordPolicy.TemporaryPasswordValidityDays == 0 {
		cfg.PasswordPolicy.TemporaryPasswordValidityDays = cmp.Or(tempDays, 7)
	}

	cfg.AutoVerifiedAttributes = slices.Clone(s.AutoVerifiedAttributes)
	v := &cfg.Verification
	if t := s.VerificationMessageTemplate; t != nil {
		if t.DefaultEmailOption != "" {
			v.DefaultEmailOption = userpool.EmailOption(t.DefaultEmailOption)
		}
		setIf(&v.SMSMessage, t.SmsMessage)
		setIf(&v.EmailMessage, t.EmailMessage)
		setIf(&v.EmailSubject, t.EmailSubject)
		setIf(&v.EmailMessageByLink, t.EmailMessageByLink)
		setIf(&v.EmailSubjectByLink, t.EmailSubjectByLink)
	}
	// The legacy members still work where the template is silent.
	if s.VerificationMessageTemplate == nil || s.VerificationMessageTemplate.SmsMessage == "" {
		setIf(&v.SMSMessage, s.SmsVerificationMessage)
	}
	if s.VerificationMessageTemplate == nil || s.VerificationMessageTemplate.EmailMessage == "" {
		setIf(&v.EmailMessage, s.EmailVerificationMessage)
	}
	if s.VerificationMessageTemplate == nil || s.VerificationMessageTemplate.EmailSubject == "" {
		setIf(&v.EmailSubject, s.EmailVerificationSubject)
	}

	if s.UserAttributeUpdateSettings != nil {
		cfg.KeepOriginalAttributes = slices.Clone(s.UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate)
	}

	// CreateUserPool and UpdateUserPool configure SMS MFA only; TOTP and
	// email factors come from SetUserPoolMfaConfig and survive an update.
	cfg.MFA.Mode = userpool.MFAMode(cmp.Or(s.MfaConfiguration, "OFF"))
	if stored != nil {
		cfg.MFA.Factors = slices.DeleteFunc(slices.Clone(stored.MFA.Factors), func(f userpool.Factor) bool { return f == userpool.FactorSMS })
		cfg.MFA.EmailSubject, cfg.MFA.EmailMessage = stored.MFA.EmailSubject, stored.MFA.EmailMessage
	}
	if s.SmsConfiguration != nil && cfg.MFA.Mode != userpool.MFAOff {
		cfg.MFA.Factors = append(cfg.MFA.Factors, userpool.FactorSMS)
	}
	setIf(&cfg.MFA.SMSMessage, s.SmsAuthenticationMessage)

	if r := s.AccountRecoverySetting; r != nil {
		opts := slices.Clone(r.RecoveryMechanisms)
		for _, o := range opts {
			if o.Priority < 1 || o.Priority > 2 {
				return validationError([]string{fmt.Sprintf("Value '%d' at 'accountRecoverySetting.recoveryMechanisms.priority' failed to satisfy constraint: Member must have value between 1 and 2", o.Priority)})
			}
		}
		slices.SortStableFunc(opts, func(a, b recoveryOptionType) int { return cmp.Compare(a.Priority, b.Priority) })
		cfg.AccountRecovery = nil
		for _, o := range opts {
			cfg.AccountRecovery = append(cfg.AccountRecovery, userpool.RecoveryMechanism(o.Name))
		}
	}

	if e := s.EmailConfiguration; e != nil {
		cfg.Email = userpool.EmailConfig{From: e.From, ReplyTo: e.ReplyToEmailAddress}
	}
	cfg.Tags = maps.Clone(s.UserPoolTags)
	if d := s.DeviceConfiguration; d != nil {
		cfg.Devices = userpool.DeviceConfig{Mode: userpool.DevicesAlways, ChallengeRequiredOnNewDevice: d.ChallengeRequiredOnNewDevice}
		if d.DeviceOnlyRememberedOnUserPrompt {
			cfg.Devices.Mode = userpool.DevicesOptIn
		}
	}
	cfg.DeletionProtection = s.DeletionProtection == "ACTIVE"
	return nil
}

// checkEnums refuses enum members outside the model's value sets.
func (s *poolSettings) checkEnums() error {
	for _, err := range []error{
		oneOf("MfaConfiguration", s.MfaConfiguration, "OFF", "ON", "OPTIONAL"),
		oneOf("DeletionProtection", s.DeletionProtection, "ACTIVE", "INACTIVE"),
		oneOf("UserPoolTier", s.UserPoolTier, "LITE", "ESSENTIALS", "PLUS"),
	} {
		if err != nil {
			return err
		}
	}
	if t := s.VerificationMessageTemplate; t != nil {
		return oneOf("VerificationMessageTemplate.DefaultEmailOption", t.DefaultEmailOption, "CONFIRM_WITH_LINK", "CONFIRM_WITH_CODE")
	}
	return nil
}

func setIf(dst *string, src string) {
	if src != "" {
		*dst = src
	}
}

// applySchema applies CreateUserPool's Schema: changes to standard
// attributes (required, mutable, string length) and custom attributes,
// named with or without their "custom:" prefix.
func applySchema(cfg *userpool.Config, schema []schemaAttributeType) error {
	for _, s := range schema {
		if s.Name == "" {
			return required(need("Schema.Name", false))
		}
		if s.DeveloperOnlyAttribute != nil && *s.DeveloperOnlyAttribute {
			return userpool.ErrInvalidParameter.With("DeveloperOnlyAttribute is not supported (attribute %s)", s.Name)
		}
		a := userpool.AttributeSchema{Name: s.Name, Type: userpool.AttributeType(s.AttributeDataType), Mutable: true}
		i := slices.IndexFunc(cfg.Attributes, func(x userpool.AttributeSchema) bool { return x.Name == s.Name && !x.Custom() })
		if i >= 0 {
			a = cfg.Attributes[i]
			if s.AttributeDataType != "" && userpool.AttributeType(s.AttributeDataType) != a.Type {
				return userpool.ErrInvalidParameter.With("You can not change AttributeDataType or set developerOnlyAttribute for standard schema attribute %s", s.Name)
			}
		} else {
			a.Name = userpool.CustomPrefix + strings.TrimPrefix(s.Name, userpool.CustomPrefix)
			if s.AttributeDataType == "" {
				return required(need("Schema.AttributeDataType", false))
			}
		}
		if s.Mutable != nil {
			a.Mutable = *s.Mutable
		}
		if s.Required != nil {
			a.Required = *s.Required
		}
		if c := s.StringAttributeConstraints; c != nil {
			var err error
			if a.MinLength, err = intMember(c.MinLength, a.MinLength, "MinLength"); err != nil {
				return err
			}
			if a.MaxLength, err = intMember(c.MaxLength, a.MaxLength, "MaxLength"); err != nil {
				return err
			}
		}
		if c := s.NumberAttributeConstraints; c != nil {
			var err error
			if a.MinValue, err = int64Member(c.MinValue, a.MinValue, "MinValue"); err != nil {
				return err
			}
			if a.MaxValue, err = int64Member(c.MaxValue, a.MaxValue, "MaxValue"); err != nil {
				return err
			}
		}
		if i >= 0 {
			cfg.Attributes[i] = a
		} else {
			cfg.Attributes = append(cfg.Attributes, a)
		}
	}
	return nil
}

// intMember parses a constraint the model sends as a string.
func intMember(s *string, def int, name string) (int, error) {
	if s == nil {
		return def, nil
	}
	n, err := strconv.Atoi(*s)
	if err != nil {
		return 0, userpool.ErrInvalidParameter.With("%s %q is not an integer", name, *s)
	}
	return n, nil
}

func int64Member(s *string, def *int64, name string) (*int64, error) {
	if s == nil {
		return def, nil
	}
	n, err := strconv.ParseInt(*s, 10, 64)
	if err != nil {
		return nil, userpool.ErrInvalidParameter.With("%s %q is not an integer", name, *s)
	}
	return &n, nil
}

// describePool renders a pool as DescribeUserPool's UserPoolType.
func describePool(d userpool.Description, rec storage.Pool) userPoolType {
	c := d.Config
	pp := c.PasswordPolicy
	out := userPoolType{
		Id:   d.ID,
		Name: c.Name,
		Arn:  d.ARN,
		Policies: userPoolPolicyType{PasswordPolicy: &passwordPolicyType{
			MinimumLength:                 &pp.MinLength,
			RequireUppercase:              pp.RequireUppercase,
			RequireLowercase:              pp.RequireLowercase,
			RequireNumbers:                pp.RequireNumbers,
			RequireSymbols:                pp.RequireSymbols,
			PasswordHistorySize:           &pp.HistorySize,
			TemporaryPasswordValidityDays: pp.TemporaryPasswordValidityDays,
		}, SignInPolicy: &signInPolicyType{AllowedFirstAuthFactors: firstAuthFactors(c)}},
		DeletionProtection:       "INACTIVE",
		CreationDate:             epoch(d.CreatedAt),
		LastModifiedDate:         epoch(rec.UpdatedAt),
		AutoVerifiedAttributes:   c.AutoVerifiedAttributes,
		AliasAttributes:          c.SignIn.AliasAttributes,
		UsernameAttributes:       c.SignIn.UsernameAttributes,
		SmsVerificationMessage:   c.Verification.SMSMessage,
		EmailVerificationMessage: c.Verification.EmailMessage,
		EmailVerificationSubject: c.Verification.EmailSubject,
		VerificationMessageTemplate: verificationMessageTemplateType{
			SmsMessage:         c.Verification.SMSMessage,
			EmailMessage:       c.Verification.EmailMessage,
			EmailSubject:       c.Verification.EmailSubject,
			EmailMessageByLink: c.Verification.EmailMessageByLink,
			EmailSubjectByLink: c.Verification.EmailSubjectByLink,
			DefaultEmailOption: string(c.Verification.DefaultEmailOption),
		},
		SmsAuthenticationMessage:    c.MFA.SMSMessage,
		UserAttributeUpdateSettings: userAttributeUpdateSettingsType{AttributesRequireVerificationBeforeUpdate: nonNil(c.KeepOriginalAttributes)},
		MfaConfiguration:            string(c.MFA.Mode),
		EstimatedNumberOfUsers:      d.EstimatedNumberOfUsers,
		EmailConfiguration:          emailConfigurationType{EmailSendingAccount: "COGNITO_DEFAULT", From: c.Email.From, ReplyToEmailAddress: c.Email.ReplyTo},
		UserPoolTags:                c.Tags,
		AdminCreateUserConfig: adminCreateUserConfigType{
			AllowAdminCreateUserOnly:  c.AdminCreateUserOnly,
			UnusedAccountValidityDays: pp.TemporaryPasswordValidityDays,
			InviteMessageTemplate: &messageTemplateType{
				SMSMessage:   c.InviteMessage.SMSMessage,
				EmailMessage: c.InviteMessage.EmailMessage,
				EmailSubject: c.InviteMessage.EmailSubject,
			},
		},
		UsernameConfiguration: usernameConfigurationType{CaseSensitive: &c.SignIn.CaseSensitive},
		UserPoolTier:          "ESSENTIALS",
	}
	if c.Email.From != "" {
		out.EmailConfiguration.EmailSendingAccount = "DEVELOPER"
	}
	if c.DeletionProtection {
		out.DeletionProtection = "ACTIVE"
	}
	if c.Devices.Mode != userpool.DevicesOff {
		out.DeviceConfiguration = &deviceConfigurationType{
			ChallengeRequiredOnNewDevice:     c.Devices.ChallengeRequiredOnNewDevice,
			DeviceOnlyRememberedOnUserPrompt: c.Devices.Mode == userpool.DevicesOptIn,
		}
	}
	for i, m := range c.AccountRecovery {
		out.AccountRecoverySetting.RecoveryMechanisms = append(out.AccountRecoverySetting.RecoveryMechanisms,
			recoveryOptionType{Name: string(m), Priority: i + 1})
	}
	for _, a := range c.Attributes {
		out.SchemaAttributes = append(out.SchemaAttributes, schemaAttribute(a))
	}
	return out
}

// schemaAttribute renders one attribute as SchemaAttributeType, with the
// constraints Cognito shows: string lengths for strings, value bounds for
// numbers when set.
func schemaAttribute(a userpool.AttributeSchema) schemaAttributeType {
	s := schemaAttributeType{
		Name:                   a.Name,
		AttributeDataType:      string(a.Type),
		DeveloperOnlyAttribute: new(false),
		Mutable:                new(a.Mutable),
		Required:               new(a.Required),
	}
	str := func(n int64) *string { return new(strconv.FormatInt(n, 10)) }
	switch a.Type {
	case userpool.TypeString:
		maxLen := a.MaxLength
		if maxLen == 0 {
			maxLen = userpool.MaxAttributeLength
		}
		s.StringAttributeConstraints = &stringAttributeConstraintsType{MinLength: str(int64(a.MinLength)), MaxLength: str(int64(maxLen))}
	case userpool.TypeNumber:
		if a.MinValue != nil || a.MaxValue != nil {
			s.NumberAttributeConstraints = &numberAttributeConstraintsType{}
			if a.MinValue != nil {
				s.NumberAttributeConstraints.MinValue = str(*a.MinValue)
			}
			if a.MaxValue != nil {
				s.NumberAttributeConstraints.MaxValue = str(*a.MaxValue)
			}
		}
	}
	return s
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// wireFields names Config fields as the API's members, longest prefix
// first, so configuration errors point at what the request sent.
var wireFields = []struct{ config, wire string }{
	{"PasswordPolicy.MinLength", "Policies.PasswordPolicy.MinimumLength"},
	{"PasswordPolicy.HistorySize", "Policies.PasswordPolicy.PasswordHistorySize"},
	{"PasswordPolicy", "Policies.PasswordPolicy"},
	{"SignIn.UsernameAttributes", "UsernameAttributes"},
	{"SignIn.AliasAttributes", "AliasAttributes"},
	{"SignIn.CaseSensitive", "UsernameConfiguration.CaseSensitive"},
	{"Attributes", "Schema"},
	{"InviteMessage", "AdminCreateUserConfig.InviteMessageTemplate"},
	{"AdminCreateUserOnly", "AdminCreateUserConfig.AllowAdminCreateUserOnly"},
	{"MFA.SMSMessage", "SmsAuthenticationMessage"},
	{"MFA", "MfaConfiguration"},
	{"AccountRecovery", "AccountRecoverySetting.RecoveryMechanisms"},
	{"KeepOriginalAttributes", "UserAttributeUpdateSettings.AttributesRequireVerificationBeforeUpdate"},
	{"Verification.SMSMessage", "VerificationMessageTemplate.SmsMessage"},
	{"Verification", "VerificationMessageTemplate"},
	{"Email", "EmailConfiguration"},
	{"Tags", "UserPoolTags"},
	{"Devices", "DeviceConfiguration"},
	{"Name", "PoolName"},
	{"AllowedFirstAuthFactors", "Policies.SignInPolicy.AllowedFirstAuthFactors"},
}

// firstAuthFactors is the pool's SignInPolicy: the password alone unless
// passwordless factors were added.
func firstAuthFactors(c userpool.Config) []string {
	if len(c.AllowedFirstAuthFactors) == 0 {
		return []string{userpool.FirstFactorPassword}
	}
	return slices.Clone(c.AllowedFirstAuthFactors)
}

// wireField maps a Config field path to the request member it came from.
func wireField(field string) string {
	for _, f := range wireFields {
		if field == f.config {
			return f.wire
		}
		if rest, ok := strings.CutPrefix(field, f.config+"."); ok {
			return f.wire + "." + rest
		}
	}
	return field
}
