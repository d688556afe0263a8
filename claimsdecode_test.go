package userpool

import (
	"encoding/json"
	"strings"
	"testing"
)

// referenceClaims decodes b with encoding/json, matching claim names
// exactly (JWT names are case-sensitive; encoding/json's struct decoding
// is not).
func referenceClaims(b []byte) (payloadClaims, error) {
	var pc payloadClaims
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return pc, errClaimsSyntax
	}
	fields := map[string]any{
		"iss": &pc.Iss, "sub": &pc.Sub, "client_id": &pc.ClientID, "token_use": &pc.TokenUse,
		"jti": &pc.JTI, "origin_jti": &pc.OriginJTI, "event_id": &pc.EventID, "username": &pc.Username,
		"cognito:username": &pc.CognitoUsername, "scope": &pc.Scope, "device_key": &pc.DeviceKey,
		"exp": &pc.Exp, "iat": &pc.Iat, "nbf": &pc.Nbf, "auth_time": &pc.AuthTime,
		"aud": &pc.Aud, "cognito:groups": &pc.Groups,
	}
	for name, raw := range m {
		if dst, ok := fields[name]; ok {
			if err := json.Unmarshal(raw, dst); err != nil {
				return pc, err
			}
		}
	}
	return pc, nil
}

var claimSeeds = []string{
	`{"sub":"s","iss":"https://x/p","client_id":"c","token_use":"access","scope":"aws.cognito.signin.user.admin","auth_time":1700000000,"iat":1700000000,"exp":1700003600,"jti":"j","origin_jti":"o","event_id":"e","username":"ana","version":2,"cognito:groups":["a","b"]}`,
	`{"aud":"c","cognito:username":"ana","email_verified":true,"address":{"formatted":"1 Main St"},"updated_at":1,"custom:tier":"gold","perms":[1,{"x":[null]}]}`,
	`{"aud":["c"],"exp":1.5e9,"iat":null,"nbf":0}`,
	`{"sub":"\u00e9\n","iss":"caf\u00e9","exp":1,"exp":2}`,
	`{"exp":"1","exp":1}`,
	`{"cognito:groups":null,"aud":null}`,
	` { } `,
	`{"ISS":"upper"}`,
	`{"sub":"a\xffb"}`,
	`{"exp":01}`, `{"exp":-}`, `{"exp":1.}`, `{"exp":1e}`, `{"exp":+1}`, `{"a":tru}`, `{"a":"\x01"}`, `{"a":"\q"}`,
	`{"a":[1,]}`, `{"a":1,}`, `{"a" 1}`, `[1]`, `null`, `{"a":1}x`, `{"a":{"b":1,"c"}}`,
}

func TestDecodeClaimsMatchesEncodingJSON(t *testing.T) {
	for _, s := range claimSeeds {
		checkClaimsDecoder(t, []byte(s))
	}
	deep := strings.Repeat(`{"a":`, 200) + "1" + strings.Repeat("}", 200)
	checkClaimsDecoder(t, []byte(`{"x":`+deep+`,"sub":"s"}`))
}

func FuzzDecodeClaims(f *testing.F) {
	for _, s := range claimSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(checkClaimsDecoder)
}

// checkClaimsDecoder asserts that decodeClaims accepts whatever
// encoding/json accepts, with the same result, and never panics.
func checkClaimsDecoder(t *testing.T, b []byte) {
	var got payloadClaims
	err := decodeClaims(b, &got)
	want, werr := referenceClaims(b)
	if werr != nil {
		return // lenience is allowed on signed payloads
	}
	if err != nil {
		t.Fatalf("%q: decodeClaims failed (%v) where encoding/json gives %+v", b, err, want)
	}
	// Compared as JSON: pointers by the values they point to, nil and
	// empty slices apart.
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Fatalf("%q:\ngot  %+v\nwant %+v", b, got, want)
	}
}

func FuzzParseRefreshToken(f *testing.F) {
	f.Add("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("eyJhbGciOiJSUzI1NiJ9.e30.x")
	f.Add("")
	f.Fuzz(func(t *testing.T, token string) {
		hash, ok := parseRefreshToken(token)
		if ok != (len(token) == refreshTokenLen && hash == hashRefreshToken(token)) {
			t.Fatalf("%q: ok=%v hash=%q", token, ok, hash)
		}
		if ok && len(hash) != 64 {
			t.Fatalf("hash %q is not hex SHA-256", hash)
		}
	})
}
