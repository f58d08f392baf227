package service

import (
	"context"
	"html"
	"strings"

	"github.com/a-h/templ"

	"zjtx/internal/domain"
	"zjtx/templates/components"
)

// Badges repeated on every row of the workbench and the board, rendered once: a class
// attribute built per row (templ's class processing) cost more than the rest of the row.

// tierBadges holds components.TierBadge as rendered for each tier.
var tierBadges = func() map[domain.Tier]templ.Component {
	m := make(map[domain.Tier]templ.Component, len(domain.Tiers))
	for _, t := range domain.Tiers {
		var b strings.Builder
		if err := components.TierBadge(t).Render(context.Background(), &b); err == nil {
			m[t] = templ.Raw(b.String())
		}
	}
	return m
}()

// tierBadge is components.TierBadge(t), from tierBadges when t is a known tier.
func tierBadge(t domain.Tier) templ.Component {
	if c, ok := tierBadges[t]; ok {
		return c
	}
	return components.TierBadge(t)
}

// statusBadges holds each status's badge: <span class={ statusClass(s) }>{ s.Label() }</span>.
var statusBadges = func() map[domain.DemandStatus]templ.Component {
	m := make(map[domain.DemandStatus]templ.Component, len(domain.DemandStatuses))
	for _, s := range domain.DemandStatuses {
		m[s] = templ.Raw(`<span class="` + statusClass(s) + `">` + html.EscapeString(s.Label()) + `</span>`)
	}
	return m
}()

// statusBadge is the badge of s; an unknown status renders as statusBadgeSlow does.
func statusBadge(s domain.DemandStatus) templ.Component {
	if c, ok := statusBadges[s]; ok {
		return c
	}
	return statusBadgeSlow(s)
}
