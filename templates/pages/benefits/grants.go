package benefits

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/templates/layout"
)

// GrantsQuery is the grant list's filter as typed (and as the dashboard links it).
type GrantsQuery struct {
	District, Status, Year, Benefit string
}

// URL builds the grant list URL for page n.
func (q GrantsQuery) URL(page int) string {
	v := url.Values{}
	for _, kv := range [][2]string{{"district", q.District}, {"status", q.Status}, {"year", q.Year}, {"benefit", q.Benefit}} {
		if kv[1] != "" {
			v.Set(kv[0], kv[1])
		}
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/benefits/grants"
	}
	return "/benefits/grants?" + v.Encode()
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
