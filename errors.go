package userpool

import "fmt"

// Error is the error every pool operation returns for a failure a caller can
// act on. Code is the name of the Cognito exception (for example
// "UsernameExistsException"), Message the human-readable text Cognito would
// send, and Err an optional underlying cause.
//
// Errors match their sentinel with errors.Is by Code, so an Error carrying a
// specific message still matches, for example, [ErrUsernameExists]:
//
//	if errors.Is(err, userpool.ErrUsernameExists) { ... }
//
// and a server recovers the wire form with errors.As:
//
//	var e *userpool.Error
//	if errors.As(err, &e) { writeJSON(e.Code, e.Message) }
type Error struct {
	Code    string
	Message string
	Err     error
}

// Error returns "userpool: <Code>: <Message>", or the cause in place of an
// empty message.
func (e *Error) Error() string {
	s := "userpool: " + e.Code
	switch {
	case e.Message != "":
		s += ": " + e.Message
	case e.Err != nil:
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause, if any.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// With returns a copy of e with the message formatted from format and args.
// Sentinels are never modified; use With to add the specific message.
func (e *Error) With(format string, args ...any) *Error {
	return &Error{Code: e.Code, Message: fmt.Sprintf(format, args...), Err: e.Err}
}

// Wrap returns a copy of e with the message and the underlying cause set.
func (e *Error) Wrap(cause error, format string, args ...any) *Error {
	return &Error{Code: e.Code, Message: fmt.Sprintf(format, args...), Err: cause}
}

// Sentinel errors, one per Cognito exception the library can return. Compare
// with errors.Is; never modify them.
var (
	ErrInvalidParameter               = &Error{Code: "InvalidParameterException"}
	ErrNotAuthorized                  = &Error{Code: "NotAuthorizedException"}
	ErrUserNotFound                   = &Error{Code: "UserNotFoundException"}
	ErrUsernameExists                 = &Error{Code: "UsernameExistsException"}
	ErrAliasExists                    = &Error{Code: "AliasExistsException"}
	ErrUserNotConfirmed               = &Error{Code: "UserNotConfirmedException"}
	ErrPasswordResetRequired          = &Error{Code: "PasswordResetRequiredException"}
	ErrCodeMismatch                   = &Error{Code: "CodeMismatchException"}
	ErrExpiredCode                    = &Error{Code: "ExpiredCodeException"}
	ErrTooManyFailedAttempts          = &Error{Code: "TooManyFailedAttemptsException"}
	ErrLimitExceeded                  = &Error{Code: "LimitExceededException"}
	ErrTooManyRequests                = &Error{Code: "TooManyRequestsException"}
	ErrInvalidPassword                = &Error{Code: "InvalidPasswordException"}
	ErrPasswordHistoryPolicyViolation = &Error{Code: "PasswordHistoryPolicyViolationException"}
	ErrCodeDeliveryFailure            = &Error{Code: "CodeDeliveryFailureException"}
	ErrMFAMethodNotFound              = &Error{Code: "MFAMethodNotFoundException"}
	ErrSoftwareTokenMFANotFound       = &Error{Code: "SoftwareTokenMFANotFoundException"}
	ErrEnableSoftwareTokenMFA         = &Error{Code: "EnableSoftwareTokenMFAException"}
	ErrInvalidUserPoolConfiguration   = &Error{Code: "InvalidUserPoolConfigurationException"}
	ErrUserLambdaValidation           = &Error{Code: "UserLambdaValidationException"}
	ErrInvalidLambdaResponse          = &Error{Code: "InvalidLambdaResponseException"}
	ErrUnexpectedLambda               = &Error{Code: "UnexpectedLambdaException"}
	ErrResourceNotFound               = &Error{Code: "ResourceNotFoundException"}
	ErrGroupExists                    = &Error{Code: "GroupExistsException"}
	ErrConcurrentModification         = &Error{Code: "ConcurrentModificationException"}
	ErrPreconditionNotMet             = &Error{Code: "PreconditionNotMetException"}
	ErrUnsupportedUserState           = &Error{Code: "UnsupportedUserStateException"}
	ErrUnsupportedOperation           = &Error{Code: "UnsupportedOperationException"}
	ErrUnsupportedTokenType           = &Error{Code: "UnsupportedTokenTypeException"}
	ErrUnauthorized                   = &Error{Code: "UnauthorizedException"}
	ErrDeviceKeyExists                = &Error{Code: "DeviceKeyExistsException"}
	ErrRefreshTokenReuse              = &Error{Code: "RefreshTokenReuseException"}
	ErrWebAuthnNotEnabled             = &Error{Code: "WebAuthnNotEnabledException"}
	ErrWebAuthnChallengeNotFound      = &Error{Code: "WebAuthnChallengeNotFoundException"}
	ErrWebAuthnCredentialNotSupported = &Error{Code: "WebAuthnCredentialNotSupportedException"}
	ErrInternal                       = &Error{Code: "InternalErrorException"}
)
