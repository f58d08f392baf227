package benefits

import (
	"fmt"
	"math/big"

	"zjtx/internal/domain"
)

// CalcInput are the project figures a calculator takes (万元 amounts in 分).
type CalcInput struct {
	BenefitID string
	Amount    domain.Money // B09 核定项目投资; B12/B19 合同金额; B13 已付利息; B13-guarantee 申请担保额
	Existing  domain.Money // B13-guarantee: guarantee balance already under the plan
	Special   bool         // B09: 特别重大项目
}

// CalcResult is the capped support for a project, with how it was reached.
type CalcResult struct {
	Rule       Rule
	Determined bool         // false: the measures fix no amount for these figures (B09 not special)
	Uncapped   domain.Money // rate × amount before the cap
	Support    domain.Money // what may be paid (guarantee: what may be guaranteed)
	Capped     bool         // the cap bit
	Steps      []string     // the calculation, in words
}

// Calculators are the project-level benefits with a calculator, in display order.
var Calculators = []string{B09TechUpgrade, B12Digital, B13CreditInterest, B13Guarantee, B19Services}

// AmountLabel names the figure a calculator takes.
func AmountLabel(id string) string {
	switch id {
	case B09TechUpgrade:
		return "核定项目投资（万元）"
	case B12Digital:
		return "数字化转型服务合同金额（万元）"
	case B13CreditInterest:
		return "信用贷款已付利息（万元）"
	case B13Guarantee:
		return "申请担保金额（万元）"
	case B19Services:
		return "专业服务合同金额（万元）"
	}
	return "金额（万元）"
}

// Calculate applies a project-level benefit's rate and cap in force in this snapshot. Support
// is rounded down to the 分 ("不超过"). Field errors name the form fields amount and existing.
func (s *Snapshot) Calculate(in CalcInput) (CalcResult, domain.FieldErrors) {
	fe := domain.FieldErrors{}
	rule, ok := RuleByID(in.BenefitID)
	if !ok || rule.Kind != KindCalculator {
		fe.Add("benefit", "请选择要测算的政策")
		return CalcResult{}, fe
	}
	if in.Amount <= 0 {
		fe.Add("amount", "请填写大于 0 的"+AmountLabel(in.BenefitID))
	}
	if in.Existing < 0 {
		fe.Add("existing", "已获担保余额不能为负数")
	}
	if len(fe) > 0 {
		return CalcResult{Rule: rule}, fe
	}
	r := CalcResult{Rule: rule, Determined: true}
	rate := func(bp int64, what string) {
		r.Uncapped = mulBP(in.Amount, bp)
		r.Support = r.Uncapped
		r.Steps = append(r.Steps, fmt.Sprintf("%s %s 万元 × %s%% = %s 万元", what, in.Amount.FormatWan(), bpText(bp), r.Uncapped.FormatWan()))
	}
	switch in.BenefitID {
	case B09TechUpgrade:
		if !in.Special {
			r.Determined = false
			r.Steps = append(r.Steps, "非特别重大项目：给予贷款贴息和融资租赁补贴支持，措施未规定比例，按技改项目管理规定另行核定")
			return r, fe
		}
		rate(s.B09RateBP, "特别重大项目核定投资")
		r.capAt(s.B09Cap, "单个项目最高")
	case B12Digital:
		rate(s.B12RateBP, "合同金额")
		r.Steps = append(r.Steps, "不超过合同金额的 "+bpText(s.B12RateBP)+"%")
	case B19Services:
		rate(s.B19RateBP, "合同金额")
		r.Steps = append(r.Steps, "不超过合同金额的 "+bpText(s.B19RateBP)+"%")
	case B13CreditInterest:
		rate(s.B13InterestRateBP, "已付利息")
		r.Steps = append(r.Steps, "贴息最高为已付利息的 "+bpText(s.B13InterestRateBP)+"%")
	case B13Guarantee:
		room := s.B13GuaranteeCap - in.Existing
		if room < 0 {
			room = 0
		}
		r.Uncapped, r.Support = in.Amount, in.Amount
		r.Steps = append(r.Steps, fmt.Sprintf("单户担保额度上限 %s 万元 − 已获担保余额 %s 万元 = 可用额度 %s 万元",
			s.B13GuaranteeCap.FormatWan(), in.Existing.FormatWan(), room.FormatWan()))
		r.capAt(room, "可用额度")
	}
	return r, fe
}

func (r *CalcResult) capAt(limit domain.Money, what string) {
	if r.Support > limit {
		r.Support, r.Capped = limit, true
		r.Steps = append(r.Steps, fmt.Sprintf("超过%s %s 万元，按 %s 万元计", what, limit.FormatWan(), limit.FormatWan()))
	} else {
		r.Steps = append(r.Steps, fmt.Sprintf("未超过%s %s 万元", what, limit.FormatWan()))
	}
}

// mulBP is m × bp / 10000 rounded down to the 分, exactly.
func mulBP(m domain.Money, bp int64) domain.Money {
	x := new(big.Int).Mul(big.NewInt(int64(m)), big.NewInt(bp))
	x.Quo(x, big.NewInt(10000))
	return domain.Money(x.Int64())
}
