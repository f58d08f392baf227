package dataio

import (
	"context"
	"fmt"
	"io"
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
// stored profile; Years are the years to insert (ID 0) or update. Enterprise.Size is
// already computed from every year the enterprise will have after the import.
type EntPlan struct {
	Enterprise     domain.Enterprise
	New            bool
	ProfileChanged bool
	NameChanged    bool // a stored enterprise renamed: its name grams are rewritten
	Changed        []string
	Years          []domain.YearFigures // the years to write
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

// entState is an enterprise as the rows so far would leave it. It is kept for every
// enterprise of the file (a later row may touch it again), so it holds only what the
// next row and the commit need.
type entState struct {
	plan           *EntPlan
	beforeDistrict string // the stored district, for the scope check; "" when not stored
	known          bool   // stored before the import
	touched        bool
	years          []domain.YearFigures // every year after the rows so far
	profileLine    int32                // first line without a year (duplicate check)
	yearLines      []yearLine           // first line per year (duplicate check)
}

type yearLine struct{ year, line int32 }

// fieldIndex is each field's position in Fields, and so in a row's values.
var fieldIndex = func() map[string]int {
	m := make(map[string]int, len(Fields))
	for i, f := range Fields {
		m[f.Key] = i
	}
	return m
}()

// rowVals are one row's cells by field position (Fields order), trimmed.
type rowVals []string

func (v rowVals) get(key string) string { return v[fieldIndex[key]] }

// Check reads every row of t, validates it, and compares it with the stored data.
// Rows stream through in batches (one stored-data lookup per batch); what is kept
// across batches is one compact entState per enterprise.
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
	cols := make([]int, len(p.Mapping)) // file column → field position, -1 unused
	c := &checker{opt: opt, colOf: colOf, has: make([]bool, len(Fields)), ents: map[domain.USCC]*entState{}, plan: p}
	for i, k := range p.Mapping {
		cols[i] = -1
		if k != "" && i < len(p.Headers) {
			colOf[k] = strings.TrimSpace(p.Headers[i])
			if fi, ok := fieldIndex[k]; ok {
				cols[i], c.has[fi] = fi, true
			}
		} else if k == "" && i < len(p.Headers) && strings.TrimSpace(p.Headers[i]) != "" {
			p.Unmapped = append(p.Unmapped, p.Headers[i])
		}
	}
	if !p.Mapping.Has("uscc") {
		return p, fmt.Errorf("文件中没有“统一社会信用代码”列，请在列对应中指定")
	}
	type raw struct {
		vals rowVals
		line int
	}
	batch := make([]raw, 0, opt.Batch)
	flush := func() error {
		codes := make([]domain.USCC, 0, len(batch))
		for _, r := range batch {
			if chk, err := domain.ParseUSCC(r.vals.get("uscc")); err == nil {
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
		clear(batch)
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
		vals := make(rowVals, len(Fields))
		for i, fi := range cols {
			if fi >= 0 && i < len(row) {
				vals[fi] = strings.TrimSpace(row[i])
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
	opt   Options
	colOf map[string]string
	has   []bool // by field position: some column maps to the field
	ents  map[domain.USCC]*entState
	order []*entState
	plan  *Plan
}

func (c *checker) mapped(key string) bool { return c.has[fieldIndex[key]] }

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

// duplicate reports the first line of an earlier row for the same enterprise (and year),
// or records line as that first row.
func (st *entState) duplicate(year int, hasYear bool, line int) (first int, dup bool) {
	if !hasYear {
		if st.profileLine != 0 {
			return int(st.profileLine), true
		}
		st.profileLine = int32(line)
		return 0, false
	}
	for _, yl := range st.yearLines {
		if int(yl.year) == year {
			return int(yl.line), true
		}
	}
	st.yearLines = append(st.yearLines, yearLine{int32(year), int32(line)})
	return 0, false
}

func (st *entState) year(y int) (domain.YearFigures, bool) {
	for _, x := range st.years {
		if x.Year == y {
			return x, true
		}
	}
	return domain.YearFigures{}, false
}

// state is the enterprise's state so far, new (not yet in c.ents) when the file has not named it before.
func (c *checker) state(code domain.USCC, stored map[domain.USCC]domain.Enterprise, years map[int64][]domain.YearFigures) *entState {
	if st := c.ents[code]; st != nil {
		return st
	}
	st := &entState{plan: &EntPlan{}}
	if e, ok := stored[code]; ok {
		st.known, st.beforeDistrict = true, e.DistrictCode
		st.plan.Enterprise = e
		st.years = years[e.ID]
	} else {
		st.plan.New = true
	}
	c.ents[code] = st
	return st
}

func (c *checker) row(line int, vals rowVals, stored map[domain.USCC]domain.Enterprise, years map[int64][]domain.YearFigures) {
	res := RowResult{Line: line, USCC: vals.get("uscc"), Name: vals.get("name")}
	fail := func(key, msg string) {
		res.Errors = append(res.Errors, CellError{Column: c.col(key), Message: msg})
	}
	chk, err := domain.ParseUSCC(vals.get("uscc"))
	if vals.get("uscc") == "" {
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
	hasYear := c.mapped("year") && vals.get("year") != ""
	if hasYear {
		n, err := strconv.Atoi(strings.TrimSuffix(domain.NormalizeNumber(vals.get("year")), "年"))
		if err != nil {
			fail("year", "年度应为四位数字，如 2024")
		} else {
			year = n
			res.Year = n
		}
	} else {
		for _, yf := range domain.YearFields {
			if vals.get(yf.Key) != "" {
				fail("year", "填写了年度数据但未填写年度")
				break
			}
		}
	}
	var st *entState
	if code != "" {
		st = c.state(code, stored, years)
		if first, dup := st.duplicate(year, hasYear, line); dup {
			what := "统一社会信用代码"
			if hasYear {
				what = "统一社会信用代码与年度"
			}
			fail("uscc", fmt.Sprintf("与第 %d 行重复（%s相同）", first, what))
		}
	}
	if len(res.Errors) > 0 || code == "" {
		res.Status = StatusError
		c.add(res)
		return
	}

	// The profile: what is stored (or earlier rows made of it), overlaid with the row's cells.
	form := forms.Enterprise{Errors: forms.Errors{}}
	if st.known || st.touched {
		form = forms.EnterpriseFromDomain(st.plan.Enterprise)
	}
	form.USCC = string(code)
	for i, f := range Fields {
		if f.Year || f.Ignored || f.Key == "uscc" || !c.has[i] {
			continue
		}
		if key, msg := overlay(&form, f, vals[i]); msg != "" {
			fail(key, msg)
		}
	}
	if st.plan.New && !st.touched {
		for _, k := range []string{"name", "district", "industry_group"} {
			if !c.mapped(k) {
				fl, _ := FieldByKey(k)
				fail(k, "新企业须填写“"+fl.Label+"”（文件中没有该列）")
			}
		}
	}
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
		prev, had := st.year(year)
		yform := forms.Year{Values: map[string]string{}, Errors: forms.Errors{}}
		if had {
			yform = forms.YearFromDomain(prev)
		}
		yform.Year, yform.Version = strconv.Itoa(year), ""
		for _, f := range domain.YearFields {
			if c.mapped(f.Key) {
				yform.Values[f.Key] = vals.get(f.Key)
			}
		}
		y := prev
		if !yform.Apply(&y, c.opt.Today) {
			for k, msg := range yform.Errors {
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
		ent.Size = st.plan.Enterprise.Size
		if st.known {
			st.plan.NameChanged = st.plan.NameChanged || ent.Name != st.plan.Enterprise.Name
			st.plan.ProfileChanged = true
			st.plan.Changed = appendNew(st.plan.Changed, changes...)
		}
		st.plan.Enterprise = ent
	}
	if yf != nil {
		prev, had := st.year(year)
		ych := yearChanges(prev, *yf, had)
		if len(ych) > 0 {
			if res.Status == StatusUnchanged {
				res.Status = StatusUpdate
			}
			if res.Status == StatusUpdate {
				res.Changes = append(res.Changes, ych...)
			}
			st.years = setYear(st.years, *yf)
			st.plan.Years = setYear(st.plan.Years, *yf)
			if st.known {
				st.plan.Changed = appendNew(st.plan.Changed, fmt.Sprintf("%d 年度数据", year))
			}
		}
	}
	if res.Status != StatusUnchanged && !st.touched {
		st.touched = true
		c.order = append(c.order, st)
	}
	if st.touched {
		st.plan.Enterprise.Size = domain.LatestSize(st.plan.Enterprise.IndustryGroup, st.years)
	}
	c.add(res)
}

// setYear replaces the year y.Year in ys, or appends it. A fresh slice when appending
// to stored years, so the lookup's slices are never written through.
func setYear(ys []domain.YearFigures, y domain.YearFigures) []domain.YearFigures {
	for i := range ys {
		if ys[i].Year == y.Year {
			ys[i] = y
			return ys
		}
	}
	return append(ys[:len(ys):len(ys)], y)
}

// overlay writes one cell onto the profile form; a message (for the field key) when
// the cell cannot be read.
func overlay(f *forms.Enterprise, fl Field, s string) (key, msg string) {
	if fl.Bool {
		b, ok := parseBool(s)
		if !ok {
			return fl.Key, "应填写“是”或“否”"
		}
		*boolField(f, fl.Key) = b
		return "", ""
	}
	switch fl.Key {
	case "district":
		if d, ok := districtByName[s]; ok || s == "" {
			f.District = d
		} else {
			return fl.Key, "未知的区“" + s + "”，应为上海市16个区之一"
		}
	case "industry_group":
		if g, ok := groupByName[s]; ok || s == "" {
			f.IndustryGroup = string(g)
		} else {
			return fl.Key, "未知的划型行业“" + s + "”，应为 工业、信息传输、软件和信息技术、其他 之一"
		}
	case "founded_on":
		f.FoundedOn = excelDate(s)
	case "niche_since":
		f.NicheSince = excelDate(s)
	default:
		*textField(f, fl.Key) = s
	}
	return "", ""
}

func boolField(f *forms.Enterprise, key string) *bool {
	switch key {
	case "above_scale":
		return &f.AboveScale
	case "high_tech":
		return &f.HighTech
	case "tech_sme":
		return &f.TechSME
	case "gazelle":
		return &f.Gazelle
	case "unicorn":
		return &f.Unicorn
	case "single_champion":
		return &f.SingleChampion
	case "listed":
		return &f.Listed
	}
	panic("dataio: no boolean field " + key)
}

func textField(f *forms.Enterprise, key string) *string {
	switch key {
	case "name":
		return &f.Name
	case "address":
		return &f.Address
	case "industry_code":
		return &f.IndustryCode
	case "main_product":
		return &f.MainProduct
	case "niche_market":
		return &f.NicheMarket
	case "contact_person":
		return &f.ContactPerson
	case "contact_phone":
		return &f.ContactPhone
	case "above_scale_since":
		return &f.AboveScaleSince
	case "listed_board":
		return &f.ListedBoard
	}
	panic("dataio: no text field " + key)
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
		return e.DistrictCode == sc.District && (!st.known || st.beforeDistrict == sc.District)
	}
	return false
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
