package enterprises

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/a-h/templ"

	"zjtx/internal/domain"
	"zjtx/templates/components"
)

func TestAppendDateIsDateOr(t *testing.T) {
	for _, d := range []domain.Date{{}, domain.MustDate("2026-11-28"), domain.MustDate("1900-01-01"), domain.MustDate("2200-12-31"),
		domain.NewDate(999, time.March, 5), domain.NewDate(12345, time.March, 5)} {
		if got, want := string(appendDate(nil, d)), dateOr(d, "—"); got != want {
			t.Errorf("appendDate(%v) = %q, want %q", d, got, want)
		}
	}
}

// The hand-written list rows escape what users typed and carry the same cells,
// link and badges as the templ components they replace.
func TestListRowsEscapeAndCells(t *testing.T) {
	hostile := `<b onclick="x">A&B's</b>`
	items := []domain.Enterprise{
		{ID: 42, Name: hostile, USCC: "91310115MA1K4XYZ9X", DistrictCode: "310115", Tier: domain.TierSpecialized,
			TierValidUntil: domain.MustDate("2027-05-20"), FoundedOn: domain.MustDate("2015-03-01"),
			Labels: domain.Labels{HighTech: true}},
		{ID: 7, Name: "上海乙公司", DistrictCode: "310101", Tier: domain.TierBase},
	}
	var b strings.Builder
	if err := listRows(items).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<b") || !strings.Contains(out, templ.EscapeString(hostile)) {
		t.Errorf("name not escaped as templ escapes it:\n%s", out)
	}
	if n := strings.Count(out, `<tr data-testid="enterprise-row">`); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	if n := strings.Count(out, "<td"); n != 18 {
		t.Errorf("%d cells, want 9 a row", n)
	}
	for _, want := range []string{`href="/enterprises/42"`, `href="/enterprises/7"`, "浦东新区", "2027-05-20", "2015-03-01", "—"} {
		if !strings.Contains(out, want) {
			t.Errorf("rows lack %q:\n%s", want, out)
		}
	}
	var badge, labels strings.Builder
	_ = components.TierBadge(domain.TierSpecialized).Render(context.Background(), &badge)
	_ = components.Labels(items[0].Labels).Render(context.Background(), &labels)
	if !strings.Contains(out, badge.String()) || !strings.Contains(out, labels.String()) || labels.Len() == 0 {
		t.Errorf("rows lack the components' badges %q %q:\n%s", badge.String(), labels.String(), out)
	}
}
