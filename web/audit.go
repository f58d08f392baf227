package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"zjtx/internal/store"
	"zjtx/templates/components"
	"zjtx/templates/pages/admin"
)

// auditRows converts store rows for the templates.
func auditRows(rows []store.AuditEntry) []components.AuditRow {
	out := make([]components.AuditRow, len(rows))
	for i, r := range rows {
		ar := components.AuditRow{At: r.At, Actor: r.ActorName, Action: r.Action, EntityType: r.EntityType,
			Summary: r.Summary, RequestID: r.RequestID}
		for _, ch := range r.ChangeList() {
			ar.Changes = append(ar.Changes, components.AuditChange{Field: ch.Field, Before: ch.Before, After: ch.After})
		}
		out[i] = ar
	}
	return out
}

func (s *Server) listAudit(c echo.Context) error {
	q := c.QueryParams()
	f := store.AuditFilter{EntityType: q.Get("entity"), Action: q.Get("action"), PerPage: 100}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	if id, err := strconv.ParseInt(q.Get("enterprise"), 10, 64); err == nil {
		f.EnterpriseID = id
	}
	if id, err := strconv.ParseInt(q.Get("actor"), 10, 64); err == nil {
		f.ActorID = id
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("from"), shanghai); err == nil {
		f.From = d
	}
	if d, err := time.ParseInLocation("2006-01-02", q.Get("to"), shanghai); err == nil {
		f.To = d.AddDate(0, 0, 1)
	}
	rows, total, err := s.audit.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	v := admin.AuditView{Meta: s.meta(c, "审计日志", "audit"), Rows: auditRows(rows), Total: total, Page: f.Page,
		Pages: int((total + 99) / 100), Query: q}
	return render(c, http.StatusOK, admin.AuditPage(v))
}
