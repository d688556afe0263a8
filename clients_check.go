package userpool

import "context"

// checkClient is the seam where public (client-identified) operations will
// check their app client: that clientID names a client of this pool, and
// that secretHash is right when the client has a secret (Cognito's
// SECRET_HASH, see cognito.md §11.5). The app-client issue fills it in.
//
// Until then it accepts every request: operations take ClientID and pass it
// on to triggers, but do not validate it. It is deliberately a no-op, not a
// stub that fakes a result, so nothing depends on behaviour it does not
// have.
func (p *Pool) checkClient(ctx context.Context, clientID, username, secretHash string) error {
	return nil
}
