package domain

import (
	"testing"
	"time"
	"unicode/utf8"
)

// Seeds live in testdata/fuzz/<FuzzName>/; the f.Add calls repeat the essential ones so a
// plain `go test` run exercises them even if the directory is pruned.

func FuzzParseUSCC(f *testing.F) {
	for _, s := range []string{"91310000631696382C", "91310115MA1K3BTP2B", "９１３１０１１５ＭＡ１Ｋ３ＢＴＰ２Ｂ", " 91310115ma1k3btp2b ", "91310115MA1K3BTPIB", "", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := NormalizeUSCC(s)
		if again := NormalizeUSCC(n); again != n {
			t.Fatalf("NormalizeUSCC not idempotent: %q → %q → %q", s, n, again)
		}
		chk, err := ParseUSCC(s)
		if err != nil {
			if chk.Code != "" {
				t.Fatalf("error %v with code %q", err, chk.Code)
			}
			return
		}
		c := string(chk.Code)
		if len(c) != 18 || !utf8.ValidString(c) {
			t.Fatalf("accepted %q as %q: not 18 ASCII characters", s, c)
		}
		again, err := ParseUSCC(c)
		if err != nil || again != chk {
			t.Fatalf("accepted code %q does not re-validate: %+v, %v", c, again, err)
		}
		if USCCCheckChar(c[:17]) != c[17] {
			t.Fatalf("check character of %q disagrees with USCCCheckChar", c)
		}
		if chk.Code.DivisionCode() != c[2:8] {
			t.Fatalf("division code of %q", c)
		}
	})
}

func FuzzParseWan(f *testing.F) {
	for _, s := range []string{"0", "1234.56", "1,234.567891", "-3.5", "１２３", "1e3", "1/2", "0.0000001", "999999999999", "1000000000001", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseWan(s)
		if err != nil {
			if m != 0 {
				t.Fatalf("error %v with amount %d", err, m)
			}
			return
		}
		out := m.FormatWan()
		back, err := ParseWan(out)
		if err != nil || back != m {
			t.Fatalf("ParseWan(%q) = %d, FormatWan = %q, parses back to %d, %v", s, m, out, back, err)
		}
		_ = m.FormatWanGrouped()
	})
}

func FuzzMoneyFormat(f *testing.F) {
	for _, v := range []int64{0, 1, -1, 1_000_000, 123_456_789, -999_999, 1e18} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v int64) {
		if v > 1e18 || v < -1e18 {
			return // beyond maxWan: ParseWan refuses these by design
		}
		m := Money(v)
		back, err := ParseWan(m.FormatWan())
		if err != nil || back != m {
			t.Fatalf("%d → %q → %d, %v", v, m.FormatWan(), back, err)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-31", "2024-02-29", "2026-02-30", "0000-01-01", "9999-12-31", "1900-01-01", "2200-12-31", "2026-1-1", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			if !d.IsZero() {
				t.Fatalf("error %v with date %v", err, d)
			}
			return
		}
		if d.Year() < 1900 || d.Year() > 2200 {
			t.Fatalf("accepted %q with year %d", s, d.Year())
		}
		back, err := ParseDate(d.String())
		if err != nil || back != d {
			t.Fatalf("%q → %q → %v, %v", s, d.String(), back, err)
		}
		var j Date
		b, _ := d.MarshalJSON()
		if err := j.UnmarshalJSON(b); err != nil || j != d {
			t.Fatalf("JSON round trip of %q: %s → %v, %v", s, b, j, err)
		}
		var sc Date
		if err := sc.Scan(d.String()); err != nil || sc != d {
			t.Fatalf("Scan round trip of %q: %v, %v", s, sc, err)
		}
	})
}

// A huge exponent is refused before any arithmetic (found by FuzzImportCSV stalling).
func TestParseWanHugeExponentIsCheap(t *testing.T) {
	for _, s := range []string{"1e1000000", "1E999999", "-1e500000", "1/3"} {
		start := time.Now()
		if _, err := ParseWan(s); err != ErrMoneyFormat {
			t.Errorf("ParseWan(%q) = %v, want ErrMoneyFormat", s, err)
		}
		if d := time.Since(start); d > 20*time.Millisecond {
			t.Errorf("ParseWan(%q) took %v", s, d)
		}
	}
}
