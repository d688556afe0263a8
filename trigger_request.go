package userpool

import (
	"maps"

	"github.com/userpool/userpool/storage"
)

// triggerRequest fills the part every trigger event shares for user u:
// its attributes as Cognito passes them (sub included, booleans as
// "true"/"false", and the status as cognito:user_status) and copies of
// the caller's metadata, so a trigger cannot change the pool's data by
// writing to the maps it was given.
func (p *Pool) triggerRequest(source, clientID string, u storage.User, metadata map[string]string) TriggerRequest {
	attrs := publicUser(u).Attributes
	if u.Status != "" {
		attrs["cognito:user_status"] = u.Status
	}
	return TriggerRequest{
		TriggerSource:  source,
		PoolID:         p.id,
		ClientID:       clientID,
		Username:       u.Username,
		UserAttributes: attrs,
		ClientMetadata: cloneMetadata(metadata),
	}
}

// cloneMetadata copies caller metadata, never returning nil so triggers
// can read it without a check.
func cloneMetadata(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
