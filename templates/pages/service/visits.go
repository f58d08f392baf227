package service

import (
	"net/url"
	"strconv"
	"strings"

	"zjtx/internal/domain"
	"zjtx/templates/layout"
)

// VisitsQuery is the visit list's filter as typed (and as the dashboard links it).
type VisitsQuery struct {
	District, Specialist, Enterprise, Kind, From, To, Quarter, AtLeast string
}

// URL builds the visit list URL for page n.
func (q VisitsQuery) URL(page int) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"district", q.District}, {"specialist", q.Specialist}, {"enterprise", q.Enterprise},
		{"kind", q.Kind}, {"quarter", q.Quarter}, {"from", q.From}, {"to", q.To}, {"at_least", q.AtLeast}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if q.Quarter != "" { // the quarter stands for its dates
		v.Del("from")
		v.Del("to")
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/service/visits"
	}
	return "/service/visits?" + v.Encode()
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
