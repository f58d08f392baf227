package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	tierpages "zjtx/templates/pages/tiers"
)

func (s *Server) showDecision(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("did"), 10, 64)
	if err != nil {
		return store.ErrNotFound
	}
	ctx := c.Request().Context()
	d, err := s.decisions.Get(ctx, scope(c), id)
	if err != nil {
		return err
	}
	e, err := s.enterprises.Get(ctx, scope(c), d.EnterpriseID)
	if err != nil {
		return err
	}
	v := tierpages.DecisionView{Decision: d, Enterprise: e,
		Meta: s.meta(c, "决定记录 #"+strconv.FormatInt(d.ID, 10), "enterprises", crumbEnterprises,
			layout.Crumb{Label: e.Name, Href: enterprisePath(e.ID)})}
	if d.Verdict != "" {
		var verdict eligibility.Verdict
		if err := json.Unmarshal([]byte(d.Verdict), &verdict); err != nil {
			return err
		}
		v.Verdict = &verdict
		v.Replay, err = s.replayDecision(c, d, verdict)
		if err != nil {
			return err
		}
		var buf bytes.Buffer
		if json.Indent(&buf, []byte(d.Facts), "", "  ") == nil {
			v.FactsJSON = buf.String()
		}
	}
	return render(c, http.StatusOK, tierpages.DecisionPage(v))
}

// reviewHorizon is how far ahead titles are listed for review (§6: before expiry).
const reviewHorizonMonths = 6

func (s *Server) listReview(c echo.Context) error {
	today := s.today()
	until := domain.DateOf(today.Time().AddDate(0, reviewHorizonMonths, 0))
	es, err := s.enterprises.Expiring(c.Request().Context(), scope(c), today, until, 1000)
	if err != nil {
		return err
	}
	rows := make([]tierpages.ReviewRow, len(es))
	for i, e := range es {
		rows[i] = tierpages.ReviewRow{Enterprise: e, DaysLeft: today.DaysUntil(e.TierValidUntil)}
	}
	v := tierpages.ReviewView{Meta: s.meta(c, "到期复核", "review"), Rows: rows, Until: until,
		CanRenew: cityLevel.allows(currentUser(c).Role)}
	return render(c, http.StatusOK, tierpages.ReviewPage(v))
}

func (s *Server) listApplications(c echo.Context) error {
	ctx := c.Request().Context()
	conv := func(rows []store.ApplicationRow) []tierpages.ApplicationRow {
		out := make([]tierpages.ApplicationRow, len(rows))
		for i, r := range rows {
			out[i] = tierpages.ApplicationRow{Application: r.Application, Name: r.Name, USCC: r.USCC, DistrictCode: r.DistrictCode, Tier: r.Tier}
		}
		return out
	}
	district, err := s.decisions.Applications(ctx, scope(c), domain.AppDistrictRecommended)
	if err != nil {
		return err
	}
	miit, err := s.decisions.Applications(ctx, scope(c), domain.AppMIITPending)
	if err != nil {
		return err
	}
	v := tierpages.ApplicationsView{Meta: s.meta(c, "认定推荐队列", "applications"), District: conv(district), MIIT: conv(miit)}
	return render(c, http.StatusOK, tierpages.ApplicationsPage(v))
}

// candidateLimit bounds the candidates page; the count of all is still shown.
const candidateLimit = 500

func (s *Server) listCandidates(c echo.Context) error {
	u := currentUser(c)
	district := c.QueryParam("district")
	if u.Role == domain.RoleDistrict {
		district = u.DistrictCode
	} else if !domain.IsDistrict(district) {
		district = domain.Districts[0].Code // one district at a time keeps the evaluation quick
	}
	to := domain.Tier(c.QueryParam("tier"))
	if !to.Valid() || to == domain.TierBase {
		to = ""
	}
	cands, evaluated, truncated, err := s.tiers.Candidates(c.Request().Context(), scope(c), district, to, s.today(), candidateLimit)
	if err != nil {
		return err
	}
	v := tierpages.CandidatesView{Meta: s.meta(c, "晋级候选", "candidates"), District: district, Tier: string(to),
		Evaluated: evaluated, Truncated: truncated, Districts: domain.Districts}
	if u.Role == domain.RoleDistrict {
		v.Districts = []domain.District{{Code: district, Name: domain.DistrictName(district)}}
	}
	for _, cd := range cands {
		v.Candidates = append(v.Candidates, tierpages.Candidate{Enterprise: cd.Enterprise, Next: cd.Next, Score: cd.Score})
	}
	return render(c, http.StatusOK, tierpages.CandidatesPage(v))
}

// replayDecision re-evaluates a decision's stored facts with the parameters in force on
// its as_of (overrides made later take effect from their own dates, so they do not apply)
// and says whether the outcome and parameter version are the same.
func (s *Server) replayDecision(c echo.Context, d domain.Decision, stored eligibility.Verdict) (string, error) {
	facts, err := eligibility.DecodeFacts([]byte(d.Facts))
	if err != nil || len(facts) != 1 {
		return "无法重放：记录中的事实不完整。", nil
	}
	ps, err := s.tiers.Parameters(c.Request().Context())
	if err != nil {
		return "", err
	}
	again := eligibility.Evaluate(facts[0], ps)
	same := again.ParamsVersion == stored.ParamsVersion && again.RuleSet == stored.RuleSet
	for _, t := range []domain.Tier{domain.TierInnovative, domain.TierSpecialized, domain.TierLittleGiant} {
		same = same && again.Tiers.Get(t).Eligible == stored.Tiers.Get(t).Eligible
	}
	if same {
		return "已按 " + d.AsOf.String() + " 的参数重放：规则集、参数版本与各层级结论均与记录一致。", nil
	}
	return "注意：按 " + d.AsOf.String() + " 的参数重放，结果与记录不一致（参数版本 " + again.ParamsVersion + "）。", nil
}
