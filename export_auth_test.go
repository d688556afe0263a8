package userpool

// PasswordChecksForTest returns how many password key derivations the
// pool has run, so tests can prove a refused attempt cost no hash.
func PasswordChecksForTest(p *Pool) int64 { return p.passwords.kdfCalls.Load() }
