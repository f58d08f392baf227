package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// route is one entry of the app's single route table.
type route struct {
	Method  string
	Path    string
	Name    string
	Handler echo.HandlerFunc
}

// routes is the whole URL space: GET showX / POST createX, updateX.
func (s *Server) routes() []route {
	return []route{
		{http.MethodGet, "/healthz", "healthz", s.healthz},
		{http.MethodGet, "/static/*", "static", serveStatic},
		{http.MethodGet, "/", "home", s.home},

		{http.MethodGet, "/enterprises", "enterprises.list", s.listEnterprises},
		{http.MethodGet, "/enterprises/new", "enterprises.new", s.newEnterprise},
		{http.MethodPost, "/enterprises", "enterprises.create", s.createEnterprise},
		{http.MethodGet, "/enterprises/:id", "enterprises.show", s.showEnterprise},
		{http.MethodGet, "/enterprises/:id/edit", "enterprises.edit", s.editEnterprise},
		{http.MethodPost, "/enterprises/:id", "enterprises.update", s.updateEnterprise},

		{http.MethodGet, "/enterprises/:id/years/new", "years.new", s.newYear},
		{http.MethodPost, "/enterprises/:id/years", "years.create", s.createYear},
		{http.MethodGet, "/enterprises/:id/years/:year/edit", "years.edit", s.editYear},
		{http.MethodPost, "/enterprises/:id/years/:year", "years.update", s.updateYear},
	}
}

func (s *Server) healthz(c echo.Context) error {
	if err := s.db.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable")
	}
	return c.String(http.StatusOK, "ok")
}

func (s *Server) home(c echo.Context) error {
	return c.Redirect(http.StatusSeeOther, "/enterprises")
}
