package userpool

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// decodeClaims fills pc from a token payload, as json.Unmarshal would for
// every payload json.Unmarshal accepts (FuzzDecodeClaims checks this), in
// a fraction of its time: decoding the claims is most of the work a
// verification adds to go-jose's signature check. It runs only on payloads
// whose signature has been verified, so it may be lenient where
// encoding/json is strict (it does not validate values it skips); it never
// panics. Unlike encoding/json it matches claim names exactly, as JWT
// claim names are case-sensitive.
func decodeClaims(b []byte, pc *payloadClaims) error {
	d := claimDecoder{b: string(b)}
	// The last occurrence of a claim wins, as in encoding/json, so values
	// are decoded only once the whole object has been read.
	var spans [numClaims][2]int
	d.space()
	if !d.eat('{') {
		return errClaimsSyntax
	}
	d.space()
	if !d.eat('}') {
		for {
			d.space()
			name, err := d.str()
			if err != nil {
				return err
			}
			d.space()
			if !d.eat(':') {
				return errClaimsSyntax
			}
			d.space()
			start := d.i
			if err := d.skip(0); err != nil {
				return err
			}
			if c, ok := claimIndex[name]; ok {
				spans[c] = [2]int{start, d.i}
			}
			d.space()
			if d.eat(',') {
				continue
			}
			if d.eat('}') {
				break
			}
			return errClaimsSyntax
		}
	}
	if err := d.end(); err != nil {
		return err
	}
	for c, span := range spans {
		if span[1] == 0 {
			continue
		}
		v := claimDecoder{b: d.b[:span[1]], i: span[0]}
		if err := v.claim(claim(c), pc); err != nil {
			return err
		}
	}
	return nil
}

var errClaimsSyntax = errors.New("userpool: malformed claims")

// maxClaimsDepth bounds the nesting of values, as encoding/json's.
const maxClaimsDepth = 10000

// claimDecoder reads a payload converted to a string once, so the claims'
// values are substrings of it rather than one allocation each.
type claimDecoder struct {
	b string
	i int
}

func (d *claimDecoder) space() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *claimDecoder) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

func (d *claimDecoder) end() error {
	d.space()
	if d.i != len(d.b) {
		return errClaimsSyntax
	}
	return nil
}

func (d *claimDecoder) peek() byte {
	if d.i < len(d.b) {
		return d.b[d.i]
	}
	return 0
}

// claim names the claims decodeClaims decodes.
type claim int

const (
	claimIss claim = iota
	claimSub
	claimClientID
	claimTokenUse
	claimJTI
	claimOriginJTI
	claimEventID
	claimUsername
	claimCognitoUsername
	claimScope
	claimDeviceKey
	claimExp
	claimIat
	claimNbf
	claimAuthTime
	claimAud
	claimGroups
	numClaims
)

var claimIndex = map[string]claim{
	"iss": claimIss, "sub": claimSub, "client_id": claimClientID, "token_use": claimTokenUse,
	"jti": claimJTI, "origin_jti": claimOriginJTI, "event_id": claimEventID, "username": claimUsername,
	"cognito:username": claimCognitoUsername, "scope": claimScope, "device_key": claimDeviceKey,
	"exp": claimExp, "iat": claimIat, "nbf": claimNbf, "auth_time": claimAuthTime,
	"aud": claimAud, "cognito:groups": claimGroups,
}

// claim decodes the value at d.i, known to be one well-formed value, into
// the field of pc for c, with encoding/json's rules for that field's type.
func (d *claimDecoder) claim(c claim, pc *payloadClaims) error {
	var s *string
	var f **float64
	switch c {
	case claimIss:
		s = &pc.Iss
	case claimSub:
		s = &pc.Sub
	case claimClientID:
		s = &pc.ClientID
	case claimTokenUse:
		s = &pc.TokenUse
	case claimJTI:
		s = &pc.JTI
	case claimOriginJTI:
		s = &pc.OriginJTI
	case claimEventID:
		s = &pc.EventID
	case claimUsername:
		s = &pc.Username
	case claimCognitoUsername:
		s = &pc.CognitoUsername
	case claimScope:
		s = &pc.Scope
	case claimDeviceKey:
		s = &pc.DeviceKey
	case claimExp:
		f = &pc.Exp
	case claimIat:
		f = &pc.Iat
	case claimNbf:
		f = &pc.Nbf
	case claimAuthTime:
		f = &pc.AuthTime
	case claimAud:
		pc.Aud = nil
		return json.Unmarshal([]byte(d.b[d.i:]), &pc.Aud)
	case claimGroups:
		return d.strings(&pc.Groups)
	}
	if d.null() {
		// As encoding/json: null leaves a string as it is and clears a
		// pointer.
		if f != nil {
			*f = nil
		}
		return nil
	}
	if s != nil {
		var err error
		*s, err = d.str()
		return err
	}
	v, err := d.number()
	if err != nil {
		return err
	}
	slot := &pc.numbers[c-claimExp] // no allocation per number
	*slot = v
	*f = slot
	return nil
}

// null consumes a null literal if one is next.
func (d *claimDecoder) null() bool {
	if strings.HasPrefix(d.b[d.i:], "null") {
		d.i += 4
		return true
	}
	return false
}

// str decodes a string. Strings without escapes or control characters
// (all the pool writes) are taken as they are; others go through
// encoding/json for its exact rules.
func (d *claimDecoder) str() (string, error) {
	if !d.eat('"') {
		return "", errClaimsSyntax
	}
	start := d.i
	plain := true
	for d.i < len(d.b) {
		c := d.b[d.i]
		if !special[c] {
			d.i++
			continue
		}
		switch {
		case c == '"':
			d.i++
			if plain {
				return d.b[start : d.i-1], nil
			}
			var s string
			err := json.Unmarshal([]byte(d.b[start-1:d.i]), &s)
			return s, err
		case c == '\\':
			plain = false
			d.i += 2
			continue
		}
		plain = false // control characters and non-ASCII: let encoding/json judge
		d.i++
	}
	return "", errClaimsSyntax
}

// special marks the bytes that end the fast path of a string: the quote,
// the backslash, control characters and every non-ASCII byte.
var special = func() (t [256]bool) {
	for c := range 256 {
		t[c] = c == '"' || c == '\\' || c < 0x20 || c >= 0x80
	}
	return t
}()

// number decodes a JSON number.
func (d *claimDecoder) number() (float64, error) {
	start := d.i
	for d.i < len(d.b) {
		switch c := d.b[d.i]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			d.i++
			continue
		}
		break
	}
	tok := d.b[start:d.i]
	if !validNumber(tok) {
		return 0, errClaimsSyntax
	}
	return strconv.ParseFloat(tok, 64)
}

// validNumber checks JSON's number grammar, which is stricter than
// ParseFloat's (no leading +, no leading zeros, digits around the point).
func validNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && s[i] >= '1' && s[i] <= '9':
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i >= len(s) || s[i] < '0' || s[i] > '9' {
			return false
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
	}
	return i == len(s)
}

// strings decodes an array of strings (or null).
func (d *claimDecoder) strings(out *[]string) error {
	if d.null() {
		*out = nil
		return nil
	}
	if !d.eat('[') {
		return errClaimsSyntax
	}
	list := []string{}
	d.space()
	if d.eat(']') {
		*out = list
		return nil
	}
	for {
		d.space()
		if d.null() {
			list = append(list, "")
		} else {
			s, err := d.str()
			if err != nil {
				return err
			}
			list = append(list, s)
		}
		d.space()
		if d.eat(',') {
			continue
		}
		if d.eat(']') {
			*out = list
			return nil
		}
		return errClaimsSyntax
	}
}

// skip passes over one value of any kind.
func (d *claimDecoder) skip(depth int) error {
	if depth > maxClaimsDepth {
		return errClaimsSyntax
	}
	switch c := d.peek(); {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		d.i++
		d.space()
		if d.eat(closing) {
			return nil
		}
		for {
			d.space()
			if c == '{' {
				if _, err := d.str(); err != nil {
					return err
				}
				d.space()
				if !d.eat(':') {
					return errClaimsSyntax
				}
				d.space()
			}
			if err := d.skip(depth + 1); err != nil {
				return err
			}
			d.space()
			if d.eat(',') {
				continue
			}
			if d.eat(closing) {
				return nil
			}
			return errClaimsSyntax
		}
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	default:
		_, err := d.number()
		return err
	}
}

func (d *claimDecoder) literal(word string) error {
	if !strings.HasPrefix(d.b[d.i:], word) {
		return errClaimsSyntax
	}
	d.i += len(word)
	return nil
}
