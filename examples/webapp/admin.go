package main

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/userpool/userpool"
)

// adminPageSize is the number of users on one page of the admin page.
const adminPageSize = 20

func (a *app) adminRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /admin", requireAdmin(a.adminPage))
	mux.HandleFunc("POST /admin/user", requireAdmin(a.adminAction))
}

// filterAttributes are the attributes the admin page filters on.
var filterAttributes = []string{"email", "name", "phone_number", "status"}

// adminData is the admin page's: one page of users with their groups.
type adminData struct {
	Attribute, Value string
	Attributes       []string
	Users            []adminUser
	Groups           []string
	Next, Query      string
}

type adminUser struct {
	userpool.User
	Groups []string
	// Others are the groups the user is not in.
	Others []string
}

// filter builds a ListUsers prefix filter from the form: attribute ^= "value".
func filter(attr, value string) string {
	if value == "" || !slices.Contains(filterAttributes, attr) {
		return ""
	}
	value = strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(value)
	return attr + ` ^= "` + value + `"`
}

func (a *app) adminPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	d := adminData{Attribute: q.Get("attribute"), Value: q.Get("value"), Attributes: filterAttributes}
	if d.Attribute == "" {
		d.Attribute = "email"
	}
	ctx := r.Context()
	groups, err := a.pool.ListGroups(ctx, 60, "")
	if err != nil {
		a.fail(w, r, "admin", "Users", d, err)
		return
	}
	for _, g := range groups.Groups {
		d.Groups = append(d.Groups, g.GroupName)
	}
	out, err := a.pool.ListUsers(ctx, userpool.ListUsersInput{
		Filter: filter(d.Attribute, d.Value), Limit: adminPageSize, PaginationToken: q.Get("page"),
	})
	if err != nil {
		a.fail(w, r, "admin", "Users", d, err)
		return
	}
	for _, u := range out.Users {
		gs, err := a.pool.AdminListGroupsForUser(ctx, u.Username, 60, "")
		if err != nil {
			a.fail(w, r, "admin", "Users", d, err)
			return
		}
		au := adminUser{User: u}
		for _, g := range gs.Groups {
			au.Groups = append(au.Groups, g.GroupName)
		}
		for _, g := range d.Groups {
			if !slices.Contains(au.Groups, g) {
				au.Others = append(au.Others, g)
			}
		}
		d.Users = append(d.Users, au)
	}
	d.Next = out.PaginationToken
	d.Query = "attribute=" + urlQuery(d.Attribute) + "&value=" + urlQuery(d.Value)
	a.render(w, r, http.StatusOK, "admin", "Users", d)
}

// adminAction disables, enables or deletes a user, or adds them to or
// removes them from a group, then shows the page it came from.
func (a *app) adminAction(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	user, group := r.PostFormValue("username"), r.PostFormValue("group")
	var err error
	var done string
	switch action := r.PostFormValue("action"); action {
	case "disable":
		err, done = a.pool.AdminDisableUser(ctx, user), "disabled"
	case "enable":
		err, done = a.pool.AdminEnableUser(ctx, user), "enabled"
	case "delete":
		err, done = a.pool.AdminDeleteUser(ctx, user), "deleted"
	case "add":
		err, done = a.pool.AdminAddUserToGroup(ctx, user, group), "added to "+group
	case "remove":
		err, done = a.pool.AdminRemoveUserFromGroup(ctx, user, group), "removed from "+group
	default:
		http.Error(w, "unknown action "+strconv.Quote(action), http.StatusBadRequest)
		return
	}
	back := "/admin"
	if q := r.PostFormValue("back"); strings.HasPrefix(q, "attribute=") {
		back += "?" + q
	}
	label := r.PostFormValue("label")
	if err != nil {
		sessionFrom(r).setFlash("", label+": "+message(err))
		http.Redirect(w, r, back, http.StatusSeeOther)
		return
	}
	redirect(w, r, back, "User "+label+" "+done+".")
}
