package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/pages/service"
)

// 走访记录: the visit list under the user's row scope (a district officer sees their
// district's enterprises, a specialist their own), filtered, paged and exported; the
// dashboard's visit figures link here.

// visitQuery reads the visit list's filters; malformed values are dropped with a note.
func (s *Server) visitQuery(c echo.Context) (service.VisitsQuery, store.VisitFilter, []string) {
	q := c.QueryParams()
	u := currentUser(c)
	var (
		vq    service.VisitsQuery
		notes []string
	)
	f := store.VisitFilter{Scope: scope(c)}
	if d := q.Get("district"); domain.IsDistrict(d) {
		vq.District, f.District = d, d
	}
	if u.Role == domain.RoleDistrict {
		vq.District, f.District = u.DistrictCode, u.DistrictCode
	}
	if id, err := strconv.ParseInt(q.Get("specialist"), 10, 64); err == nil && id > 0 {
		vq.Specialist, f.SpecialistID = q.Get("specialist"), id
	}
	if id, err := strconv.ParseInt(q.Get("enterprise"), 10, 64); err == nil && id > 0 {
		vq.Enterprise, f.EnterpriseID = q.Get("enterprise"), id
	}
	if k := domain.VisitKind(q.Get("kind")); k.Valid() {
		vq.Kind, f.Kind = string(k), k
	}
	if t := domain.Tier(q.Get("at_least")); t.Valid() && t != domain.TierBase {
		vq.AtLeast, f.AtLeast = string(t), t
	}
	date := func(key, label string) domain.Date {
		raw := strings.TrimSpace(q.Get(key))
		if raw == "" {
			return domain.Date{}
		}
		d, err := domain.ParseDate(raw)
		if err != nil {
			notes = append(notes, label+"“"+raw+"”不是有效日期（YYYY-MM-DD），已忽略")
		}
		return d
	}
	if from, ok := domain.ParseQuarter(q.Get("quarter")); ok {
		vq.Quarter, f.From, f.To = domain.QuarterLabel(from), from, domain.QuarterEnd(from)
		vq.From, vq.To = f.From.String(), f.To.String()
	} else {
		if f.From = date("from", "起始日期"); !f.From.IsZero() {
			vq.From = f.From.String()
		}
		if f.To = date("to", "截止日期"); !f.To.IsZero() {
			vq.To = f.To.String()
		}
		// No dates and no enterprise: this quarter, rather than sorting every visit on record.
		if q.Get("from") == "" && q.Get("to") == "" && f.EnterpriseID == 0 {
			today := s.today()
			vq.Quarter, f.From, f.To = domain.QuarterLabel(today), domain.QuarterStart(today), domain.QuarterEnd(today)
			vq.From, vq.To = f.From.String(), f.To.String()
		}
	}
	if p, err := strconv.Atoi(q.Get("page")); err == nil && p > 0 {
		f.Page = p
	}
	return vq, f, notes
}

func (s *Server) listVisits(c echo.Context) error {
	ctx := c.Request().Context()
	vq, f, notes := s.visitQuery(c)
	page, err := s.svc().Visits(ctx, f)
	if err != nil {
		return err
	}
	v := service.VisitsView{Meta: s.meta(c, "走访记录", "visits"), Query: vq, Notes: notes,
		Paging: service.Paging{Page: page.Page, Pages: page.Pages(), Total: page.Total}}
	for _, r := range page.Items {
		v.Items = append(v.Items, service.VisitItem{Visit: visitView(r.VisitRow), EnterpriseUSCC: r.EnterpriseUSCC, DistrictCode: r.DistrictCode})
	}
	u := currentUser(c)
	switch u.Role {
	case domain.RoleDistrict:
		v.Districts = []domain.District{{Code: u.DistrictCode, Name: domain.DistrictName(u.DistrictCode)}}
	case domain.RoleSpecialist:
	default:
		v.Districts = domain.Districts
	}
	if u.Role != domain.RoleSpecialist {
		if v.Specialists, err = s.svc().Specialists(ctx, vq.District); err != nil {
			return err
		}
	}
	if f.EnterpriseID != 0 {
		e, err := s.enterprises.Get(ctx, scope(c), f.EnterpriseID)
		if err != nil {
			return err
		}
		v.EnterpriseName = e.Name
	}
	for d, i := domain.QuarterStart(s.today()), 0; i < 8; d, i = domain.QuarterStart(d.AddDays(-1)), i+1 {
		v.Quarters = append(v.Quarters, domain.QuarterLabel(d))
	}
	return render(c, http.StatusOK, service.VisitsPage(v))
}

// exportVisits streams the filtered visit list (the /service/visits query, the user's scope).
func (s *Server) exportVisits(c echo.Context) error {
	_, f, _ := s.visitQuery(c)
	w, err := s.startExport(c, "走访记录", dataio.VisitHeader())
	if err != nil {
		return err
	}
	err = s.svc().EachVisit(c.Request().Context(), f, 1000, func(vs []store.VisitListRow) error {
		for _, v := range vs {
			if err := w.Row(dataio.VisitRow(v.Visit, v.EnterpriseUSCC, v.EnterpriseName, v.DistrictCode, v.SpecialistName)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return w.Close()
}
