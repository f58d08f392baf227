package eligibility

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"sort"
	"strconv"

	"zjtx/internal/domain"
)

// FieldError is a validation error tied to one field of the facts, e.g. Path
// "years[0].revenue" for a single document or "[2].years[0].revenue" inside an array.
type FieldError struct {
	Path    string
	Message string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Message
	}
	return "字段 " + e.Path + "：" + e.Message
}

func fieldErr(path, msg string) *FieldError { return &FieldError{Path: path, Message: msg} }

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

func index(prefix string, i int) string { return prefix + "[" + strconv.Itoa(i) + "]" }

// DecodeFacts decodes one facts document or a JSON array of them, validating each strictly
// against facts.schema.json (unknown fields, types, required, enums, bounds, the uscc pattern
// and its GB 32100 check character, dates, minItems) and applying the schema's defaults.
// Errors are *FieldError naming the field.
func DecodeFacts(data []byte) ([]Facts, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, fieldErr("", "输入为空：应为事实 JSON 对象或数组")
	}
	if !json.Valid(data) {
		return nil, fieldErr("", "不是合法的 JSON")
	}
	if data[0] == '[' {
		var items []json.RawMessage
		if err := json.Unmarshal(data, &items); err != nil {
			return nil, fieldErr("", "不是合法的 JSON 数组")
		}
		out := make([]Facts, len(items))
		for i, raw := range items {
			if err := decodeOne(raw, index("", i), &out[i]); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	var f Facts
	if err := decodeOne(data, "", &f); err != nil {
		return nil, err
	}
	return []Facts{f}, nil
}

// IsArray reports whether a facts document is a JSON array (so a caller answers in kind).
func IsArray(data []byte) bool {
	data = bytes.TrimSpace(data)
	return len(data) > 0 && data[0] == '['
}

// object decodes raw as a JSON object and checks its keys against the allowed ones.
func object(raw json.RawMessage, path string, allowed []string) (map[string]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return nil, fieldErr(path, "类型错误：应为 JSON 对象")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fieldErr(path, "应为 JSON 对象")
	}
	if allowed != nil {
		var unknown []string
		for k := range m {
			if !contains(allowed, k) {
				unknown = append(unknown, k)
			}
		}
		if len(unknown) > 0 {
			sort.Strings(unknown)
			return nil, fieldErr(join(path, unknown[0]), "未知字段（schema 不允许额外字段）")
		}
	}
	return m, nil
}

func decString(raw json.RawMessage, path string) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '"' {
		return "", fieldErr(path, "类型错误：应为字符串")
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fieldErr(path, "类型错误：应为字符串")
	}
	return s, nil
}

func decBool(raw json.RawMessage, path string) (bool, error) {
	switch string(bytes.TrimSpace(raw)) {
	case "true":
		return true, nil
	case "false":
		return false, nil
	}
	return false, fieldErr(path, "类型错误：应为布尔值 true/false")
}

func decNumber(raw json.RawMessage, path string) (float64, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || !(raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9')) {
		return 0, fieldErr(path, "类型错误：应为数字")
	}
	v, err := strconv.ParseFloat(string(raw), 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fieldErr(path, "数字超出范围")
	}
	return v, nil
}

// decInteger accepts a JSON number with no fractional part (JSON Schema "integer": 3.0 is 3).
func decInteger(raw json.RawMessage, path string) (int64, error) {
	v, err := decNumber(raw, path)
	if err != nil {
		return 0, fieldErr(path, "类型错误：应为整数")
	}
	if v != math.Trunc(v) || math.Abs(v) > 1<<53 {
		return 0, fieldErr(path, "类型错误：应为整数")
	}
	return int64(v), nil
}

func decDate(raw json.RawMessage, path string) (domain.Date, error) {
	s, err := decString(raw, path)
	if err != nil {
		return domain.Date{}, err
	}
	if !dateRe.MatchString(s) {
		return domain.Date{}, fieldErr(path, "日期格式应为 YYYY-MM-DD")
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		return domain.Date{}, fieldErr(path, err.Error())
	}
	return d, nil
}

var dateRe = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)

func decEnum(raw json.RawMessage, path string, values []string) (string, error) {
	s, err := decString(raw, path)
	if err != nil {
		return "", err
	}
	if !contains(values, s) {
		return "", fieldErr(path, "取值 "+strconv.Quote(s)+" 不在允许范围内："+joinStrings(values))
	}
	return s, nil
}

func joinStrings(v []string) string {
	var b []byte
	for i, s := range v {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, s...)
	}
	return string(b)
}

var factsFields = []string{"as_of", "uscc", "name", "registered_in_shanghai", "independent_legal_person",
	"industry_group", "current_tier", "current_tier_valid_until", "renewal", "niche_since", "years", "ip",
	"awards", "honours", "rd_institution", "chuangke_rank", "strategic_emerging", "chain_role",
	"priority_field", "digital_level", "quality", "local_score", "info_system_core_business",
	"mgmt_certification", "own_brand", "market_share_domestic", "market_share_international",
	"market_rank_domestic", "market_position_attested", "dev_score", "abnormal_operation",
	"serious_dishonesty", "restricted_industry", "major_incident_3y", "tax_violation_3y",
	"controlled_by_little_giant", "group_similar_little_giant"}

var yearFields = []string{"year", "employees", "rd_staff", "revenue", "main_revenue", "output_value",
	"rd_expense", "net_profit", "total_assets", "total_liabilities", "equity_financing"}

var ipFields = []string{"class1", "class1_self_developed", "class1_high_value", "class1_in_use", "class2"}

var awardFields = []string{"level", "rank", "year"}

// decoder keeps the first error so field decoding reads as a flat list.
type decoder struct {
	m    map[string]json.RawMessage
	path string
	err  error
}

func (d *decoder) raw(name string) (json.RawMessage, string, bool) {
	if d.err != nil {
		return nil, "", false
	}
	r, ok := d.m[name]
	return r, join(d.path, name), ok
}

func (d *decoder) required(name string) {
	if d.err == nil {
		if _, ok := d.m[name]; !ok {
			d.err = fieldErr(join(d.path, name), "缺少必填字段")
		}
	}
}

func (d *decoder) str(name string, dst *string) {
	if r, p, ok := d.raw(name); ok {
		*dst, d.err = decString(r, p)
	}
}

func (d *decoder) enum(name string, values []string, dst *string) {
	if r, p, ok := d.raw(name); ok {
		*dst, d.err = decEnum(r, p, values)
	}
}

func (d *decoder) boolean(name string, dst **bool) {
	if r, p, ok := d.raw(name); ok {
		var v bool
		if v, d.err = decBool(r, p); d.err == nil {
			*dst = ptr(v)
		}
	}
}

func (d *decoder) integer(name string, dst **int64) {
	if r, p, ok := d.raw(name); ok {
		var v int64
		if v, d.err = decInteger(r, p); d.err == nil {
			*dst = ptr(v)
		}
	}
}

func (d *decoder) number(name string, dst **float64) {
	if r, p, ok := d.raw(name); ok {
		var v float64
		if v, d.err = decNumber(r, p); d.err == nil {
			*dst = ptr(v)
		}
	}
}

func (d *decoder) date(name string, dst *domain.Date) {
	if r, p, ok := d.raw(name); ok {
		*dst, d.err = decDate(r, p)
	}
}

func (d *decoder) enumList(name string, values []string, dst *[]string) {
	r, p, ok := d.raw(name)
	if !ok {
		return
	}
	items, err := array(r, p)
	if err != nil {
		d.err = err
		return
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		s, err := decEnum(it, index(p, i), values)
		if err != nil {
			d.err = err
			return
		}
		out = append(out, s)
	}
	*dst = out
}

func array(raw json.RawMessage, path string) ([]json.RawMessage, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '[' {
		return nil, fieldErr(path, "类型错误：应为数组")
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fieldErr(path, "类型错误：应为数组")
	}
	return items, nil
}

func decodeOne(raw json.RawMessage, path string, f *Facts) error {
	m, err := object(raw, path, factsFields)
	if err != nil {
		return err
	}
	d := &decoder{m: m, path: path}
	for _, name := range []string{"as_of", "uscc", "industry_group", "current_tier", "years"} {
		d.required(name)
	}
	d.date("as_of", &f.AsOf)
	d.str("uscc", &f.USCC)
	d.str("name", &f.Name)
	d.boolean("registered_in_shanghai", &f.RegisteredInShanghai)
	d.boolean("independent_legal_person", &f.IndependentLegalPerson)
	var s string
	if d.enum("industry_group", industryValues, &s); d.err == nil {
		f.IndustryGroup = domain.IndustryGroup(s)
	}
	s = ""
	if d.enum("current_tier", tierValues, &s); d.err == nil {
		f.CurrentTier = domain.Tier(s)
	}
	d.date("current_tier_valid_until", &f.CurrentTierValidUntil)
	d.boolean("renewal", &f.Renewal)
	d.date("niche_since", &f.NicheSince)
	if r, p, ok := d.raw("years"); ok {
		f.Years, d.err = decodeYears(r, p)
	}
	if r, p, ok := d.raw("ip"); ok {
		f.IP, d.err = decodeIP(r, p)
	}
	if r, p, ok := d.raw("awards"); ok {
		f.Awards, d.err = decodeAwards(r, p)
	}
	d.enumList("honours", honourValues, &f.Honours)
	d.enum("rd_institution", instValues, &f.RDInstitution)
	d.integer("chuangke_rank", &f.ChuangkeRank)
	d.boolean("strategic_emerging", &f.StrategicEmerging)
	d.enum("chain_role", chainValues, &f.ChainRole)
	d.boolean("priority_field", &f.PriorityField)
	d.integer("digital_level", &f.DigitalLevel)
	d.enumList("quality", qualityValues, &f.Quality)
	d.number("local_score", &f.LocalScore)
	d.boolean("info_system_core_business", &f.InfoSystemCoreBusiness)
	d.boolean("mgmt_certification", &f.MgmtCertification)
	d.boolean("own_brand", &f.OwnBrand)
	d.number("market_share_domestic", &f.MarketShareDomestic)
	d.number("market_share_international", &f.MarketShareIntl)
	d.integer("market_rank_domestic", &f.MarketRankDomestic)
	d.boolean("market_position_attested", &f.MarketPositionAttested)
	if r, p, ok := d.raw("dev_score"); ok {
		f.DevScore, d.err = decodeDevScore(r, p)
	}
	d.boolean("abnormal_operation", &f.AbnormalOperation)
	d.boolean("serious_dishonesty", &f.SeriousDishonesty)
	d.boolean("restricted_industry", &f.RestrictedIndustry)
	d.boolean("major_incident_3y", &f.MajorIncident3Y)
	d.boolean("tax_violation_3y", &f.TaxViolation3Y)
	d.boolean("controlled_by_little_giant", &f.ControlledByLG)
	d.boolean("group_similar_little_giant", &f.GroupSimilarLG)
	if d.err != nil {
		return d.err
	}
	f.ApplyDefaults()
	return validate(f, path)
}

func decodeYears(raw json.RawMessage, path string) ([]Year, error) {
	items, err := array(raw, path)
	if err != nil {
		return nil, err
	}
	out := make([]Year, len(items))
	for i, it := range items {
		p := index(path, i)
		m, err := object(it, p, yearFields)
		if err != nil {
			return nil, err
		}
		d := &decoder{m: m, path: p}
		y := &out[i]
		d.required("year")
		if r, p, ok := d.raw("year"); ok {
			var v int64
			if v, d.err = decInteger(r, p); d.err == nil {
				y.Year = int(v)
			}
		}
		d.integer("employees", &y.Employees)
		d.integer("rd_staff", &y.RDStaff)
		d.number("revenue", &y.Revenue)
		d.number("main_revenue", &y.MainRevenue)
		d.number("output_value", &y.OutputValue)
		d.number("rd_expense", &y.RDExpense)
		d.number("net_profit", &y.NetProfit)
		d.number("total_assets", &y.TotalAssets)
		d.number("total_liabilities", &y.TotalLiabilities)
		d.number("equity_financing", &y.EquityFinancing)
		if d.err != nil {
			return nil, d.err
		}
	}
	return out, nil
}

func decodeIP(raw json.RawMessage, path string) (*IP, error) {
	m, err := object(raw, path, ipFields)
	if err != nil {
		return nil, err
	}
	d := &decoder{m: m, path: path}
	ip := &IP{}
	d.integer("class1", &ip.Class1)
	d.integer("class1_self_developed", &ip.Class1SelfDeveloped)
	d.integer("class1_high_value", &ip.Class1HighValue)
	d.integer("class1_in_use", &ip.Class1InUse)
	d.integer("class2", &ip.Class2)
	return ip, d.err
}

func decodeAwards(raw json.RawMessage, path string) ([]Award, error) {
	items, err := array(raw, path)
	if err != nil {
		return nil, err
	}
	out := make([]Award, len(items))
	for i, it := range items {
		p := index(path, i)
		m, err := object(it, p, awardFields)
		if err != nil {
			return nil, err
		}
		d := &decoder{m: m, path: p}
		d.required("level")
		d.required("year")
		d.enum("level", awardLevels, &out[i].Level)
		d.integer("rank", &out[i].Rank)
		if r, p, ok := d.raw("year"); ok {
			var v int64
			if v, d.err = decInteger(r, p); d.err == nil {
				out[i].Year = int(v)
			}
		}
		if d.err != nil {
			return nil, d.err
		}
	}
	return out, nil
}

func decodeDevScore(raw json.RawMessage, path string) (map[string]float64, error) {
	m, err := object(raw, path, nil)
	if err != nil {
		return nil, err
	}
	out := make(map[string]float64, len(m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, err := decNumber(m[k], join(path, k))
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

// Validate checks facts built in Go against the schema's constraints that the Go types do not
// already enforce: required fields, enums, bounds, the uscc pattern and check character.
// Absent defaulted booleans are fine (nil reads as the default).
func Validate(f Facts) error { return validate(&f, "") }

var usccRe = regexp.MustCompile(`^[0-9A-HJ-NPQRTUWXY]{18}$`)

func validate(f *Facts, path string) error {
	p := func(name string) string { return join(path, name) }
	if f.AsOf.IsZero() {
		return fieldErr(p("as_of"), "缺少必填字段")
	}
	if f.USCC == "" {
		return fieldErr(p("uscc"), "缺少必填字段")
	}
	// The schema's pattern is checked on the text as given; ParseUSCC then verifies the GB 32100
	// check character. An organisation-code mismatch is only a warning (DOMAIN.md), so not an error.
	if !usccRe.MatchString(f.USCC) {
		return fieldErr(p("uscc"), "统一社会信用代码应为18位，由数字和大写字母组成（不使用 I、O、S、V、Z）")
	}
	if _, err := domain.ParseUSCC(f.USCC); err != nil {
		return fieldErr(p("uscc"), err.Error())
	}
	if f.IndustryGroup == "" {
		return fieldErr(p("industry_group"), "缺少必填字段")
	}
	if !contains(industryValues, string(f.IndustryGroup)) {
		return fieldErr(p("industry_group"), "取值不在允许范围内："+joinStrings(industryValues))
	}
	if f.CurrentTier == "" {
		return fieldErr(p("current_tier"), "缺少必填字段")
	}
	if !contains(tierValues, string(f.CurrentTier)) {
		return fieldErr(p("current_tier"), "取值不在允许范围内："+joinStrings(tierValues))
	}
	if len(f.Years) == 0 {
		return fieldErr(p("years"), "至少需要 1 个年度")
	}
	seen := make(map[int]int, len(f.Years))
	for i, y := range f.Years {
		yp := index(p("years"), i)
		if j, dup := seen[y.Year]; dup {
			// Not a schema rule, but two figures for one year make every rule ambiguous.
			return fieldErr(join(yp, "year"), "年度 "+strconv.Itoa(y.Year)+" 与 years["+strconv.Itoa(j)+"] 重复")
		}
		seen[y.Year] = i
		for _, c := range []struct {
			name string
			v    *int64
		}{{"employees", y.Employees}, {"rd_staff", y.RDStaff}} {
			if c.v != nil && *c.v < 0 {
				return fieldErr(join(yp, c.name), "不能小于 0")
			}
		}
		for _, c := range []struct {
			name string
			v    *float64
		}{{"revenue", y.Revenue}, {"main_revenue", y.MainRevenue}, {"output_value", y.OutputValue},
			{"rd_expense", y.RDExpense}, {"total_assets", y.TotalAssets},
			{"total_liabilities", y.TotalLiabilities}, {"equity_financing", y.EquityFinancing}} {
			if c.v != nil && *c.v < 0 {
				return fieldErr(join(yp, c.name), "不能小于 0")
			}
		}
	}
	if f.IP != nil {
		for _, c := range []struct {
			name string
			v    *int64
		}{{"class1", f.IP.Class1}, {"class1_self_developed", f.IP.Class1SelfDeveloped},
			{"class1_high_value", f.IP.Class1HighValue}, {"class1_in_use", f.IP.Class1InUse}, {"class2", f.IP.Class2}} {
			if c.v != nil && *c.v < 0 {
				return fieldErr(join(p("ip"), c.name), "不能小于 0")
			}
		}
	}
	for i, a := range f.Awards {
		ap := index(p("awards"), i)
		if !contains(awardLevels, a.Level) {
			return fieldErr(join(ap, "level"), "取值不在允许范围内："+joinStrings(awardLevels))
		}
		if a.Rank != nil && *a.Rank < 1 {
			return fieldErr(join(ap, "rank"), "不能小于 1")
		}
	}
	for i, h := range f.Honours {
		if !contains(honourValues, h) {
			return fieldErr(index(p("honours"), i), "取值不在允许范围内："+joinStrings(honourValues))
		}
	}
	for i, q := range f.Quality {
		if !contains(qualityValues, q) {
			return fieldErr(index(p("quality"), i), "取值不在允许范围内："+joinStrings(qualityValues))
		}
	}
	if f.RDInstitution != "" && !contains(instValues, f.RDInstitution) {
		return fieldErr(p("rd_institution"), "取值不在允许范围内："+joinStrings(instValues))
	}
	if f.ChainRole != "" && !contains(chainValues, f.ChainRole) {
		return fieldErr(p("chain_role"), "取值不在允许范围内："+joinStrings(chainValues))
	}
	if f.ChuangkeRank != nil && *f.ChuangkeRank < 1 {
		return fieldErr(p("chuangke_rank"), "不能小于 1")
	}
	if f.DigitalLevel != nil && (*f.DigitalLevel < 1 || *f.DigitalLevel > 4) {
		return fieldErr(p("digital_level"), "应在 1–4 之间")
	}
	if f.LocalScore != nil && (*f.LocalScore < 0 || *f.LocalScore > 15) {
		return fieldErr(p("local_score"), "应在 0–15 之间")
	}
	for _, c := range []struct {
		name string
		v    *float64
	}{{"market_share_domestic", f.MarketShareDomestic}, {"market_share_international", f.MarketShareIntl}} {
		if c.v != nil && (*c.v < 0 || *c.v > 100) {
			return fieldErr(p(c.name), "应在 0–100（百分比）之间")
		}
	}
	if f.MarketRankDomestic != nil && *f.MarketRankDomestic < 1 {
		return fieldErr(p("market_rank_domestic"), "不能小于 1")
	}
	return nil
}
