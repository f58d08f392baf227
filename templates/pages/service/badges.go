package service

import (
	"html"

	"github.com/a-h/templ"

	"zjtx/internal/domain"
)

// A status badge is repeated on every row of the workbench and the board, rendered once:
// a class attribute built per row (templ's class processing) cost more than the rest of
// the row. (Tier badges are precomputed by components.TierBadge itself.)

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
