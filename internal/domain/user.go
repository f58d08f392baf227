package domain

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a user may do (issue: accounts, roles and security).
type Role string

const (
	RoleAdmin      Role = "admin"      // 市经济信息化委: everything, users, rule parameters
	RoleCity       Role = "city"       // city staff: read all; promote, review, assign specialists
	RoleDistrict   Role = "district"   // a district officer: that district's enterprises only
	RoleSpecialist Role = "specialist" // 服务专员: assigned enterprises; visits and demands
	RoleEnterprise Role = "enterprise" // an enterprise's own account
)

// Roles lists every role, most powerful first.
var Roles = []Role{RoleAdmin, RoleCity, RoleDistrict, RoleSpecialist, RoleEnterprise}

func (r Role) Valid() bool {
	for _, x := range Roles {
		if x == r {
			return true
		}
	}
	return false
}

func (r Role) Label() string {
	switch r {
	case RoleAdmin:
		return "系统管理员"
	case RoleCity:
		return "市级工作人员"
	case RoleDistrict:
		return "区级工作人员"
	case RoleSpecialist:
		return "服务专员"
	case RoleEnterprise:
		return "企业用户"
	}
	return string(r)
}

// User is an account. The password hash never leaves the store and auth packages' hands.
type User struct {
	ID                 int64
	Username           string
	DisplayName        string
	PasswordHash       string
	Role               Role
	DistrictCode       string // district officers; specialists of a district ("" = city)
	EnterpriseID       *int64 // enterprise accounts
	Phone              string
	Disabled           bool
	MustChangePassword bool
	Version            int64
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// Name is what the UI calls the user.
func (u User) Name() string {
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// Scope says which enterprises a user may see; the store turns it into a WHERE clause.
type Scope struct {
	All          bool
	District     string // only this district
	SpecialistID int64  // only enterprises currently assigned to this specialist
	EnterpriseID int64  // only this one enterprise
	None         bool   // nothing (a misconfigured account)
}

// Scope derives the user's row scope from the role and its binding.
func (u User) Scope() Scope {
	switch u.Role {
	case RoleAdmin, RoleCity:
		return Scope{All: true}
	case RoleDistrict:
		if u.DistrictCode == "" {
			return Scope{None: true}
		}
		return Scope{District: u.DistrictCode}
	case RoleSpecialist:
		return Scope{SpecialistID: u.ID}
	case RoleEnterprise:
		if u.EnterpriseID == nil {
			return Scope{None: true}
		}
		return Scope{EnterpriseID: *u.EnterpriseID}
	}
	return Scope{None: true}
}

// Validate checks an account's fields; binding rules depend on the role.
func (u *User) Validate() FieldErrors {
	fe := FieldErrors{}
	u.Username = strings.TrimSpace(u.Username)
	if n := len(u.Username); n < 3 || n > 40 || strings.Trim(u.Username, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") != "" {
		fe.Add("username", "用户名为3–40位字母、数字、下划线、点或连字符")
	}
	if utf8.RuneCountInString(u.DisplayName) > 40 {
		fe.Add("display_name", "姓名不超过40字")
	}
	if !u.Role.Valid() {
		fe.Add("role", "请选择角色")
	}
	switch u.Role {
	case RoleDistrict:
		if !IsDistrict(u.DistrictCode) {
			fe.Add("district", "区级工作人员必须绑定一个区")
		}
	case RoleSpecialist:
		if u.DistrictCode != "" && !IsDistrict(u.DistrictCode) {
			fe.Add("district", "请选择上海市16个区之一，或留空表示市级")
		}
	default:
		u.DistrictCode = ""
	}
	if u.Role == RoleEnterprise {
		if u.EnterpriseID == nil {
			fe.Add("enterprise", "企业用户必须绑定一家企业")
		}
	} else {
		u.EnterpriseID = nil
	}
	return fe
}

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

// CheckPassword returns a user-facing message when pw is too weak, "" when acceptable.
func CheckPassword(pw, username string) string {
	switch {
	case utf8.RuneCountInString(pw) < MinPasswordLength:
		return "密码至少8位"
	case len(pw) > 72:
		return "密码不超过72个字节"
	case strings.EqualFold(pw, username):
		return "密码不能与用户名相同"
	}
	return ""
}
