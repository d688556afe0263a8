package userpool

import (
	"fmt"
	"net/mail"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AttributeType is the data type of an attribute. Values always travel as
// strings; the type says how they are validated.
type AttributeType string

// The attribute types, named as Cognito's AttributeDataType.
const (
	TypeString   AttributeType = "String"
	TypeNumber   AttributeType = "Number"
	TypeDateTime AttributeType = "DateTime"
	TypeBoolean  AttributeType = "Boolean"
)

// MaxAttributeLength is the longest value any attribute may have.
const MaxAttributeLength = 2048

// MaxCustomAttributes is the number of custom attributes a pool may declare.
const MaxCustomAttributes = 50

// CustomPrefix starts the name of every custom attribute.
const CustomPrefix = "custom:"

// AttributeSchema describes one attribute of the pool.
type AttributeSchema struct {
	// Name is the attribute's name; custom attributes start with "custom:".
	Name string        `json:"name"`
	Type AttributeType `json:"type"`
	// Required attributes must be given at sign-up. Custom attributes
	// cannot be required.
	Required bool `json:"required"`
	// Mutable attributes may change after the user is created.
	Mutable bool `json:"mutable"`
	// MinLength and MaxLength bound String values (MaxLength 0 means 2048).
	MinLength int `json:"minLength,omitempty"`
	MaxLength int `json:"maxLength,omitempty"`
	// MinValue and MaxValue bound Number values when set.
	MinValue *int64 `json:"minValue,omitempty"`
	MaxValue *int64 `json:"maxValue,omitempty"`
}

// Custom reports whether the attribute is a custom attribute.
func (a AttributeSchema) Custom() bool { return strings.HasPrefix(a.Name, CustomPrefix) }

// CustomAttribute returns the schema of a custom attribute; name may be
// given with or without the "custom:" prefix. Custom attributes are mutable
// unless made otherwise.
func CustomAttribute(name string, t AttributeType) AttributeSchema {
	if !strings.HasPrefix(name, CustomPrefix) {
		name = CustomPrefix + name
	}
	return AttributeSchema{Name: name, Type: t, Mutable: true}
}

// The standard attributes every pool has, in Cognito's order, with
// Cognito's defaults: optional and mutable, strings of 0 to 2048
// characters, except as noted.
var standardAttributes = []AttributeSchema{
	{Name: "sub", Type: TypeString, Required: true, MinLength: 1},
	{Name: "name", Type: TypeString, Mutable: true},
	{Name: "given_name", Type: TypeString, Mutable: true},
	{Name: "family_name", Type: TypeString, Mutable: true},
	{Name: "middle_name", Type: TypeString, Mutable: true},
	{Name: "nickname", Type: TypeString, Mutable: true},
	{Name: "preferred_username", Type: TypeString, Mutable: true},
	{Name: "profile", Type: TypeString, Mutable: true},
	{Name: "picture", Type: TypeString, Mutable: true},
	{Name: "website", Type: TypeString, Mutable: true},
	{Name: "email", Type: TypeString, Mutable: true},
	{Name: "email_verified", Type: TypeBoolean, Mutable: true},
	{Name: "gender", Type: TypeString, Mutable: true},
	{Name: "birthdate", Type: TypeString, Mutable: true, MinLength: 10, MaxLength: 10},
	{Name: "zoneinfo", Type: TypeString, Mutable: true},
	{Name: "locale", Type: TypeString, Mutable: true},
	{Name: "phone_number", Type: TypeString, Mutable: true},
	{Name: "phone_number_verified", Type: TypeBoolean, Mutable: true},
	{Name: "address", Type: TypeString, Mutable: true},
	{Name: "updated_at", Type: TypeNumber, Mutable: true, MinValue: new(int64)},
}

// StandardAttributes returns the names of the standard attributes.
func StandardAttributes() []string {
	names := make([]string, len(standardAttributes))
	for i, a := range standardAttributes {
		names[i] = a.Name
	}
	return names
}

func isStandardAttribute(name string) bool {
	return slices.ContainsFunc(standardAttributes, func(a AttributeSchema) bool { return a.Name == name })
}

// isVerifiedFlag reports whether name is one of the verification flags,
// which users never write themselves.
func isVerifiedFlag(name string) bool {
	return name == "email_verified" || name == "phone_number_verified"
}

var (
	e164      = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	birthdate = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// attrWriter says who writes attributes and when, which decides what may be
// written.
type attrWriter int

const (
	userCreates  attrWriter = iota // SignUp: required attributes must be present
	adminCreates                   // AdminCreateUser: may set verified flags, may omit required
	userUpdates                    // UpdateUserAttributes: immutable and verified flags refused
	adminUpdates                   // AdminUpdateUserAttributes: verified flags allowed
)

// schema is the pool's attribute schema indexed by name.
type schema map[string]AttributeSchema

func newSchema(attrs []AttributeSchema) schema {
	s := make(schema, len(attrs))
	for _, a := range attrs {
		s[a.Name] = a
	}
	return s
}

// validate checks attrs written by w against the schema and returns an
// InvalidParameter error naming the first offending attribute, checked in
// name order so the error does not depend on map iteration.
func (s schema) validate(attrs map[string]string, w attrWriter) error {
	names := make([]string, 0, len(attrs))
	for name := range attrs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		a, ok := s[name]
		switch {
		case !ok:
			return ErrInvalidParameter.With("Attribute does not exist in the schema: %s", name)
		case name == "sub":
			return ErrInvalidParameter.With("Cannot modify the non-mutable attribute sub")
		case isVerifiedFlag(name) && (w == userCreates || w == userUpdates):
			return ErrInvalidParameter.With("Cannot modify %s: only an administrator or a verification sets it", name)
		case !a.Mutable && (w == userUpdates || w == adminUpdates):
			return ErrInvalidParameter.With("Cannot modify the non-mutable attribute %s", name)
		}
		if err := a.check(attrs[name]); err != nil {
			return err
		}
	}
	if w == userCreates {
		for _, a := range standardAttributes {
			if r, ok := s[a.Name]; ok && r.Required && a.Name != "sub" && attrs[a.Name] == "" {
				return ErrInvalidParameter.With("Invalid attributes given, %s is missing", a.Name)
			}
		}
	}
	return nil
}

// check validates one value against the attribute's type and format.
func (a AttributeSchema) check(v string) error {
	bad := func(format string, args ...any) error {
		return ErrInvalidParameter.With("Invalid value for attribute %s: %s", a.Name, fmt.Sprintf(format, args...))
	}
	if !utf8.ValidString(v) {
		return bad("not valid UTF-8")
	}
	n := utf8.RuneCountInString(v)
	max := a.MaxLength
	if max == 0 || max > MaxAttributeLength {
		max = MaxAttributeLength
	}
	if n > max {
		return bad("longer than %d characters", max)
	}
	if a.Type == TypeString && n < a.MinLength {
		return bad("shorter than %d characters", a.MinLength)
	}
	for _, r := range v {
		// Addresses may span lines (OIDC's formatted address); nothing
		// else may carry control characters.
		if unicode.IsControl(r) && !(a.Name == "address" && (r == '\n' || r == '\r' || r == '\t')) {
			return bad("control characters are not allowed")
		}
	}
	switch a.Name {
	case "email":
		if addr, err := mail.ParseAddress(v); err != nil || addr.Address != v || addr.Name != "" {
			return bad("not an email address")
		}
	case "phone_number":
		if !e164.MatchString(v) {
			return bad("not a phone number in E.164 format (+ and digits)")
		}
	case "birthdate":
		if !birthdate.MatchString(v) {
			return bad("not a date in YYYY-MM-DD format")
		}
		// OIDC allows 0000 for a year withheld.
		if _, err := time.Parse("2006-01-02", "2000"+v[4:]); err != nil {
			return bad("not a date in YYYY-MM-DD format")
		}
	}
	switch a.Type {
	case TypeBoolean:
		if v != "true" && v != "false" {
			return bad("not true or false")
		}
	case TypeNumber:
		i, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return bad("not an integer")
		}
		if a.MinValue != nil && i < *a.MinValue {
			return bad("less than %d", *a.MinValue)
		}
		if a.MaxValue != nil && i > *a.MaxValue {
			return bad("greater than %d", *a.MaxValue)
		}
	case TypeDateTime:
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return bad("not an RFC 3339 date and time")
		}
	}
	return nil
}
