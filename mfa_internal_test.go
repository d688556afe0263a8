package userpool

import (
	"context"
	"testing"
	"time"

	"github.com/userpool/userpool/storage"
)

// TestMFAStepRememberedDevice: a sign-in that proved a remembered device
// (authState.DeviceRemembered, set by the devices step) gets no MFA
// challenge; the same sign-in without it does.
func TestMFAStepRememberedDevice(t *testing.T) {
	clock := &srpTestClock{t: time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)}
	p := newSRPTestPool(t, nil, clock.now, WithMFA(MFARequired, FactorTOTP))
	u := storage.User{Sub: "s", Username: "ana", Attributes: map[string]string{},
		MFA: storage.UserMFA{Enabled: []string{string(FactorTOTP)}, TOTPSecret: []byte("sealed")}}
	for _, remembered := range []bool{false, true} {
		st := &authState{Sub: "s", Username: "ana", DeviceRemembered: remembered}
		name, _, err := p.mfaStep(context.Background(), st, u, Client{})
		if err != nil {
			t.Fatal(err)
		}
		want := ChallengeSoftwareTokenMFA
		if remembered {
			want = ""
		}
		if name != want {
			t.Errorf("remembered %v: challenge %q, want %q", remembered, name, want)
		}
	}
}
