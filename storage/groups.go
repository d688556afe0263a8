package storage

import (
	"context"
	"time"
)

// Group is a named set of users with an optional precedence and IAM role.
type Group struct {
	PoolID      string
	Name        string
	Description string
	RoleARN     string
	// Precedence orders groups in tokens, lowest first; nil is lowest
	// priority.
	Precedence *int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Groups persists groups and memberships. Members are identified by sub.
type Groups interface {
	// CreateGroup stores g, or returns ErrConflict if the name is taken in
	// the pool (names are compared exactly) or ErrNotFound without the pool.
	CreateGroup(ctx context.Context, g Group) error
	// GetGroup returns a group, or ErrNotFound.
	GetGroup(ctx context.Context, poolID, name string) (Group, error)
	// UpdateGroup replaces Description, RoleARN, Precedence and UpdatedAt
	// of an existing group, or returns ErrNotFound.
	UpdateGroup(ctx context.Context, g Group) error
	// DeleteGroup removes a group and its memberships, or returns
	// ErrNotFound.
	DeleteGroup(ctx context.Context, poolID, name string) error
	// ListGroups returns a pool's groups ordered by name.
	ListGroups(ctx context.Context, poolID string, page PageRequest) (Page[Group], error)
	// AddMember puts the user in the group; adding a member twice is not an
	// error. A missing group or user gives ErrNotFound.
	AddMember(ctx context.Context, poolID, group, sub string) error
	// RemoveMember takes the user out of the group; removing a non-member
	// is not an error. A missing group gives ErrNotFound.
	RemoveMember(ctx context.Context, poolID, group, sub string) error
	// GroupsOfUser returns the user's groups ordered by name.
	GroupsOfUser(ctx context.Context, poolID, sub string, page PageRequest) (Page[Group], error)
	// MembersOfGroup returns the group's users ordered by sub, or
	// ErrNotFound without the group. Like ListUsers, it returns users
	// without their secrets (User.WithoutSecrets).
	MembersOfGroup(ctx context.Context, poolID, group string, page PageRequest) (Page[User], error)
}
