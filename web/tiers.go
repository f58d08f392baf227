package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/tiers"
	"zjtx/templates/pages/enterprises"
)

// tierActions decides which tier actions a user sees for an enterprise. The service
// re-checks every rule; this only keeps pages from offering what would be refused outright.
func tierActions(u *domain.User, e domain.Enterprise, open *domain.Application) enterprises.TierActions {
	var a enterprises.TierActions
	next := e.Tier.Next()
	cityLevel := u.Role == domain.RoleAdmin || u.Role == domain.RoleCity
	a.EditFacts = staff.allows(u.Role)
	switch {
	case cityLevel && open != nil && open.Status == domain.AppMIITPending:
		a.RecordMIIT = true
	case cityLevel && next == domain.TierLittleGiant && open == nil:
		a.RecommendMIIT = true
	case cityLevel && (next == domain.TierInnovative || next == domain.TierSpecialized):
		a.Promote = true
		a.Reject = open != nil && open.Status == domain.AppDistrictRecommended
	case u.Role == domain.RoleDistrict && open == nil && (next == domain.TierInnovative || next == domain.TierSpecialized):
		a.Recommend = true
	}
	if cityLevel && e.Tier != domain.TierBase {
		a.Renew = true
	}
	a.Revoke = u.Role == domain.RoleAdmin && e.Tier != domain.TierBase
	return a
}

func tierFormFrom(c echo.Context) enterprises.TierForm {
	return enterprises.TierForm{
		CertificateNo: strings.TrimSpace(c.FormValue("certificate_no")), Batch: strings.TrimSpace(c.FormValue("batch")),
		CertifiedOn: strings.TrimSpace(c.FormValue("certified_on")), Note: strings.TrimSpace(c.FormValue("note")),
		Reason: strings.TrimSpace(c.FormValue("reason")), Evidence: strings.TrimSpace(c.FormValue("evidence")),
		Granted: c.FormValue("granted"),
	}
}

// tierOutcome turns a service result into a response: a form error or refusal re-renders
// the enterprise page with the message and the failing criteria; success redirects.
func (s *Server) tierOutcome(c echo.Context, id int64, f enterprises.TierForm, err error, okMsg string) error {
	ev := enterprises.EligibilityView{Form: f, Errors: domain.FieldErrors{}}
	var fe *tiers.FormError
	switch r, refused := tiers.IsRefusal(err); {
	case err == nil:
		setFlash(c, "ok", okMsg)
		return redirect(c, enterprisePath(id)+"#eligibility")
	case errors.As(err, &fe):
		ev.Errors = fe.Fields
		ev.Refusal = "请补全表单后再提交。"
		return s.renderEnterprise(c, http.StatusUnprocessableEntity, id, ev)
	case refused:
		ev.Refusal = r.Message
		if r.Decision != nil && r.Decision.ID != 0 {
			ev.Refusal += fmt.Sprintf("（已记录为决定 #%d）", r.Decision.ID)
		}
		return s.renderEnterprise(c, http.StatusUnprocessableEntity, id, ev)
	default:
		return err
	}
}

func (s *Server) promoteEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	f := tierFormFrom(c)
	req := tiers.PromoteRequest{EnterpriseID: id, ToTier: domain.Tier(c.FormValue("to_tier")), AsOf: s.today(),
		CertificateNo: f.CertificateNo, Batch: f.Batch}
	if f.CertifiedOn != "" {
		d, perr := domain.ParseDate(f.CertifiedOn)
		if perr != nil {
			return s.tierOutcome(c, id, f, &tiers.FormError{Fields: domain.FieldErrors{"certified_on": perr.Error()}}, "")
		}
		req.CertifiedOn = d
	}
	d, err := s.tiers.Promote(c.Request().Context(), s.actor(c), scope(c), req)
	return s.tierOutcome(c, id, f, err, fmt.Sprintf("已认定为%s，有效期至 %s（决定 #%d）", d.ToTier.Label(), d.ValidUntil, d.ID))
}

func (s *Server) recommendEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	f := tierFormFrom(c)
	to := domain.Tier(c.FormValue("to_tier"))
	// District officers make the 区级初审 of the two city-certified rungs; the city recommends 小巨人 to MIIT.
	if u := currentUser(c); (u.Role == domain.RoleDistrict) == (to == domain.TierLittleGiant) {
		return s.tierOutcome(c, id, f, &tiers.Refusal{Message: "区级负责创新型、专精特新中小企业的初审推荐；“小巨人”由市级推荐至工业和信息化部，市级认定的层级请直接认定"}, "")
	}
	d, err := s.tiers.Recommend(c.Request().Context(), s.actor(c), scope(c), id, to, s.today(), f.Note)
	return s.tierOutcome(c, id, f, err, fmt.Sprintf("已推荐认定%s（决定 #%d）", to.Label(), d.ID))
}

func (s *Server) rejectApplication(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	f := tierFormFrom(c)
	err = s.tiers.RejectApplication(c.Request().Context(), s.actor(c), scope(c), id, f.Reason)
	return s.tierOutcome(c, id, f, err, "已退回区级推荐")
}

func (s *Server) recordMIITResult(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	f := tierFormFrom(c)
	res := tiers.MIITResult{Granted: f.Granted != "no", CertificateNo: f.CertificateNo, Batch: f.Batch, Reason: f.Reason}
	if f.CertifiedOn != "" {
		d, perr := domain.ParseDate(f.CertifiedOn)
		if perr != nil {
			return s.tierOutcome(c, id, f, &tiers.FormError{Fields: domain.FieldErrors{"certified_on": perr.Error()}}, "")
		}
		res.CertifiedOn = d
	}
	d, err := s.tiers.RecordMIITResult(c.Request().Context(), s.actor(c), scope(c), id, s.today(), res)
	return s.tierOutcome(c, id, f, err, fmt.Sprintf("已录入工信部认定结果：%s（决定 #%d）", d.Outcome.Label(), d.ID))
}

func (s *Server) renewEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	d, err := s.tiers.Renew(c.Request().Context(), s.actor(c), scope(c), id, s.today())
	return s.tierOutcome(c, id, enterprises.TierForm{}, err, fmt.Sprintf("复核通过，有效期延至 %s（决定 #%d）", d.ValidUntil, d.ID))
}

func (s *Server) revokeEnterprise(c echo.Context) error {
	id, err := enterpriseID(c)
	if err != nil {
		return err
	}
	f := tierFormFrom(c)
	d, err := s.tiers.Revoke(c.Request().Context(), s.actor(c), scope(c), id,
		tiers.RevokeRequest{Reason: domain.RevocationReason(f.Reason), Evidence: f.Evidence, AsOf: s.today()})
	return s.tierOutcome(c, id, f, err, fmt.Sprintf("已撤销称号（决定 #%d）", d.ID))
}
