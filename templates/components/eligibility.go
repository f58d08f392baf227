package components

import (
	"strconv"
	"strings"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
)

// FmtValue shows a criterion's value or threshold with its unit.
func FmtValue(v eligibility.Value, u eligibility.Unit) string {
	switch x := v.Any().(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		s := strconv.FormatFloat(x, 'f', -1, 64)
		if i := strings.IndexByte(s, '.'); i >= 0 && len(s)-i > 3 {
			s = strconv.FormatFloat(x, 'f', 2, 64)
		}
		return s + u.String()
	case string:
		return valueLabel(x)
	}
	return "—"
}

func valueLabel(s string) string {
	switch s {
	case "micro|small|medium":
		return "中小微企业"
	case "micro":
		return "微型"
	case "small":
		return "小型"
	case "medium":
		return "中型"
	case "large":
		return "大型"
	case "none":
		return "无"
	case "supporting":
		return "配套/六基"
	case "key_link":
		return "关键环节"
	case "below_municipal":
		return "市级以下"
	case "municipal":
		return "市级"
	case "provincial":
		return "省级"
	case "national":
		return "国家级"
	}
	if t := domain.Tier(s); t.Valid() {
		return t.Label()
	}
	return s
}

// StatusClass colours a criterion status.
func StatusClass(s eligibility.Status) string {
	switch s {
	case eligibility.Pass:
		return "badge st-ok"
	case eligibility.Fail:
		return "badge st-bad"
	}
	return "badge st-warn"
}

// StatusLabel names a criterion status in Chinese.
func StatusLabel(s eligibility.Status) string {
	switch s {
	case eligibility.Pass:
		return "符合"
	case eligibility.Fail:
		return "不符合"
	case eligibility.Missing:
		return "缺数据"
	}
	return s.String()
}

// RouteLabel names an eligibility route.
func RouteLabel(r string) string {
	switch r {
	case "score":
		return "评分"
	case "direct":
		return "直通条件"
	case "tech_sme":
		return "科技型中小企业"
	case "standard":
		return "全部条件"
	}
	return r
}

// IsIndicator reports a points-table indicator (shown folded; the score criterion carries it).
func IsIndicator(c eligibility.Criterion) bool { return c.MaxPoints.Set }

// GapCriteria are the failed or missing criteria that decide eligibility (points
// indicators are folded into their score criterion).
func GapCriteria(v eligibility.Verdict, t domain.Tier) []eligibility.Criterion {
	var out []eligibility.Criterion
	for _, c := range eligibility.Gap(v, t) {
		if !IsIndicator(c) {
			out = append(out, c)
		}
	}
	return out
}

func fmtScore(o eligibility.OptNum) string { return strconv.FormatFloat(o.V, 'f', -1, 64) }

func fmtPoints(c eligibility.Criterion) string {
	if !c.MaxPoints.Set {
		return ""
	}
	return strconv.FormatFloat(c.Points.V, 'f', -1, 64) + "/" + strconv.FormatFloat(c.MaxPoints.V, 'f', -1, 64)
}
