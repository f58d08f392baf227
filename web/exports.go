package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
)

// exportFormat is "csv" or "xlsx", from the route path's extension.
func exportFormat(c echo.Context) string {
	if strings.HasSuffix(c.Path(), ".xlsx") {
		return "xlsx"
	}
	return "csv"
}

// setDownload starts a file download: content type and a (UTF-8) file name.
func setDownload(c echo.Context, format, name string) {
	h := c.Response().Header()
	if format == "xlsx" {
		h.Set(echo.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	} else {
		h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	}
	file := name + "." + format
	ascii := "export." + format
	if isPlainASCII(file) {
		ascii = file
	}
	h.Set(echo.HeaderContentDisposition, `attachment; filename="`+ascii+`"; filename*=UTF-8''`+url.PathEscape(file))
	h.Set("Cache-Control", "no-store")
}

// startExport starts streaming a download of name in the route's format (.csv or .xlsx)
// with the given header row; rows follow with Row, then Close.
func (s *Server) startExport(c echo.Context, name string, header []string) (dataio.Writer, error) {
	format := exportFormat(c)
	setDownload(c, format, name+"-"+s.today().String())
	c.Response().WriteHeader(http.StatusOK)
	return dataio.NewWriter(c.Response(), format, header)
}

// exportEnterprises streams the filtered list (the /enterprises query, the user's scope)
// with every profile column.
func (s *Server) exportEnterprises(c echo.Context) error {
	_, sf := listFilter(c)
	w, err := s.startExport(c, "企业名录", dataio.EnterpriseHeader())
	if err != nil {
		return err
	}
	err = s.enterprises.Each(c.Request().Context(), sf, 1000, func(es []domain.Enterprise) error {
		for _, e := range es {
			if err := w.Row(dataio.EnterpriseRow(e)); err != nil {
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

// exportFigures streams the yearly figures of the filtered enterprises, one row per year,
// amounts in 万元; the file re-imports as is.
func (s *Server) exportFigures(c echo.Context) error {
	_, sf := listFilter(c)
	w, err := s.startExport(c, "年度数据", dataio.FiguresHeader())
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = s.enterprises.Each(ctx, sf, 1000, func(es []domain.Enterprise) error {
		ids := make([]int64, len(es))
		for i, e := range es {
			ids[i] = e.ID
		}
		years, err := s.enterprises.YearsFor(ctx, ids)
		if err != nil {
			return err
		}
		for _, e := range es {
			for _, y := range years[e.ID] {
				if err := w.Row(dataio.FiguresRow(e, y)); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return w.Close()
}

// exportDemands streams the demand board under its filters (/service/demands), page by page.
func (s *Server) exportDemands(c echo.Context) error {
	_, bf := s.boardQuery(c)
	w, err := s.startExport(c, "企业诉求", []string{"编号", "企业名称", "所在区", "诉求类别", "诉求内容",
		"承办部门", "提出日期", "办理时限", "状态", "办理结果", "满意度", "办结日期"})
	if err != nil {
		return err
	}
	bf.PerPage = 200
	for bf.Page = 1; ; bf.Page++ {
		page, err := s.svc().Board(c.Request().Context(), bf)
		if err != nil {
			return err
		}
		for _, d := range page.Items {
			if err := w.Row([]any{d.ID, d.EnterpriseName, domain.DistrictName(d.DistrictCode), d.Category.Label(), d.Description,
				d.Department, d.RaisedOn.String(), d.DueOn.String(), d.Status.Label(), d.Resolution, d.Satisfaction.Label(), d.ClosedOn.String()}); err != nil {
				return err
			}
		}
		if bf.Page >= page.Pages() {
			break
		}
	}
	return w.Close()
}

// exportPipeline streams the 上市培育 table under its filters (/listing/table), page by page.
func (s *Server) exportPipeline(c echo.Context) error {
	_, sf := s.listingFilter(c, c.QueryParams())
	w, err := s.startExport(c, "上市培育库", []string{"统一社会信用代码", "企业名称", "所在区", "梯度层级", "培育阶段",
		"进入阶段日期", "目标板块", "保荐机构", "律师事务所", "会计师事务所", "计划申报日期", "入库日期", "公司形式", "股改计划完成日期"})
	if err != nil {
		return err
	}
	sf.PerPage = 1000
	for sf.Page = 1; ; sf.Page++ {
		page, err := s.listing().Table(c.Request().Context(), sf)
		if err != nil {
			return err
		}
		for _, r := range page.Items {
			if err := w.Row([]any{r.USCC, r.Name, domain.DistrictName(r.DistrictCode), r.Tier.Label(), r.Stage.Label(),
				r.StageSince.String(), r.TargetBoard.Label(), r.Sponsor, r.LawFirm, r.Auditor, r.PlannedFilingOn.String(),
				r.PoolEnteredOn.String(), r.CompanyForm.Label(), r.RestructureBy.String()}); err != nil {
				return err
			}
		}
		if sf.Page >= page.Pages() {
			break
		}
	}
	return w.Close()
}

// isPlainASCII: safe in a quoted filename as is.
func isPlainASCII(s string) bool {
	for _, r := range s {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return false
		}
	}
	return true
}
