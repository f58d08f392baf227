package domain

import (
	"errors"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Money is an exact amount in 分 (0.01 元). Forms and tables show 万元; storage keeps every 分.
type Money int64

// FenPerWan is the number of 分 in one 万元.
const FenPerWan = 1_000_000

// maxWan bounds parsed amounts far above any enterprise's figures, so typos like an
// extra dozen zeros are refused rather than stored.
const maxWan = 1e12

// ErrMoneyFormat and friends are user-facing messages for a bad amount.
var (
	ErrMoneyFormat    = errors.New("请输入数字金额（万元），最多6位小数")
	ErrMoneyRange     = errors.New("金额超出合理范围")
	ErrMoneyPrecision = errors.New("金额最多保留6位小数（精确到分）")
)

// ParseWan parses an amount in 万元 ("1,234.56", "１２３" full-width and commas allowed)
// exactly, without floating-point rounding.
func ParseWan(s string) (Money, error) {
	s = strings.ReplaceAll(NormalizeNumber(s), ",", "")
	if s == "" {
		return 0, ErrMoneyFormat
	}
	// Refuse exponents and fractions before big.Rat sees them: "1e1000000" would cost it a
	// million-digit power of ten (≈0.2 s of CPU per cell of an import).
	if strings.ContainsAny(s, "eE/") {
		return 0, ErrMoneyFormat
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, ErrMoneyFormat
	}
	if f, _ := r.Float64(); math.Abs(f) > maxWan {
		return 0, ErrMoneyRange
	}
	r.Mul(r, big.NewRat(FenPerWan, 1))
	if !r.IsInt() {
		return 0, ErrMoneyPrecision
	}
	return Money(r.Num().Int64()), nil
}

// NormalizeNumber trims and maps full-width digits and signs to ASCII.
func NormalizeNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if r >= '！' && r <= '～' {
			r -= 0xFEE0
		}
		if r == '，' {
			r = ','
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// Wan is the amount in 万元 as a float, for ratios and the eligibility engine.
func (m Money) Wan() float64 { return float64(m) / FenPerWan }

// FormatWan renders 万元 with up to 6 decimals, trailing zeros dropped ("1234.5").
func (m Money) FormatWan() string {
	neg := m < 0
	v := int64(m)
	if neg {
		v = -v
	}
	whole, frac := v/FenPerWan, v%FenPerWan
	s := strconv.FormatInt(whole, 10)
	if frac != 0 {
		fs := strings.TrimRight(strconv.FormatInt(frac+FenPerWan, 10)[1:], "0")
		s += "." + fs
	}
	if neg {
		s = "-" + s
	}
	return s
}

// FormatWanGrouped renders 万元 with thousands separators and two decimals, for tables.
func (m Money) FormatWanGrouped() string {
	f := math.Round(m.Wan()*100) / 100
	s := strconv.FormatFloat(math.Abs(f), 'f', 2, 64)
	intPart, dec := s[:len(s)-3], s[len(s)-3:]
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String() + dec
	if f < 0 {
		out = "-" + out
	}
	return out
}

// Wan builds Money from a whole number of 万元 (tests, demo data).
func Wan(w int64) Money { return Money(w * FenPerWan) }
