// Package service renders 一企一专员: the specialist's workbench, the visit form, the demand
// board, coverage, the unassigned queue, service days and the enterprise page's service panel.
package service

import (
	"net/url"
	"strconv"
	"time"

	"zjtx/internal/domain"
	"zjtx/templates/layout"
)

// DemandInput is one inline demand row as typed.
type DemandInput struct {
	Category, Description, Department string
}

// VisitForm is the visit form as typed.
type VisitForm struct {
	EnterpriseID string
	VisitedOn    string
	Kind         string
	Participants string
	Summary      string
	ServiceDayID string
	Demands      []DemandInput
	Errors       domain.FieldErrors
}

// VisitFormView is the phone-friendly visit form.
type VisitFormView struct {
	Meta        layout.Meta
	Form        VisitForm
	Enterprises []domain.Enterprise // what the user may pick
	ServiceDays []ServiceDay
	Fixed       bool // staff arriving from an enterprise page: the enterprise is given
}

// HomeView is a specialist's workbench.
type HomeView struct {
	Meta      layout.Meta
	Today     domain.Date
	StaleDays int
	Owed      []WorkloadRow // not visited in StaleDays (or never)
	DueSoon   []Demand
	Expiring  []domain.Enterprise
	Workload  []WorkloadRow
}

// WorkloadView is a specialist's portfolio as staff see it.
type WorkloadView struct {
	Meta       layout.Meta
	Specialist domain.User
	Today      domain.Date
	Rows       []WorkloadRow
}

// BoardQuery is the board's filter as typed.
type BoardQuery struct {
	Status, Category, District, Department string
	Satisfaction                           string // a domain.Satisfaction, or "unrated"
	Overdue, OnTime                        bool
}

// URL builds the board URL for page n.
func (q BoardQuery) URL(page int) string {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("status", q.Status)
	set("category", q.Category)
	set("district", q.District)
	set("department", q.Department)
	set("satisfaction", q.Satisfaction)
	if q.Overdue {
		v.Set("overdue", "1")
	}
	if q.OnTime {
		v.Set("ontime", "1")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/service/demands"
	}
	return "/service/demands?" + v.Encode()
}

// BoardView is the demand board.
type BoardView struct {
	Meta        layout.Meta
	Query       BoardQuery
	Demands     []Demand
	Paging      Paging
	Today       domain.Date
	Districts   []domain.District // those the user may filter by
	Departments []string
	Route       RouteForm
}

// RouteForm is the bulk routing form as typed.
type RouteForm struct {
	IDs        []string
	Department string
	Errors     domain.FieldErrors
}

// DemandView is one demand with its status form.
type DemandView struct {
	Meta   layout.Meta
	Demand Demand
	Today  domain.Date
	Form   StatusForm
	CanAct bool
}

// StatusForm is a status change as typed.
type StatusForm struct {
	Version, To, Resolution, Reason, Satisfaction string
	Errors                                        domain.FieldErrors
}

// CoverageView is visit coverage per district and specialist.
type CoverageView struct {
	Meta        layout.Meta
	Today       domain.Date
	Quarter     domain.Date
	StaleDays   int
	District    string
	Districts   []CoverageRow
	Specialists []CoverageRow
}

// UnassignedView is the queue of enterprises without a specialist.
type UnassignedView struct {
	Meta        layout.Meta
	District    string
	Tier        string
	Items       []domain.Enterprise
	Paging      Paging
	Districts   []domain.District
	Specialists []domain.User
	Form        AssignForm
}

// AssignForm is the bulk assignment as typed.
type AssignForm struct {
	IDs          []string
	SpecialistID string
	Errors       domain.FieldErrors
}

// DaysView lists service days.
type DaysView struct {
	Meta      layout.Meta
	Days      []ServiceDay
	CanCreate bool
}

// DayForm is a new service day as typed.
type DayForm struct {
	HeldOn, District, Place, Theme, Enterprises string
	Errors                                      domain.FieldErrors
}

// DayFormView is the new service day form.
type DayFormView struct {
	Meta      layout.Meta
	Form      DayForm
	Districts []domain.District
}

// DayView is one service day.
type DayView struct {
	Meta    layout.Meta
	Day     domain.ServiceDay
	Visits  []Visit
	Demands []Demand
	Today   domain.Date
}

// EnterprisePanel is the service section of an enterprise page.
type EnterprisePanel struct {
	EnterpriseID int64
	Tier         domain.Tier
	Current      *Assignment
	History      []Assignment
	Visits       []Visit
	Demands      []Demand
	Today        domain.Date
	CanAssign    bool
	CanVisit     bool
	Specialists  []domain.User // for reassignment
	Form         ReassignForm
	CSRFToken    string
}

// ReassignForm is the (re)assignment on an enterprise page as typed.
type ReassignForm struct {
	SpecialistID, Reason string
	Errors               domain.FieldErrors
}

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func itoa(n int) string        { return strconv.Itoa(n) }
func i64(n int64) string       { return strconv.FormatInt(n, 10) }
func fmtTS(t time.Time) string { return t.In(cst).Format("2006-01-02") }

var cst = time.FixedZone("CST", 8*3600)

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func districtName(code string) string {
	if code == "" {
		return "市级"
	}
	return domain.DistrictName(code)
}

func overdue(d Demand, today domain.Date) bool {
	return domain.Overdue(d.Status, d.DueOn, today)
}

// dueText describes a due date relative to today for open demands.
func dueText(d Demand, today domain.Date) string {
	if !d.Status.Open() {
		return d.DueOn.String()
	}
	n := today.DaysUntil(d.DueOn)
	switch {
	case n < 0:
		return d.DueOn.String() + "（逾期" + itoa(-n) + "天）"
	case n == 0:
		return d.DueOn.String() + "（今天到期）"
	}
	return d.DueOn.String() + "（剩" + itoa(n) + "天）"
}

func statusClass(s domain.DemandStatus) string {
	switch s {
	case domain.DemandClosed:
		return "badge st-ok"
	case domain.DemandReturned:
		return "badge"
	case domain.DemandInProgress:
		return "badge st-warn"
	}
	return "badge st-warn"
}

func sinceText(d, today domain.Date) string {
	if d.IsZero() {
		return "从未走访"
	}
	return d.String() + "（" + itoa(d.DaysUntil(today)) + "天前）"
}

func inSlice(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

func pct(r CoverageRow) string {
	if r.Total == 0 {
		return "—"
	}
	return itoa(r.Percent()) + "%"
}

func coverageClass(r CoverageRow) string {
	switch p := r.Percent(); {
	case r.Total == 0:
		return ""
	case p >= 90:
		return "badge st-ok"
	case p >= 60:
		return "badge st-warn"
	}
	return "badge st-bad"
}
