package benefits

// Kind says how a benefit reaches the enterprise.
type Kind string

const (
	// KindAuto is a 免申即享 match whose amount the registry's own data fixes (B02, B03).
	KindAuto Kind = "auto"
	// KindCalculator is matched on the registry's data (a valid 专精特新 title) but paid on
	// project figures the registry does not hold (contract, investment, interest, guarantee):
	// the amount comes from the calculator or from the grant record (B09, B12, B13, B19).
	KindCalculator Kind = "calculator"
	// KindInfo carries no payment: the enterprise is told it qualifies (B10, B14).
	KindInfo Kind = "info"
)

// Label is the kind's Chinese name.
func (k Kind) Label() string {
	switch k {
	case KindAuto:
		return "免申即享"
	case KindCalculator:
		return "按项目测算"
	case KindInfo:
		return "告知类"
	}
	return string(k)
}

// Rule is one benefit of BENEFITS.md. Its dated parameters (effective window, thresholds,
// rates, caps) are in params/benefits.json under "benefit.<ID>.".
type Rule struct {
	ID     string
	Name   string
	Clause string // the measure it cites
	Who    string // who qualifies, in a sentence
	Amount string // what is paid, in a sentence
	Kind   Kind
	OneOff bool // paid once per enterprise: a grant on record in any other year excludes it
	// Grantable: staff may record a confirmation / payment (not the information-only ones).
	Grantable bool
}

// Benefit ids (BENEFITS.md).
const (
	B02First          = "B02-first-above-scale"
	B02Growth         = "B02-growth"
	B03LittleGiant    = "B03-little-giant-growth"
	B09TechUpgrade    = "B09-tech-upgrade"
	B10Procurement    = "B10-procurement"
	B12Digital        = "B12-digital"
	B13CreditInterest = "B13-credit-interest"
	B13Guarantee      = "B13-guarantee"
	B14Water          = "B14-water"
	B19Services       = "B19-services"
)

const measures = "《上海市促进专精特新中小企业发展壮大的若干措施》（上海市人民政府办公厅印发，2025年4月3日起施行；实施通知 沪经信企〔2025〕197号）"

// catalogue lists every benefit in BENEFITS.md order.
var catalogue = [...]Rule{
	{ID: B02First, Name: "小升规一次性奖励", Clause: "措施（二）推动“小升规”：对当年首次升规并符合条件的工业、互联网和相关服务、软件和信息技术服务业企业，给予最高50万元的一次性奖励",
		Who: "工业（及互联网和相关服务、软件和信息技术服务业，未经确认）企业，奖励年度首次纳入规上", Amount: "最高 50 万元，一次性", Kind: KindAuto, OneOff: true, Grantable: true},
	{ID: B02Growth, Name: "规上企业增长奖励", Clause: "措施（二）推动“小升规”：对规上符合条件的……企业，根据当年增长情况，给予最高40万元的一次性奖励",
		Who: "奖励年度上一年首次升规的企业，奖励年度产值增速 ≥ 10%（< 30% 最高 20 万元，≥ 30% 最高 40 万元）", Amount: "最高 20 / 40 万元，一次性", Kind: KindAuto, OneOff: true, Grantable: true},
	{ID: B03LittleGiant, Name: "“小巨人”规转强奖励", Clause: "措施（三）促进“规转强”：对专精特新“小巨人”企业连续两年产值(营收)增速20%以上的，予以最高50万元奖励",
		Who: "2023 年及以前认定且仍有效的“小巨人”，连续两年产值（营收）增速均 ≥ 20%，无严重失信，按规定报送统计报表", Amount: "最高 50 万元，一次性", Kind: KindAuto, OneOff: true, Grantable: true},
	{ID: B09TechUpgrade, Name: "技改项目支持", Clause: "措施（九）支持技术创新：对专精特新中小企业符合条件的技改项目，给予贷款贴息和融资租赁补贴支持，其中特别重大项目给予核定项目投资10%、最高1亿元的支持",
		Who: "有经核定技改项目的专精特新企业", Amount: "特别重大项目：核定投资 10%，最高 1 亿元", Kind: KindCalculator, Grantable: true},
	{ID: B10Procurement, Name: "政府采购中小企业预留份额", Clause: "措施（十）推动新品首用：对适用招标投标法且超过400万元的工程项目中适宜由中小企业提供的，在2026年底前，将中小企业的预留份额阶段性提高至40%以上",
		Who: "中小企业（按工信部联企业〔2011〕300号划型）", Amount: "超过 400 万元的工程项目预留份额 ≥ 40%（2026-12-31 前）", Kind: KindInfo},
	{ID: B12Digital, Name: "数字化转型服务支持", Clause: "措施（十二）降低数转成本：对专精特新中小企业购买数字化转型相关服务的，予以不超过合同金额30%的支持",
		Who: "购买数字化转型相关服务的专精特新企业", Amount: "不超过合同金额 30%", Kind: KindCalculator, Grantable: true},
	{ID: B13CreditInterest, Name: "信用贷款贴息", Clause: "措施（十三）降低融资成本：以“免申即享”方式，对专精特新中小企业信用贷款予以最高30%贴息支持",
		Who: "有信用贷款的专精特新企业", Amount: "最高为已付利息的 30%", Kind: KindCalculator, Grantable: true},
	{ID: B13Guarantee, Name: "专精特新专项担保计划", Clause: "措施（十三）降低融资成本：实施“专精特新专项担保计划”……提升单户担保额度上限至3000万元",
		Who: "纳入专项担保计划的专精特新企业", Amount: "单户担保额度最高 3000 万元", Kind: KindCalculator, Grantable: true},
	{ID: B14Water, Name: "超定额累进加价水费免收", Clause: "措施（十四）降低用能成本：落实专精特新中小企业2025年度超定额累进加价水费免收政策",
		Who: "2025 年度的专精特新企业", Amount: "2025 年度超定额累进加价水费免收", Kind: KindInfo},
	{ID: B19Services, Name: "专业服务补贴", Clause: "措施（十九）加强服务供给：对专精特新中小企业采购技术创新、海外发展等专业服务的，予以不超过合同金额30%的补贴",
		Who: "采购技术创新、海外发展等专业服务的专精特新企业", Amount: "不超过合同金额 30%", Kind: KindCalculator, Grantable: true},
}

// Rules lists every benefit in BENEFITS.md order (a copy).
func Rules() []Rule { return append([]Rule(nil), catalogue[:]...) }

// RuleByID finds a benefit.
func RuleByID(id string) (Rule, bool) {
	if i := ruleIndex(id); i >= 0 {
		return catalogue[i], true
	}
	return Rule{}, false
}

func ruleIndex(id string) int {
	for i := range catalogue {
		if catalogue[i].ID == id {
			return i
		}
	}
	return -1
}

// Measures names the policy text the clauses cite.
func Measures() string { return measures }
