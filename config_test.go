package userpool_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/userpool/userpool"
	"github.com/userpool/userpool/storage/memory"
)

func TestNewRejectsInvalidConfiguration(t *testing.T) {
	tests := []struct {
		name string
		opts []userpool.Option
		// want are substrings that must each appear in the error, naming
		// the field and the option.
		want []string
	}{
		{"alias and username attributes", []userpool.Option{userpool.WithAliasAttributes("email"), userpool.WithUsernameAttributes("email")},
			[]string{"SignIn.AliasAttributes (WithAliasAttributes): only one of alias attributes or username attributes"}},
		{"unknown username attribute", []userpool.Option{userpool.WithUsernameAttributes("nickname")},
			[]string{`SignIn.UsernameAttributes (WithUsernameAttributes): "nickname" is not one of`}},
		{"unknown alias", []userpool.Option{userpool.WithAliasAttributes("name")}, []string{`"name" is not one of email, phone_number, preferred_username`}},
		{"preferred_username required and alias", []userpool.Option{userpool.WithAliasAttributes("preferred_username"), userpool.WithRequiredAttributes("preferred_username")},
			[]string{"preferred_username cannot be both required and an alias"}},
		{"password too short", []userpool.Option{userpool.WithPasswordPolicy(userpool.PasswordPolicy{MinLength: 5, TemporaryPasswordValidityDays: 7})},
			[]string{"PasswordPolicy.MinLength (WithPasswordPolicy): 5 is outside 6 to 99"}},
		{"password too long", []userpool.Option{userpool.WithPasswordPolicy(userpool.PasswordPolicy{MinLength: 100, TemporaryPasswordValidityDays: 7})},
			[]string{"100 is outside 6 to 99"}},
		{"temporary validity", []userpool.Option{userpool.WithPasswordPolicy(userpool.PasswordPolicy{MinLength: 8, TemporaryPasswordValidityDays: 366})},
			[]string{"TemporaryPasswordValidityDays (WithPasswordPolicy): 366 is outside 1 to 365"}},
		{"history", []userpool.Option{userpool.WithPasswordPolicy(userpool.PasswordPolicy{MinLength: 8, TemporaryPasswordValidityDays: 7, HistorySize: 25})},
			[]string{"HistorySize (WithPasswordPolicy): 25 is outside 0 to 24"}},
		{"unknown required attribute", []userpool.Option{userpool.WithRequiredAttributes("shoe_size")},
			[]string{`Attributes.shoe_size (WithRequiredAttributes): "shoe_size" is not a standard attribute`}},
		{"required custom attribute", []userpool.Option{userpool.WithCustomAttributes(userpool.AttributeSchema{Name: "custom:tier", Type: userpool.TypeString, Required: true})},
			[]string{"Attributes.custom:tier (WithCustomAttributes): custom attributes cannot be required"}},
		{"custom attribute name too long", []userpool.Option{userpool.WithCustomAttributes(userpool.CustomAttribute("abcdefghijklmnopqrstu", userpool.TypeString))},
			[]string{"custom attribute names are 1 to 20"}},
		{"custom attribute bad type", []userpool.Option{userpool.WithCustomAttributes(userpool.CustomAttribute("x", "Float"))},
			[]string{`type "Float" is not String, Number, DateTime or Boolean`}},
		{"custom attribute declared twice", []userpool.Option{userpool.WithCustomAttributes(userpool.CustomAttribute("x", userpool.TypeString), userpool.CustomAttribute("custom:x", userpool.TypeNumber))},
			[]string{"attribute custom:x is declared twice"}},
		{"too many custom attributes", []userpool.Option{userpool.WithCustomAttributes(manyCustom(51)...)},
			[]string{"51 custom attributes; a pool has at most 50"}},
		{"number bounds inverted", []userpool.Option{userpool.WithCustomAttributes(userpool.AttributeSchema{Name: "custom:n", Type: userpool.TypeNumber, Mutable: true, MinValue: new(int64(5)), MaxValue: new(int64(1))})},
			[]string{"MinValue 5 is greater than MaxValue 1"}},
		{"SMS MFA without verifiable phone", []userpool.Option{userpool.WithMFA(userpool.MFAOptional, userpool.FactorSMS)},
			[]string{"MFA.Factors (WithMFA): SMS MFA needs phone numbers that can be verified"}},
		{"MFA required without factor", []userpool.Option{userpool.WithMFA(userpool.MFARequired)},
			[]string{"MFA.Factors (WithMFA): MFA ON needs at least one factor"}},
		{"recovery admin only combined", []userpool.Option{userpool.WithAccountRecovery(userpool.RecoveryAdminOnly, userpool.RecoveryVerifiedEmail)},
			[]string{"AccountRecovery (WithAccountRecovery): admin_only cannot be combined"}},
		{"recovery empty", []userpool.Option{userpool.WithAccountRecovery()}, []string{"needs 1 or 2 mechanisms, not 0"}},
		{"verification message without code", []userpool.Option{userpool.WithVerificationMessage(userpool.VerificationMessage{EmailMessage: "Welcome aboard"})},
			[]string{"Verification.EmailMessage (WithVerificationMessage): must contain {####}"}},
		{"verification message with username", []userpool.Option{userpool.WithVerificationMessage(userpool.VerificationMessage{SMSMessage: "{username}: {####}"})},
			[]string{"{username} is allowed in invitation messages only"}},
		{"invite without password", []userpool.Option{userpool.WithInviteMessage(userpool.InviteMessage{EmailMessage: "Hello {username}"})},
			[]string{"InviteMessage.EmailMessage (WithInviteMessage): must contain {####}"}},
		{"link without base URL", []userpool.Option{userpool.WithVerificationMessage(userpool.VerificationMessage{DefaultEmailOption: userpool.ConfirmWithLink})},
			[]string{"verification by link needs the base URL"}},
		{"bad region", []userpool.Option{userpool.WithRegion("mars")}, []string{`Region (WithRegion): "mars" is not a region name`}},
		{"bad issuer", []userpool.Option{userpool.WithIssuer("auth.example.com/")}, []string{"Issuer (WithIssuer)"}},
		{"short secret key", []userpool.Option{userpool.WithSecretKey([]byte("short"))}, []string{"a secret key needs at least 32 bytes"}},
		{"bad device mode", []userpool.Option{userpool.WithDevices("sometimes", false)}, []string{`Devices.Mode (WithDevices): "sometimes"`}},
		{"client without refresh flow", []userpool.Option{userpool.WithClient(userpool.ClientConfig{Name: "web", AuthFlows: []userpool.AuthFlow{userpool.FlowUserPassword}})},
			[]string{"REFRESH_TOKEN_AUTH should always be allowed."}},
		{"client writes verified flag", []userpool.Option{userpool.WithClient(userpool.ClientConfig{Name: "web", WriteAttributes: []string{"email_verified"}})},
			[]string{"Invalid write attributes specified while creating a client: email_verified"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := memory.New()
			_, err := userpool.New(context.Background(), "test", append(tt.opts, userpool.WithStore(store))...)
			if !errors.Is(err, userpool.ErrInvalidParameter) {
				t.Fatalf("got %v, want an error matching ErrInvalidParameter", err)
			}
			var ce *userpool.ConfigError
			if !errors.As(err, &ce) {
				t.Fatalf("got %T, want *ConfigError", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if n, _ := store.CountUsers(context.Background(), "x"); n != 0 {
				t.Errorf("store changed")
			}
			if _, err := store.GetPool(context.Background(), ""); err == nil {
				t.Errorf("a pool was stored")
			}
		})
	}
}

func manyCustom(n int) []userpool.AttributeSchema {
	out := make([]userpool.AttributeSchema, n)
	for i := range out {
		out[i] = userpool.CustomAttribute("a"+strings.Repeat("x", i%10)+string(rune('a'+i/10))+string(rune('a'+i%26)), userpool.TypeString)
	}
	return out
}

func TestNewListsEveryProblem(t *testing.T) {
	_, err := userpool.New(context.Background(), "",
		userpool.WithPasswordPolicy(userpool.PasswordPolicy{MinLength: 2}),
		userpool.WithMFA(userpool.MFARequired))
	var ce *userpool.ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want *ConfigError", err)
	}
	fields := map[string]bool{}
	for _, p := range ce.Problems {
		fields[p.Field] = true
	}
	for _, f := range []string{"Name", "PasswordPolicy.MinLength", "PasswordPolicy.TemporaryPasswordValidityDays", "MFA.Factors"} {
		if !fields[f] {
			t.Errorf("no problem reported for %s; got %v", f, ce.Problems)
		}
	}
}

func TestNewKeepsIdentityAcrossRestarts(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	first, err := userpool.New(ctx, "customers", userpool.WithStore(store), userpool.WithRegion("eu-west-1"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(first.ID(), "eu-west-1_") || len(first.ID()) != len("eu-west-1_")+9 {
		t.Errorf("id %q is not <region>_<9 alphanumerics>", first.ID())
	}
	second, err := userpool.New(ctx, "customers", userpool.WithStore(store), userpool.WithRegion("eu-west-1"),
		userpool.WithTags(map[string]string{"team": "identity"}))
	if err != nil {
		t.Fatal(err)
	}
	if second.ID() != first.ID() || second.ARN() != first.ARN() {
		t.Errorf("restart changed identity: %s/%s, want %s/%s", second.ID(), second.ARN(), first.ID(), first.ARN())
	}
	opened, err := userpool.Open(ctx, store, first.ID())
	if err != nil {
		t.Fatal(err)
	}
	if got := opened.Config().Tags["team"]; got != "identity" {
		t.Errorf("Open lost the updated settings: tags %v", opened.Config().Tags)
	}
	want := "arn:aws:cognito-idp:eu-west-1:000000000000:userpool/" + first.ID()
	if first.ARN() != want {
		t.Errorf("ARN %q, want %q", first.ARN(), want)
	}
}

func TestNewRefusesChangingFixedSettings(t *testing.T) {
	ctx := context.Background()
	store := memory.New()
	if _, err := userpool.New(ctx, "p", userpool.WithStore(store), userpool.WithUsernameAttributes("email"),
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString))); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		opts []userpool.Option
	}{
		{"sign-in attributes", []userpool.Option{userpool.WithUsernameAttributes("phone_number")}},
		{"case sensitivity", []userpool.Option{userpool.WithUsernameAttributes("email"), userpool.WithCaseSensitiveUsernames()}},
		{"required attributes", []userpool.Option{userpool.WithUsernameAttributes("email"), userpool.WithRequiredAttributes("name")}},
		{"custom attribute removed", []userpool.Option{userpool.WithUsernameAttributes("email")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := userpool.New(ctx, "p", append(tt.opts, userpool.WithStore(store))...)
			if !errors.Is(err, userpool.ErrInvalidParameter) || !strings.Contains(err.Error(), "cannot change after the pool is created") {
				t.Errorf("got %v, want a fixed-setting error", err)
			}
		})
	}
	// Adding a custom attribute is allowed, as AddCustomAttributes is.
	if _, err := userpool.New(ctx, "p", userpool.WithStore(store), userpool.WithUsernameAttributes("email"),
		userpool.WithCustomAttributes(userpool.CustomAttribute("tier", userpool.TypeString), userpool.CustomAttribute("plan", userpool.TypeString))); err != nil {
		t.Errorf("adding a custom attribute: %v", err)
	}
}

func TestConfigIsACopy(t *testing.T) {
	pool, err := userpool.New(context.Background(), "p", userpool.WithTags(map[string]string{"a": "1"}))
	if err != nil {
		t.Fatal(err)
	}
	c := pool.Config()
	c.Tags["a"] = "2"
	c.Attributes[0].Name = "changed"
	if pool.Config().Tags["a"] != "1" || pool.Config().Attributes[0].Name != "sub" {
		t.Error("changing the returned Config changed the pool")
	}
}
