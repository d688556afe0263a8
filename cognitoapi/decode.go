package cognitoapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/userpool/userpool"
)

// decode unmarshals a request body into v. Unknown fields are ignored (SDKs
// send members this server does not know), but a known field of the wrong
// type is an InvalidParameterException naming the field. An empty body is
// an empty object.
func decode(body []byte, v any) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return nil
	}
	if !utf8.Valid(trimmed) {
		return &apiError{code: "SerializationException", message: "The request body is not valid UTF-8"}
	}
	if trimmed[0] != '{' {
		return &apiError{code: "SerializationException", message: "The request body must be a JSON object"}
	}
	err := json.Unmarshal(trimmed, v)
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return &apiError{code: "SerializationException", message: fmt.Sprintf("Malformed JSON at offset %d: %s", syn.Offset, syn.Error())}
	case errors.As(err, &typ):
		typ.Field = memberPath(reflect.TypeOf(v), typ.Field)
		return invalidType(typ)
	case errors.As(err, new(*userpool.Error)), errors.As(err, new(*apiError)):
		return err
	default:
		return &apiError{code: "SerializationException", message: "Malformed request: " + err.Error()}
	}
}

// invalidType words a type error as Cognito's validation errors.
func invalidType(e *json.UnmarshalTypeError) error {
	field := e.Field
	if field == "" {
		field = "(body)"
	}
	return userpool.ErrInvalidParameter.With("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must be %s, not %s",
		camelPath(field), modelType(e.Type), e.Value)
}

// memberPath drops from a decoding error's field path the names of
// embedded structs, which are Go's grouping, not members of the request.
func memberPath(t reflect.Type, path string) string {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		for t != nil && (t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array) {
			t = t.Elem()
		}
		switch {
		case t == nil:
		case t.Kind() == reflect.Struct:
			if f, ok := t.FieldByName(seg); ok && f.Anonymous {
				t = f.Type
				continue
			} else if ok {
				t = f.Type
			} else {
				t = nil
			}
		case t.Kind() == reflect.Map:
			t = t.Elem()
		default:
			t = nil
		}
		out = append(out, seg)
	}
	return strings.Join(out, ".")
}

// modelType names a Go type as the API model does.
func modelType(t reflect.Type) string {
	if t == reflect.TypeFor[epochSeconds]() {
		return "a timestamp (epoch seconds)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Map:
		return "a map"
	case reflect.Pointer:
		return modelType(t.Elem())
	default:
		return "a structure"
	}
}

// camelPath turns "Policies.PasswordPolicy.MinimumLength" into
// "policies.passwordPolicy.minimumLength", as Cognito's validation messages
// name members.
func camelPath(path string) string {
	parts := strings.Split(path, ".")
	for i, p := range parts {
		if r, n := utf8.DecodeRuneInString(p); n > 0 {
			parts[i] = string(unicode.ToLower(r)) + p[n:]
		}
	}
	return strings.Join(parts, ".")
}

// field is one required member and whether the request has it.
type field struct {
	name    string
	present bool
}

// need names a required member; present says whether it was given.
func need(name string, present bool) field { return field{name, present} }

// required returns an InvalidParameterException listing every absent
// member, worded as Cognito's validation errors, or nil.
func required(fields ...field) error {
	var msgs []string
	for _, f := range fields {
		if !f.present {
			msgs = append(msgs, fmt.Sprintf("Value null at '%s' failed to satisfy constraint: Member must not be null", camelPath(f.name)))
		}
	}
	return validationError(msgs)
}

// validationError joins model-constraint failures the way Cognito does:
// "N validation error(s) detected: a; b".
func validationError(msgs []string) error {
	switch len(msgs) {
	case 0:
		return nil
	case 1:
		return userpool.ErrInvalidParameter.With("1 validation error detected: %s", msgs[0])
	default:
		return userpool.ErrInvalidParameter.With("%d validation errors detected: %s", len(msgs), strings.Join(msgs, "; "))
	}
}

// oneOf checks an enum member: empty is allowed (absent), anything else
// must be one of values.
func oneOf(name, value string, values ...string) error {
	if value == "" {
		return nil
	}
	for _, v := range values {
		if value == v {
			return nil
		}
	}
	return validationError([]string{fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: Member must satisfy enum value set: [%s]",
		value, camelPath(name), strings.Join(values, ", "))})
}
