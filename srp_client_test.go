package userpool

// A client side of Cognito SRP written from the published algorithm
// (amazon-cognito-identity-js's AuthenticationHelper, re-stated in
// shared/reference/cognito.md §9) and deliberately not from srp.go: it
// works on hex strings as the JavaScript client does, parses its own group,
// and hand-rolls HKDF from HMAC. Tests run it against the server side so a
// mistake would have to be made twice, in two different styles, to pass.

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"io"
	"math/big"
	"strings"
	"time"
)

// testClientGroupHex is N as RFC 3526 §4 prints it.
const testClientGroupHex = `
FFFFFFFF FFFFFFFF C90FDAA2 2168C234 C4C6628B 80DC1CD1
29024E08 8A67CC74 020BBEA6 3B139B22 514A0879 8E3404DD
EF9519B3 CD3A431B 302B0A6D F25F1437 4FE1356D 6D51C245
E485B576 625E7EC6 F44C42E9 A637ED6B 0BFF5CB6 F406B7ED
EE386BFB 5A899FA5 AE9F2411 7C4B1FE6 49286651 ECE45B3D
C2007CB8 A163BF05 98DA4836 1C55D39A 69163FA8 FD24CF5F
83655D23 DCA3AD96 1C62F356 208552BB 9ED52907 7096966D
670C354E 4ABC9804 F1746C08 CA18217C 32905E46 2E36CE3B
E39E772C 180E8603 9B2783A2 EC07A28F B5C55DF0 6F4C52C9
DE2BCBF6 95581718 3995497C EA956AE5 15D22618 98FA0510
15728E5A 8AAAC42D AD33170D 04507A33 A85521AB DF1CBA64
ECFB8504 58DBEF0A 8AEA7157 5D060C7D B3970F85 A6E1E4C7
ABF5AE8C DB0933D7 1E8C94E0 4A25619D CEE3D226 1AD2EE6B
F12FFA06 D98A0864 D8760273 3EC86A64 521F2B18 177B200C
BBE11757 7A615D6C 770988C0 BAD946E2 08E24FA0 74E5AB31
43DB5BFC E0FD108E 4B82D120 A93AD2CA FFFFFFFF FFFFFFFF`

// testClient is one client of the SRP exchange.
type testClient struct {
	N, g, k *big.Int
	a, A    *big.Int
}

func newTestClient(random io.Reader) *testClient {
	c := &testClient{g: big.NewInt(2)}
	c.N, _ = new(big.Int).SetString(strings.Join(strings.Fields(testClientGroupHex), ""), 16)
	c.k = hexToInt(hexHash(padHex(c.N) + padHex(c.g)))
	// identity-js: a = 128 random bytes mod N; A = g^a mod N.
	buf := make([]byte, 128)
	if _, err := io.ReadFull(random, buf); err != nil {
		panic(err)
	}
	c.a = new(big.Int).Mod(new(big.Int).SetBytes(buf), c.N)
	c.A = new(big.Int).Exp(c.g, c.a, c.N)
	return c
}

// srpA is SRP_A as identity-js sends it: A.toString(16).
func (c *testClient) srpA() string { return c.A.Text(16) }

// padHex is identity-js's padHex: hex, '0' in front if odd, else '00' in
// front if the first digit is 8-f.
func padHex(n *big.Int) string {
	h := n.Text(16)
	if len(h)%2 == 1 {
		return "0" + h
	}
	if strings.ContainsRune("89abcdef", rune(h[0])) {
		return "00" + h
	}
	return h
}

// hexHash is SHA-256 of the bytes a hex string spells, as hex.
func hexHash(h string) string {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func textHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

func hexToInt(h string) *big.Int {
	n, ok := new(big.Int).SetString(h, 16)
	if !ok {
		panic("bad hex " + h)
	}
	return n
}

// testClientKey is what the client derives from the challenge: x, u, S
// and the 16-byte HKDF key.
type testClientKey struct {
	x, u, S *big.Int
	key     []byte
}

// derive computes the client's key from SALT and SRP_B as sent by the
// server (both parsed as integers, as identity-js does).
func (c *testClient) derive(poolName, userID, password, saltHex, bHex string) testClientKey {
	B := hexToInt(bHex)
	salt := hexToInt(saltHex)
	u := hexToInt(hexHash(padHex(c.A) + padHex(B)))
	x := hexToInt(hexHash(padHex(salt) + textHash(poolName+userID+":"+password)))
	// S = (B - k·g^x)^(a + u·x) mod N
	gx := new(big.Int).Exp(c.g, x, c.N)
	base := new(big.Int).Sub(B, new(big.Int).Mul(c.k, gx))
	base.Mod(base, c.N)
	exp := new(big.Int).Add(c.a, new(big.Int).Mul(u, x))
	S := new(big.Int).Exp(base, exp, c.N)
	return testClientKey{x: x, u: u, S: S, key: handHKDF(mustHex(padHex(S)), mustHex(padHex(u)), "Caldera Derived Key")}
}

// handHKDF is RFC 5869 written out: PRK = HMAC(salt, ikm); the first
// output block is HMAC(PRK, info | 0x01), truncated to 16 bytes.
func handHKDF(ikm, salt []byte, info string) []byte {
	ext := hmac.New(sha256.New, salt)
	ext.Write(ikm)
	prk := ext.Sum(nil)
	exp := hmac.New(sha256.New, prk)
	exp.Write([]byte(info))
	exp.Write([]byte{1})
	return exp.Sum(nil)[:16]
}

func mustHex(h string) []byte {
	b, err := hex.DecodeString(h)
	if err != nil {
		panic(err)
	}
	return b
}

// testClientTimestamp is identity-js's DateHelper.getNowString.
func testClientTimestamp(t time.Time) string {
	t = t.UTC()
	days := []string{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"}
	months := []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}
	two := func(n int) string {
		if n < 10 {
			return "0" + big.NewInt(int64(n)).String()
		}
		return big.NewInt(int64(n)).String()
	}
	return days[t.Weekday()] + " " + months[t.Month()-1] + " " + big.NewInt(int64(t.Day())).String() + " " +
		two(t.Hour()) + ":" + two(t.Minute()) + ":" + two(t.Second()) + " UTC " + big.NewInt(int64(t.Year())).String()
}

// sign returns PASSWORD_CLAIM_SIGNATURE for the challenge's SECRET_BLOCK.
func (k testClientKey) sign(poolName, userID, secretBlockB64, timestamp string) string {
	block, err := base64.StdEncoding.DecodeString(secretBlockB64)
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte(poolName))
	m.Write([]byte(userID))
	m.Write(block)
	m.Write([]byte(timestamp))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// testDeviceConfig is what identity-js sends in ConfirmDevice for a new
// device: a random password, and base64 of padHex(salt) and padHex(v).
func testDeviceConfig(random io.Reader, groupKey, deviceKey string) (password, saltB64, verifierB64 string) {
	c := newTestClient(random)
	pw := make([]byte, 40)
	salt := make([]byte, 16)
	io.ReadFull(random, pw)
	io.ReadFull(random, salt)
	password = base64.StdEncoding.EncodeToString(pw)
	s := new(big.Int).SetBytes(salt)
	x := hexToInt(hexHash(padHex(s) + textHash(groupKey+deviceKey+":"+password)))
	v := new(big.Int).Exp(c.g, x, c.N)
	return password, base64.StdEncoding.EncodeToString(mustHex(padHex(s))), base64.StdEncoding.EncodeToString(mustHex(padHex(v)))
}
