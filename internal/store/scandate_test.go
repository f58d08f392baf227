package store

import (
	"testing"
	"time"

	"zjtx/internal/domain"
)

// scanDate must read exactly what domain.Date.Scan reads, and refuse what it refuses.
func TestScanDateIsDateScan(t *testing.T) {
	for _, src := range []any{nil, "2026-11-28", "2024-02-29", "2023-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
		"0999-01-31", "2026-04-31", "2026-11-28 00:00:00+00:00", "2026-1-28", "20261128", "abcd-ef-gh", "", []byte("2026-11-28"),
		time.Date(2026, 11, 28, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))} {
		var got, want domain.Date
		errGot, errWant := scanDate(&got, src), want.Scan(src)
		if got != want || (errGot == nil) != (errWant == nil) {
			t.Errorf("%#v: scanDate %v (%v), Date.Scan %v (%v)", src, got, errGot, want, errWant)
		}
	}
}
