package benefits

import (
	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/templates/components"
	"zjtx/templates/layout"
)

// GrantsQuery is the grant list's filter as typed (and as the dashboard links it).
type GrantsQuery struct {
	District, Status, Year, Benefit string
}

// URL builds the grant list URL for page n.
func (q GrantsQuery) URL(page int) string {
	return components.PageLink("/benefits/grants", page, "district", q.District, "status", q.Status, "year", q.Year, "benefit", q.Benefit)
}

// GrantItem is one grant record with its enterprise.
type GrantItem struct {
	rules.Grant
	USCC, Name, DistrictCode string
}

// GrantsView is the list of grant records (兑现记录).
type GrantsView struct {
	Meta        layout.Meta
	Query       GrantsQuery
	Items       []GrantItem
	Page, Pages int
	Total       int64
	Amount      domain.Money // of the whole filter
	Districts   []domain.District
	Years       []int
	Rules       []rules.Rule
}
