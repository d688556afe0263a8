package userpool

// MFAMode is the pool's multi-factor setting.
type MFAMode string

// The MFA modes, named as Cognito's MfaConfiguration.
const (
	MFAOff      MFAMode = "OFF"
	MFAOptional MFAMode = "OPTIONAL"
	MFARequired MFAMode = "ON"
)

// Factor is a second factor.
type Factor string

// The factors, named as Cognito's challenges.
const (
	FactorTOTP  Factor = "SOFTWARE_TOKEN_MFA"
	FactorSMS   Factor = "SMS_MFA"
	FactorEmail Factor = "EMAIL_OTP"
)

// MFAConfig is the pool's multi-factor configuration.
type MFAConfig struct {
	Mode    MFAMode  `json:"mode"`
	Factors []Factor `json:"factors,omitempty"`
	// SMSMessage carries SMS codes; it must contain {####}.
	SMSMessage string `json:"smsMessage"`
	// EmailSubject and EmailMessage carry email codes; the message must
	// contain {####}.
	EmailSubject string `json:"emailSubject"`
	EmailMessage string `json:"emailMessage"`
}
