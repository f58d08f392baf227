package domain

import (
	"errors"
	"fmt"
	"strings"
)

// USCC is a normalised 统一社会信用代码 (GB 32100-2015), DOMAIN.md §统一社会信用代码.
type USCC string

// usccChars is the GB 32100 alphabet; a character's value is its index.
const usccChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

var orgCodeWeights = [8]int{3, 7, 9, 10, 5, 8, 4, 2}

// Errors returned by ParseUSCC; messages are shown to users as they are.
var (
	ErrUSCCLength    = errors.New("统一社会信用代码应为18位")
	ErrUSCCCharacter = errors.New("统一社会信用代码含有非法字符（不使用 I、O、S、V、Z）")
	ErrUSCCCheck     = errors.New("统一社会信用代码校验位错误")
)

// NormalizeUSCC trims, converts full-width characters to half-width and upper-cases.
func NormalizeUSCC(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.TrimSpace(s) {
		switch {
		case r >= '！' && r <= '～': // full-width ASCII block
			r -= 0xFEE0
		case r == '\u3000':
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.ToUpper(strings.TrimSpace(b.String()))
}

// USCCCheck is the result of validating a code: the normalised code, and a
// warning when the embedded organisation code fails GB 11714 (old codes may).
type USCCCheck struct {
	Code    USCC
	Warning string
}

// ParseUSCC normalises and validates s. A wrong check character is an error;
// an organisation-code mismatch only sets Warning.
func ParseUSCC(s string) (USCCCheck, error) {
	n := NormalizeUSCC(s)
	if len([]rune(n)) != 18 {
		return USCCCheck{}, ErrUSCCLength
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(usccChars, n[i])
		if v < 0 {
			return USCCCheck{}, ErrUSCCCharacter
		}
		sum += v * usccWeights[i]
	}
	if strings.IndexByte(usccChars, n[17]) < 0 {
		return USCCCheck{}, ErrUSCCCharacter
	}
	if want := usccChars[(31-sum%31)%31]; n[17] != want {
		return USCCCheck{}, ErrUSCCCheck
	}
	res := USCCCheck{Code: USCC(n)}
	if !orgCodeValid(n[8:17]) {
		res.Warning = fmt.Sprintf("组织机构代码 %s 校验不符（部分旧代码如此，已接受）", n[8:17])
	}
	return res, nil
}

// orgCodeValid checks the GB 11714 organisation code (9 chars, last is its check).
func orgCodeValid(code string) bool {
	sum := 0
	for i := 0; i < 8; i++ {
		c := code[i]
		var v int
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		default:
			return false
		}
		sum += v * orgCodeWeights[i]
	}
	var want byte
	switch c := 11 - sum%11; c {
	case 10:
		want = 'X'
	case 11:
		want = '0'
	default:
		want = byte('0' + c)
	}
	return code[8] == want
}

// DivisionCode is positions 3–8: the GB/T 2260 code of the registering authority.
func (u USCC) DivisionCode() string {
	if len(u) != 18 {
		return ""
	}
	return string(u[2:8])
}

// USCCCheckChar computes the check character for the first 17 characters,
// for generating valid codes (demo data, tests).
func USCCCheckChar(first17 string) byte {
	sum := 0
	for i := 0; i < 17; i++ {
		sum += strings.IndexByte(usccChars, first17[i]) * usccWeights[i]
	}
	return usccChars[(31-sum%31)%31]
}

// OrgCodeCheckChar computes the GB 11714 check character for an 8-character body.
func OrgCodeCheckChar(body8 string) byte {
	for _, c := range []byte("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		if orgCodeValid(body8 + string(c)) {
			return c
		}
	}
	return '0'
}
