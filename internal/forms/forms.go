// Package forms turns submitted form values into domain values with per-field
// Chinese messages, and back, so an invalid form re-renders with what the user typed.
// It knows nothing of HTTP beyond url.Values.
package forms

import (
	"net/url"
	"strconv"
	"strings"

	"zjtx/internal/domain"
)

// Errors maps field names to messages.
type Errors = domain.FieldErrors

func get(v url.Values, key string) string { return strings.TrimSpace(v.Get(key)) }

// parseDate reads an optional YYYY-MM-DD field.
func parseDate(fe Errors, field, s string) domain.Date {
	if s == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(s)
	if err != nil {
		fe.Add(field, err.Error())
	}
	return d
}

// parseMoney reads an optional 万元 amount.
func parseMoney(fe Errors, field, s string) *domain.Money {
	if s == "" {
		return nil
	}
	m, err := domain.ParseWan(s)
	if err != nil {
		fe.Add(field, err.Error())
		return nil
	}
	return &m
}

// parseCount reads an optional whole number of people.
func parseCount(fe Errors, field, s string) *int64 {
	if s == "" {
		return nil
	}
	s = strings.ReplaceAll(domain.NormalizeNumber(s), ",", "")
	n, err := strconv.ParseInt(s, 10, 64)
	switch {
	case err != nil:
		fe.Add(field, "请输入整数")
		return nil
	case n < 0:
		fe.Add(field, "人数不能为负数")
		return nil
	case n > 10_000_000:
		fe.Add(field, "人数超出合理范围")
		return nil
	}
	return &n
}

func parseYear(fe Errors, field, s string) int {
	if s == "" {
		fe.Add(field, "请填写年份")
		return 0
	}
	n, err := strconv.Atoi(domain.NormalizeNumber(s))
	if err != nil {
		fe.Add(field, "年份应为四位数字")
		return 0
	}
	return n
}

func checked(v url.Values, key string) bool {
	s := v.Get(key)
	return s == "on" || s == "true" || s == "1"
}
