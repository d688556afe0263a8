package memory

import (
	"bytes"
	"maps"
	"slices"

	"github.com/userpool/userpool/storage"
)

// The copy functions make deep copies of records, so that the store and
// its callers never share a map, a slice or a pointer. Each runs both when
// a record comes in and when it goes out. nil stays nil.

func copyPool(p storage.Pool) storage.Pool {
	p.Settings = bytes.Clone(p.Settings)
	p.Secret = bytes.Clone(p.Secret)
	return p
}

func copyClient(c storage.Client) storage.Client {
	c.Settings = bytes.Clone(c.Settings)
	return c
}

func copyUser(u storage.User) storage.User {
	u.Logins = slices.Clone(u.Logins)
	u.Attributes = maps.Clone(u.Attributes)
	u.PendingAttributes = maps.Clone(u.PendingAttributes)
	u.PasswordHistory = slices.Clone(u.PasswordHistory)
	u.SRP = copySRP(u.SRP)
	u.MFA.Enabled = slices.Clone(u.MFA.Enabled)
	u.MFA.TOTPSecret = bytes.Clone(u.MFA.TOTPSecret)
	u.MFA.PendingTOTPSecret = bytes.Clone(u.MFA.PendingTOTPSecret)
	if u.Passkeys != nil {
		u.Passkeys = slices.Clone(u.Passkeys)
		for i := range u.Passkeys {
			u.Passkeys[i].ID = bytes.Clone(u.Passkeys[i].ID)
			u.Passkeys[i].Data = bytes.Clone(u.Passkeys[i].Data)
		}
	}
	return u
}

func copySRP(v storage.SRPVerifier) storage.SRPVerifier {
	return storage.SRPVerifier{Salt: bytes.Clone(v.Salt), Verifier: bytes.Clone(v.Verifier)}
}

func copyGroup(g storage.Group) storage.Group {
	if g.Precedence != nil {
		p := *g.Precedence
		g.Precedence = &p
	}
	return g
}

func copyCode(c storage.Code) storage.Code {
	c.Hash = bytes.Clone(c.Hash)
	c.Data = bytes.Clone(c.Data)
	return c
}

func copySession(s storage.Session) storage.Session {
	s.Data = bytes.Clone(s.Data)
	return s
}

func copyToken(t storage.RefreshToken) storage.RefreshToken {
	t.Data = bytes.Clone(t.Data)
	return t
}

func copyDevice(d storage.Device) storage.Device {
	d.SRP = copySRP(d.SRP)
	d.Attributes = maps.Clone(d.Attributes)
	return d
}

func copyKey(k storage.SigningKey) storage.SigningKey {
	k.Private = bytes.Clone(k.Private)
	return k
}
