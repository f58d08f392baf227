package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/enterprises"
)

func (s *Server) renderYearForm(c echo.Context, status int, e domain.Enterprise, f forms.Year, isNew bool) error {
	title := "新增年度数据"
	action := fmt.Sprintf("/enterprises/%d/years", e.ID)
	if !isNew {
		title = "更正 " + f.Year + " 年度数据"
		action = fmt.Sprintf("/enterprises/%d/years/%s", e.ID, f.Year)
	}
	v := enterprises.YearFormView{
		Meta: s.meta(c, title, "enterprises", crumbEnterprises,
			layout.Crumb{Label: e.Name, Href: fmt.Sprintf("/enterprises/%d", e.ID)}),
		Enterprise: e, Form: f, Action: action, IsNew: isNew,
	}
	return render(c, status, enterprises.YearFormPage(v))
}

func (s *Server) loadEnterprise(c echo.Context) (domain.Enterprise, error) {
	id, err := enterpriseID(c)
	if err != nil {
		return domain.Enterprise{}, err
	}
	return s.enterprises.Get(c.Request().Context(), scope(c), id)
}

func (s *Server) newYear(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	f := forms.Year{Year: strconv.Itoa(s.today().Year() - 1), Values: map[string]string{}, Errors: forms.Errors{}}
	return s.renderYearForm(c, http.StatusOK, e, f, true)
}

func (s *Server) createYear(c echo.Context) error {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f := forms.YearFromValues(vals)
	f.Version = ""
	y := domain.YearFigures{EnterpriseID: e.ID}
	if !f.Apply(&y, s.today()) {
		return s.renderYearForm(c, http.StatusUnprocessableEntity, e, f, true)
	}
	if err := s.enterprises.SaveYear(c.Request().Context(), s.actor(c), &y); err != nil {
		if errors.Is(err, store.ErrConflict) {
			f.Errors.Add("year", "该年度数据已存在，请在年度表中点击“更正”")
			return s.renderYearForm(c, http.StatusUnprocessableEntity, e, f, true)
		}
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("已保存 %d 年度数据", y.Year))
	return redirect(c, fmt.Sprintf("/enterprises/%d", e.ID))
}

func (s *Server) loadYear(c echo.Context) (domain.Enterprise, domain.YearFigures, error) {
	e, err := s.loadEnterprise(c)
	if err != nil {
		return e, domain.YearFigures{}, err
	}
	year, err := strconv.Atoi(c.Param("year"))
	if err != nil {
		return e, domain.YearFigures{}, store.ErrNotFound
	}
	y, err := s.enterprises.Year(c.Request().Context(), e.ID, year)
	return e, y, err
}

func (s *Server) editYear(c echo.Context) error {
	e, y, err := s.loadYear(c)
	if err != nil {
		return err
	}
	return s.renderYearForm(c, http.StatusOK, e, forms.YearFromDomain(y), false)
}

func (s *Server) updateYear(c echo.Context) error {
	e, stored, err := s.loadYear(c)
	if err != nil {
		return err
	}
	vals, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "表单格式有误")
	}
	f := forms.YearFromValues(vals)
	f.Year = strconv.Itoa(stored.Year) // the year itself is the key, not editable
	if f.Version == "" {
		f.Errors.Add("version", "表单缺少版本号，请刷新后重试")
	}
	y := domain.YearFigures{ID: stored.ID, EnterpriseID: e.ID}
	if !f.Apply(&y, s.today()) {
		return s.renderYearForm(c, http.StatusUnprocessableEntity, e, f, false)
	}
	if err := s.enterprises.SaveYear(c.Request().Context(), s.actor(c), &y); err != nil {
		if errors.Is(err, store.ErrStale) {
			f.Errors.Add("version", "保存失败：该年度数据已被他人更正，请刷新页面查看最新数据后再修改。")
			return s.renderYearForm(c, http.StatusConflict, e, f, false)
		}
		return err
	}
	setFlash(c, "ok", fmt.Sprintf("已更正 %d 年度数据", y.Year))
	return redirect(c, fmt.Sprintf("/enterprises/%d", e.ID))
}
