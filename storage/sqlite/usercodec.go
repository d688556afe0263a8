package sqlite

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/userpool/userpool/storage"
)

// users.doc holds every User field that no query looks at, in a small
// tagged binary format rather than JSON: a ListUsers page decodes up to 60
// of these, and encoding/json spent about 16µs on each, several times the
// cost of the indexed query itself. Decoding this format costs around a
// microsecond.
//
// The format is a version byte (docVersion) followed by fields, each a
// uvarint tag, a uvarint length and that many bytes. Fields may come in
// any order and unknown tags are skipped, so a new User field is a new tag
// and needs no migration; a tag is never reused for another meaning. An
// absent field decodes as the zero value; a nil slice or map is left out
// while an empty one is written with length 0, so nil and empty survive
// the round trip.
const docVersion = 1

// Field tags. Never renumber; retire a tag by leaving it unused.
const (
	tagLogins            = 1  // repeated (string name, string key)
	tagAttributes        = 2  // repeated (string key, string value)
	tagPendingAttributes = 3  // repeated (string key, string value)
	tagPasswordHash      = 4  // bytes of the string
	tagPasswordHistory   = 5  // repeated string
	tagPasswordExpiresAt = 6  // time
	tagSRPSalt           = 7  // bytes
	tagSRPVerifier       = 8  // bytes
	tagMFAEnabled        = 9  // repeated string
	tagMFAPreferred      = 10 // bytes of the string
	tagTOTPSecret        = 11 // bytes
	tagPendingTOTPSecret = 12 // bytes
	tagTOTPLastStep      = 13 // varint
	tagTOTPDeviceName    = 14 // bytes of the string
	tagTokensValidAfter  = 15 // time
	tagUpdatedAt         = 16 // time
)

var errDoc = errors.New("malformed user document")

// encodeUser returns u's document. Times outside the storable range are
// refused, as in every other column.
func encodeUser(u *storage.User) ([]byte, error) {
	for _, t := range []time.Time{u.PasswordExpiresAt, u.TokensValidAfter, u.UpdatedAt} {
		if _, err := enc(t); err != nil {
			return nil, err
		}
	}
	e := docEncoder{b: make([]byte, 1, 256)}
	e.b[0] = docVersion
	if u.Logins != nil {
		var f []byte
		for _, l := range u.Logins {
			f = appendString(appendString(f, l.Name), l.Key)
		}
		e.field(tagLogins, f)
	}
	e.stringMap(tagAttributes, u.Attributes)
	e.stringMap(tagPendingAttributes, u.PendingAttributes)
	e.text(tagPasswordHash, u.PasswordHash)
	e.strings(tagPasswordHistory, u.PasswordHistory)
	e.time(tagPasswordExpiresAt, u.PasswordExpiresAt)
	e.bytes(tagSRPSalt, u.SRP.Salt)
	e.bytes(tagSRPVerifier, u.SRP.Verifier)
	e.strings(tagMFAEnabled, u.MFA.Enabled)
	e.text(tagMFAPreferred, u.MFA.Preferred)
	e.bytes(tagTOTPSecret, u.MFA.TOTPSecret)
	e.bytes(tagPendingTOTPSecret, u.MFA.PendingTOTPSecret)
	if u.MFA.TOTPLastStep != 0 {
		e.field(tagTOTPLastStep, binary.AppendVarint(nil, u.MFA.TOTPLastStep))
	}
	e.text(tagTOTPDeviceName, u.MFA.TOTPDeviceName)
	e.time(tagTokensValidAfter, u.TokensValidAfter)
	e.time(tagUpdatedAt, u.UpdatedAt)
	return e.b, nil
}

type docEncoder struct{ b []byte }

func (e *docEncoder) field(tag uint64, payload []byte) {
	e.b = binary.AppendUvarint(e.b, tag)
	e.b = appendBytes(e.b, payload)
}

func (e *docEncoder) text(tag uint64, s string) {
	if s != "" {
		e.b = binary.AppendUvarint(e.b, tag)
		e.b = appendString(e.b, s)
	}
}

func (e *docEncoder) bytes(tag uint64, b []byte) {
	if b != nil {
		e.field(tag, b)
	}
}

func (e *docEncoder) strings(tag uint64, ss []string) {
	if ss != nil {
		var f []byte
		for _, s := range ss {
			f = appendString(f, s)
		}
		e.field(tag, f)
	}
}

func (e *docEncoder) stringMap(tag uint64, m map[string]string) {
	if m != nil {
		var f []byte
		for k, v := range m {
			f = appendString(appendString(f, k), v)
		}
		e.field(tag, f)
	}
}

// time writes a non-zero t as Unix seconds and nanoseconds.
func (e *docEncoder) time(tag uint64, t time.Time) {
	if !t.IsZero() {
		f := binary.AppendVarint(nil, t.Unix())
		e.field(tag, binary.AppendUvarint(f, uint64(t.Nanosecond())))
	}
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendBytes(b, p []byte) []byte {
	b = binary.AppendUvarint(b, uint64(len(p)))
	return append(b, p...)
}

// decodeUser fills the document's fields of u from b. Malformed input
// gives an error, never a panic or a partly filled user.
//
// It copies b into one string and slices every string field out of it, so
// a user costs one allocation for all its strings rather than one each;
// byte-slice fields are copied out, since callers may modify them.
func decodeUser(b []byte, u *storage.User) error {
	if len(b) == 0 || b[0] != docVersion {
		return errDoc
	}
	var v storage.User
	d := docDecoder{s: string(b[1:])}
	for len(d.s) > 0 && d.err == nil {
		tag := d.uvarint()
		f := docDecoder{s: d.chunk()}
		switch tag {
		case tagLogins:
			v.Logins = make([]storage.Login, 0, f.count()/2)
			for len(f.s) > 0 && f.err == nil {
				v.Logins = append(v.Logins, storage.Login{Name: f.chunk(), Key: f.chunk()})
			}
		case tagAttributes:
			v.Attributes = f.stringMap()
		case tagPendingAttributes:
			v.PendingAttributes = f.stringMap()
		case tagPasswordHash:
			v.PasswordHash = f.s
		case tagPasswordHistory:
			v.PasswordHistory = f.strings()
		case tagPasswordExpiresAt:
			v.PasswordExpiresAt = f.time()
		case tagSRPSalt:
			v.SRP.Salt = []byte(f.s)
		case tagSRPVerifier:
			v.SRP.Verifier = []byte(f.s)
		case tagMFAEnabled:
			v.MFA.Enabled = f.strings()
		case tagMFAPreferred:
			v.MFA.Preferred = f.s
		case tagTOTPSecret:
			v.MFA.TOTPSecret = []byte(f.s)
		case tagPendingTOTPSecret:
			v.MFA.PendingTOTPSecret = []byte(f.s)
		case tagTOTPLastStep:
			v.MFA.TOTPLastStep = f.varint()
		case tagTOTPDeviceName:
			v.MFA.TOTPDeviceName = f.s
		case tagTokensValidAfter:
			v.TokensValidAfter = f.time()
		case tagUpdatedAt:
			v.UpdatedAt = f.time()
		}
		if f.err != nil {
			d.err = f.err
		}
	}
	if d.err != nil {
		return d.err
	}
	u.Logins, u.Attributes, u.PendingAttributes = v.Logins, v.Attributes, v.PendingAttributes
	u.PasswordHash, u.PasswordHistory, u.PasswordExpiresAt = v.PasswordHash, v.PasswordHistory, v.PasswordExpiresAt
	u.SRP, u.MFA, u.TokensValidAfter, u.UpdatedAt = v.SRP, v.MFA, v.TokensValidAfter, v.UpdatedAt
	return nil
}

// docDecoder reads fields from a string; after the first error every read
// returns zero. Reading from a string lets fields be substrings.
type docDecoder struct {
	s   string
	err error
}

func (d *docDecoder) fail() { d.err, d.s = errDoc, "" }

// uvarint reads an unsigned varint as encoding/binary writes it.
func (d *docDecoder) uvarint() uint64 {
	var v uint64
	for i := 0; i < len(d.s) && i < binary.MaxVarintLen64; i++ {
		c := d.s[i]
		if i == binary.MaxVarintLen64-1 && c > 1 {
			break // overflows 64 bits
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			d.s = d.s[i+1:]
			return v
		}
	}
	d.fail()
	return 0
}

// varint reads a zig-zag signed varint as encoding/binary writes it.
func (d *docDecoder) varint() int64 {
	u := d.uvarint()
	v := int64(u >> 1)
	if u&1 != 0 {
		v = ^v
	}
	return v
}

// chunk reads a length-prefixed string.
func (d *docDecoder) chunk() string {
	n := d.uvarint()
	if n > uint64(len(d.s)) {
		d.fail()
		return ""
	}
	p := d.s[:n]
	d.s = d.s[n:]
	return p
}

// count returns how many length-prefixed strings d holds, for sizing; it
// does not consume them and stops at anything malformed.
func (d *docDecoder) count() int {
	c := *d
	n := 0
	for len(c.s) > 0 && c.err == nil {
		c.chunk()
		n++
	}
	return n
}

func (d *docDecoder) strings() []string {
	out := make([]string, 0, d.count())
	for len(d.s) > 0 && d.err == nil {
		out = append(out, d.chunk())
	}
	return out
}

func (d *docDecoder) stringMap() map[string]string {
	m := make(map[string]string, d.count()/2)
	for len(d.s) > 0 && d.err == nil {
		k := d.chunk()
		m[k] = d.chunk()
	}
	return m
}

// time reads Unix seconds and nanoseconds, in UTC like every stored time.
func (d *docDecoder) time() time.Time {
	sec := d.varint()
	nsec := d.uvarint()
	if nsec >= 1e9 {
		d.fail()
	}
	if d.err != nil {
		return time.Time{}
	}
	return time.Unix(sec, int64(nsec)).UTC()
}
