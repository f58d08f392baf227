package benefits

import (
	"strings"
	"unicode/utf8"

	"zjtx/internal/domain"
)

// MaxGrant is the most one grant of the benefit may be: its cap where the measures fix one
// (B02, B03, B09), else 0 (no fixed cap: the contract or interest decides).
func (s *Snapshot) MaxGrant(id string) domain.Money {
	switch id {
	case B02First:
		return s.B02FirstCap
	case B02Growth:
		return max(s.B02GrowthCapHigh, s.B02GrowthCapLow)
	case B03LittleGiant:
		return s.B03Cap
	case B09TechUpgrade:
		return s.B09Cap
	case B13Guarantee:
		return s.B13GuaranteeCap
	}
	return 0
}

// Validate checks a grant record before it is stored: a grantable benefit, a sensible award
// year, a status, an amount within the benefit's cap (and, for a 免申即享 match, within the
// matched amount when given), a date not in the future. Field names are the form's.
func (g *Grant) Validate(s *Snapshot, today domain.Date, matched domain.Money) domain.FieldErrors {
	fe := domain.FieldErrors{}
	g.Note = strings.TrimSpace(g.Note)
	rule, ok := RuleByID(g.BenefitID)
	switch {
	case !ok:
		fe.Add("benefit", "请选择政策")
	case !rule.Grantable:
		fe.Add("benefit", rule.Name+"为告知类政策，无需登记兑现")
	}
	if g.Year < 2000 || g.Year > today.Year() {
		fe.Add("year", "奖励年度应在2000年至今年之间")
	}
	if !g.Status.Valid() {
		fe.Add("status", "请选择兑现状态（已确认或已拨付）")
	}
	if g.Amount <= 0 {
		fe.Add("amount", "请填写大于 0 的金额（万元）")
	} else if ok {
		if c := s.MaxGrant(g.BenefitID); c > 0 && g.Amount > c {
			fe.Add("amount", "金额超过该政策上限 "+c.FormatWan()+" 万元")
		} else if rule.Kind == KindAuto && matched > 0 && g.Amount > matched {
			fe.Add("amount", "金额超过匹配核定的上限 "+matched.FormatWan()+" 万元")
		}
	}
	switch {
	case g.On.IsZero():
		fe.Add("on", "请填写确认或拨付日期")
	case g.On.After(today):
		fe.Add("on", "日期不能晚于今天")
	}
	if utf8.RuneCountInString(g.Note) > 500 {
		fe.Add("note", "备注不超过500字")
	}
	return fe
}
