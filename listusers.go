package userpool

import (
	"context"
	"slices"

	"github.com/userpool/userpool/storage"
)

// ListUsersInput asks for one page of ListUsers.
type ListUsersInput struct {
	// Filter selects users in Cognito's syntax (see [ParseFilter]); ""
	// lists every user.
	Filter string
	// Limit is the page size: 0 means DefaultListLimit (60, Cognito's
	// default and maximum); the library accepts up to MaxListLimit.
	Limit int
	// PaginationToken continues the listing from the page that returned
	// it; "" starts from the beginning. It must be used with the same
	// filter, within PageTokenValidity.
	PaginationToken string
	// AttributesToGet, when not empty, limits each user's Attributes to
	// these names (each must be an attribute of the pool's schema).
	// Attributes a user lacks are left out rather than refused.
	AttributesToGet []string
}

// ListUsersOutput is one page of users.
type ListUsersOutput struct {
	Users []User
	// PaginationToken continues the listing, or is "" on the last page.
	PaginationToken string
}

// ListUsers returns a page of the pool's users that match the filter. It
// mirrors ListUsers. Users come in the order of the filtered attribute
// (by user name without a filter), ties by sub; each user appears once
// across the pages of a listing even while users are added and removed,
// and the store answers from an index, not a scan.
//
// A malformed filter, an unknown attribute in AttributesToGet, a limit
// out of range, and a pagination token that was altered, made for another
// filter or pool, or is older than PageTokenValidity all give
// ErrInvalidParameter.
func (p *Pool) ListUsers(ctx context.Context, in ListUsersInput) (ListUsersOutput, error) {
	f, err := ParseFilter(in.Filter)
	if err != nil {
		return ListUsersOutput{}, err
	}
	limit, err := listLimit(in.Limit)
	if err != nil {
		return ListUsersOutput{}, err
	}
	for _, name := range in.AttributesToGet {
		if _, ok := p.schema[name]; !ok {
			return ListUsersOutput{}, ErrInvalidParameter.With("Attribute does not exist in the schema: %s", name)
		}
	}
	// The token is bound to the filter as rendered canonically, so
	// spellings of one filter that differ only in white space share
	// tokens, and a token cannot carry a cursor into another listing.
	scope := f.String()
	cursor, err := p.openPage(ctx, "ListUsers", scope, "PaginationToken", in.PaginationToken)
	if err != nil {
		return ListUsersOutput{}, err
	}
	q, none := f.query()
	if none {
		return ListUsersOutput{Users: []User{}}, nil
	}
	q.PageRequest = storage.PageRequest{Limit: limit, Cursor: cursor}
	page, err := p.store.ListUsers(ctx, p.id, q)
	if err != nil {
		return ListUsersOutput{}, p.internal("list users", err)
	}
	next, err := p.sealPage(ctx, "ListUsers", scope, page.Next)
	if err != nil {
		return ListUsersOutput{}, err
	}
	out := ListUsersOutput{Users: make([]User, len(page.Items)), PaginationToken: next}
	for i, u := range page.Items {
		out.Users[i] = publicUser(u)
		if len(in.AttributesToGet) > 0 {
			for name := range out.Users[i].Attributes {
				if !slices.Contains(in.AttributesToGet, name) {
					delete(out.Users[i].Attributes, name)
				}
			}
		}
	}
	return out, nil
}
