package dataio

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
)

// Status is what committing a row would do.
type Status string

const (
	StatusNew       Status = "new"
	StatusUpdate    Status = "update"
	StatusUnchanged Status = "unchanged"
	StatusError     Status = "error"
)

// Text is the status in Chinese.
func (s Status) Text() string {
	switch s {
	case StatusNew:
		return "新增"
	case StatusUpdate:
		return "更新"
	case StatusUnchanged:
		return "无变化"
	case StatusError:
		return "错误"
	}
	return string(s)
}

// CellError is one reason a row cannot be imported, with the file's column header.
type CellError struct {
	Column  string `json:"column"`
	Message string `json:"message"`
}

// RowResult is the dry run's verdict on one data row.
type RowResult struct {
	Line    int         `json:"line"`
	USCC    string      `json:"uscc"`
	Name    string      `json:"name"`
	Year    int         `json:"year,omitempty"`
	Status  Status      `json:"status"`
	Errors  []CellError `json:"errors,omitempty"`
	Changes []string    `json:"changes,omitempty"` // labels of changed fields
}

// Counts tally the rows by status.
type Counts struct {
	Total, New, Update, Unchanged, Error int
}

func (c *Counts) add(s Status) {
	c.Total++
	switch s {
	case StatusNew:
		c.New++
	case StatusUpdate:
		c.Update++
	case StatusUnchanged:
		c.Unchanged++
	case StatusError:
		c.Error++
	}
}

// Summary is the counts in one Chinese line.
func (c Counts) Summary() string {
	return fmt.Sprintf("共 %d 行：新增 %d，更新 %d，无变化 %d，错误 %d", c.Total, c.New, c.Update, c.Unchanged, c.Error)
}

// EntPlan is what to write for one enterprise: it is new (ID 0) or an update of the
// stored profile; Years are the years to insert (ID 0) or update.
type EntPlan struct {
	Enterprise     domain.Enterprise
	New            bool
	ProfileChanged bool
	Changed        []string
	Years          []domain.YearFigures // the years to write
	AllYears       []domain.YearFigures // every year after the import, for the size class
}

// Plan is a checked file: per-row results and, when no row has an error, the writes.
type Plan struct {
	FileName string
	Encoding string
	Headers  []string
	Mapping  Mapping
	Unmapped []string // headers no field was found for
	Results  []RowResult
	Counts   Counts
	Ents     []*EntPlan // in file order of first appearance; only entries with something to write
	Elapsed  time.Duration
}

// OK reports whether the plan may be committed.
func (p *Plan) OK() bool { return p.Counts.Error == 0 && p.Counts.Total > 0 }

// Lookup reads what is stored for a batch of codes.
type Lookup interface {
	// Existing returns the stored enterprises among codes (all columns) and their years.
	Existing(ctx context.Context, codes []domain.USCC) (map[domain.USCC]domain.Enterprise, map[int64][]domain.YearFigures, error)
}

// Options tune Check.
type Options struct {
	Scope    domain.Scope // who imports: a district officer only their district
	Today    domain.Date
	Mapping  Mapping                // nil: AutoMap with Remember
	Remember map[string]string      // header → field key, the user's earlier choices
	Progress func(rows int)         // called every batch
	Batch    int                    // rows per lookup; 0 means 1000
	KeepRows func(r RowResult) bool // which results to keep in Plan.Results (nil: all)
}

// entState is an enterprise as the rows so far would leave it.
type entState struct {
	plan    *EntPlan
	before  domain.Enterprise
	known   bool // stored before the import
	years   map[int]domain.YearFigures
	touched bool
}

// Check reads every row of t, validates it, and compares it with the stored data.
func Check(ctx context.Context, t Table, lk Lookup, opt Options) (*Plan, error) {
	start := time.Now()
	if opt.Batch <= 0 {
		opt.Batch = 1000
	}
	p := &Plan{Headers: t.Header(), Encoding: t.Encoding()}
	p.Mapping = opt.Mapping
	if p.Mapping == nil {
		p.Mapping = AutoMap(p.Headers, opt.Remember)
	}
	for len(p.Mapping) < len(p.Headers) {
		p.Mapping = append(p.Mapping, "")
	}
	colOf := map[string]string{}
	for i, k := range p.Mapping {
		if k != "" && i < len(p.Headers) {
			colOf[k] = strings.TrimSpace(p.Headers[i])
		} else if k == "" && i < len(p.Headers) && strings.TrimSpace(p.Headers[i]) != "" {
			p.Unmapped = append(p.Unmapped, p.Headers[i])
		}
	}
	if !p.Mapping.Has("uscc") {
		return p, fmt.Errorf("文件中没有“统一社会信用代码”列，请在列对应中指定")
	}
	c := &checker{opt: opt, colOf: colOf, mapping: p.Mapping, ents: map[domain.USCC]*entState{}, seen: map[string]int{}, plan: p}
	type raw struct {
		vals map[string]string
		line int
	}
	batch := make([]raw, 0, opt.Batch)
	flush := func() error {
		codes := make([]domain.USCC, 0, len(batch))
		for _, r := range batch {
			if chk, err := domain.ParseUSCC(r.vals["uscc"]); err == nil {
				if _, ok := c.ents[chk.Code]; !ok {
					codes = append(codes, chk.Code)
				}
			}
		}
		stored, years, err := lk.Existing(ctx, codes)
		if err != nil {
			return err
		}
		for _, r := range batch {
			c.row(r.line, r.vals, stored, years)
		}
		batch = batch[:0]
		if opt.Progress != nil {
			opt.Progress(p.Counts.Total)
		}
		return ctx.Err()
	}
	for {
		row, line, err := t.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return p, err
		}
		vals := make(map[string]string, len(colOf))
		for i, k := range p.Mapping {
			if k != "" && i < len(row) {
				vals[k] = strings.TrimSpace(row[i])
			}
		}
		batch = append(batch, raw{vals, line})
		if len(batch) == opt.Batch {
			if err := flush(); err != nil {
				return p, err
			}
		}
	}
	if err := flush(); err != nil {
		return p, err
	}
	for _, e := range c.order {
		if e.touched {
			p.Ents = append(p.Ents, e.plan)
		}
	}
	p.Elapsed = time.Since(start)
	return p, nil
}

type checker struct {
	opt     Options
	colOf   map[string]string
	mapping Mapping
	ents    map[domain.USCC]*entState
	order   []*entState
	seen    map[string]int // USCC or USCC/year → first line
	plan    *Plan
}

func (c *checker) col(key string) string {
	if h, ok := c.colOf[key]; ok {
		return h
	}
	if f, ok := FieldByKey(key); ok {
		return f.Label
	}
	return key
}

func (c *checker) add(r RowResult) {
	c.plan.Counts.add(r.Status)
	if c.opt.KeepRows == nil || c.opt.KeepRows(r) {
		c.plan.Results = append(c.plan.Results, r)
	}
}

func (c *checker) row(line int, vals map[string]string, stored map[domain.USCC]domain.Enterprise, years map[int64][]domain.YearFigures) {
	res := RowResult{Line: line, USCC: vals["uscc"], Name: vals["name"]}
	fail := func(key, msg string) {
		res.Errors = append(res.Errors, CellError{Column: c.col(key), Message: msg})
	}
	chk, err := domain.ParseUSCC(vals["uscc"])
	if vals["uscc"] == "" {
		fail("uscc", "请填写统一社会信用代码")
	} else if err != nil {
		fail("uscc", err.Error())
	}
	code := chk.Code
	if code != "" {
		res.USCC = string(code)
	}
	// The year, if the file carries figures.
	year := 0
	hasYear := c.mapping.Has("year") && vals["year"] != ""
	if hasYear {
		n, err := strconv.Atoi(strings.TrimSuffix(domain.NormalizeNumber(vals["year"]), "年"))
		if err != nil {
			fail("year", "年度应为四位数字，如 2024")
		} else {
			year = n
			res.Year = n
		}
	} else {
		for _, yf := range domain.YearFields {
			if vals[yf.Key] != "" {
				fail("year", "填写了年度数据但未填写年度")
				break
			}
		}
	}
	if code != "" {
		key := string(code)
		what := "统一社会信用代码"
		if hasYear {
			key += "/" + strconv.Itoa(year)
			what = "统一社会信用代码与年度"
		}
		if first, dup := c.seen[key]; dup {
			fail("uscc", fmt.Sprintf("与第 %d 行重复（%s相同）", first, what))
		} else {
			c.seen[key] = line
		}
	}
	if len(res.Errors) > 0 || code == "" {
		res.Status = StatusError
		c.add(res)
		return
	}

	st := c.ents[code]
	if st == nil {
		st = &entState{plan: &EntPlan{}, years: map[int]domain.YearFigures{}}
		if e, ok := stored[code]; ok {
			st.before, st.known = e, true
			st.plan.Enterprise = e
			for _, y := range years[e.ID] {
				st.years[y.Year] = y
			}
		} else {
			st.plan.New = true
		}
	}
	// The profile: what is stored (or earlier rows made of it), overlaid with the row's cells.
	v := url.Values{}
	base := forms.Enterprise{Errors: forms.Errors{}}
	if st.known || st.touched {
		base = forms.EnterpriseFromDomain(st.plan.Enterprise)
	}
	setEnterpriseValues(v, base)
	v.Set("uscc", string(code))
	for _, f := range Fields {
		if f.Year || f.Ignored || f.Key == "uscc" || !c.mapping.Has(f.Key) {
			continue
		}
		s := vals[f.Key]
		switch {
		case f.Key == "district":
			if s == "" {
				v.Set("district", "")
			} else if d, ok := districtByName[s]; ok {
				v.Set("district", d)
			} else {
				fail("district", "未知的区“"+s+"”，应为上海市16个区之一")
				continue
			}
		case f.Key == "industry_group":
			if s == "" {
				v.Set(f.Key, "")
			} else if g, ok := groupByName[s]; ok {
				v.Set(f.Key, string(g))
			} else {
				fail(f.Key, "未知的划型行业“"+s+"”，应为 工业、信息传输、软件和信息技术、其他 之一")
				continue
			}
		case f.Bool:
			b, ok := parseBool(s)
			if !ok {
				fail(f.Key, "应填写“是”或“否”")
				continue
			}
			if b {
				v.Set(f.Key, "on")
			} else {
				v.Del(f.Key)
			}
		case f.Key == "founded_on" || f.Key == "niche_since":
			v.Set(f.Key, excelDate(s))
		default:
			v.Set(f.Key, s)
		}
	}
	if st.plan.New && !st.touched {
		for _, k := range []string{"name", "district", "industry_group"} {
			if !c.mapping.Has(k) {
				fl, _ := FieldByKey(k)
				fail(k, "新企业须填写“"+fl.Label+"”（文件中没有该列）")
			}
		}
	}
	form := forms.EnterpriseFromValues(v)
	ent := st.plan.Enterprise
	if !form.Apply(&ent, c.opt.Today) {
		for k, msg := range form.Errors {
			if k == "version" {
				continue
			}
			fail(k, msg)
		}
	}
	if !c.inScope(ent, st) {
		fail("district", "该企业不在您的管辖范围内，无权导入")
	}
	// The year's figures, overlaid on the stored year.
	var yf *domain.YearFigures
	if hasYear && year != 0 {
		yv := url.Values{}
		prev, had := st.years[year]
		yform := forms.Year{Values: map[string]string{}}
		if had {
			yform = forms.YearFromDomain(prev)
		}
		yv.Set("year", strconv.Itoa(year))
		for _, f := range domain.YearFields {
			yv.Set(f.Key, yform.Values[f.Key])
			if c.mapping.Has(f.Key) {
				yv.Set(f.Key, vals[f.Key])
			}
		}
		yform2 := forms.YearFromValues(yv)
		y := prev
		if !yform2.Apply(&y, c.opt.Today) {
			for k, msg := range yform2.Errors {
				if k == "version" {
					continue
				}
				fail(k, msg)
			}
		}
		y.Version = prev.Version
		yf = &y
	}
	if len(res.Errors) > 0 {
		res.Status = StatusError
		c.add(res)
		return
	}
	res.Name = ent.Name
	// Compare and record.
	changes := profileChanges(st.plan.Enterprise, ent)
	if !st.known && !st.touched {
		res.Status = StatusNew
	} else if len(changes) > 0 {
		res.Status = StatusUpdate
		res.Changes = changes
	} else {
		res.Status = StatusUnchanged
	}
	if len(changes) > 0 || st.plan.New {
		st.plan.Enterprise = ent
		if st.known {
			st.plan.ProfileChanged = true
			st.plan.Changed = appendNew(st.plan.Changed, changes...)
		}
	}
	if yf != nil {
		prev, had := st.years[year]
		ych := yearChanges(prev, *yf, had)
		if len(ych) > 0 {
			if res.Status == StatusUnchanged {
				res.Status = StatusUpdate
			}
			if res.Status == StatusUpdate {
				res.Changes = append(res.Changes, ych...)
			}
			st.years[year] = *yf
			replaced := false
			for i := range st.plan.Years {
				if st.plan.Years[i].Year == year {
					st.plan.Years[i] = *yf
					replaced = true
				}
			}
			if !replaced {
				st.plan.Years = append(st.plan.Years, *yf)
			}
			if st.known {
				st.plan.Changed = appendNew(st.plan.Changed, fmt.Sprintf("%d 年度数据", year))
			}
		}
	}
	if res.Status != StatusUnchanged && !st.touched {
		st.touched = true
		c.order = append(c.order, st)
	}
	c.ents[code] = st
	if st.touched {
		st.plan.AllYears = st.plan.AllYears[:0]
		for _, y := range st.years {
			st.plan.AllYears = append(st.plan.AllYears, y)
		}
	}
	c.add(res)
}

func appendNew(xs []string, add ...string) []string {
next:
	for _, a := range add {
		for _, x := range xs {
			if x == a {
				continue next
			}
		}
		xs = append(xs, a)
	}
	return xs
}

func (c *checker) inScope(e domain.Enterprise, st *entState) bool {
	sc := c.opt.Scope
	switch {
	case sc.All:
		return true
	case sc.District != "":
		return e.DistrictCode == sc.District && (!st.known || st.before.DistrictCode == sc.District)
	}
	return false
}

// setEnterpriseValues writes a form's values as submitted form values.
func setEnterpriseValues(v url.Values, f forms.Enterprise) {
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("name", f.Name)
	set("district", f.District)
	set("address", f.Address)
	set("founded_on", f.FoundedOn)
	set("industry_group", f.IndustryGroup)
	set("industry_code", f.IndustryCode)
	set("main_product", f.MainProduct)
	set("niche_market", f.NicheMarket)
	set("niche_since", f.NicheSince)
	set("contact_person", f.ContactPerson)
	set("contact_phone", f.ContactPhone)
	set("above_scale_since", f.AboveScaleSince)
	set("listed_board", f.ListedBoard)
	set("version", f.Version)
	for k, b := range map[string]bool{"above_scale": f.AboveScale, "high_tech": f.HighTech, "tech_sme": f.TechSME,
		"gazelle": f.Gazelle, "unicorn": f.Unicorn, "single_champion": f.SingleChampion, "listed": f.Listed} {
		if b {
			v.Set(k, "on")
		}
	}
}

// excelDate turns an Excel serial day number (a date cell read raw) into YYYY-MM-DD;
// other text is returned as is, with 2024/1/2 and 2024.01.02 normalised.
func excelDate(s string) string {
	if n, err := strconv.ParseFloat(s, 64); err == nil && n > 1000 && n < 80000 && !strings.Contains(s, "-") {
		t := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(n))
		return t.Format("2006-01-02")
	}
	if strings.ContainsAny(s, "/.年") {
		r := strings.NewReplacer("/", "-", ".", "-", "年", "-", "月", "-", "日", "")
		parts := strings.Split(r.Replace(s), "-")
		if len(parts) == 3 {
			y, e1 := strconv.Atoi(parts[0])
			m, e2 := strconv.Atoi(parts[1])
			d, e3 := strconv.Atoi(parts[2])
			if e1 == nil && e2 == nil && e3 == nil {
				return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
			}
		}
	}
	return s
}

// profileChanges lists the labels of profile fields that differ.
func profileChanges(a, b domain.Enterprise) []string {
	var out []string
	cmp := func(label string, x, y any) {
		if x != y {
			out = append(out, label)
		}
	}
	cmp("企业名称", a.Name, b.Name)
	cmp("所在区", a.DistrictCode, b.DistrictCode)
	cmp("注册地址", a.Address, b.Address)
	cmp("成立日期", a.FoundedOn.String(), b.FoundedOn.String())
	cmp("划型行业", a.IndustryGroup, b.IndustryGroup)
	cmp("国民经济行业代码", a.IndustryCode, b.IndustryCode)
	cmp("主导产品", a.MainProduct, b.MainProduct)
	cmp("细分市场", a.NicheMarket, b.NicheMarket)
	cmp("进入细分市场日期", a.NicheSince.String(), b.NicheSince.String())
	cmp("联系人", a.ContactPerson, b.ContactPerson)
	cmp("联系电话", a.ContactPhone, b.ContactPhone)
	cmp("标签", a.Labels, b.Labels)
	return out
}

// yearChanges lists the figures that differ (every set figure for a new year).
func yearChanges(a, b domain.YearFigures, had bool) []string {
	var out []string
	if !had {
		return []string{fmt.Sprintf("新增 %d 年度数据", b.Year)}
	}
	for _, f := range domain.YearFields {
		if f.Money {
			x, y := *a.MoneyField(f.Key), *b.MoneyField(f.Key)
			if (x == nil) != (y == nil) || x != nil && *x != *y {
				out = append(out, fmt.Sprintf("%d %s", b.Year, f.Label))
			}
		} else {
			x, y := *a.CountField(f.Key), *b.CountField(f.Key)
			if (x == nil) != (y == nil) || x != nil && *x != *y {
				out = append(out, fmt.Sprintf("%d %s", b.Year, f.Label))
			}
		}
	}
	return out
}
