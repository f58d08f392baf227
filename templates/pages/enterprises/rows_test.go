package enterprises

import (
	"testing"
	"time"

	"zjtx/internal/domain"
)

func TestAppendDateIsDateOr(t *testing.T) {
	for _, d := range []domain.Date{{}, domain.MustDate("2026-11-28"), domain.MustDate("1900-01-01"), domain.MustDate("2200-12-31"),
		domain.NewDate(999, time.March, 5), domain.NewDate(12345, time.March, 5)} {
		if got, want := string(appendDate(nil, d)), dateOr(d, "—"); got != want {
			t.Errorf("appendDate(%v) = %q, want %q", d, got, want)
		}
	}
}
