package userpool

import (
	"maps"
	"slices"
)

// clone returns a deep copy of c, so a Config handed out can be changed
// without touching the pool's.
func (c Config) clone() Config {
	d := c
	d.SignIn.UsernameAttributes = slices.Clone(c.SignIn.UsernameAttributes)
	d.SignIn.AliasAttributes = slices.Clone(c.SignIn.AliasAttributes)
	d.Attributes = make([]AttributeSchema, len(c.Attributes))
	for i, a := range c.Attributes {
		if a.MinValue != nil {
			a.MinValue = new(*a.MinValue)
		}
		if a.MaxValue != nil {
			a.MaxValue = new(*a.MaxValue)
		}
		d.Attributes[i] = a
	}
	d.MFA.Factors = slices.Clone(c.MFA.Factors)
	d.AccountRecovery = slices.Clone(c.AccountRecovery)
	d.AutoVerifiedAttributes = slices.Clone(c.AutoVerifiedAttributes)
	d.KeepOriginalAttributes = slices.Clone(c.KeepOriginalAttributes)
	d.Tags = maps.Clone(c.Tags)
	d.ResourceServers = cloneResourceServers(c.ResourceServers)
	d.Clients = make([]ClientConfig, len(c.Clients))
	for i, cl := range c.Clients {
		d.Clients[i] = cl.clone()
	}
	return d
}

// checkFixedSettings refuses changes Cognito forbids after a pool is
// created: how users sign in, case sensitivity, which attributes are
// required, and existing custom attributes (new ones may be added).
func checkFixedSettings(stored, next Config) error {
	problem := func(field, msg string) error {
		return &ConfigError{Problems: []ConfigProblem{{Field: field, Option: "New", Message: msg + " cannot change after the pool is created"}}}
	}
	if !slices.Equal(stored.SignIn.UsernameAttributes, next.SignIn.UsernameAttributes) {
		return problem("SignIn.UsernameAttributes", "username attributes")
	}
	if !slices.Equal(stored.SignIn.AliasAttributes, next.SignIn.AliasAttributes) {
		return problem("SignIn.AliasAttributes", "alias attributes")
	}
	if stored.SignIn.CaseSensitive != next.SignIn.CaseSensitive {
		return problem("SignIn.CaseSensitive", "case sensitivity")
	}
	nextAttrs := newSchema(next.Attributes)
	for _, a := range stored.Attributes {
		n, ok := nextAttrs[a.Name]
		switch {
		case a.Custom() && (!ok || !sameCustomAttribute(a, n)):
			return problem("Attributes."+a.Name, "custom attribute "+a.Name)
		case !a.Custom() && ok && a.Required != n.Required:
			return problem("Attributes."+a.Name, "whether "+a.Name+" is required")
		}
	}
	return nil
}

func sameCustomAttribute(a, b AttributeSchema) bool {
	eq := func(x, y *int64) bool { return (x == nil && y == nil) || (x != nil && y != nil && *x == *y) }
	return a.Type == b.Type && a.Mutable == b.Mutable && a.MinLength == b.MinLength && a.MaxLength == b.MaxLength &&
		eq(a.MinValue, b.MinValue) && eq(a.MaxValue, b.MaxValue)
}
