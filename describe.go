package userpool

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Description is a pool as DescribeUserPool shows it, and as the console's
// review page summarises it: the configuration, the identity, and the
// estimated number of users.
type Description struct {
	ID                     string
	ARN                    string
	Config                 Config
	EstimatedNumberOfUsers int
	CreatedAt              time.Time
}

// Describe returns the pool's description. It mirrors DescribeUserPool.
func (p *Pool) Describe(ctx context.Context) (Description, error) {
	n, err := p.store.CountUsers(ctx, p.id)
	if err != nil {
		return Description{}, fmt.Errorf("userpool: count users: %w", err)
	}
	return Description{ID: p.id, ARN: p.arn, Config: p.Config(), EstimatedNumberOfUsers: n, CreatedAt: p.createdAt}, nil
}

// String renders the description as the console's review page does, one
// "Setting: value" line each.
func (d Description) String() string {
	c := d.Config
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	list := func(xs []string) string {
		if len(xs) == 0 {
			return "none"
		}
		return strings.Join(xs, ", ")
	}
	yesNo := func(v bool) string {
		if v {
			return "Yes"
		}
		return "No"
	}
	var required, custom []string
	for _, a := range c.Attributes {
		if a.Custom() {
			custom = append(custom, fmt.Sprintf("%s (%s)", a.Name, a.Type))
		} else if a.Required && a.Name != "sub" {
			required = append(required, a.Name)
		}
	}
	slices.Sort(required)
	line("Pool name", c.Name)
	line("Pool Id", d.ID)
	line("Pool ARN", d.ARN)
	line("Estimated number of users", fmt.Sprint(d.EstimatedNumberOfUsers))
	line("Required attributes", list(required))
	line("Alias attributes", list(c.SignIn.AliasAttributes))
	line("Username attributes", list(c.SignIn.UsernameAttributes))
	line("Enable case insensitivity?", yesNo(!c.SignIn.CaseSensitive))
	line("Custom attributes", list(custom))
	line("Minimum password length", fmt.Sprint(c.PasswordPolicy.MinLength))
	line("Password policy", passwordPolicySummary(c.PasswordPolicy))
	signUps := "Users can sign themselves up"
	if c.AdminCreateUserOnly {
		signUps = "Only administrators can create users"
	}
	line("User sign ups allowed?", signUps)
	line("Temporary passwords expire after", fmt.Sprintf("%d days", c.PasswordPolicy.TemporaryPasswordValidityDays))
	line("FROM email address", orDefault(c.Email.From))
	if len(c.AllowedFirstAuthFactors) > 0 {
		line("Options for choice-based sign-in", list(c.AllowedFirstAuthFactors))
	}
	line("MFA", mfaSummary(c.MFA))
	line("Account recovery", recoverySummary(c.AccountRecovery))
	line("Verifications", verificationSummary(c))
	line("Verification email subject", c.Verification.EmailSubject)
	line("Tags", tagSummary(c.Tags))
	line("Remember devices", deviceSummary(c.Devices))
	var clients []string
	for _, cl := range c.Clients {
		clients = append(clients, cl.Name)
	}
	line("App clients", list(clients))
	return b.String()
}

func orDefault(s string) string {
	if s == "" {
		return "Default"
	}
	return s
}

func passwordPolicySummary(p PasswordPolicy) string {
	var parts []string
	if p.RequireUppercase {
		parts = append(parts, "uppercase letters")
	}
	if p.RequireLowercase {
		parts = append(parts, "lowercase letters")
	}
	if p.RequireSymbols {
		parts = append(parts, "special characters")
	}
	if p.RequireNumbers {
		parts = append(parts, "numbers")
	}
	if p.HistorySize > 0 {
		parts = append(parts, fmt.Sprintf("not one of the last %d", p.HistorySize))
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}

func mfaSummary(m MFAConfig) string {
	mode := map[MFAMode]string{MFAOff: "Off", MFAOptional: "Optional", MFARequired: "Required"}[m.Mode]
	if m.Mode == MFAOff || len(m.Factors) == 0 {
		return mode
	}
	names := map[Factor]string{FactorTOTP: "authenticator apps", FactorSMS: "SMS", FactorEmail: "email"}
	var fs []string
	for _, f := range m.Factors {
		fs = append(fs, names[f])
	}
	return mode + " (" + strings.Join(fs, ", ") + ")"
}

func recoverySummary(r []RecoveryMechanism) string {
	names := map[RecoveryMechanism]string{RecoveryVerifiedEmail: "Email", RecoveryVerifiedPhone: "Phone", RecoveryAdminOnly: "None (administrators only)"}
	if len(r) == 1 && r[0] != RecoveryAdminOnly {
		return names[r[0]] + " only"
	}
	var parts []string
	for _, m := range r {
		parts = append(parts, names[m])
	}
	return strings.Join(parts, " if available, otherwise ")
}

func verificationSummary(c Config) string {
	names := map[string]string{"email": "Email", "phone_number": "Phone number"}
	var parts []string
	for _, a := range c.AutoVerifiedAttributes {
		parts = append(parts, names[a])
	}
	if len(parts) == 0 {
		return "No verification"
	}
	how := "code"
	if c.Verification.DefaultEmailOption == ConfirmWithLink {
		how = "link"
	}
	return strings.Join(parts, ", ") + " (by " + how + ")"
}

func tagSummary(tags map[string]string) string {
	if len(tags) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(tags)) {
		parts = append(parts, k+"="+tags[k])
	}
	return strings.Join(parts, ", ")
}

func deviceSummary(d DeviceConfig) string {
	switch d.Mode {
	case DevicesAlways:
		return "Always"
	case DevicesOptIn:
		return "User opt-in"
	default:
		return "No"
	}
}
