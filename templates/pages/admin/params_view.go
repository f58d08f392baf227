package admin

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/templates/layout"
)

// ParamRow is one rule parameter with the index of its value in force today (-1: none yet).
type ParamRow struct {
	Param   eligibility.Param
	Current int
}

// OverrideRow is an administrator's override as recorded.
type OverrideRow struct {
	Key, EffectiveFrom, Value, Reason, CreatedBy string
}

// ParamForm is the new-override form as typed.
type ParamForm struct {
	Key, EffectiveFrom, Value, Reason string
	Errors                            domain.FieldErrors
}

// ParamsView is the rule-parameter page.
type ParamsView struct {
	Meta         layout.Meta
	Prefix       string
	Rows         []ParamRow // filtered by Prefix
	Keys         []string   // every key, for the form
	Total        int
	SingleSource int // marks over all parameters, not only the filtered ones
	Unconfirmed  int
	Today        domain.Date
	Overrides    []OverrideRow // newest first
	Form         ParamForm
}

// ParamGroups are the key prefixes offered as quick filters.
var ParamGroups = []struct{ Prefix, Label string }{
	{"", "全部"}, {"ruleset", "规则集"}, {"terms.", "通用口径"}, {"inn.", "创新型"},
	{"sp2022.", "专精特新（2022）"}, {"sp2026.", "专精特新（2026）"}, {"lg2022.", "小巨人（2022）"}, {"lg2026.", "小巨人（2026）"},
}

func paramsURL(prefix string) string {
	if prefix == "" {
		return "/admin/parameters"
	}
	return "/admin/parameters?prefix=" + url.QueryEscape(prefix)
}

// KindHint explains the JSON a parameter kind takes.
func KindHint(kind string) string {
	switch kind {
	case "number":
		return `数字，如 3（百分比参数填 3 表示 3%）`
	case "bands":
		return `分档表，如 {"ge": [[5, 20], [3, 15]], "else": 0}（“ge”为不低于界值，“le”为不高于界值，从优到劣排列）`
	case "points":
		return `名称→分值对象，如 {"yes": 10, "no": 5}，须包含原有的全部名称`
	case "strings":
		return `字符串数组，如 ["national", "provincial"]`
	case "string":
		return `字符串，如 "miit-2026"`
	}
	return kind
}

func itoa(n int) string { return strconv.Itoa(n) }
