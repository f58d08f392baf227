package dashboard

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/internal/store"
)

// Indicator is one documented indicator of the district evaluation (措施十八: 各区专精特新
// 政策落实情况和服务成效).
type Indicator struct {
	Key         string
	Label       string
	Group       string // 梯度培育 / 政策落实 / 服务成效
	Description string
	Default     int  // default weight, in points of 100
	LowerBetter bool // e.g. days to close
	Percent     bool // the raw value is a share, shown as %
}

// Indicators in display order; their default weights add up to 100.
var Indicators = []Indicator{
	{"growth", "专精特新增长率", "梯度培育", "本年末专精特新（含“小巨人”）企业数较上年末的增长率（据认定记录）", 30, false, true},
	{"policy", "免申即享兑现率", "政策落实", "本年度免申即享匹配的企业政策中已确认或已拨付的比例", 25, false, true},
	{"coverage", "走访覆盖率", "服务成效", "专精特新及以上企业中本年度至少走访一次的比例", 15, false, true},
	{"closure", "诉求办结率", "服务成效", "本年度提出的诉求中已办结的比例", 15, false, true},
	{"speed", "诉求办结用时", "服务成效", "本年度提出并办结的诉求从提出到办结的中位天数（越短越好）", 5, true, false},
	{"satisfaction", "诉求满意率", "服务成效", "已评价诉求中“满意”或“基本满意”的比例", 10, false, true},
}

// Weights are the indicator weights by key, in points (their sum is the denominator).
type Weights map[string]int

// DefaultWeights are the documented defaults.
func DefaultWeights() Weights {
	w := Weights{}
	for _, in := range Indicators {
		w[in.Key] = in.Default
	}
	return w
}

// Sum of all weights.
func (w Weights) Sum() int {
	n := 0
	for _, in := range Indicators {
		n += w[in.Key]
	}
	return n
}

// ErrWeights is returned for weights that do not validate; Fields holds per-key messages.
type ErrWeights struct{ Fields domain.FieldErrors }

func (e *ErrWeights) Error() string { return "invalid weights" }

// ParseWeights reads typed weights: integers 0–100 each, adding up to 100.
func ParseWeights(raw map[string]string) (Weights, domain.FieldErrors) {
	w, errs := Weights{}, domain.FieldErrors{}
	for _, in := range Indicators {
		n, err := strconv.Atoi(raw[in.Key])
		switch {
		case raw[in.Key] == "":
			errs.Add(in.Key, "请填写权重")
		case err != nil || n < 0 || n > 100:
			errs.Add(in.Key, "权重须为 0 到 100 的整数")
		default:
			w[in.Key] = n
		}
	}
	if len(errs) == 0 && w.Sum() != 100 {
		errs.Add("sum", fmt.Sprintf("各项权重之和须为 100（现为 %d）", w.Sum()))
	}
	return w, errs
}

const weightsEntity = "evaluation_weights"

// LoadWeights reads the current weights: the newest weights entry of the (append-only)
// audit log, which is where SaveWeights keeps them, or the defaults.
func LoadWeights(ctx context.Context, db *store.DB) (Weights, error) {
	var e store.AuditEntry
	err := db.R.WithContext(ctx).Table("audit_log").Where("entity_type = ?", weightsEntity).Order("id DESC").Limit(1).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return DefaultWeights(), nil
	}
	if err != nil {
		return nil, err
	}
	w := DefaultWeights()
	for _, c := range e.ChangeList() {
		for _, in := range Indicators {
			if c.Field == in.Label {
				if n, err := strconv.Atoi(c.After); err == nil {
					w[in.Key] = n
				}
			}
		}
	}
	return w, nil
}

// SaveWeights records new weights. The audit row is the record itself: one append-only
// entry per change with every weight's before and after.
func SaveWeights(ctx context.Context, db *store.DB, actor store.Actor, old, w Weights) error {
	var cs []store.Change
	for _, in := range Indicators {
		cs = append(cs, store.Change{Field: in.Label, Before: strconv.Itoa(old[in.Key]), After: strconv.Itoa(w[in.Key])})
	}
	return db.Tx(ctx, func(tx *gorm.DB) error {
		return store.WriteAudit(tx, actor, store.Audit{Action: "update", EntityType: weightsEntity, Summary: "修改区级评价指标权重", Changes: cs})
	})
}

// Score is one indicator of one district: the raw value, its 0–100 score among the
// districts (min–max; all equal → 100), and the weighted points it contributes.
type Score struct {
	Raw      float64
	Has      bool // false when the district has no data for it (scored 0)
	Score    float64
	Weighted float64
}

// DistrictScore is one district's evaluation.
type DistrictScore struct {
	Code, Name string
	Rank       int
	Total      float64
	Scores     map[string]Score
	// the counts behind the raw values
	SpecPrev, SpecEnd    int64
	Matched, Granted     int64
	CovTotal, CovVisited int64
	Raised, Closed       int64
	Rated, Satisfied     int64
	MedianDays           int
}

// Evaluation is one year's ranking of the 16 districts.
type Evaluation struct {
	Year    int
	AsOf    domain.Date
	Weights Weights
	Rows    []DistrictScore // by rank
}

// Evaluate computes the ranking for year y (as of the year's end, or today in the current year).
func Evaluate(ctx context.Context, db *store.DB, y int, today domain.Date, w Weights) (*Evaluation, error) {
	asOf := rules.EvalDate(y, today)
	ev := &Evaluation{Year: y, AsOf: asOf, Weights: w}
	rows := map[string]*DistrictScore{}
	for _, d := range domain.Districts {
		rows[d.Code] = &DistrictScore{Code: d.Code, Name: d.Name, Scores: map[string]Score{}}
	}
	hist, err := yearEndTiers(ctx, db, "", asOf, y-1)
	if err != nil {
		return nil, err
	}
	spec := func(y int, dc string) int64 {
		return hist[y][dc][domain.TierSpecialized] + hist[y][dc][domain.TierLittleGiant]
	}
	for dc, r := range rows {
		r.SpecPrev, r.SpecEnd = spec(y-1, dc), spec(y, dc)
	}
	if err := matchedGranted(ctx, db, y, asOf, rows); err != nil {
		return nil, err
	}
	r := db.R.WithContext(ctx)
	from, to := domain.NewDate(y, 1, 1), asOf
	var cov []struct {
		DistrictCode string
		Total        int64
		Visited      int64
	}
	if err := r.Table("enterprises").Select(`district_code, COUNT(*) AS total,
		SUM(CASE WHEN EXISTS (SELECT 1 FROM visits v WHERE v.enterprise_id = enterprises.id AND v.visited_on >= ? AND v.visited_on <= ?) THEN 1 ELSE 0 END) AS visited`, from, to).
		Where("tier IN ?", []string{string(domain.TierSpecialized), string(domain.TierLittleGiant)}).
		Group("district_code").Find(&cov).Error; err != nil {
		return nil, err
	}
	for _, c := range cov {
		if x := rows[c.DistrictCode]; x != nil {
			x.CovTotal, x.CovVisited = c.Total, c.Visited
		}
	}
	days := "CAST(julianday(closed_on) - julianday(raised_on) AS INTEGER)"
	if db.Dialect == store.Postgres {
		days = "(closed_on - raised_on)"
	}
	var dem []struct {
		DistrictCode string
		Status       string
		Satisfaction string
		Days         *int
		N            int64
	}
	// the same expression (no placeholder) in SELECT and GROUP BY, as PostgreSQL requires
	daysExpr := "CASE WHEN status = '" + string(domain.DemandClosed) + "' AND closed_on IS NOT NULL THEN " + days + " END"
	if err := r.Table("demands").Select("district_code, status, satisfaction, "+daysExpr+" AS days, COUNT(*) AS n").
		Where("raised_on >= ? AND raised_on <= ?", from, to).
		Group("district_code, status, satisfaction, " + daysExpr).
		Find(&dem).Error; err != nil {
		return nil, err
	}
	hists := map[string]map[int]int64{}
	for _, x := range dem {
		d := rows[x.DistrictCode]
		if d == nil {
			continue
		}
		d.Raised += x.N
		if domain.DemandStatus(x.Status) == domain.DemandClosed {
			d.Closed += x.N
			switch domain.Satisfaction(x.Satisfaction) {
			case domain.Satisfied, domain.FairlySatisfied:
				d.Rated += x.N
				d.Satisfied += x.N
			case domain.Dissatisfied:
				d.Rated += x.N
			}
			if x.Days != nil {
				if hists[x.DistrictCode] == nil {
					hists[x.DistrictCode] = map[int]int64{}
				}
				hists[x.DistrictCode][*x.Days] += x.N
			}
		}
	}
	raw := map[string]map[string]Score{}
	for dc, d := range rows {
		m := map[string]Score{}
		if d.SpecPrev > 0 {
			m["growth"] = Score{Raw: float64(d.SpecEnd-d.SpecPrev) / float64(d.SpecPrev), Has: true}
		} else if d.SpecEnd > 0 {
			m["growth"] = Score{Raw: 1, Has: true}
		}
		if d.Matched > 0 {
			m["policy"] = Score{Raw: float64(d.Granted) / float64(d.Matched), Has: true}
		}
		if d.CovTotal > 0 {
			m["coverage"] = Score{Raw: float64(d.CovVisited) / float64(d.CovTotal), Has: true}
		}
		if d.Raised > 0 {
			m["closure"] = Score{Raw: float64(d.Closed) / float64(d.Raised), Has: true}
		}
		if med, ok := median(hists[dc]); ok {
			d.MedianDays = med
			m["speed"] = Score{Raw: float64(med), Has: true}
		}
		if d.Rated > 0 {
			m["satisfaction"] = Score{Raw: float64(d.Satisfied) / float64(d.Rated), Has: true}
		}
		raw[dc] = m
	}
	sum := float64(w.Sum())
	for _, in := range Indicators {
		lo, hi, any := 0.0, 0.0, false
		for _, m := range raw {
			if s, ok := m[in.Key]; ok && s.Has {
				if !any || s.Raw < lo {
					lo = s.Raw
				}
				if !any || s.Raw > hi {
					hi = s.Raw
				}
				any = true
			}
		}
		for dc, m := range raw {
			s := m[in.Key]
			if s.Has {
				switch {
				case hi == lo && in.Percent:
					s.Score = s.Raw * 100 // every district alike: the share itself, so all-zero earns nothing
				case hi == lo:
					s.Score = 100
				case in.LowerBetter:
					s.Score = (hi - s.Raw) / (hi - lo) * 100
				default:
					s.Score = (s.Raw - lo) / (hi - lo) * 100
				}
			}
			if sum > 0 {
				s.Weighted = s.Score * float64(w[in.Key]) / sum
			}
			rows[dc].Scores[in.Key] = s
			rows[dc].Total += s.Weighted
		}
	}
	for _, d := range domain.Districts {
		ev.Rows = append(ev.Rows, *rows[d.Code])
	}
	sort.SliceStable(ev.Rows, func(i, j int) bool { return ev.Rows[i].Total > ev.Rows[j].Total })
	for i := range ev.Rows {
		ev.Rows[i].Rank = i + 1
		if i > 0 && fmt.Sprintf("%.2f", ev.Rows[i].Total) == fmt.Sprintf("%.2f", ev.Rows[i-1].Total) {
			ev.Rows[i].Rank = ev.Rows[i-1].Rank
		}
	}
	return ev, nil
}

// matchedGranted counts, per district, the (enterprise, benefit) pairs the 免申即享 rules
// match for award year y and how many of them have a grant recorded — one whole-registry
// scan with the benefits engine.
func matchedGranted(ctx context.Context, db *store.DB, y int, asOf domain.Date, rows map[string]*DistrictScore) error {
	bs := store.NewBenefits(db)
	ps, err := bs.Parameters(ctx)
	if err != nil {
		return err
	}
	snap := ps.At(asOf)
	var ids []string
	for _, r := range rules.Rules() {
		if snap.Window(r.ID).Contains(asOf) {
			ids = append(ids, r.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return bs.Scan(ctx, store.CandidateFilter{Scope: domain.Scope{All: true}}, snap.NeedFor(ids, y), y, func(ins []rules.Input) error {
		for i := range ins {
			in := &ins[i]
			d := rows[in.District]
			if d == nil {
				continue
			}
			for _, id := range ids {
				r, _ := snap.MatchOne(in, id, y, asOf, false)
				if r.Outcome != rules.Matched {
					continue
				}
				d.Matched++
				if r.Grant != nil {
					d.Granted++
				}
			}
		}
		return nil
	})
}
