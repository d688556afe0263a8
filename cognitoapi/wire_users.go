package cognitoapi

import (
	"maps"
	"slices"

	"github.com/userpool/userpool"
)

// Wire shapes shared by the user, sign-in and group operations, named as
// Cognito's API model (cognito-idp 2016-04-18).

// attributeType is one user attribute: {"Name": ..., "Value": ...}.
type attributeType struct {
	Name  string
	Value *string
}

// attributesOut renders attributes sorted by name, so answers are stable.
func attributesOut(m map[string]string) []attributeType {
	out := make([]attributeType, 0, len(m))
	for _, name := range slices.Sorted(maps.Keys(m)) {
		v := m[name]
		out = append(out, attributeType{Name: name, Value: &v})
	}
	return out
}

// attributesIn turns a request's list into the library's map. A missing
// Value is "", which the update operations take as a deletion, as Cognito
// does; a name given twice keeps its last value.
func attributesIn(list []attributeType) map[string]string {
	if list == nil {
		return nil
	}
	m := make(map[string]string, len(list))
	for _, a := range list {
		v := ""
		if a.Value != nil {
			v = *a.Value
		}
		m[a.Name] = v
	}
	return m
}

// codeDeliveryDetailsType says where a code went.
type codeDeliveryDetailsType struct {
	Destination    string `json:",omitempty"`
	DeliveryMedium string `json:",omitempty"`
	AttributeName  string `json:",omitempty"`
}

func deliveryOut(d userpool.CodeDeliveryDetails) codeDeliveryDetailsType {
	return codeDeliveryDetailsType{Destination: d.Destination, DeliveryMedium: string(d.DeliveryMedium), AttributeName: d.AttributeName}
}

// deliveryPtr renders an optional delivery; nil stays absent.
func deliveryPtr(d *userpool.CodeDeliveryDetails) *codeDeliveryDetailsType {
	if d == nil || (d.Destination == "" && d.DeliveryMedium == "") {
		return nil
	}
	out := deliveryOut(*d)
	return &out
}

// mfaOptionType is the legacy per-user SMS MFA setting.
type mfaOptionType struct {
	DeliveryMedium string `json:",omitempty"`
	AttributeName  string `json:",omitempty"`
}

// userType is a user as ListUsers, ListUsersInGroup and AdminCreateUser
// return it.
type userType struct {
	Username             string
	Attributes           []attributeType
	UserCreateDate       epochSeconds `json:",omitzero"`
	UserLastModifiedDate epochSeconds `json:",omitzero"`
	Enabled              bool
	UserStatus           string
	MFAOptions           []mfaOptionType `json:",omitempty"`
}

func userOut(u userpool.User) userType {
	return userType{
		Username: u.Username, Attributes: attributesOut(u.Attributes),
		UserCreateDate: epoch(u.CreatedAt), UserLastModifiedDate: epoch(u.LastModifiedAt),
		Enabled: u.Enabled, UserStatus: string(u.Status), MFAOptions: mfaOptions(u),
	}
}

func usersOut(us []userpool.User) []userType {
	out := make([]userType, 0, len(us))
	for _, u := range us {
		out = append(out, userOut(u))
	}
	return out
}

// mfaOptions reports SMS MFA in the legacy MFAOptions member, as Cognito
// does for users with SMS MFA enabled.
func mfaOptions(u userpool.User) []mfaOptionType {
	if slices.Contains(u.MFAMethods, userpool.FactorSMS) {
		return []mfaOptionType{{DeliveryMedium: "SMS", AttributeName: "phone_number"}}
	}
	return nil
}

func factorNames(fs []userpool.Factor) []string {
	if len(fs) == 0 {
		return nil
	}
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f)
	}
	return out
}

// newDeviceMetadataType is a device the client should confirm.
type newDeviceMetadataType struct {
	DeviceKey      string
	DeviceGroupKey string
}

// authenticationResultType carries the tokens of a finished sign-in.
type authenticationResultType struct {
	AccessToken       string                 `json:",omitempty"`
	ExpiresIn         int                    `json:",omitempty"`
	TokenType         string                 `json:",omitempty"`
	RefreshToken      string                 `json:",omitempty"`
	IdToken           string                 `json:",omitempty"`
	NewDeviceMetadata *newDeviceMetadataType `json:",omitempty"`
}

func resultOut(r *userpool.AuthenticationResult) *authenticationResultType {
	if r == nil {
		return nil
	}
	out := &authenticationResultType{AccessToken: r.AccessToken, ExpiresIn: r.ExpiresIn, TokenType: r.TokenType,
		RefreshToken: r.RefreshToken, IdToken: r.IDToken}
	if d := r.NewDeviceMetadata; d != nil {
		out.NewDeviceMetadata = &newDeviceMetadataType{DeviceKey: d.DeviceKey, DeviceGroupKey: d.DeviceGroupKey}
	}
	return out
}

// authOutput is the answer of InitiateAuth, RespondToAuthChallenge and
// their admin variants.
type authOutput struct {
	ChallengeName        string `json:",omitempty"`
	Session              string `json:",omitempty"`
	ChallengeParameters  map[string]string
	AvailableChallenges  []string                  `json:",omitempty"`
	AuthenticationResult *authenticationResultType `json:",omitempty"`
}

// authOut renders a sign-in step, its session prefixed with its pool.
func (h *Handler) authOut(p *userpool.Pool, o userpool.AuthOutput) *authOutput {
	params := o.ChallengeParameters
	if params == nil {
		params = map[string]string{}
	}
	return &authOutput{ChallengeName: o.ChallengeName, Session: wrapSession(p.ID(), o.Session), ChallengeParameters: params,
		AvailableChallenges:  o.AvailableChallenges,
		AuthenticationResult: resultOut(o.AuthenticationResult)}
}

// groupType is a group.
type groupType struct {
	GroupName        string
	UserPoolId       string
	Description      string `json:",omitempty"`
	RoleArn          string `json:",omitempty"`
	Precedence       *int64 `json:",omitempty"`
	LastModifiedDate epochSeconds
	CreationDate     epochSeconds
}

func groupOut(poolID string, g userpool.Group) groupType {
	return groupType{GroupName: g.GroupName, UserPoolId: poolID, Description: g.Description, RoleArn: g.RoleARN,
		Precedence: g.Precedence, LastModifiedDate: epoch(g.LastModifiedAt), CreationDate: epoch(g.CreatedAt)}
}

func groupsOut(poolID string, gs []userpool.Group) []groupType {
	out := make([]groupType, 0, len(gs))
	for _, g := range gs {
		out = append(out, groupOut(poolID, g))
	}
	return out
}
