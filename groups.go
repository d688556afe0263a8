package userpool

import (
	"cmp"
	"context"
	"errors"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/userpool/userpool/storage"
)

// Group limits, as Cognito's.
const (
	// MaxGroupsPerUser is how many groups one user may belong to.
	MaxGroupsPerUser = 100
	// MaxGroupsPerPool is how many groups a pool may have.
	MaxGroupsPerPool = 10000
)

// Group is a group of users, as GetGroup shows it.
type Group struct {
	GroupName   string
	Description string
	// Precedence orders a user's groups in tokens, lower first; nil comes
	// after every number.
	Precedence *int64
	// RoleARN is the IAM role of the group's members, or "".
	RoleARN        string
	CreatedAt      time.Time
	LastModifiedAt time.Time
}

// GroupInput is a group to create.
type GroupInput struct {
	// GroupName is 1 to 128 characters of letters, marks, symbols, digits
	// and punctuation (no white space). Names are case-sensitive.
	GroupName string
	// Description is at most 2048 characters.
	Description string
	// Precedence is 0 to 2^31-1, or nil.
	Precedence *int64
	// RoleARN is an IAM role ARN (arn:aws:iam::<account>:role/<name>), or "".
	RoleARN string
}

// GroupUpdate changes a group: a nil field leaves the setting as it is (as
// Cognito's UpdateGroup does with absent fields); a pointer to "" clears
// the description or role.
type GroupUpdate struct {
	Description *string
	Precedence  *int64
	RoleARN     *string
}

// GroupPage is one page of groups. NextToken continues the listing, or is
// "" on the last page.
type GroupPage struct {
	Groups    []Group
	NextToken string
}

// UserPage is one page of users. NextToken continues the listing, or is ""
// on the last page.
type UserPage struct {
	Users     []User
	NextToken string
}

var (
	groupNamePattern = regexp.MustCompile(`^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$`)
	// roleARNPattern accepts IAM role ARNs of every partition, with paths.
	roleARNPattern = regexp.MustCompile(`^arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)
)

func validGroupName(name string) error {
	if n := utf8.RuneCountInString(name); n < 1 || n > 128 || !utf8.ValidString(name) || !groupNamePattern.MatchString(name) {
		return ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'groupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+ and have length between 1 and 128", name)
	}
	return nil
}

func validDescription(d string) error {
	if !utf8.ValidString(d) || utf8.RuneCountInString(d) > 2048 {
		return ErrInvalidParameter.With("1 validation error detected: Value at 'description' failed to satisfy constraint: Member must have length less than or equal to 2048")
	}
	return nil
}

func validPrecedence(p *int64) error {
	if p != nil && (*p < 0 || *p > math.MaxInt32) {
		return ErrInvalidParameter.With("1 validation error detected: Value '%d' at 'precedence' failed to satisfy constraint: Member must have value between 0 and 2147483647", *p)
	}
	return nil
}

func validRoleARN(arn string) error {
	if arn != "" && (len(arn) > 2048 || !roleARNPattern.MatchString(arn)) {
		return ErrInvalidParameter.With("1 validation error detected: Value '%s' at 'roleArn' failed to satisfy constraint: Member must be an IAM role ARN (arn:aws:iam::<account>:role/<name>)", arn)
	}
	return nil
}

func errGroupNotFound() error { return ErrResourceNotFound.With("Group not found.") }

func publicGroup(g storage.Group) Group {
	out := Group{
		GroupName:      g.Name,
		Description:    g.Description,
		RoleARN:        g.RoleARN,
		CreatedAt:      g.CreatedAt,
		LastModifiedAt: g.UpdatedAt,
	}
	if g.Precedence != nil {
		out.Precedence = new(*g.Precedence)
	}
	return out
}

func publicGroups(gs []storage.Group) []Group {
	out := make([]Group, len(gs))
	for i, g := range gs {
		out[i] = publicGroup(g)
	}
	return out
}

// CreateGroup creates a group. It mirrors CreateGroup: a taken name gives
// ErrGroupExists, a pool at MaxGroupsPerPool groups ErrLimitExceeded, and
// invalid input ErrInvalidParameter. The pool-wide limit is checked before
// the write, so instances creating groups at the same moment may pass it
// by a few.
func (p *Pool) CreateGroup(ctx context.Context, in GroupInput) (Group, error) {
	for _, err := range []error{validGroupName(in.GroupName), validDescription(in.Description), validPrecedence(in.Precedence), validRoleARN(in.RoleARN)} {
		if err != nil {
			return Group{}, err
		}
	}
	existing, err := p.store.ListGroups(ctx, p.id, storage.PageRequest{Limit: MaxGroupsPerPool})
	if err != nil {
		return Group{}, p.internal("count groups", err)
	}
	if existing.Next != "" || len(existing.Items) >= MaxGroupsPerPool {
		return Group{}, ErrLimitExceeded.With("The user pool has reached its limit of %d groups.", MaxGroupsPerPool)
	}
	now := p.now()
	g := storage.Group{
		PoolID:      p.id,
		Name:        in.GroupName,
		Description: in.Description,
		RoleARN:     in.RoleARN,
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	if in.Precedence != nil {
		g.Precedence = new(*in.Precedence)
	}
	err = p.store.CreateGroup(ctx, g)
	if errors.Is(err, storage.ErrConflict) {
		return Group{}, ErrGroupExists.With("A group with the name %s already exists.", in.GroupName)
	}
	if err != nil {
		return Group{}, p.internal("create group", err)
	}
	return publicGroup(g), nil
}

// group loads a group by name, or gives ErrResourceNotFound.
func (p *Pool) group(ctx context.Context, name string) (storage.Group, error) {
	if err := validGroupName(name); err != nil {
		return storage.Group{}, err
	}
	g, err := p.store.GetGroup(ctx, p.id, name)
	if errors.Is(err, storage.ErrNotFound) {
		return storage.Group{}, errGroupNotFound()
	}
	if err != nil {
		return storage.Group{}, p.internal("get group", err)
	}
	return g, nil
}

// GetGroup returns a group. It mirrors GetGroup: an unknown group gives
// ErrResourceNotFound "Group not found.".
func (p *Pool) GetGroup(ctx context.Context, name string) (Group, error) {
	g, err := p.group(ctx, name)
	if err != nil {
		return Group{}, err
	}
	return publicGroup(g), nil
}

// UpdateGroup changes a group's description, precedence or role and
// returns the group as updated. It mirrors UpdateGroup: an unknown group
// gives ErrResourceNotFound. Users' tokens show the change from their next
// issue on.
func (p *Pool) UpdateGroup(ctx context.Context, name string, u GroupUpdate) (Group, error) {
	if err := validGroupName(name); err != nil {
		return Group{}, err
	}
	if u.Description != nil {
		if err := validDescription(*u.Description); err != nil {
			return Group{}, err
		}
	}
	if err := validPrecedence(u.Precedence); err != nil {
		return Group{}, err
	}
	if u.RoleARN != nil {
		if err := validRoleARN(*u.RoleARN); err != nil {
			return Group{}, err
		}
	}
	g, err := p.group(ctx, name)
	if err != nil {
		return Group{}, err
	}
	if u.Description != nil {
		g.Description = *u.Description
	}
	if u.Precedence != nil {
		g.Precedence = new(*u.Precedence)
	}
	if u.RoleARN != nil {
		g.RoleARN = *u.RoleARN
	}
	g.UpdatedAt = p.now()
	err = p.store.UpdateGroup(ctx, g)
	if errors.Is(err, storage.ErrNotFound) {
		return Group{}, errGroupNotFound()
	}
	if err != nil {
		return Group{}, p.internal("update group", err)
	}
	return publicGroup(g), nil
}

// DeleteGroup deletes a group and every membership in it. It mirrors
// DeleteGroup: an unknown group gives ErrResourceNotFound. Tokens already
// issued keep the group until they expire.
func (p *Pool) DeleteGroup(ctx context.Context, name string) error {
	if err := validGroupName(name); err != nil {
		return err
	}
	err := p.store.DeleteGroup(ctx, p.id, name)
	if errors.Is(err, storage.ErrNotFound) {
		return errGroupNotFound()
	}
	if err != nil {
		return p.internal("delete group", err)
	}
	return nil
}

// ListGroups returns a page of the pool's groups ordered by name. It
// mirrors ListGroups: limit 0 means DefaultListLimit, nextToken "" starts
// from the first group, and a token that is not the NextToken of an
// earlier page (or is over an hour old) gives ErrInvalidParameter.
func (p *Pool) ListGroups(ctx context.Context, limit int, nextToken string) (GroupPage, error) {
	limit, err := listLimit(limit)
	if err != nil {
		return GroupPage{}, err
	}
	cursor, err := p.openPage(ctx, "ListGroups", "", "NextToken", nextToken)
	if err != nil {
		return GroupPage{}, err
	}
	page, err := p.store.ListGroups(ctx, p.id, storage.PageRequest{Limit: limit, Cursor: cursor})
	if err != nil {
		return GroupPage{}, p.internal("list groups", err)
	}
	next, err := p.sealPage(ctx, "ListGroups", "", page.Next)
	if err != nil {
		return GroupPage{}, err
	}
	return GroupPage{Groups: publicGroups(page.Items), NextToken: next}, nil
}

// AdminAddUserToGroup puts a user in a group; adding a member again is not
// an error. It mirrors AdminAddUserToGroup: an unknown group gives
// ErrResourceNotFound, an unknown user ErrUserNotFound "User does not
// exist.", and a user already in MaxGroupsPerUser groups
// ErrLimitExceeded. The user may be named by user name or alias.
func (p *Pool) AdminAddUserToGroup(ctx context.Context, username, group string) error {
	if _, err := p.group(ctx, group); err != nil {
		return err
	}
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	groups, err := p.allGroupsOf(ctx, u.Sub)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(groups, func(g storage.Group) bool { return g.Name == group }) {
		return nil
	}
	if len(groups) >= MaxGroupsPerUser {
		return ErrLimitExceeded.With("User %s is already in the maximum of %d groups.", u.Username, MaxGroupsPerUser)
	}
	err = p.store.AddMember(ctx, p.id, group, u.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		// The group or the user went away since we looked.
		if _, err := p.group(ctx, group); err != nil {
			return err
		}
		return ErrUserNotFound.With("User does not exist.")
	}
	if err != nil {
		return p.internal("add user to group", err)
	}
	return nil
}

// AdminRemoveUserFromGroup takes a user out of a group; removing a user
// who is not a member is not an error. It mirrors
// AdminRemoveUserFromGroup: an unknown group gives ErrResourceNotFound and
// an unknown user ErrUserNotFound.
func (p *Pool) AdminRemoveUserFromGroup(ctx context.Context, username, group string) error {
	if _, err := p.group(ctx, group); err != nil {
		return err
	}
	u, err := p.lookup(ctx, username)
	if err != nil {
		return err
	}
	err = p.store.RemoveMember(ctx, p.id, group, u.Sub)
	if errors.Is(err, storage.ErrNotFound) {
		return errGroupNotFound()
	}
	if err != nil {
		return p.internal("remove user from group", err)
	}
	return nil
}

// AdminListGroupsForUser returns a page of a user's groups in token order:
// by precedence, lower first, groups without precedence last, ties by
// name. It mirrors AdminListGroupsForUser: an unknown user gives
// ErrUserNotFound; limit and nextToken work as in ListGroups.
func (p *Pool) AdminListGroupsForUser(ctx context.Context, username string, limit int, nextToken string) (GroupPage, error) {
	limit, err := listLimit(limit)
	if err != nil {
		return GroupPage{}, err
	}
	u, err := p.lookup(ctx, username)
	if err != nil {
		return GroupPage{}, err
	}
	pos, err := p.openPage(ctx, "AdminListGroupsForUser", u.Sub, "NextToken", nextToken)
	if err != nil {
		return GroupPage{}, err
	}
	groups, err := p.groupsOf(ctx, u.Sub)
	if err != nil {
		return GroupPage{}, err
	}
	// A user has at most MaxGroupsPerUser groups, so the pool sorts and
	// pages them itself. The position is the last group returned; the
	// next page starts after it in the sort order, so groups added or
	// removed between pages neither repeat nor skip the others.
	start := 0
	if pos != "" {
		last, err := decodeGroupPosition(pos)
		if err != nil {
			return GroupPage{}, p.errPosition("list groups for user", err)
		}
		start, _ = slices.BinarySearchFunc(groups, last, compareGroups)
		if start < len(groups) && compareGroups(groups[start], last) == 0 {
			start++
		}
	}
	end := min(start+limit, len(groups))
	out := GroupPage{Groups: publicGroups(groups[start:end])}
	if end < len(groups) {
		out.NextToken, err = p.sealPage(ctx, "AdminListGroupsForUser", u.Sub, encodeGroupPosition(groups[end-1]))
		if err != nil {
			return GroupPage{}, err
		}
	}
	return out, nil
}

// ListUsersInGroup returns a page of a group's members ordered by sub. It
// mirrors ListUsersInGroup: an unknown group gives ErrResourceNotFound;
// limit and nextToken work as in ListGroups.
func (p *Pool) ListUsersInGroup(ctx context.Context, group string, limit int, nextToken string) (UserPage, error) {
	limit, err := listLimit(limit)
	if err != nil {
		return UserPage{}, err
	}
	if err := validGroupName(group); err != nil {
		return UserPage{}, err
	}
	cursor, err := p.openPage(ctx, "ListUsersInGroup", group, "NextToken", nextToken)
	if err != nil {
		return UserPage{}, err
	}
	page, err := p.store.MembersOfGroup(ctx, p.id, group, storage.PageRequest{Limit: limit, Cursor: cursor})
	if errors.Is(err, storage.ErrNotFound) {
		return UserPage{}, errGroupNotFound()
	}
	if err != nil {
		return UserPage{}, p.internal("list users in group", err)
	}
	next, err := p.sealPage(ctx, "ListUsersInGroup", group, page.Next)
	if err != nil {
		return UserPage{}, err
	}
	out := UserPage{Users: make([]User, len(page.Items)), NextToken: next}
	for i, u := range page.Items {
		out.Users[i] = publicUser(u)
	}
	return out, nil
}

// allGroupsOf returns every group of the user, in the store's order.
func (p *Pool) allGroupsOf(ctx context.Context, sub string) ([]storage.Group, error) {
	var all []storage.Group
	req := storage.PageRequest{Limit: MaxGroupsPerUser + 1}
	for {
		page, err := p.store.GroupsOfUser(ctx, p.id, sub, req)
		if err != nil {
			return nil, p.internal("list groups of user", err)
		}
		all = append(all, page.Items...)
		if page.Next == "" {
			return all, nil
		}
		req.Cursor = page.Next
	}
}

// groupsOf returns the user's groups in token order (see compareGroups),
// as cognito:groups lists them.
func (p *Pool) groupsOf(ctx context.Context, sub string) ([]storage.Group, error) {
	groups, err := p.allGroupsOf(ctx, sub)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(groups, compareGroups)
	return groups, nil
}

// compareGroups orders groups by precedence, lower first, groups without
// precedence after all others, ties by name.
func compareGroups(a, b storage.Group) int {
	if c := comparePrecedence(a.Precedence, b.Precedence); c != 0 {
		return c
	}
	return cmp.Compare(a.Name, b.Name)
}

// preferredRole is cognito:preferred_role for a user in groups: the role of
// the group with the lowest precedence among the groups that have a role
// (groups without precedence count as lowest priority). When several such
// groups tie for the best precedence, their role is used only if they all
// have the same one; otherwise, and when no group has a role, it is "".
func preferredRole(groups []storage.Group) string {
	var best *storage.Group
	role := ""
	for i := range groups {
		g := &groups[i]
		if g.RoleARN == "" {
			continue
		}
		if best == nil {
			best, role = g, g.RoleARN
			continue
		}
		switch c := comparePrecedence(g.Precedence, best.Precedence); {
		case c < 0:
			best, role = g, g.RoleARN
		case c == 0 && g.RoleARN != best.RoleARN:
			role = ""
		}
	}
	return role
}

// comparePrecedence orders precedences, lower first, nil last.
func comparePrecedence(a, b *int64) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return 1
	case b == nil:
		return -1
	}
	return cmp.Compare(*a, *b)
}

// encodeGroupPosition renders a group's place in token order as
// "<precedence or ->/<name>".
func encodeGroupPosition(g storage.Group) string {
	prec := "-"
	if g.Precedence != nil {
		prec = strconv.FormatInt(*g.Precedence, 10)
	}
	return prec + "/" + g.Name
}

func decodeGroupPosition(s string) (storage.Group, error) {
	prec, name, ok := strings.Cut(s, "/")
	if !ok {
		return storage.Group{}, errors.New("no separator")
	}
	g := storage.Group{Name: name}
	if prec != "-" {
		n, err := strconv.ParseInt(prec, 10, 64)
		if err != nil {
			return storage.Group{}, err
		}
		g.Precedence = &n
	}
	return g, nil
}
