package enterprises

import (
	"context"
	"io"
	"strconv"

	"github.com/a-h/templ"

	"zjtx/internal/domain"
	"zjtx/templates/components"
)

// listRows writes the list's table rows, the same markup templ would write for
// them, without templ's per-expression work (fmt.Sprint on every string, class
// lists): the rows are most of the list page's rendering.
func listRows(items []domain.Enterprise) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		b := make([]byte, 0, 1200)
		for i := range items {
			e := &items[i]
			b = b[:0]
			b = append(b, `<tr data-testid="enterprise-row"><td data-testid="row-name"><a href="/enterprises/`...)
			b = strconv.AppendInt(b, e.ID, 10)
			b = append(b, `">`...)
			b = append(b, templ.EscapeString(e.Name)...)
			b = append(b, `</a></td><td class="mono hide-narrow">`...)
			b = append(b, templ.EscapeString(string(e.USCC))...)
			b = append(b, `</td><td class="nowrap" data-testid="row-district">`...)
			b = append(b, templ.EscapeString(districtName(e.DistrictCode))...)
			b = append(b, `</td><td>`...)
			b = append(b, components.TierBadgeHTML(e.Tier)...)
			b = append(b, `</td><td class="hide-narrow">`...)
			b = appendDate(b, e.TierValidUntil)
			b = append(b, `</td><td class="hide-narrow">`...)
			b = append(b, templ.EscapeString(e.IndustryGroup.ShortLabel())...)
			b = append(b, `</td><td class="hide-narrow">`...)
			b = append(b, templ.EscapeString(e.Size.Label())...)
			b = append(b, `</td><td class="hide-narrow">`...)
			b = append(b, components.LabelsHTML(e.Labels)...)
			b = append(b, `</td><td class="hide-narrow">`...)
			b = appendDate(b, e.FoundedOn)
			b = append(b, `</td></tr>`...)
			if _, err := w.Write(b); err != nil {
				return err
			}
		}
		return nil
	})
}

// appendDate appends dateOr(d, "—"): YYYY-MM-DD (what Date.String formats, for the
// four-digit years a Date holds) without time.Format.
func appendDate(b []byte, d domain.Date) []byte {
	if d.IsZero() {
		return append(b, "—"...)
	}
	y, m, day := d.Time().Date()
	if y < 0 || y > 9999 {
		return append(b, templ.EscapeString(d.String())...)
	}
	b = append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(m)/10), byte('0'+int(m)%10), '-')
	return append(b, byte('0'+day/10), byte('0'+day%10))
}
