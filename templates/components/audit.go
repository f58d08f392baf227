package components

import "time"

// AuditRow is one audit entry as pages show it.
type AuditRow struct {
	At         time.Time
	Actor      string
	Action     string
	EntityType string
	Summary    string
	RequestID  string
	Changes    []AuditChange
}

// AuditChange is one field's before and after.
type AuditChange struct{ Field, Before, After string }

func actionLabel(a string) string {
	switch a {
	case "create":
		return "新增"
	case "update":
		return "修改"
	case "delete":
		return "删除"
	case "login":
		return "登录"
	case "password":
		return "密码"
	}
	return a
}

func fmtTime(t time.Time) string { return t.In(cst).Format("2006-01-02 15:04") }

var cst = time.FixedZone("CST", 8*3600)

func orDash(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
