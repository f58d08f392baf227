package layout

import (
	"context"
	"io"

	"github.com/a-h/templ"
)

// navLinks writes the side navigation, the markup templ would write for it: about
// twenty links on every page, where templ's class-list handling (a map per link)
// was a visible share of each request.
func navLinks(m Meta) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		b := make([]byte, 0, 2048)
		for _, item := range navOrDefault(m.Nav) {
			if item.Group != "" {
				b = append(b, `<div class="navgroup">`...)
				b = append(b, templ.EscapeString(item.Group)...)
				b = append(b, `</div>`...)
			}
			b = append(b, ` <a href="`...)
			b = append(b, templ.EscapeString(item.Href)...)
			b = append(b, `" class="`...)
			if item.Section == m.Section {
				b = append(b, `active`...)
			}
			b = append(b, `" data-testid="nav-`...)
			b = append(b, templ.EscapeString(item.Section)...)
			b = append(b, `">`...)
			b = append(b, templ.EscapeString(item.Label)...)
			b = append(b, `</a>`...)
		}
		_, err := w.Write(b)
		return err
	})
}
