package enterprises

import (
	"strconv"

	"zjtx/internal/domain"
)

func pct(r domain.Ratio) string {
	if !r.OK {
		return "—"
	}
	return strconv.FormatFloat(r.Value*100, 'f', 1, 64) + "%"
}

func wan(m *domain.Money) string {
	if m == nil {
		return "—"
	}
	return m.FormatWanGrouped()
}

func count(n *int64) string {
	if n == nil {
		return "—"
	}
	return strconv.FormatInt(*n, 10)
}

func dateOr(d domain.Date, dflt string) string {
	if d.IsZero() {
		return dflt
	}
	return d.String()
}

func districtName(code string) string {
	if n := domain.DistrictName(code); n != "" {
		return n
	}
	return code
}

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func itoa(n int) string { return strconv.Itoa(n) }
