package domain

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a calendar date without time or zone, shown and stored as YYYY-MM-DD.
// The zero Date means "not set".
type Date struct{ t time.Time }

const dateLayout = "2006-01-02"

// ParseDate parses YYYY-MM-DD; years outside 1900–2200 are refused as typos.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("日期格式应为 YYYY-MM-DD")
	}
	if t.Year() < 1900 || t.Year() > 2200 {
		return Date{}, fmt.Errorf("日期超出合理范围")
	}
	return Date{t}, nil
}

// MustDate is ParseDate for constants; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf takes the calendar date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// NewDate builds a date from its parts.
func NewDate(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

func (d Date) IsZero() bool { return d.t.IsZero() }
func (d Date) Year() int    { return d.t.Year() }
func (d Date) Time() time.Time {
	return d.t
}
func (d Date) Before(o Date) bool { return d.t.Before(o.t) }
func (d Date) After(o Date) bool  { return d.t.After(o.t) }

// AddYears moves by whole years; Feb 29 lands on Mar 1 in a common year.
func (d Date) AddYears(n int) Date { return Date{d.t.AddDate(n, 0, 0)} }
func (d Date) AddDays(n int) Date  { return Date{d.t.AddDate(0, 0, n)} }

// DaysUntil counts days from d to o (negative when o is earlier).
func (d Date) DaysUntil(o Date) int { return int(o.t.Sub(d.t).Hours() / 24) }

func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(dateLayout)
}

// Value stores the date as YYYY-MM-DD text, or NULL when unset; the same on SQLite and PostgreSQL.
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads YYYY-MM-DD text (SQLite) or a time (PostgreSQL date column).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
	case time.Time:
		*d = DateOf(v)
	case string:
		return d.scanString(v)
	case []byte:
		return d.scanString(string(v))
	default:
		return fmt.Errorf("domain.Date: cannot scan %T", src)
	}
	return nil
}

func (d *Date) scanString(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return err
	}
	*d = Date{t}
	return nil
}

func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("日期应为字符串 YYYY-MM-DD")
	}
	p, err := time.Parse(dateLayout, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("日期格式应为 YYYY-MM-DD")
	}
	*d = Date{p}
	return nil
}
