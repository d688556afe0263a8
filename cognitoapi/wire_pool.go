package cognitoapi

import "encoding/json"

// Wire shapes of the pool-management operations, named member for member
// as in Cognito's API model (cognito-idp 2016-04-18). Go's field names are
// the JSON names. Pointers mark members whose absence differs from their
// zero value; output members that Cognito omits when empty are omitempty.

type passwordPolicyType struct {
	MinimumLength                 *int `json:",omitempty"`
	RequireUppercase              bool
	RequireLowercase              bool
	RequireNumbers                bool
	RequireSymbols                bool
	PasswordHistorySize           *int `json:",omitempty"`
	TemporaryPasswordValidityDays int
}

type userPoolPolicyType struct {
	PasswordPolicy *passwordPolicyType `json:",omitempty"`
	SignInPolicy   *signInPolicyType   `json:",omitempty"`
}

// signInPolicyType holds the first factors of choice-based sign-in.
type signInPolicyType struct {
	AllowedFirstAuthFactors []string
}

type stringAttributeConstraintsType struct {
	MinLength *string `json:",omitempty"`
	MaxLength *string `json:",omitempty"`
}

type numberAttributeConstraintsType struct {
	MinValue *string `json:",omitempty"`
	MaxValue *string `json:",omitempty"`
}

type schemaAttributeType struct {
	Name                       string                          `json:",omitempty"`
	AttributeDataType          string                          `json:",omitempty"`
	DeveloperOnlyAttribute     *bool                           `json:",omitempty"`
	Mutable                    *bool                           `json:",omitempty"`
	Required                   *bool                           `json:",omitempty"`
	NumberAttributeConstraints *numberAttributeConstraintsType `json:",omitempty"`
	StringAttributeConstraints *stringAttributeConstraintsType `json:",omitempty"`
}

type messageTemplateType struct {
	SMSMessage   string `json:",omitempty"`
	EmailMessage string `json:",omitempty"`
	EmailSubject string `json:",omitempty"`
}

type adminCreateUserConfigType struct {
	AllowAdminCreateUserOnly  bool
	UnusedAccountValidityDays int                  `json:",omitempty"`
	InviteMessageTemplate     *messageTemplateType `json:",omitempty"`
}

type verificationMessageTemplateType struct {
	SmsMessage         string `json:",omitempty"`
	EmailMessage       string `json:",omitempty"`
	EmailSubject       string `json:",omitempty"`
	EmailMessageByLink string `json:",omitempty"`
	EmailSubjectByLink string `json:",omitempty"`
	DefaultEmailOption string `json:",omitempty"`
}

type deviceConfigurationType struct {
	ChallengeRequiredOnNewDevice     bool
	DeviceOnlyRememberedOnUserPrompt bool
}

type emailConfigurationType struct {
	SourceArn           string `json:",omitempty"`
	ReplyToEmailAddress string `json:",omitempty"`
	EmailSendingAccount string `json:",omitempty"`
	From                string `json:",omitempty"`
	ConfigurationSet    string `json:",omitempty"`
}

type smsConfigurationType struct {
	SnsCallerArn string `json:",omitempty"`
	ExternalId   string `json:",omitempty"`
	SnsRegion    string `json:",omitempty"`
}

type usernameConfigurationType struct {
	CaseSensitive *bool
}

type userAttributeUpdateSettingsType struct {
	AttributesRequireVerificationBeforeUpdate []string
}

type recoveryOptionType struct {
	Name     string
	Priority int
}

type accountRecoverySettingType struct {
	RecoveryMechanisms []recoveryOptionType
}

type userPoolAddOnsType struct {
	AdvancedSecurityMode string `json:",omitempty"`
}

// poolSettings are the members CreateUserPool and UpdateUserPool share:
// everything that may change after a pool is created.
type poolSettings struct {
	Policies                    *userPoolPolicyType
	LambdaConfig                map[string]json.RawMessage
	AutoVerifiedAttributes      []string
	SmsVerificationMessage      string
	EmailVerificationMessage    string
	EmailVerificationSubject    string
	VerificationMessageTemplate *verificationMessageTemplateType
	SmsAuthenticationMessage    string
	MfaConfiguration            string
	UserAttributeUpdateSettings *userAttributeUpdateSettingsType
	DeviceConfiguration         *deviceConfigurationType
	EmailConfiguration          *emailConfigurationType
	SmsConfiguration            *smsConfigurationType
	UserPoolTags                map[string]string
	AdminCreateUserConfig       *adminCreateUserConfigType
	UserPoolAddOns              *userPoolAddOnsType
	AccountRecoverySetting      *accountRecoverySettingType
	DeletionProtection          string
	UserPoolTier                string
}

type createUserPoolInput struct {
	PoolName string
	poolSettings
	AliasAttributes       []string
	UsernameAttributes    []string
	UsernameConfiguration *usernameConfigurationType
	Schema                []schemaAttributeType
}

func (in *createUserPoolInput) check() error {
	return required(need("PoolName", in.PoolName != ""))
}

type createUserPoolOutput struct {
	UserPool userPoolType
}

type describeUserPoolInput struct {
	UserPoolId string
}

func (in *describeUserPoolInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""))
}

type describeUserPoolOutput struct {
	UserPool userPoolType
}

type updateUserPoolInput struct {
	UserPoolId string
	PoolName   string
	poolSettings
}

func (in *updateUserPoolInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""))
}

type deleteUserPoolInput struct {
	UserPoolId string
}

func (in *deleteUserPoolInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""))
}

type listUserPoolsInput struct {
	MaxResults *int
	NextToken  string
}

func (in *listUserPoolsInput) check() error {
	return required(need("MaxResults", in.MaxResults != nil))
}

type listUserPoolsOutput struct {
	UserPools []userPoolDescriptionType
	NextToken string `json:",omitempty"`
}

type userPoolDescriptionType struct {
	Id               string
	Name             string
	LambdaConfig     struct{}
	CreationDate     epochSeconds `json:",omitzero"`
	LastModifiedDate epochSeconds `json:",omitzero"`
}

// userPoolType is a pool as DescribeUserPool and CreateUserPool return it.
type userPoolType struct {
	Id                          string
	Name                        string
	Arn                         string
	Policies                    userPoolPolicyType
	DeletionProtection          string
	LambdaConfig                struct{}
	LastModifiedDate            epochSeconds `json:",omitzero"`
	CreationDate                epochSeconds `json:",omitzero"`
	SchemaAttributes            []schemaAttributeType
	AutoVerifiedAttributes      []string `json:",omitempty"`
	AliasAttributes             []string `json:",omitempty"`
	UsernameAttributes          []string `json:",omitempty"`
	SmsVerificationMessage      string   `json:",omitempty"`
	EmailVerificationMessage    string   `json:",omitempty"`
	EmailVerificationSubject    string   `json:",omitempty"`
	VerificationMessageTemplate verificationMessageTemplateType
	SmsAuthenticationMessage    string `json:",omitempty"`
	UserAttributeUpdateSettings userAttributeUpdateSettingsType
	MfaConfiguration            string
	DeviceConfiguration         *deviceConfigurationType `json:",omitempty"`
	EstimatedNumberOfUsers      int
	EmailConfiguration          emailConfigurationType
	UserPoolTags                map[string]string `json:",omitempty"`
	AdminCreateUserConfig       adminCreateUserConfigType
	UsernameConfiguration       usernameConfigurationType
	AccountRecoverySetting      accountRecoverySettingType
	UserPoolTier                string
}
