// Package enterprises renders the registry's list, detail and form pages.
package enterprises

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/forms"
	"zjtx/templates/components"
	"zjtx/templates/layout"
	"zjtx/templates/pages/benefits"
	"zjtx/templates/pages/listing"
	"zjtx/templates/pages/service"
)

// ListFilter is the list's query as typed, echoed back into the filter form.
type ListFilter struct {
	Q, District, Tier, Group, Label, Size, Sort string
	Desc                                        bool
	Drill                                       url.Values // dashboard drill-down parameters, kept in every link
	DrillLabel                                  string     // what Drill narrows the list to, in Chinese
}

// URL builds the list URL for page n with this filter.
func (f ListFilter) URL(page int) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("q", f.Q)
	set("district", f.District)
	set("tier", f.Tier)
	set("group", f.Group)
	set("label", f.Label)
	set("size", f.Size)
	set("sort", f.Sort)
	if f.Desc {
		v.Set("desc", "1")
	}
	for k, xs := range f.Drill {
		v[k] = xs
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/enterprises"
	}
	return "/enterprises?" + v.Encode()
}

// SortURL toggles ordering by column col.
func (f ListFilter) SortURL(col string) string {
	g := f
	if f.Sort == col || (col == "name" && f.Sort == "") {
		g.Desc = !f.Desc
	} else {
		g.Desc = col == "updated" // newest first is what one wants from "updated"
	}
	g.Sort = col
	return g.URL(1)
}

// ListView is the enterprise list page.
type ListView struct {
	Meta      layout.Meta
	Filter    ListFilter
	Items     []domain.Enterprise
	Total     int64
	Page      int
	Pages     int
	CanCreate bool
}

// YearRow is one year of figures with the ratios computed from exact amounts.
type YearRow struct {
	Figures    domain.YearFigures
	RDRatio    domain.Ratio
	DebtRatio  domain.Ratio
	MainRatio  domain.Ratio
	NetMargin  domain.Ratio
	Growth     domain.Ratio // revenue growth over the previous year on record
	MainGrowth domain.Ratio
}

// YearRows computes rows for years sorted oldest first; growth needs the previous calendar year.
func YearRows(years []domain.YearFigures) []YearRow {
	rows := make([]YearRow, len(years))
	for i, y := range years {
		r := YearRow{Figures: y, RDRatio: y.RDRatio(), DebtRatio: y.DebtRatio(), MainRatio: y.MainRatio(), NetMargin: y.NetMargin()}
		if i > 0 && years[i-1].Year == y.Year-1 {
			r.Growth = domain.Growth(y.Revenue, years[i-1].Revenue)
			r.MainGrowth = domain.Growth(y.MainRevenue, years[i-1].MainRevenue)
		}
		rows[i] = r
	}
	// Newest first reads best in the table.
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}

// DetailView is the enterprise page.
type DetailView struct {
	Meta        layout.Meta
	Enterprise  domain.Enterprise
	Years       []YearRow
	SizeYear    int // the fiscal year the size class was computed from; 0 when none
	TierEvents  []domain.TierEvent
	USCCWarning string
	CanEdit     bool
	History     []components.AuditRow
	Eligibility EligibilityView
	Service     service.EnterprisePanel
	Listing     listing.Section      // 上市培育
	Benefits    benefits.SectionView // 政策匹配（免申即享）
}

// EligibilityView is the enterprise's assessment today and what the user may do with it.
type EligibilityView struct {
	Verdict   eligibility.Verdict
	Next      domain.Tier // the rung above; "" at the top
	Open      *domain.Application
	Decisions []domain.Decision
	Can       TierActions
	Form      TierForm
	Errors    domain.FieldErrors
	Refusal   string // why the last action was refused
}

// TierActions are the tier actions the current user may take now.
type TierActions struct {
	Promote, Recommend, RecommendMIIT, RecordMIIT, Reject, Renew, Revoke, EditFacts bool
}

// TierForm holds the action forms' values as typed.
type TierForm struct {
	CertificateNo, Batch, CertifiedOn, Note, Reason, Evidence, Granted string
}

// FormView is the create or edit form.
type FormView struct {
	Meta   layout.Meta
	Form   forms.Enterprise
	Action string
	IsNew  bool
	Cancel string
}

// YearFormView is the form for one year of figures.
type YearFormView struct {
	Meta       layout.Meta
	Enterprise domain.Enterprise
	Form       forms.Year
	Action     string
	IsNew      bool
}
