package domain

import (
	"errors"
	"strconv"
	"testing"
)

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func TestParseWan(t *testing.T) {
	ok := map[string]Money{
		"0": 0, "1": 1_000_000, "1234.56": 1_234_560_000, "0.000001": 1, "-50.5": -50_500_000,
		"1,000": 1_000_000_000, "１２３": 123_000_000, " 7 ": 7_000_000, "0.1": 100_000,
	}
	for in, want := range ok {
		got, err := ParseWan(in)
		if err != nil || got != want {
			t.Errorf("ParseWan(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	bad := map[string]error{
		"": ErrMoneyFormat, "abc": ErrMoneyFormat, "12abc": ErrMoneyFormat, "1e5": ErrMoneyFormat,
		"1/2": ErrMoneyFormat, "0.0000001": ErrMoneyPrecision, "99999999999999": ErrMoneyRange,
		"NaN": ErrMoneyFormat, "Inf": ErrMoneyFormat,
	}
	for in, want := range bad {
		if _, err := ParseWan(in); !errors.Is(err, want) {
			t.Errorf("ParseWan(%q) error = %v, want %v", in, err, want)
		}
	}
}

func TestMoneyFormatRoundTrips(t *testing.T) {
	for _, m := range []Money{0, 1, 999_999, 1_000_000, 1_234_560_000, -50_500_000, 123_456_789_012} {
		back, err := ParseWan(m.FormatWan())
		if err != nil || back != m {
			t.Errorf("%d → %q → %d, %v", m, m.FormatWan(), back, err)
		}
	}
	if got := Money(1_234_567_890_000).FormatWanGrouped(); got != "1,234,567.89" {
		t.Errorf("grouped = %q", got)
	}
	if got := Money(-50_500_000).FormatWanGrouped(); got != "-50.50" {
		t.Errorf("grouped negative = %q", got)
	}
}

func TestDateParse(t *testing.T) {
	if _, err := ParseDate("2026-02-30"); err == nil {
		t.Error("Feb 30 accepted")
	}
	if _, err := ParseDate("1800-01-01"); err == nil {
		t.Error("year 1800 accepted")
	}
	d := MustDate("2024-02-29")
	if got := d.AddYears(3).String(); got != "2027-03-01" {
		t.Errorf("2024-02-29 + 3y = %s", got)
	}
}
