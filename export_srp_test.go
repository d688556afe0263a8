package userpool

import (
	"context"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/userpool/userpool/storage"
)

// SRPClientForTest plays the client of one SRP exchange (identity-js's
// AuthenticationHelper, as srp_client_test.go writes it independently of
// srp.go), for the tests of the public API.
type SRPClientForTest struct{ c *testClient }

// NewSRPClientForTest draws the client's secret a from random.
func NewSRPClientForTest(random io.Reader) *SRPClientForTest {
	return &SRPClientForTest{c: newTestClient(random)}
}

// A is SRP_A.
func (c *SRPClientForTest) A() string { return c.c.srpA() }

// Sign returns PASSWORD_CLAIM_SIGNATURE for the challenge parameters
// SALT, SRP_B and SECRET_BLOCK, the names poolName and userID (for a
// device: its group key and key), the password and TIMESTAMP.
func (c *SRPClientForTest) Sign(poolName, userID, password, saltHex, bHex, secretBlock, timestamp string) string {
	return c.c.derive(poolName, userID, password, saltHex, bHex).sign(poolName, userID, secretBlock, timestamp)
}

// SRPTimestampForTest is identity-js's TIMESTAMP of t.
func SRPTimestampForTest(t time.Time) string { return testClientTimestamp(t) }

// SRPModulusHexForTest returns N in hex.
func SRPModulusHexForTest() string { return srpN.Text(16) }

// DeviceVerifierForTest returns what identity-js sends in ConfirmDevice
// for a new device (and the device password it keeps).
func DeviceVerifierForTest(random io.Reader, groupKey, deviceKey string) (password, saltB64, verifierB64 string) {
	return testDeviceConfig(random, groupKey, deviceKey)
}

// deviceRememberedSeen records, by user sub, the DeviceRemembered flag of
// the last sign-in that reached the steps after MFA, for the tests to
// see what the MFA step is told.
var deviceRememberedSeen sync.Map

func init() {
	registerAfterPrimary(stepMFA+1, "test: device remembered", func(p *Pool, ctx context.Context, st *authState, u storage.User, c Client) (string, map[string]string, error) {
		deviceRememberedSeen.Store(u.Sub, st.DeviceRemembered)
		return "", nil, nil
	})
}

// DeviceRememberedForTest returns what the last sign-in of user sub told
// the MFA step about its device, and whether a sign-in got that far.
func DeviceRememberedForTest(sub string) (remembered, ok bool) {
	v, ok := deviceRememberedSeen.Load(sub)
	if !ok {
		return false, false
	}
	return v.(bool), true
}

// SRPServerExpsForTest returns a function that runs the server's three
// modular exponentiations of one USER_SRP_AUTH sign-in as srp.go does
// them (B = k·v + g^b, then S = (A·v^u)^b), for a real verifier and a
// client's A, for benchmarks to compare the whole exchange with.
func SRPServerExpsForTest(random io.Reader) func() {
	salt := make([]byte, srpSaltLen)
	io.ReadFull(random, salt)
	v := new(big.Int).SetBytes(srpVerifier("pool", "user", "Correct-horse-9", salt))
	A := newTestClient(random).A
	return func() {
		B, b, err := srpChallenge(v, random)
		if err != nil {
			panic(err)
		}
		_ = srpServerSecret(A, v, srpScramble(A, B), b)
	}
}
