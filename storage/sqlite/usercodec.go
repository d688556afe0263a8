package sqlite

import (
	"encoding/binary"
	"errors"
	"strings"
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
	tagPasskeys          = 17 // repeated passkey (see appendPasskey)
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
	if u.Passkeys != nil {
		var f []byte
		for _, pk := range u.Passkeys {
			f = appendBytes(f, appendPasskey(nil, pk))
		}
		e.field(tagPasskeys, f)
	}
	return e.b, nil
}

// appendPasskey appends a passkey as its fields in a fixed order, each
// length-prefixed: id, name, created, last used (a time as docEncoder.time
// writes one, empty for the zero time), data.
func appendPasskey(b []byte, pk storage.Passkey) []byte {
	b = appendBytes(b, pk.ID)
	b = appendString(b, pk.Name)
	b = appendBytes(b, timeBytes(pk.CreatedAt))
	b = appendBytes(b, timeBytes(pk.LastUsedAt))
	return appendBytes(b, pk.Data)
}

// timeBytes is t as Unix seconds and nanoseconds, or nothing for zero.
func timeBytes(t time.Time) []byte {
	if t.IsZero() {
		return nil
	}
	return binary.AppendUvarint(binary.AppendVarint(nil, t.Unix()), uint64(t.Nanosecond()))
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

// userForm says which fields of a user a read wants.
type userForm int

const (
	fullUser   userForm = iota // every field
	listedUser                 // storage.User.WithoutSecrets: secret fields left out
)

// decodeUser fills the document's fields of u from b, which it does not
// keep, leaving out the secrets for a listedUser. Malformed input gives an
// error, never a panic or a partly filled user.
//
// A ListUsers page decodes up to 60 documents, and there the cost is the
// allocations and the garbage collection they cause, not the parsing. So
// a user costs a fixed number of allocations whatever its fields: every
// string field is a substring of one string, every byte-slice field a
// capacity-limited subslice of one buffer (so a caller's append cannot
// reach a neighbour), plus the logins slice and the maps.
func decodeUser(b []byte, u *storage.User, form userForm) error {
	if len(b) == 0 || b[0] != docVersion {
		return errDoc
	}
	d := docDecoder{b: b[1:]}
	var a arena
	if err := a.reserve(d, form); err != nil {
		return err
	}
	var v storage.User
	for len(d.b) > 0 && d.err == nil {
		tag := d.uvarint()
		f := docDecoder{b: d.chunk()}
		if form == listedUser && secretField(tag) {
			continue
		}
		switch tag {
		case tagLogins:
			v.Logins = make([]storage.Login, 0, f.count()/2)
			for len(f.b) > 0 && f.err == nil {
				v.Logins = append(v.Logins, storage.Login{Name: a.str(f.chunk()), Key: a.str(f.chunk())})
			}
		case tagAttributes:
			v.Attributes = f.stringMap(&a)
		case tagPendingAttributes:
			v.PendingAttributes = f.stringMap(&a)
		case tagPasswordHash:
			v.PasswordHash = a.str(f.b)
		case tagPasswordHistory:
			v.PasswordHistory = f.strings(&a)
		case tagPasswordExpiresAt:
			v.PasswordExpiresAt = f.time()
		case tagSRPSalt:
			v.SRP.Salt = a.bytes(f.b)
		case tagSRPVerifier:
			v.SRP.Verifier = a.bytes(f.b)
		case tagMFAEnabled:
			v.MFA.Enabled = f.strings(&a)
		case tagMFAPreferred:
			v.MFA.Preferred = a.str(f.b)
		case tagTOTPSecret:
			v.MFA.TOTPSecret = a.bytes(f.b)
		case tagPendingTOTPSecret:
			v.MFA.PendingTOTPSecret = a.bytes(f.b)
		case tagTOTPLastStep:
			v.MFA.TOTPLastStep = f.varint()
		case tagTOTPDeviceName:
			v.MFA.TOTPDeviceName = a.str(f.b)
		case tagTokensValidAfter:
			v.TokensValidAfter = f.time()
		case tagUpdatedAt:
			v.UpdatedAt = f.time()
		case tagPasskeys:
			v.Passkeys = make([]storage.Passkey, 0, f.count())
			for len(f.b) > 0 && f.err == nil {
				e := docDecoder{b: f.chunk()}
				pk := storage.Passkey{ID: a.bytes(e.chunk()), Name: a.str(e.chunk())}
				pk.CreatedAt, pk.LastUsedAt = e.optionalTime(), e.optionalTime()
				pk.Data = a.bytes(e.chunk())
				if e.err != nil || len(e.b) > 0 {
					f.fail()
				}
				v.Passkeys = append(v.Passkeys, pk)
			}
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
	u.Passkeys = v.Passkeys
	return nil
}

// byteField tells the tags whose payload is a []byte field.
func byteField(tag uint64) bool {
	switch tag {
	case tagSRPSalt, tagSRPVerifier, tagTOTPSecret, tagPendingTOTPSecret, tagPasskeys:
		return true
	}
	return false
}

// secretField tells the tags of the fields storage.User.WithoutSecrets
// clears.
func secretField(tag uint64) bool {
	switch tag {
	case tagPasswordHash, tagPasswordHistory, tagSRPSalt, tagSRPVerifier, tagTOTPSecret, tagPendingTOTPSecret, tagPasskeys:
		return true
	}
	return false
}

// arena hands out a decoded user's strings and byte slices from one
// allocation each. Sizes come from reserve; should they fall short, the
// builder and the buffer grow like any other, and what was handed out
// before stays valid, so sizing affects only the number of allocations.
type arena struct {
	strs strings.Builder
	buf  []byte
}

// reserve sizes the arena for the fields of d that form wants; it does
// not consume d. Byte fields need their payload, other fields at most
// theirs.
func (a *arena) reserve(d docDecoder, form userForm) error {
	var strs, bufs int
	for len(d.b) > 0 && d.err == nil {
		tag := d.uvarint()
		n := len(d.chunk())
		switch {
		case form == listedUser && secretField(tag):
		case byteField(tag):
			bufs += n
		default:
			strs += n
		}
	}
	if d.err != nil {
		return d.err
	}
	a.strs.Grow(strs)
	// Never nil, so that an empty field decodes as empty, not nil; a
	// zero capacity allocates nothing.
	a.buf = make([]byte, 0, bufs)
	return nil
}

// str returns a string holding a copy of p. Builder.String does not copy:
// each result is a view of the builder's bytes, which are never rewritten.
func (a *arena) str(p []byte) string {
	start := a.strs.Len()
	a.strs.Write(p)
	return a.strs.String()[start:]
}

// bytes returns a copy of p that a caller may modify or append to without
// touching another field.
func (a *arena) bytes(p []byte) []byte {
	start := len(a.buf)
	a.buf = append(a.buf, p...)
	return a.buf[start:len(a.buf):len(a.buf)]
}

// docDecoder reads fields from a document; after the first error every
// read returns zero.
type docDecoder struct {
	b   []byte
	err error
}

func (d *docDecoder) fail() { d.err, d.b = errDoc, nil }

// uvarint reads an unsigned varint as encoding/binary writes it. Tags and
// most lengths take one byte, read inline; the rest go to uvarintLong.
func (d *docDecoder) uvarint() uint64 {
	if b := d.b; len(b) > 0 && b[0] < 0x80 {
		d.b = b[1:]
		return uint64(b[0])
	}
	return d.uvarintLong()
}

func (d *docDecoder) uvarintLong() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
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

// chunk reads a length-prefixed byte string. A length under 128 takes
// one byte and is read inline; chunkLong does the rest.
func (d *docDecoder) chunk() []byte {
	if b := d.b; len(b) > 0 && b[0] < 0x80 && int(b[0]) < len(b) {
		n := int(b[0]) + 1
		d.b = b[n:]
		return b[1:n:n]
	}
	return d.chunkLong()
}

func (d *docDecoder) chunkLong() []byte {
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		d.fail()
		return nil
	}
	p := d.b[:n:n]
	d.b = d.b[n:]
	return p
}

// count returns how many length-prefixed strings d holds, for sizing; it
// does not consume them and stops at anything malformed.
func (d *docDecoder) count() int {
	c := *d
	n := 0
	for len(c.b) > 0 && c.err == nil {
		c.chunk()
		n++
	}
	return n
}

func (d *docDecoder) strings(a *arena) []string {
	out := make([]string, 0, d.count())
	for len(d.b) > 0 && d.err == nil {
		out = append(out, a.str(d.chunk()))
	}
	return out
}

func (d *docDecoder) stringMap(a *arena) map[string]string {
	// A map of up to 8 entries is made without a hint: Go then makes a
	// small map, which costs less than one sized from a hint, and a page
	// of 60 users makes 60 of them.
	var m map[string]string
	if n := d.count() / 2; n > 8 {
		m = make(map[string]string, n)
	} else {
		m = make(map[string]string)
	}
	for len(d.b) > 0 && d.err == nil {
		k := a.str(d.chunk())
		m[k] = a.str(d.chunk())
	}
	return m
}

// optionalTime reads a length-prefixed time, empty for the zero time.
func (d *docDecoder) optionalTime() time.Time {
	t := docDecoder{b: d.chunk()}
	if len(t.b) == 0 {
		return time.Time{}
	}
	v := t.time()
	if t.err != nil || len(t.b) > 0 {
		d.fail()
		return time.Time{}
	}
	return v
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
