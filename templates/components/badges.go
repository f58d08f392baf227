package components

import (
	"context"
	"io"
	"strings"

	"github.com/a-h/templ"

	"zjtx/internal/domain"
)

// Badges appear on every row of every list: their HTML is rendered once per tier and
// per label set from the templ definitions (tierBadge, labels), and written as is.
// templ's class-list handling and string expressions cost more than the rest of a row.

// html is precomputed markup written as is.
type html string

func (h html) Render(_ context.Context, w io.Writer) error {
	_, err := io.WriteString(w, string(h))
	return err
}

var (
	tierBadges  = map[domain.Tier]templ.Component{}
	labelBadges [1 << 7]templ.Component // by labelMask
)

func init() {
	for _, t := range domain.Tiers {
		tierBadges[t] = html(mustRender(tierBadge(t)))
	}
	if len(domain.AllLabels) > 7 {
		panic("components: labelBadges holds 7 labels")
	}
	for m := range labelBadges {
		var ls domain.Labels
		for i, l := range domain.AllLabels {
			if m&(1<<i) != 0 {
				if setLabel(&ls, l); !ls.Has(l) {
					panic("components: setLabel does not know label " + string(l))
				}
			}
		}
		labelBadges[m] = html(mustRender(labels(ls)))
	}
}

func mustRender(c templ.Component) string {
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		panic(err)
	}
	return b.String()
}

// TierBadge shows a rung with its colour.
func TierBadge(t domain.Tier) templ.Component {
	if c, ok := tierBadges[t]; ok {
		return c
	}
	return tierBadge(t)
}

// TierBadgeHTML is TierBadge's markup, for rows written by hand.
func TierBadgeHTML(t domain.Tier) string {
	if c, ok := tierBadges[t]; ok {
		return string(c.(html))
	}
	return mustRender(tierBadge(t))
}

// Labels shows an enterprise's designations as badges.
func Labels(ls domain.Labels) templ.Component { return labelBadges[labelMask(ls)] }

// LabelsHTML is Labels' markup, for rows written by hand.
func LabelsHTML(ls domain.Labels) string { return string(labelBadges[labelMask(ls)].(html)) }

func labelMask(ls domain.Labels) int {
	m := 0
	for i, l := range domain.AllLabels {
		if ls.Has(l) {
			m |= 1 << i
		}
	}
	return m
}

func setLabel(ls *domain.Labels, l domain.Label) {
	switch l {
	case domain.LabelAboveScale:
		ls.AboveScale = true
	case domain.LabelHighTech:
		ls.HighTech = true
	case domain.LabelTechSME:
		ls.TechSME = true
	case domain.LabelGazelle:
		ls.Gazelle = true
	case domain.LabelUnicorn:
		ls.Unicorn = true
	case domain.LabelSingleChampion:
		ls.SingleChampion = true
	case domain.LabelListed:
		ls.Listed = true
	}
}
