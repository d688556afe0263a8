package userpool

// AuthFlow is an authentication flow an app client may use, named as
// Cognito's ExplicitAuthFlows values.
type AuthFlow string

// The auth flows.
const (
	FlowUserSRP           AuthFlow = "ALLOW_USER_SRP_AUTH"
	FlowUserPassword      AuthFlow = "ALLOW_USER_PASSWORD_AUTH"
	FlowAdminUserPassword AuthFlow = "ALLOW_ADMIN_USER_PASSWORD_AUTH"
	FlowCustom            AuthFlow = "ALLOW_CUSTOM_AUTH"
	FlowRefreshToken      AuthFlow = "ALLOW_REFRESH_TOKEN_AUTH"
)
