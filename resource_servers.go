package userpool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"

	"github.com/userpool/userpool/storage"
)

// ResourceServer is an API that accepts the pool's access tokens, with the
// custom scopes it defines. Clients are allowed its scopes as
// "<Identifier>/<scope name>" in ClientConfig.AllowedOAuthScopes, and
// access tokens carry them in their scope claim (client_credentials
// tokens, and authorization-code tokens that asked for them).
type ResourceServer struct {
	// Identifier names the server, usually its URL (1 to 256 characters).
	Identifier string `json:"identifier"`
	// Name is a friendly name (1 to 256 characters).
	Name   string                `json:"name"`
	Scopes []ResourceServerScope `json:"scopes,omitempty"`
}

// ResourceServerScope is one custom scope of a resource server.
type ResourceServerScope struct {
	Name        string `json:"name"`
	Description string `json:"description"`
}

// The API model's patterns of resource server fields.
var (
	resourceServerIDPattern   = regexp.MustCompile(`^[\x21\x23-\x5B\x5D-\x7E]{1,256}$`)
	resourceServerNamePattern = regexp.MustCompile(`^[\w\s+=,.@-]{1,256}$`)
	scopeNamePattern          = regexp.MustCompile(`^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$`)
)

// maxResourceServerScopes is Cognito's limit of scopes per server.
const maxResourceServerScopes = 100

// WithResourceServer declares a resource server that New adds to the pool
// if the pool lacks one of that identifier.
func WithResourceServer(rs ResourceServer) Option {
	return func(o *options) {
		o.cfg.ResourceServers = append(o.cfg.ResourceServers, rs.clone())
		o.set("ResourceServers."+rs.Identifier, "WithResourceServer")
	}
}

func (rs ResourceServer) clone() ResourceServer {
	rs.Scopes = slices.Clone(rs.Scopes)
	return rs
}

// check returns the problems of rs, as InvalidParameter messages.
func (rs ResourceServer) check() []string {
	var problems []string
	if !resourceServerIDPattern.MatchString(rs.Identifier) {
		problems = append(problems, fmt.Sprintf("resource server identifier %q must be 1 to 256 printable characters without quotes or backslashes", rs.Identifier))
	}
	if !resourceServerNamePattern.MatchString(rs.Name) {
		problems = append(problems, fmt.Sprintf("resource server name %q must be 1 to 256 letters, digits, spaces or + = , . @ -", rs.Name))
	}
	if len(rs.Scopes) > maxResourceServerScopes {
		problems = append(problems, fmt.Sprintf("a resource server has at most %d scopes", maxResourceServerScopes))
	}
	for i, s := range rs.Scopes {
		if !scopeNamePattern.MatchString(s.Name) {
			problems = append(problems, fmt.Sprintf("scope name %q must be 1 to 256 printable characters without /, quotes or backslashes", s.Name))
		}
		if slices.ContainsFunc(rs.Scopes[:i], func(o ResourceServerScope) bool { return o.Name == s.Name }) {
			problems = append(problems, fmt.Sprintf("scope %q is defined twice", s.Name))
		}
	}
	return problems
}

// resourceServers validates the declared resource servers.
func (v *validator) resourceServers() {
	for i, rs := range v.o.cfg.ResourceServers {
		field := "ResourceServers." + rs.Identifier
		for _, msg := range rs.check() {
			v.fail(field, "%s", msg)
		}
		if slices.ContainsFunc(v.o.cfg.ResourceServers[:i], func(o ResourceServer) bool { return o.Identifier == rs.Identifier }) {
			v.fail(field, "two resource servers are identified as %q", rs.Identifier)
		}
	}
}

// mergeResourceServers returns the stored resource servers followed by the
// declared ones the store lacks: servers created at run time (with
// CreateResourceServer) survive a restart whose options do not declare
// them.
func mergeResourceServers(stored, declared []ResourceServer) []ResourceServer {
	out := slices.Clone(stored)
	for _, rs := range declared {
		if !slices.ContainsFunc(out, func(o ResourceServer) bool { return o.Identifier == rs.Identifier }) {
			out = append(out, rs)
		}
	}
	return out
}

// storedResourceServers reads the resource servers from the pool's record,
// so a server created by another instance is seen at once.
func (p *Pool) storedResourceServers(ctx context.Context) ([]ResourceServer, error) {
	rec, err := p.store.GetPool(ctx, p.id)
	if err != nil {
		return nil, p.internal("read the pool", err)
	}
	var cfg struct {
		ResourceServers []ResourceServer `json:"resourceServers"`
	}
	if err := json.Unmarshal(rec.Settings, &cfg); err != nil {
		return nil, p.internal("read the pool's settings", err)
	}
	return cfg.ResourceServers, nil
}

// CreateResourceServer adds a resource server to the pool, mirroring
// Cognito's CreateResourceServer. It is stored with the pool's settings.
// Errors: InvalidParameter for a malformed server or an identifier in use.
func (p *Pool) CreateResourceServer(ctx context.Context, rs ResourceServer) (ResourceServer, error) {
	if problems := rs.check(); len(problems) > 0 {
		return ResourceServer{}, ErrInvalidParameter.With("%s", problems[0])
	}
	rs = rs.clone()
	err := p.modifyResourceServers(ctx, func(servers []ResourceServer) ([]ResourceServer, error) {
		if slices.ContainsFunc(servers, rs.sameIdentifier) {
			return nil, ErrInvalidParameter.With("%s already exists in user pool %s.", rs.Identifier, p.id)
		}
		return append(servers, rs), nil
	})
	if err != nil {
		return ResourceServer{}, err
	}
	return rs.clone(), nil
}

// UpdateResourceServer replaces the name and the scopes of the resource
// server with rs.Identifier, mirroring Cognito's UpdateResourceServer:
// scopes left out are removed, and tokens issued afterwards no longer
// carry them, though clients keep them in AllowedOAuthScopes. Errors:
// InvalidParameter for a malformed server, ResourceNotFound for an
// unknown identifier.
func (p *Pool) UpdateResourceServer(ctx context.Context, rs ResourceServer) (ResourceServer, error) {
	if problems := rs.check(); len(problems) > 0 {
		return ResourceServer{}, ErrInvalidParameter.With("%s", problems[0])
	}
	rs = rs.clone()
	err := p.modifyResourceServers(ctx, func(servers []ResourceServer) ([]ResourceServer, error) {
		i := slices.IndexFunc(servers, rs.sameIdentifier)
		if i < 0 {
			return nil, errResourceServerNotFound(rs.Identifier)
		}
		servers[i] = rs
		return servers, nil
	})
	if err != nil {
		return ResourceServer{}, err
	}
	return rs.clone(), nil
}

// DeleteResourceServer removes a resource server, mirroring Cognito's
// DeleteResourceServer; tokens issued afterwards no longer carry its
// scopes. A server declared with [WithResourceServer] comes back the next
// time [New] runs with that option. Errors: ResourceNotFound for an
// unknown identifier.
func (p *Pool) DeleteResourceServer(ctx context.Context, identifier string) error {
	return p.modifyResourceServers(ctx, func(servers []ResourceServer) ([]ResourceServer, error) {
		i := slices.IndexFunc(servers, func(o ResourceServer) bool { return o.Identifier == identifier })
		if i < 0 {
			return nil, errResourceServerNotFound(identifier)
		}
		return slices.Delete(servers, i, i+1), nil
	})
}

func (rs ResourceServer) sameIdentifier(o ResourceServer) bool { return o.Identifier == rs.Identifier }

func errResourceServerNotFound(identifier string) error {
	return ErrResourceNotFound.With("Resource server %s does not exist.", identifier)
}

// modifyResourceServers applies change to the resource servers stored with
// the pool's settings, retrying on a concurrent update of the pool record,
// so that changes made at once by several instances all land. Only this
// key of the stored settings changes: the rest is kept byte for byte. An
// error from change is returned as it is, and nothing is stored.
func (p *Pool) modifyResourceServers(ctx context.Context, change func([]ResourceServer) ([]ResourceServer, error)) error {
	for {
		rec, err := p.store.GetPool(ctx, p.id)
		if err != nil {
			return p.internal("read the pool", err)
		}
		var settings map[string]json.RawMessage
		if err := json.Unmarshal(rec.Settings, &settings); err != nil {
			return p.internal("read the pool's settings", err)
		}
		var servers []ResourceServer
		if raw, ok := settings["resourceServers"]; ok {
			if err := json.Unmarshal(raw, &servers); err != nil {
				return p.internal("read the pool's settings", err)
			}
		}
		servers, err = change(servers)
		if err != nil {
			return err
		}
		raw, err := json.Marshal(servers)
		if err != nil {
			return p.internal("encode resource servers", err)
		}
		settings["resourceServers"] = raw
		if rec.Settings, err = json.Marshal(settings); err != nil {
			return p.internal("encode the pool's settings", err)
		}
		rec.UpdatedAt = p.now()
		err = p.store.UpdatePool(ctx, rec)
		if errors.Is(err, storage.ErrConflict) {
			continue
		}
		if err != nil {
			return p.internal("update the pool", err)
		}
		return nil
	}
}

// DescribeResourceServer returns a resource server, mirroring Cognito's
// DescribeResourceServer; ResourceNotFound if the pool has none with that
// identifier.
func (p *Pool) DescribeResourceServer(ctx context.Context, identifier string) (ResourceServer, error) {
	servers, err := p.storedResourceServers(ctx)
	if err != nil {
		return ResourceServer{}, err
	}
	for _, rs := range servers {
		if rs.Identifier == identifier {
			return rs, nil
		}
	}
	return ResourceServer{}, errResourceServerNotFound(identifier)
}

// ListResourceServers returns the pool's resource servers in creation
// order, mirroring Cognito's ListResourceServers (without paging: a pool
// has at most 25).
func (p *Pool) ListResourceServers(ctx context.Context) ([]ResourceServer, error) {
	return p.storedResourceServers(ctx)
}

// customScopes returns the set of the pool's resource-server scopes, as
// "<identifier>/<scope>".
func (p *Pool) customScopes(ctx context.Context) (map[string]bool, error) {
	servers, err := p.storedResourceServers(ctx)
	if err != nil {
		return nil, err
	}
	out := map[string]bool{}
	for _, rs := range servers {
		for _, s := range rs.Scopes {
			out[rs.Identifier+"/"+s.Name] = true
		}
	}
	return out, nil
}

// OAuthScopes returns every scope a client of the pool may be allowed:
// openid, email, phone, profile, aws.cognito.signin.user.admin and the
// resource servers' scopes.
func (p *Pool) OAuthScopes(ctx context.Context) ([]string, error) {
	custom, err := p.customScopes(ctx)
	if err != nil {
		return nil, err
	}
	out := []string{ScopeOpenID, ScopeEmail, ScopePhone, ScopeProfile, ScopeAdmin}
	for s := range custom {
		out = append(out, s)
	}
	slices.Sort(out[5:])
	return out, nil
}

func cloneResourceServers(in []ResourceServer) []ResourceServer {
	if in == nil {
		return nil
	}
	out := make([]ResourceServer, len(in))
	for i, rs := range in {
		out[i] = rs.clone()
	}
	return out
}

// withStoredResourceServers adds the resource servers of the stored
// settings to the pool's configuration when New opens an existing pool,
// and returns the settings to store.
func (p *Pool) withStoredResourceServers(stored Config) ([]byte, error) {
	p.cfg.ResourceServers = mergeResourceServers(stored.ResourceServers, p.cfg.ResourceServers)
	settings, err := json.Marshal(p.cfg)
	if err != nil {
		return nil, fmt.Errorf("userpool: encode settings: %w", err)
	}
	return settings, nil
}
