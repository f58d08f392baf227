// Package dataio moves registry data in and out of spreadsheets: reading .xlsx and .csv
// (UTF-8 or GBK) with a column mapping, checking every row against the same rules as the
// forms (a dry run of new / update / unchanged / error per row), and writing filtered lists
// as .csv or .xlsx with Chinese headers and amounts in 万元. It does no I/O of its own
// beyond the readers and writers it is given; the store commits a checked plan.
package dataio

import (
	"strings"

	"zjtx/internal/domain"
)

// Field is one importable column: its key (the form field name), its Chinese header
// in the template, and other headers it is recognised by.
type Field struct {
	Key     string
	Label   string
	Aliases []string
	Bool    bool // 是/否
	Year    bool // a yearly figure (or the year itself)
	Money   bool // 万元
	Ignored bool // exported for reading, ignored on import (e.g. the current tier)
}

// Fields lists the template's columns in order.
var Fields = func() []Field {
	fs := []Field{
		{Key: "uscc", Label: "统一社会信用代码", Aliases: []string{"信用代码", "社会信用代码", "USCC"}},
		{Key: "name", Label: "企业名称", Aliases: []string{"名称", "公司名称", "单位名称"}},
		{Key: "district", Label: "所在区", Aliases: []string{"所属区", "区", "区县", "行政区", "district_code"}},
		{Key: "address", Label: "注册地址", Aliases: []string{"地址"}},
		{Key: "founded_on", Label: "成立日期", Aliases: []string{"成立时间"}},
		{Key: "industry_group", Label: "划型行业", Aliases: []string{"行业类别"}},
		{Key: "industry_code", Label: "国民经济行业代码", Aliases: []string{"行业代码"}},
		{Key: "main_product", Label: "主导产品", Aliases: []string{"主营产品"}},
		{Key: "niche_market", Label: "细分市场"},
		{Key: "niche_since", Label: "进入细分市场日期", Aliases: []string{"进入细分市场时间"}},
		{Key: "contact_person", Label: "联系人"},
		{Key: "contact_phone", Label: "联系电话", Aliases: []string{"电话"}},
		{Key: "above_scale", Label: "规上企业", Aliases: []string{"规上", "是否规上"}, Bool: true},
		{Key: "above_scale_since", Label: "首次规上年份"},
		{Key: "high_tech", Label: "高新技术企业", Aliases: []string{"高新"}, Bool: true},
		{Key: "tech_sme", Label: "科技型中小企业", Aliases: []string{"科技型"}, Bool: true},
		{Key: "gazelle", Label: "瞪羚企业", Aliases: []string{"瞪羚"}, Bool: true},
		{Key: "unicorn", Label: "独角兽企业", Aliases: []string{"独角兽"}, Bool: true},
		{Key: "single_champion", Label: "单项冠军", Aliases: []string{"制造业单项冠军"}, Bool: true},
		{Key: "listed", Label: "上市", Aliases: []string{"是否上市"}, Bool: true},
		{Key: "listed_board", Label: "上市板块"},
		{Key: "tier", Label: "当前层级", Ignored: true},
		{Key: "year", Label: "年度", Aliases: []string{"年份", "数据年度"}, Year: true},
	}
	for _, yf := range domain.YearFields {
		label := yf.Label
		if yf.Money {
			label += "（万元）"
		}
		fs = append(fs, Field{Key: yf.Key, Label: label, Aliases: []string{yf.Label, strings.TrimSuffix(strings.TrimSuffix(yf.Label, "（人）"), "（年末）")}, Year: true, Money: yf.Money})
	}
	return fs
}()

var fieldByKey = func() map[string]Field {
	m := make(map[string]Field, len(Fields))
	for _, f := range Fields {
		m[f.Key] = f
	}
	return m
}()

// FieldByKey finds a field by key.
func FieldByKey(key string) (Field, bool) { f, ok := fieldByKey[key]; return f, ok }

// normHeader folds what people vary in headers: spaces, full-width brackets, units.
func normHeader(h string) string {
	h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
	h = strings.NewReplacer(" ", "", "\u3000", "", "(", "（", ")", "）", "*", "", "＊", "").Replace(h)
	return strings.ToLower(h)
}

var headerIndex = func() map[string]string {
	m := map[string]string{}
	for _, f := range Fields {
		for _, h := range append([]string{f.Key, f.Label}, f.Aliases...) {
			if h != "" {
				if _, dup := m[normHeader(h)]; !dup {
					m[normHeader(h)] = f.Key
				}
			}
		}
	}
	return m
}()

// Mapping assigns file columns (by index) to field keys; "" leaves a column unused.
type Mapping []string

// AutoMap maps headers to fields: a remembered choice for that exact header first
// (the user's own mapping), then the template's labels and common aliases.
func AutoMap(headers []string, remembered map[string]string) Mapping {
	m := make(Mapping, len(headers))
	used := map[string]bool{}
	for i, h := range headers {
		key, ok := remembered[strings.TrimSpace(h)]
		if !ok {
			key = headerIndex[normHeader(h)]
		}
		if key == "-" || used[key] {
			key = ""
		}
		if key != "" {
			used[key] = true
		}
		m[i] = key
	}
	return m
}

// Has reports whether some column maps to key.
func (m Mapping) Has(key string) bool {
	for _, k := range m {
		if k == key {
			return true
		}
	}
	return false
}

// TemplateHeaders are the headers of the downloadable template.
func TemplateHeaders() []string {
	var hs []string
	for _, f := range Fields {
		if !f.Ignored {
			hs = append(hs, f.Label)
		}
	}
	return hs
}

// districtByName maps names (with and without 区/新区) and codes to a code.
var districtByName = func() map[string]string {
	m := map[string]string{}
	for _, d := range domain.Districts {
		m[d.Code] = d.Code
		m[d.Name] = d.Code
		m[strings.TrimSuffix(strings.TrimSuffix(d.Name, "新区"), "区")] = d.Code
		m["上海市"+d.Name] = d.Code
	}
	return m
}()

// groupByName maps keys, labels and short labels to an industry group.
var groupByName = func() map[string]domain.IndustryGroup {
	m := map[string]domain.IndustryGroup{}
	for _, g := range domain.IndustryGroups {
		m[string(g)] = g
		m[g.Label()] = g
		m[g.ShortLabel()] = g
	}
	m["软件和信息技术服务业"] = domain.GroupSoftwareIT
	m["信息传输业"] = domain.GroupInfoTransmit
	return m
}()

// parseBool reads 是/否 and friends; ok false for anything else.
func parseBool(s string) (v, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "是", "y", "yes", "true", "1", "√", "on":
		return true, true
	case "否", "n", "no", "false", "0", "", "×", "off":
		return false, true
	}
	return false, false
}

// YesNo renders a boolean as 是/否.
func YesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}
