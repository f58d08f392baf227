// Package admin renders user management and the audit log.
package admin

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
	"zjtx/templates/components"
	"zjtx/templates/layout"
)

// UserRow is one account in the list, with its binding spelled out.
type UserRow struct {
	User           domain.User
	EnterpriseName string
}

// UsersView is the account list.
type UsersView struct {
	Meta  layout.Meta
	Users []UserRow
	Role  string
	Query string
}

// UserForm is the account form as typed.
type UserForm struct {
	ID          int64
	Version     string
	Username    string
	DisplayName string
	Role        string
	District    string
	Enterprise  string // USCC of the bound enterprise
	Phone       string
	Disabled    bool
	Password    string
	Errors      domain.FieldErrors
}

// UserFormView is the create or edit page.
type UserFormView struct {
	Meta layout.Meta
	Form UserForm
}

// AuditView is the audit log page.
type AuditView struct {
	Meta  layout.Meta
	Rows  []components.AuditRow
	Total int64
	Page  int
	Pages int
	Query url.Values
}

// PageURL keeps the filter while paging.
func (v AuditView) PageURL(n int) string {
	q := url.Values{}
	for k, vs := range v.Query {
		if k != "page" {
			q[k] = vs
		}
	}
	q.Set("page", strconv.Itoa(n))
	return "/admin/audit?" + q.Encode()
}

func userPath(id int64) string { return "/admin/users/" + strconv.FormatInt(id, 10) }
