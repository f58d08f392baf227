// Package benefits renders the 免申即享 pages: an enterprise's matches with reasons, the
// per-benefit lists with district totals, the calculators and the benefit parameters.
package benefits

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/internal/domain/eligibility"
	"zjtx/templates/layout"
)

// SectionView is an enterprise's benefits for one award year.
type SectionView struct {
	EnterpriseID  int64
	Year          int
	AsOf          domain.Date
	YearChoices   []int
	Matched       []rules.Result
	Near          []rules.Result
	Others        []rules.Result // not matched or not in force (full page only)
	Grants        []rules.Grant
	ParamsVersion string
	Full          bool // the enterprise's benefits page, not the section on its profile
	CanGrant      bool
	CanCalc       bool
	BasePath      string // where year links point
}

// GrantForm is the grant-record form as typed.
type GrantForm struct {
	Benefit, Year, Status, Amount, On, Note, Version string
	Errors                                           domain.FieldErrors
}

// EnterprisePageView is /enterprises/:id/benefits.
type EnterprisePageView struct {
	Meta       layout.Meta
	Enterprise domain.Enterprise
	Section    SectionView
	Form       GrantForm
	Grantable  []rules.Rule
}

// ListRow is one matched enterprise in a benefit list.
type ListRow struct {
	EnterpriseID int64
	USCC, Name   string
	District     string
	Amount       string // 万元, "" when set by project figures
	Grant        *rules.Grant
}

// ListView is /benefits: one benefit, one award year, all matching enterprises.
type ListView struct {
	Meta      layout.Meta
	Rules     []rules.Rule
	Rule      rules.Rule
	Window    rules.Window
	Active    bool
	Year      int
	AsOf      domain.Date
	District  string
	Districts []domain.District
	Years     []int
	Rows      []ListRow
	Truncated bool
	City      rules.Tally
	Totals    []rules.DistrictTally
	Scanned   int
}

// Query is the list's query string for another page of the same list (export, year links).
func (v ListView) Query() string {
	q := url.Values{}
	q.Set("benefit", v.Rule.ID)
	q.Set("year", strconv.Itoa(v.Year))
	if v.District != "" {
		q.Set("district", v.District)
	}
	return q.Encode()
}

// CalcForm is the calculator form as typed.
type CalcForm struct {
	Benefit, Amount, Existing, Special string
	Errors                             domain.FieldErrors
}

// CalcView is /benefits/calculator.
type CalcView struct {
	Meta       layout.Meta
	Options    []rules.Rule
	Form       CalcForm
	Result     *rules.CalcResult
	Enterprise *domain.Enterprise // the enterprise it is computed for, if any
	Title      *rules.Result      // that enterprise's title condition for the benefit, now
	AsOf       domain.Date
}

// ParamRow is one benefit parameter with the index of its value in force today.
type ParamRow struct {
	Param   eligibility.Param
	Current int
}

// OverrideRow is a recorded override.
type OverrideRow struct{ Key, EffectiveFrom, Value, Reason, CreatedBy string }

// ParamForm is the new-override form as typed.
type ParamForm struct {
	Key, EffectiveFrom, Value, Reason string
	Errors                            domain.FieldErrors
}

// ParamsView is /admin/benefit-parameters.
type ParamsView struct {
	Meta        layout.Meta
	Rows        []ParamRow
	Unconfirmed int
	Overrides   []OverrideRow
	Form        ParamForm
}

func itoa(n int) string { return strconv.Itoa(n) }

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func wan(m domain.Money) string { return m.FormatWan() }

func statusClass(s eligibility.Status) string {
	switch s {
	case eligibility.Pass:
		return "badge st-ok"
	case eligibility.Fail:
		return "badge st-bad"
	}
	return "badge st-warn"
}

func statusText(s eligibility.Status) string {
	switch s {
	case eligibility.Pass:
		return "满足"
	case eligibility.Fail:
		return "不满足"
	}
	return "缺数据"
}

func outcomeClass(o rules.Outcome) string {
	switch o {
	case rules.Matched:
		return "badge st-ok"
	case rules.Near:
		return "badge st-warn"
	}
	return "badge"
}

// AmountText says what the enterprise may get for a result.
func AmountText(r rules.Result) string {
	switch {
	case r.AmountKnown:
		return "最高 " + r.Amount.FormatWan() + " 万元"
	case r.Rule.Kind == rules.KindInfo:
		return r.Rule.Amount
	}
	return r.Rule.Amount + "（按项目测算）"
}

func districtName(code string) string {
	if n := domain.DistrictName(code); n != "" {
		return n
	}
	return code
}

func yearURL(base string, y int) string { return base + "?benefit_year=" + strconv.Itoa(y) }

func calcURL(id string, enterprise int64) string {
	q := url.Values{}
	q.Set("benefit", id)
	if enterprise != 0 {
		q.Set("enterprise", strconv.FormatInt(enterprise, 10))
	}
	return "/benefits/calculator?" + q.Encode()
}

func isCalc(r *rules.Rule) bool { return r.Kind == rules.KindCalculator }
