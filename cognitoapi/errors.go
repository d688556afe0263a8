package cognitoapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/userpool/userpool"
)

// apiError is an error of the protocol itself (routing, decoding,
// authorization) rather than of an operation. status 0 means 400.
type apiError struct {
	status  int
	code    string
	message string
}

func (e *apiError) Error() string { return "cognitoapi: " + e.code + ": " + e.message }

// errInternal is what a client sees of an unexpected failure; the detail
// goes to the log only.
var errInternal = userpool.ErrInternal.With("An internal error occurred. Try again later.")

// wireError is the JSON body of an error, as Cognito sends it.
type wireError struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}

// isClientError reports whether err is a library error a client caused,
// which is not worth an error log line.
func isClientError(err error) bool {
	var ue *userpool.Error
	var ce *userpool.ConfigError
	return errors.As(err, &ce) || (errors.As(err, &ue) && ue.Code != userpool.ErrInternal.Code)
}

// errorParts maps err to status, exception type and message. Library errors
// carry their Cognito type; configuration errors become
// InvalidParameterException naming each field as the API does; anything
// else is an internal error whose detail is not shown.
func errorParts(err error) (status int, code, message string) {
	var api *apiError
	var ce *userpool.ConfigError
	var ue *userpool.Error
	switch {
	case errors.As(err, &api):
		status = api.status
		if status == 0 {
			status = http.StatusBadRequest
		}
		return status, api.code, api.message
	case errors.As(err, &ce):
		return http.StatusBadRequest, userpool.ErrInvalidParameter.Code, configMessage(ce)
	case errors.As(err, &ue) && ue.Code != userpool.ErrInternal.Code:
		msg := ue.Message
		if msg == "" && ue.Err != nil {
			msg = ue.Err.Error()
		}
		return http.StatusBadRequest, ue.Code, msg
	default:
		return http.StatusInternalServerError, errInternal.Code, errInternal.Message
	}
}

// configMessage lists a configuration error's problems with their fields
// named as the request names them.
func configMessage(ce *userpool.ConfigError) string {
	parts := make([]string, len(ce.Problems))
	for i, p := range ce.Problems {
		parts[i] = wireField(p.Field) + ": " + p.Message
	}
	return strings.Join(parts, "; ")
}

// writeError writes err as Cognito does and returns the status and type
// written, for the request log.
func writeError(w http.ResponseWriter, err error) (int, string) {
	status, code, msg := errorParts(err)
	hd := w.Header()
	hd.Set("Content-Type", contentType)
	hd.Set("x-amzn-ErrorType", code+":")
	hd.Set("x-amzn-ErrorMessage", headerSafe(msg))
	_ = writeJSON(w, status, wireError{Type: code, Message: msg})
	return status, code
}

// headerSafe keeps a message fit for a header value: one line, bounded.
func headerSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if len(s) > 1024 {
		s = s[:1024]
	}
	return s
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		b, _ = json.Marshal(wireError{Type: errInternal.Code, Message: errInternal.Message})
	}
	w.WriteHeader(status)
	_, werr := w.Write(b)
	return errors.Join(err, werr)
}
