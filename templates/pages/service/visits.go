package service

import (
	"strings"

	"zjtx/internal/domain"
	"zjtx/templates/components"
	"zjtx/templates/layout"
)

// VisitsQuery is the visit list's filter as typed (and as the dashboard links it).
type VisitsQuery struct {
	District, Specialist, Enterprise, Kind, From, To, Quarter, AtLeast string
}

// URL builds the visit list URL for page n.
func (q VisitsQuery) URL(page int) string {
	from, to := q.From, q.To
	if q.Quarter != "" { // the quarter stands for its dates
		from, to = "", ""
	}
	return components.PageLink("/service/visits", page, "district", q.District, "specialist", q.Specialist, "enterprise", q.Enterprise,
		"kind", q.Kind, "quarter", q.Quarter, "from", from, "to", to, "at_least", q.AtLeast)
}

// ExportURL is path (an export route) with the list's filters, paging left out.
func (q VisitsQuery) ExportURL(path string) string {
	return path + strings.TrimPrefix(q.URL(1), "/service/visits")
}

// VisitItem is one row of the visit list.
type VisitItem struct {
	Visit
	EnterpriseUSCC, DistrictCode string
}

// VisitsView is the visit list (走访记录).
type VisitsView struct {
	Meta           layout.Meta
	Query          VisitsQuery
	Items          []VisitItem
	Paging         Paging
	EnterpriseName string            // when filtered to one enterprise
	Districts      []domain.District // those the user may filter by (none: fixed)
	Specialists    []domain.User     // empty for a specialist (their own visits only)
	Quarters       []string          // recent quarters, newest first, as 2026Q2
	Notes          []string          // filter values dropped as malformed
}

// AtLeastLabel describes the tier filter.
func (v VisitsView) AtLeastLabel() string {
	if t := domain.Tier(v.Query.AtLeast); t.Valid() {
		return t.Label() + "及以上"
	}
	return ""
}
