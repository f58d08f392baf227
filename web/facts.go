package web

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/enterprises"
)

// factSheets is the fact-sheet store (a stateless wrapper around the DB).
func (s *Server) factSheets() *store.Facts { return store.NewFacts(s.db) }

func (s *Server) renderFactsForm(c echo.Context, status int, e domain.Enterprise, f forms.Facts, saved bool) error {
	v := enterprises.FactsFormView{
		Meta: s.meta(c, "资格评估资料", "enterprises", crumbEnterprises,
			layout.Crumb{Label: e.Name, Href: enterprisePath(e.ID)}),
		Enterprise: e, Form: f, Saved: saved,
	}
	return render(c, status, enterprises.FactsFormPage(v))
}

func (s *Server) editFacts(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	sheet, err := s.factSheets().Get(c.Request().Context(), e.ID)
	if err != nil {
		return err
	}
	f := forms.FactsFromDomain(sheet.Facts, sheet.Awards, sheet.DevScores, s.today())
	return s.renderFactsForm(c, http.StatusOK, e, f, sheet.Facts.EnterpriseID != 0)
}

func (s *Server) updateFacts(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f := forms.FactsFromValues(vals)
	if f.Version == "" {
		f.Errors.Add("version", "表单缺少版本号，请刷新后重试")
	}
	x := domain.EnterpriseFacts{EnterpriseID: e.ID}
	awards, scores, ok := f.Apply(&x, s.today())
	saved := f.Version != "" && f.Version != "0"
	if !ok {
		return s.renderFactsForm(c, http.StatusUnprocessableEntity, e, f, saved)
	}
	err = s.factSheets().SaveFacts(c.Request().Context(), s.actor(c), store.FactSheet{Facts: x, Awards: awards, DevScores: scores})
	if errors.Is(err, store.ErrStale) {
		f.Errors.Add("version", "保存失败：该企业的资格评估资料已被他人修改，请刷新页面查看最新资料后再修改。")
		return s.renderFactsForm(c, http.StatusConflict, e, f, true)
	}
	if err != nil {
		return err
	}
	setFlash(c, "ok", "已保存资格评估资料")
	return redirect(c, fmt.Sprintf("/enterprises/%d", e.ID))
}
