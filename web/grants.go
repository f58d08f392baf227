package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	rules "zjtx/internal/domain/benefits"
	"zjtx/internal/store"
	bpages "zjtx/templates/pages/benefits"
)

// listGrants is /benefits/grants: benefit grant records under the user's scope, filtered by
// district, status, award year and benefit, with the count and amount of the whole filter.
func (s *Server) listGrants(c echo.Context) error {
	q := c.QueryParams()
	u := currentUser(c)
	var gq bpages.GrantsQuery
	f := store.GrantFilter{Scope: scope(c)}
	if d := q.Get("district"); domain.IsDistrict(d) {
		gq.District, f.District = d, d
	}
	if u.Role == domain.RoleDistrict {
		gq.District, f.District = u.DistrictCode, u.DistrictCode
	}
	if st := rules.GrantStatus(q.Get("status")); st.Valid() {
		gq.Status, f.Status = string(st), st
	}
	if y, err := strconv.Atoi(q.Get("year")); err == nil && y >= firstBenefitYear && y <= s.today().Year() {
		gq.Year, f.Year = strconv.Itoa(y), y
	}
	if r, ok := rules.RuleByID(q.Get("benefit")); ok {
		gq.Benefit, f.Benefit = r.ID, r.ID
	}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	page, err := s.benefits().GrantList(c.Request().Context(), f)
	if err != nil {
		return err
	}
	v := bpages.GrantsView{Meta: s.meta(c, "政策兑现记录", "benefits"), Query: gq, Page: page.Page, Pages: page.Pages(),
		Total: page.Total, Amount: page.Amount, Years: s.benefitYears(), Rules: rules.Rules()}
	for _, g := range page.Items {
		v.Items = append(v.Items, bpages.GrantItem{Grant: g.Grant, USCC: g.USCC, Name: g.Name, DistrictCode: g.DistrictCode})
	}
	if u.Role == domain.RoleDistrict {
		v.Districts = []domain.District{{Code: u.DistrictCode, Name: domain.DistrictName(u.DistrictCode)}}
	} else {
		v.Districts = domain.Districts
	}
	return render(c, http.StatusOK, bpages.GrantsPage(v))
}
