package userpool

// DefaultConfig returns the configuration New starts from for a pool named
// name, before any option applies: Cognito's defaults, with the console's
// choices where the console and the API differ. A server that builds a
// Config from a request (CreateUserPool, or UpdateUserPool, which resets
// every omitted setting to its default) starts from it and passes the
// result to [WithConfig]. Each call returns a fresh copy.
func DefaultConfig(name string) Config {
	return defaultOptions(name).cfg.clone()
}
