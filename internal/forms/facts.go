package forms

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"zjtx/internal/domain"
)

// FactKind is how a fact-sheet field is entered and checked (ranges from facts.schema.json).
type FactKind uint8

const (
	FactTri     FactKind = iota // select 未填报 / 是 / 否: "not reported" stays apart from "no"
	FactCount                   // whole number ≥ 0
	FactRank                    // whole number ≥ 1; empty = no rank
	FactLevel                   // digital level 1–4
	FactScore                   // local points 0–15
	FactPercent                 // 0–100 (%)
	FactChoice                  // one of Choices
)

// Tri-state select values.
const (
	TriUnknown = ""
	TriYes     = "yes"
	TriNo      = "no"
)

// Choice is a select option: stored value and Chinese label.
type Choice struct{ Value, Label string }

// FactField is one field of the fact sheet: its form key (the facts.schema.json name), label,
// and Hint naming the criteria it feeds, so a reviewer sees why it is asked.
type FactField struct {
	Key, Label, Hint string
	Kind             FactKind
	Choices          []Choice // FactChoice

	flag   func(*domain.EnterpriseFacts) **bool
	number func(*domain.EnterpriseFacts) **int64
	frac   func(*domain.EnterpriseFacts) **float64
	text   func(*domain.EnterpriseFacts) **string
}

// FactGroup is a fieldset of the form.
type FactGroup struct {
	Title, Note string
	Fields      []FactField
}

func tri(key, label, hint string, p func(*domain.EnterpriseFacts) **bool) FactField {
	return FactField{Key: key, Label: label, Hint: hint, Kind: FactTri, flag: p}
}

func whole(kind FactKind, key, label, hint string, p func(*domain.EnterpriseFacts) **int64) FactField {
	return FactField{Key: key, Label: label, Hint: hint, Kind: kind, number: p}
}

func decimal(kind FactKind, key, label, hint string, p func(*domain.EnterpriseFacts) **float64) FactField {
	return FactField{Key: key, Label: label, Hint: hint, Kind: kind, frac: p}
}

// RDInstitutionChoices and ChainRoleChoices are the schema's enums in Chinese.
var (
	RDInstitutionChoices = []Choice{{"none", "无"}, {"below_municipal", "市级以下"}, {"municipal", "市级"},
		{"provincial", "省级（省部级）"}, {"national", "国家级"}}
	ChainRoleChoices = []Choice{{"none", "无"}, {"supporting", "配套（工业六基、中华老字号或产业链龙头企业配套）"},
		{"key_link", "关键环节（补短板、锻长板、填空白）"}}
	// QualityChoices are the 质量管理 items (sp.pts.quality; own_brand also feeds lg.te).
	QualityChoices = []Choice{{"quality_award", "获得省级以上质量奖"}, {"iso9001", "通过 ISO 9001 等质量管理体系认证"},
		{"own_brand", "拥有自主品牌"}, {"standards", "参与制修订标准"}}
	// AwardLevelChoices are the levels of a 科技奖励.
	AwardLevelChoices = []Choice{{"national", "国家级"}, {"ministerial", "省部级（部委）"}, {"provincial", "省级"}}
)

// FactGroups is the whole fact sheet, every field of domain.EnterpriseFacts except the
// quality list, awards and development scores, which the form lays out on their own.
var FactGroups = []FactGroup{
	{Title: "基本条件", Note: "各层级共同条件。经营异常、失信、限制类产业、事故、偷漏税未填报时按“否”处理（facts.schema 默认值），在沪注册与独立法人未填报时按“是”处理。", Fields: []FactField{
		tri("registered_in_shanghai", "在上海市注册", "common.registered", func(x *domain.EnterpriseFacts) **bool { return &x.RegisteredInShanghai }),
		tri("independent_legal_person", "具有独立法人资格", "common.registered", func(x *domain.EnterpriseFacts) **bool { return &x.IndependentLegalPerson }),
		tri("abnormal_operation", "列入经营异常名录", "common.credit", func(x *domain.EnterpriseFacts) **bool { return &x.AbnormalOperation }),
		tri("serious_dishonesty", "列入严重失信主体名单", "common.credit", func(x *domain.EnterpriseFacts) **bool { return &x.SeriousDishonesty }),
		tri("restricted_industry", "产品（服务）属于禁止、限制或淘汰类", "common.industry", func(x *domain.EnterpriseFacts) **bool { return &x.RestrictedIndustry }),
		tri("major_incident_3y", "近三年发生重大安全（含网络、数据安全）、质量、环境污染事故", "common.incidents", func(x *domain.EnterpriseFacts) **bool { return &x.MajorIncident3Y }),
		tri("tax_violation_3y", "近三年有偷漏税行为", "common.incidents", func(x *domain.EnterpriseFacts) **bool { return &x.TaxViolation3Y }),
	}},
	{Title: "知识产权与研发机构", Note: "与主导产品相关的有效知识产权件数；未填报的计数使相关指标为“缺少数据”，没有请填 0。高新技术企业、科技型中小企业在企业信息的“企业标签”中维护。", Fields: []FactField{
		whole(FactCount, "ip_class1", "Ⅰ类知识产权（件）", "inn.ip / sp.pts.ip / lg.xin", func(x *domain.EnterpriseFacts) **int64 { return &x.IPClass1 }),
		whole(FactCount, "ip_class1_self_developed", "其中自主研发的Ⅰ类（件）", "inn.ip / sp.pts.ip", func(x *domain.EnterpriseFacts) **int64 { return &x.IPClass1SelfDeveloped }),
		whole(FactCount, "ip_class1_high_value", "其中高价值Ⅰ类（件）", "inn.ip / sp.pts.ip", func(x *domain.EnterpriseFacts) **int64 { return &x.IPClass1HighValue }),
		whole(FactCount, "ip_class1_in_use", "已实施并产生经济效益的Ⅰ类（件）", "sp.ip / lg.ip / lg.xin", func(x *domain.EnterpriseFacts) **int64 { return &x.IPClass1InUse }),
		whole(FactCount, "ip_class2", "Ⅱ类知识产权（件）", "inn.ip / sp.pts.ip", func(x *domain.EnterpriseFacts) **int64 { return &x.IPClass2 }),
		{Key: "rd_institution", Label: "研发机构最高级别（自建或共建）", Hint: "inn.direct / sp.pts.rd_institution / sp.ip / lg.xin", Kind: FactChoice,
			Choices: RDInstitutionChoices, text: func(x *domain.EnterpriseFacts) **string { return &x.RDInstitution }},
		tri("honour_tech_innovation_demo", "国家级技术创新示范企业", "inn.direct", func(x *domain.EnterpriseFacts) **bool { return &x.HonourTechInnovationDemo }),
		tri("honour_ip_advantage", "知识产权优势企业", "inn.direct", func(x *domain.EnterpriseFacts) **bool { return &x.HonourIPAdvantage }),
		tri("honour_ip_demo", "知识产权示范企业", "inn.direct", func(x *domain.EnterpriseFacts) **bool { return &x.HonourIPDemo }),
		whole(FactRank, "chuangke_rank", "「创客中国」全国企业组最好名次（近三年）", "sp.score_or_direct / lg.xin；未入围请留空", func(x *domain.EnterpriseFacts) **int64 { return &x.ChuangkeRank }),
	}},
	{Title: "主导产品与产业链", Fields: []FactField{
		tri("strategic_emerging", "主导产品属于《战略性新兴产业分类》", "inn.field", func(x *domain.EnterpriseFacts) **bool { return &x.StrategicEmerging }),
		{Key: "chain_role", Label: "主导产品在产业链中的作用", Hint: "sp.pts.chain / lg.lian / lg.field", Kind: FactChoice,
			Choices: ChainRoleChoices, text: func(x *domain.EnterpriseFacts) **string { return &x.ChainRole }},
		tri("priority_field", "主导产品属于“小巨人”重点领域", "lg.pin / lg.field", func(x *domain.EnterpriseFacts) **bool { return &x.PriorityField }),
	}},
	{Title: "精细化与特色化", Fields: []FactField{
		whole(FactLevel, "digital_level", "数字化水平（级）", "sp.pts.digital", func(x *domain.EnterpriseFacts) **int64 { return &x.DigitalLevel }),
		tri("info_system_core_business", "至少1项核心业务采用信息系统支撑", "lg.jing", func(x *domain.EnterpriseFacts) **bool { return &x.InfoSystemCoreBusiness }),
		tri("mgmt_certification", "取得管理体系认证或发达国家（地区）产品认证", "lg.jing", func(x *domain.EnterpriseFacts) **bool { return &x.MgmtCertification }),
		tri("own_brand", "拥有自主品牌", "lg.te", func(x *domain.EnterpriseFacts) **bool { return &x.OwnBrand }),
		decimal(FactScore, "local_score", "特色化指标得分（区级评审录入，0–15分）", "sp.pts.local", func(x *domain.EnterpriseFacts) **float64 { return &x.LocalScore }),
	}},
	{Title: "市场地位", Fields: []FactField{
		decimal(FactPercent, "market_share_domestic", "国内细分市场占有率（%）", "lg.te / lg.market", func(x *domain.EnterpriseFacts) **float64 { return &x.MarketShareDomestic }),
		decimal(FactPercent, "market_share_international", "国际细分市场占有率（%）", "lg.market", func(x *domain.EnterpriseFacts) **float64 { return &x.MarketShareInternational }),
		whole(FactRank, "market_rank_domestic", "国内细分市场排名", "lg.market；无排名请留空", func(x *domain.EnterpriseFacts) **int64 { return &x.MarketRankDomestic }),
		tri("market_position_attested", "主导产品市场占有率较为靠前（经审核确认）", "sp.market", func(x *domain.EnterpriseFacts) **bool { return &x.MarketPositionAttested }),
	}},
	{Title: "“小巨人”排除情形", Note: "未填报时按“否”处理（facts.schema 默认值）。", Fields: []FactField{
		tri("controlled_by_little_giant", "被已认定的“小巨人”企业控股超过50%", "lg.exclusions", func(x *domain.EnterpriseFacts) **bool { return &x.ControlledByLittleGiant }),
		tri("group_similar_little_giant", "与已认定的“小巨人”企业同属一个集团且主导产品同类", "lg.exclusions", func(x *domain.EnterpriseFacts) **bool { return &x.GroupSimilarLittleGiant }),
	}},
}

// Hints for the parts laid out outside FactGroups.
const (
	QualityHint   = "sp.pts.quality / lg.te"
	AwardsHint    = "inn.direct / sp.score_or_direct / sp.ip / lg.xin / lg.ip"
	DevScoresHint = "sp.dev_score / lg.dev_score"
)

const (
	maxAwardRows    = 30
	maxDevScoreRows = 20
	minAwardRows    = 3
	minDevScoreRows = 3
)

// AwardRow is one 科技奖励 row as typed; an all-empty row is ignored.
type AwardRow struct{ Level, Rank, Year, Name string }

func (r AwardRow) empty() bool { return r.Level == "" && r.Rank == "" && r.Year == "" && r.Name == "" }

// DevScoreRow is one year's 专精特新发展评价得分 as typed; a row without a score is ignored.
type DevScoreRow struct{ Year, Score string }

// Facts is the fact-sheet form as typed.
type Facts struct {
	Version         string
	Values          map[string]string // FactGroups fields by key
	QualityReported bool              // unchecked: quality not reported (criteria "missing")
	Quality         map[string]bool
	AwardsReported  bool // checked: the award rows are the complete list (none if empty)
	Awards          []AwardRow
	DevScores       []DevScoreRow
	Errors          Errors
}

// AwardField and DevScoreField name a row's inputs (and error keys), e.g. award_0_year.
func AwardField(i int, part string) string    { return fmt.Sprintf("award_%d_%s", i, part) }
func DevScoreField(i int, part string) string { return fmt.Sprintf("dev_%d_%s", i, part) }

// FactsFromValues reads a submitted fact-sheet form; rows are read while their inputs are present.
func FactsFromValues(v url.Values) Facts {
	f := Facts{Version: get(v, "version"), Values: map[string]string{}, Quality: map[string]bool{},
		QualityReported: checked(v, "quality_reported"), AwardsReported: checked(v, "awards_reported"), Errors: Errors{}}
	for _, g := range FactGroups {
		for _, fld := range g.Fields {
			f.Values[fld.Key] = get(v, fld.Key)
		}
	}
	for _, q := range v["quality"] {
		f.Quality[q] = true
	}
	for i := 0; i < maxAwardRows; i++ {
		if !present(v, AwardField(i, "level"), AwardField(i, "rank"), AwardField(i, "year"), AwardField(i, "name")) {
			break
		}
		f.Awards = append(f.Awards, AwardRow{Level: get(v, AwardField(i, "level")), Rank: get(v, AwardField(i, "rank")),
			Year: get(v, AwardField(i, "year")), Name: get(v, AwardField(i, "name"))})
	}
	for i := 0; i < maxDevScoreRows; i++ {
		if !present(v, DevScoreField(i, "year"), DevScoreField(i, "score")) {
			break
		}
		f.DevScores = append(f.DevScores, DevScoreRow{Year: get(v, DevScoreField(i, "year")), Score: get(v, DevScoreField(i, "score"))})
	}
	return f
}

func present(v url.Values, keys ...string) bool {
	for _, k := range keys {
		if _, ok := v[k]; ok {
			return true
		}
	}
	return false
}

// FactsFromDomain fills the form from a stored fact sheet (zero facts: never saved), with
// empty rows to add awards and the development scores of the last years.
func FactsFromDomain(x domain.EnterpriseFacts, awards []domain.Award, scores []domain.DevScore, today domain.Date) Facts {
	f := Facts{Version: strconv.FormatInt(x.Version, 10), Values: map[string]string{}, Quality: map[string]bool{},
		AwardsReported: x.AwardsReported || len(awards) > 0, Errors: Errors{}}
	for _, g := range FactGroups {
		for _, fld := range g.Fields {
			f.Values[fld.Key] = fld.format(&x)
		}
	}
	if x.Quality != nil {
		f.QualityReported = true
		for _, q := range strings.Split(*x.Quality, ",") {
			if q = strings.TrimSpace(q); q != "" {
				f.Quality[q] = true
			}
		}
	}
	for _, a := range awards {
		r := AwardRow{Level: a.Level, Year: strconv.Itoa(a.Year), Name: a.Name}
		if a.Rank != nil {
			r.Rank = strconv.FormatInt(*a.Rank, 10)
		}
		f.Awards = append(f.Awards, r)
	}
	for _, d := range scores {
		f.DevScores = append(f.DevScores, DevScoreRow{Year: strconv.Itoa(d.Year), Score: strconv.FormatFloat(d.Score, 'f', -1, 64)})
	}
	f.AddEmptyRows(today)
	return f
}

// AddEmptyRows appends blank award rows (two, and at least minAwardRows in all) and rows for
// the development scores of this year and the two before, where missing.
func (f *Facts) AddEmptyRows(today domain.Date) {
	want := min(max(len(f.Awards)+2, minAwardRows), maxAwardRows)
	for len(f.Awards) < want {
		f.Awards = append(f.Awards, AwardRow{})
	}
	for y := today.Year(); y > today.Year()-minDevScoreRows && len(f.DevScores) < maxDevScoreRows; y-- {
		ys := strconv.Itoa(y)
		if !slices.ContainsFunc(f.DevScores, func(r DevScoreRow) bool { return r.Year == ys }) {
			f.DevScores = append(f.DevScores, DevScoreRow{Year: ys})
		}
	}
	slices.SortStableFunc(f.DevScores, func(a, b DevScoreRow) int { return strings.Compare(b.Year, a.Year) })
}

func (fld FactField) format(x *domain.EnterpriseFacts) string {
	switch {
	case fld.flag != nil:
		if p := *fld.flag(x); p != nil {
			if *p {
				return TriYes
			}
			return TriNo
		}
	case fld.number != nil:
		if p := *fld.number(x); p != nil {
			return strconv.FormatInt(*p, 10)
		}
	case fld.frac != nil:
		if p := *fld.frac(x); p != nil {
			return strconv.FormatFloat(*p, 'f', -1, 64)
		}
	case fld.text != nil:
		if p := *fld.text(x); p != nil {
			return *p
		}
	}
	return ""
}

// Apply validates the form onto x (whose EnterpriseID the caller set) and returns the awards
// and development scores; ok is false when f.Errors holds messages.
func (f *Facts) Apply(x *domain.EnterpriseFacts, today domain.Date) (awards []domain.Award, scores []domain.DevScore, ok bool) {
	if f.Errors == nil {
		f.Errors = Errors{}
	}
	for _, g := range FactGroups {
		for _, fld := range g.Fields {
			fld.parse(f.Errors, x, f.Values[fld.Key])
		}
	}

	var items []string
	for _, c := range QualityChoices {
		if f.Quality[c.Value] {
			items = append(items, c.Value)
		}
	}
	for q := range f.Quality {
		if !slices.ContainsFunc(QualityChoices, func(c Choice) bool { return c.Value == q }) {
			f.Errors.Add("quality", "质量管理选项无效")
		}
	}
	x.Quality = nil
	if f.QualityReported || len(items) > 0 {
		f.QualityReported = true // a ticked item is a report
		s := strings.Join(items, ",")
		x.Quality = &s
	}

	thisYear := today.Year()
	for i, r := range f.Awards {
		if r.empty() {
			continue
		}
		a := domain.Award{Level: r.Level, Name: r.Name}
		if !slices.ContainsFunc(AwardLevelChoices, func(c Choice) bool { return c.Value == r.Level }) {
			f.Errors.Add(AwardField(i, "level"), "请选择奖励级别")
		}
		a.Year = parseYearIn(f.Errors, AwardField(i, "year"), r.Year, 1949, thisYear)
		if r.Rank != "" {
			a.Rank = parseWhole(f.Errors, AwardField(i, "rank"), r.Rank, 1, 10_000, "排名应为不小于 1 的整数")
		}
		if utf8.RuneCountInString(r.Name) > 100 {
			f.Errors.Add(AwardField(i, "name"), "奖项名称不超过 100 字")
		}
		awards = append(awards, a)
	}
	x.AwardsReported = f.AwardsReported || len(awards) > 0
	f.AwardsReported = x.AwardsReported

	seen := map[int]int{}
	for i, r := range f.DevScores {
		if r.Score == "" {
			continue // a year offered without a score is simply not recorded
		}
		d := domain.DevScore{Year: parseYearIn(f.Errors, DevScoreField(i, "year"), r.Year, 2000, thisYear)}
		if d.Year != 0 {
			if j, dup := seen[d.Year]; dup {
				f.Errors.Add(DevScoreField(i, "year"), fmt.Sprintf("%d 年的得分与第 %d 行重复", d.Year, j+1))
			}
			seen[d.Year] = i
		}
		if v, ok := parseReal(f.Errors, DevScoreField(i, "score"), r.Score, 0, 100, "发展评价得分应在 0–100 分之间"); ok {
			d.Score = *v
		}
		scores = append(scores, d)
	}

	if f.Version != "" {
		v, err := strconv.ParseInt(f.Version, 10, 64)
		if err != nil {
			f.Errors.Add("version", "表单已损坏，请刷新后重试")
		}
		x.Version = v
	}
	return awards, scores, len(f.Errors) == 0
}

func (fld FactField) parse(fe Errors, x *domain.EnterpriseFacts, s string) {
	switch fld.Kind {
	case FactTri:
		p := fld.flag(x)
		switch s {
		case TriUnknown:
			*p = nil
		case TriYes, TriNo:
			b := s == TriYes
			*p = &b
		default:
			fe.Add(fld.Key, "请选择“是”“否”或“未填报”")
		}
	case FactCount:
		*fld.number(x) = parseWhole(fe, fld.Key, s, 0, 1_000_000, "请填写不小于 0 的整数（件数）")
	case FactRank:
		*fld.number(x) = parseWhole(fe, fld.Key, s, 1, 1_000_000, "名次应为不小于 1 的整数")
	case FactLevel:
		*fld.number(x) = parseWhole(fe, fld.Key, s, 1, 4, "数字化水平应为 1–4 级")
	case FactScore:
		*fld.frac(x), _ = parseReal(fe, fld.Key, s, 0, 15, "特色化指标得分应在 0–15 分之间")
	case FactPercent:
		*fld.frac(x), _ = parseReal(fe, fld.Key, strings.TrimSuffix(domain.NormalizeNumber(s), "%"), 0, 100, "市场占有率应在 0–100（%）之间")
	case FactChoice:
		p := fld.text(x)
		*p = nil
		if s == "" {
			return
		}
		if !slices.ContainsFunc(fld.Choices, func(c Choice) bool { return c.Value == s }) {
			fe.Add(fld.Key, "请从列表中选择")
			return
		}
		v := s
		*p = &v
	}
}

// parseWhole reads an optional whole number in [lo, hi]; msg explains the range.
func parseWhole(fe Errors, field, s string, lo, hi int64, msg string) *int64 {
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(strings.ReplaceAll(domain.NormalizeNumber(s), ",", ""), 10, 64)
	if err != nil || n < lo || n > hi {
		fe.Add(field, msg)
		return nil
	}
	return &n
}

// parseReal reads an optional number in [lo, hi]; msg explains the range.
func parseReal(fe Errors, field, s string, lo, hi float64, msg string) (*float64, bool) {
	if s == "" {
		return nil, false
	}
	x, err := strconv.ParseFloat(strings.ReplaceAll(domain.NormalizeNumber(s), ",", ""), 64)
	if err != nil || x != x || x < lo || x > hi {
		fe.Add(field, msg)
		return nil, false
	}
	return &x, true
}

// parseYearIn reads a required year in [lo, hi].
func parseYearIn(fe Errors, field, s string, lo, hi int) int {
	y := parseYear(fe, field, s)
	if y != 0 && (y < lo || y > hi) {
		fe.Add(field, fmt.Sprintf("年份应在 %d–%d 之间", lo, hi))
		return 0
	}
	return y
}
