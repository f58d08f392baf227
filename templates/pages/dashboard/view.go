// Package dashboard renders the city and district dashboards (数据看板) and the district
// evaluation (区级评价). Charts are drawn by static/dashboard.js from a JSON data block;
// every chart has its numbers as a table beside it, each number linking to its list.
package dashboard

import (
	"fmt"
	"strconv"
	"time"

	"zjtx/internal/dashboard"
	"zjtx/internal/domain"
	"zjtx/templates/components"
	"zjtx/templates/layout"
)

// View is a dashboard page.
type View struct {
	Meta       layout.Meta
	Data       *dashboard.Data
	ComputedAt time.Time
	TTL        time.Duration
	Districts  []domain.District // the district picker (city-level users), empty for a district officer
	Charts     Charts
}

// Charts is what static/dashboard.js draws: one entry per chart element id.
type Charts map[string]Chart

// Chart is a bar, stacked bar or pie chart with a drill-down link per data point.
type Chart struct {
	Kind       string   `json:"kind"` // bar, stack, pie, line
	Categories []string `json:"categories,omitempty"`
	Series     []Series `json:"series"`
	Horizontal bool     `json:"horizontal,omitempty"`
}

// Series is one named series; Hrefs parallels Data ("" = not drillable).
type Series struct {
	Name  string    `json:"name"`
	Data  []float64 `json:"data"`
	Hrefs []string  `json:"hrefs,omitempty"`
}

// Link builds a list URL from a path and key/value pairs, skipping empty values.
func Link(path string, kv ...string) string { return components.Link(path, kv...) }

// EnterprisesHref is the enterprise list of a district ("" = all) and tier ("" = all).
func EnterprisesHref(district string, t domain.Tier) string {
	return Link("/enterprises", "district", district, "tier", string(t))
}

// DemandsHref is the demand board of a district with extra filters.
func DemandsHref(district string, kv ...string) string {
	return Link("/service/demands", append([]string{"district", district}, kv...)...)
}

// AtLeastHref is the enterprise list of a district at tier t and above, with extra filters.
func AtLeastHref(district string, t domain.Tier, kv ...string) string {
	return Link("/enterprises", append([]string{"district", district, "at_least", string(t)}, kv...)...)
}

// HeldHref is the enterprise list of a district that the tier history leaves at tier t on day on.
func HeldHref(district string, t domain.Tier, on domain.Date) string {
	return Link("/enterprises", "district", district, "held", string(t), "held_on", on.String())
}

// EventHref is the enterprise list of a district with a tier event of kind k from from to to.
func EventHref(district string, k domain.TierEventKind, from, to domain.Date) string {
	return Link("/enterprises", "district", district, "event", string(k), "event_from", from.String(), "event_to", to.String())
}

// VisitsHref is the visit list of a district from from to to.
func VisitsHref(district string, from, to domain.Date) string {
	return Link("/service/visits", "district", district, "from", from.String(), "to", to.String())
}

// GrantsHref is the benefit grant list of a district with one status ("" = any).
func GrantsHref(district, status string) string {
	return Link("/benefits/grants", "district", district, "status", status)
}

// UnassignedHref is the queue of a district's enterprises without a specialist.
func UnassignedHref(district string) string { return Link("/service/unassigned", "district", district) }

// CoverageHref is the visit coverage page of a district.
func CoverageHref(district string) string { return Link("/service/coverage", "district", district) }

// FunnelHref is the listing funnel of a district.
func FunnelHref(district string) string { return Link("/listing/funnel", "district", district) }

func n64(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + n64(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func pct(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

func f1(x float64) string { return fmt.Sprintf("%.1f", x) }

func bar(x float64) string {
	if x > 1 {
		x = 1
	}
	if x < 0 {
		x = 0
	}
	return fmt.Sprintf("width:%.1f%%", x*100)
}

// ShownTiers are the tiers of the ladder the dashboard counts (小微企业 included in totals).
var ShownTiers = []domain.Tier{domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant}

// EvalView is the district evaluation page.
type EvalView struct {
	Meta     layout.Meta
	Eval     *dashboard.Evaluation
	Years    []int
	CanEdit  bool
	Form     WeightsForm
	Chart    Charts
	Computed time.Time
}

// WeightsForm is the admin's weights as typed.
type WeightsForm struct {
	Values map[string]string
	Errors domain.FieldErrors
}

// Value is the typed value of key.
func (f WeightsForm) Value(key string) string { return f.Values[key] }

func scoreRaw(in dashboard.Indicator, s dashboard.Score) string {
	if !s.Has {
		return "—"
	}
	if in.Percent {
		return pct(s.Raw)
	}
	return fmt.Sprintf("%.0f 天", s.Raw)
}
