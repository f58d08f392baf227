package components

import "strconv"

// pageWindow lists page numbers around the current one, 0 standing for a gap.
func pageWindow(page, pages int) []int {
	if pages <= 1 {
		return nil
	}
	var out []int
	last := 0
	for n := 1; n <= pages; n++ {
		if n == 1 || n == pages || (n >= page-2 && n <= page+2) {
			if last != 0 && n != last+1 {
				out = append(out, 0)
			}
			out = append(out, n)
			last = n
		}
	}
	return out
}

func fmtInt(n int64) string { return FormatInt(n) }

// FormatInt groups thousands: 200000 → "200,000".
func FormatInt(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := false
	if n < 0 {
		neg, s = true, s[1:]
	}
	var b []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	if neg {
		return "-" + string(b)
	}
	return string(b)
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func itoaC(n int) string { return strconv.Itoa(n) }
