package cognitoapi

import (
	"context"
	"encoding/base64"
	"slices"

	"github.com/userpool/userpool"
)

// The resource server operations (signed): CreateResourceServer,
// DescribeResourceServer, UpdateResourceServer, DeleteResourceServer,
// ListResourceServers.

type resourceServerScopeType struct {
	ScopeName        string
	ScopeDescription string
}

type resourceServerType struct {
	UserPoolId string
	Identifier string
	Name       string
	Scopes     []resourceServerScopeType
}

func resourceServerOut(poolID string, rs userpool.ResourceServer) resourceServerType {
	out := resourceServerType{UserPoolId: poolID, Identifier: rs.Identifier, Name: rs.Name, Scopes: []resourceServerScopeType{}}
	for _, s := range rs.Scopes {
		out.Scopes = append(out.Scopes, resourceServerScopeType{ScopeName: s.Name, ScopeDescription: s.Description})
	}
	return out
}

// resourceServerInput is the request of Create, Update, Describe and
// DeleteResourceServer (the last two read only the pool and identifier).
type resourceServerInput struct {
	UserPoolId string
	Identifier string
	Name       string
	Scopes     []resourceServerScopeType
}

func (in *resourceServerInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Identifier", in.Identifier != ""))
}

func (in *resourceServerInput) lib() userpool.ResourceServer {
	rs := userpool.ResourceServer{Identifier: in.Identifier, Name: in.Name}
	for _, s := range in.Scopes {
		rs.Scopes = append(rs.Scopes, userpool.ResourceServerScope{Name: s.ScopeName, Description: s.ScopeDescription})
	}
	return rs
}

type resourceServerOutput struct {
	ResourceServer resourceServerType
}

func createResourceServer(ctx context.Context, h *Handler, in *resourceServerInput) (*resourceServerOutput, error) {
	if err := required(need("Name", in.Name != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rs, err := p.CreateResourceServer(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerOut(p.ID(), rs)}, nil
}

func describeResourceServer(ctx context.Context, h *Handler, in *resourceServerInput) (*resourceServerOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rs, err := p.DescribeResourceServer(ctx, in.Identifier)
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerOut(p.ID(), rs)}, nil
}

func updateResourceServer(ctx context.Context, h *Handler, in *resourceServerInput) (*resourceServerOutput, error) {
	if err := required(need("Name", in.Name != "")); err != nil {
		return nil, err
	}
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	rs, err := p.UpdateResourceServer(ctx, in.lib())
	if err != nil {
		return nil, err
	}
	return &resourceServerOutput{ResourceServer: resourceServerOut(p.ID(), rs)}, nil
}

func deleteResourceServer(ctx context.Context, h *Handler, in *resourceServerInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteResourceServer(ctx, in.Identifier)
}

type listResourceServersInput struct {
	UserPoolId string
	MaxResults int
	NextToken  string
}

func (in *listResourceServersInput) check() error {
	if err := required(need("UserPoolId", in.UserPoolId != ""), need("MaxResults", in.MaxResults != 0)); err != nil {
		return err
	}
	if in.MaxResults < 1 || in.MaxResults > 50 {
		return userpool.ErrInvalidParameter.With("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 50", in.MaxResults)
	}
	return nil
}

type listResourceServersOutput struct {
	ResourceServers []resourceServerType
	NextToken       string `json:",omitempty"`
}

// listResourceServers pages the pool's servers in creation order. The
// token is the identifier of the last server returned (a pool has few
// servers, and identifiers do not change); a token naming a server
// deleted since is refused, as a stale token.
func listResourceServers(ctx context.Context, h *Handler, in *listResourceServersInput) (*listResourceServersOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	all, err := p.ListResourceServers(ctx)
	if err != nil {
		return nil, err
	}
	start := 0
	if in.NextToken != "" {
		after, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		i := slices.IndexFunc(all, func(rs userpool.ResourceServer) bool { return rs.Identifier == string(after) })
		if err != nil || i < 0 {
			return nil, userpool.ErrInvalidParameter.With("Invalid pagination token.")
		}
		start = i + 1
	}
	page := all[start:min(start+in.MaxResults, len(all))]
	out := &listResourceServersOutput{ResourceServers: []resourceServerType{}}
	for _, rs := range page {
		out.ResourceServers = append(out.ResourceServers, resourceServerOut(p.ID(), rs))
	}
	if start+len(page) < len(all) {
		out.NextToken = base64.RawURLEncoding.EncodeToString([]byte(page[len(page)-1].Identifier))
	}
	return out, nil
}
