package userpool

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// CodeDeliveryDetails says where a code went, as Cognito's
// CodeDeliveryDetailsType: the destination masked ("a***@e***",
// "+*******0100"), the channel, and the attribute that holds the address.
type CodeDeliveryDetails struct {
	Destination    string
	DeliveryMedium Channel
	AttributeName  string
}

// destination is an address a message can go to: the attribute it comes
// from, its value and the channel.
type destination struct {
	attribute string
	value     string
	channel   Channel
}

func (d destination) details() *CodeDeliveryDetails {
	return &CodeDeliveryDetails{Destination: mask(d.channel, d.value), DeliveryMedium: d.channel, AttributeName: d.attribute}
}

// channelOf returns the channel of the address attributes.
func channelOf(attribute string) Channel {
	if attribute == "phone_number" {
		return ChannelSMS
	}
	return ChannelEmail
}

// mask hides an address as Cognito does: the first character of an
// email's local part and domain ("a***@e***"), the last four digits of a
// phone number ("+*******0100").
func mask(ch Channel, value string) string {
	if ch == ChannelSMS {
		return maskPhone(value)
	}
	return maskEmail(value)
}

func maskEmail(addr string) string {
	i := strings.LastIndexByte(addr, '@')
	if i < 0 {
		return firstRune(addr) + "***"
	}
	return firstRune(addr[:i]) + "***@" + firstRune(addr[i+1:]) + "***"
}

func maskPhone(num string) string {
	const shown = 4
	digits := strings.TrimPrefix(num, "+")
	if len(digits) <= shown {
		return "+" + strings.Repeat("*", len(digits))
	}
	return "+" + strings.Repeat("*", len(digits)-shown) + digits[len(digits)-shown:]
}

func firstRune(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// signUpDestination picks where a sign-up confirmation code goes: to an
// auto-verified attribute the user has, the phone number first when both
// are auto-verified, as Cognito does (cognito.md §2.8). ok is false when the
// pool auto-verifies nothing the user has: then no code is sent and only
// an administrator (or a PreSignUp trigger) can confirm the user.
func (p *Pool) signUpDestination(attrs map[string]string) (destination, bool) {
	for _, a := range []string{"phone_number", "email"} {
		if slices.Contains(p.cfg.AutoVerifiedAttributes, a) && attrs[a] != "" {
			return destination{attribute: a, value: attrs[a], channel: channelOf(a)}, true
		}
	}
	return destination{}, false
}

// recoveryDestination picks where a password-reset code goes: the first
// verified address in the pool's AccountRecovery order. As in Cognito, a
// phone number does not qualify while the user has SMS MFA enabled, nor an
// email address while email MFA is, since the code would then be both
// factors at once.
func (p *Pool) recoveryDestination(u storage.User) (destination, bool) {
	for _, m := range p.cfg.AccountRecovery {
		var a string
		var factor Factor
		switch m {
		case RecoveryVerifiedEmail:
			a, factor = "email", FactorEmail
		case RecoveryVerifiedPhone:
			a, factor = "phone_number", FactorSMS
		default:
			continue
		}
		if u.Attributes[a] == "" || u.Attributes[a+"_verified"] != "true" || slices.Contains(u.MFA.Enabled, string(factor)) {
			continue
		}
		return destination{attribute: a, value: u.Attributes[a], channel: channelOf(a)}, true
	}
	return destination{}, false
}
