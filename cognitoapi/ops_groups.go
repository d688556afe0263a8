package cognitoapi

import (
	"context"

	"github.com/userpool/userpool"
)

// The group operations (signed): CreateGroup, GetGroup, UpdateGroup,
// DeleteGroup, ListGroups, AdminAddUserToGroup, AdminRemoveUserFromGroup,
// AdminListGroupsForUser, ListUsersInGroup.

type groupInput struct {
	UserPoolId  string
	GroupName   string
	Description *string
	RoleArn     *string
	Precedence  *int64
}

func (in *groupInput) check() error {
	return required(need("GroupName", in.GroupName != ""), need("UserPoolId", in.UserPoolId != ""))
}

type groupOutput struct {
	Group groupType
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func createGroup(ctx context.Context, h *Handler, in *groupInput) (*groupOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.CreateGroup(ctx, userpool.GroupInput{GroupName: in.GroupName, Description: deref(in.Description),
		Precedence: in.Precedence, RoleARN: deref(in.RoleArn)})
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupOut(p.ID(), g)}, nil
}

func getGroup(ctx context.Context, h *Handler, in *groupInput) (*groupOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.GetGroup(ctx, in.GroupName)
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupOut(p.ID(), g)}, nil
}

// updateGroup mirrors UpdateGroup: members the request omits stay as they
// are.
func updateGroup(ctx context.Context, h *Handler, in *groupInput) (*groupOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	g, err := p.UpdateGroup(ctx, in.GroupName, userpool.GroupUpdate{Description: in.Description, Precedence: in.Precedence, RoleARN: in.RoleArn})
	if err != nil {
		return nil, err
	}
	return &groupOutput{Group: groupOut(p.ID(), g)}, nil
}

func deleteGroup(ctx context.Context, h *Handler, in *groupInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.DeleteGroup(ctx, in.GroupName)
}

// pageInput is the paging of the group listings.
type pageInput struct {
	UserPoolId string
	Limit      *int
	NextToken  string
}

func (in *pageInput) checkPage() error {
	if err := required(need("UserPoolId", in.UserPoolId != "")); err != nil {
		return err
	}
	return checkLimit("Limit", in.Limit, 0, 60)
}

type listGroupsInput struct{ pageInput }

func (in *listGroupsInput) check() error { return in.checkPage() }

type groupsOutput struct {
	Groups    []groupType
	NextToken string `json:",omitempty"`
}

func listGroups(ctx context.Context, h *Handler, in *listGroupsInput) (*groupsOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	page, err := p.ListGroups(ctx, intOr0(in.Limit), in.NextToken)
	if err != nil {
		return nil, err
	}
	return &groupsOutput{Groups: groupsOut(p.ID(), page.Groups), NextToken: page.NextToken}, nil
}

type userGroupInput struct {
	UserPoolId string
	Username   string
	GroupName  string
}

func (in *userGroupInput) check() error {
	return required(need("UserPoolId", in.UserPoolId != ""), need("Username", in.Username != ""), need("GroupName", in.GroupName != ""))
}

func adminAddUserToGroup(ctx context.Context, h *Handler, in *userGroupInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminAddUserToGroup(ctx, in.Username, in.GroupName)
}

func adminRemoveUserFromGroup(ctx context.Context, h *Handler, in *userGroupInput) (*empty, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	return nil, p.AdminRemoveUserFromGroup(ctx, in.Username, in.GroupName)
}

type adminListGroupsForUserInput struct {
	pageInput
	Username string
}

func (in *adminListGroupsForUserInput) check() error {
	if err := required(need("Username", in.Username != "")); err != nil {
		return err
	}
	return in.checkPage()
}

func adminListGroupsForUser(ctx context.Context, h *Handler, in *adminListGroupsForUserInput) (*groupsOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	page, err := p.AdminListGroupsForUser(ctx, in.Username, intOr0(in.Limit), in.NextToken)
	if err != nil {
		return nil, err
	}
	return &groupsOutput{Groups: groupsOut(p.ID(), page.Groups), NextToken: page.NextToken}, nil
}

type listUsersInGroupInput struct {
	pageInput
	GroupName string
}

func (in *listUsersInGroupInput) check() error {
	if err := required(need("GroupName", in.GroupName != "")); err != nil {
		return err
	}
	return in.checkPage()
}

type usersPageOutput struct {
	Users     []userType
	NextToken string `json:",omitempty"`
}

func listUsersInGroup(ctx context.Context, h *Handler, in *listUsersInGroupInput) (*usersPageOutput, error) {
	p, err := h.pool(ctx, in.UserPoolId)
	if err != nil {
		return nil, err
	}
	page, err := p.ListUsersInGroup(ctx, in.GroupName, intOr0(in.Limit), in.NextToken)
	if err != nil {
		return nil, err
	}
	return &usersPageOutput{Users: usersOut(page.Users), NextToken: page.NextToken}, nil
}
