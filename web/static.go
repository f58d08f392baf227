package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/static"
)

var staticFiles = http.StripPrefix("/static/", http.FileServer(http.FS(static.FS)))

// serveStatic serves embedded assets; versioned URLs (?v=hash) may be cached for a year.
func serveStatic(c echo.Context) error {
	name := c.Param("*")
	if strings.HasSuffix(name, "/") || name == "" || strings.HasSuffix(name, ".go") {
		return echo.ErrNotFound
	}
	if c.QueryParam("v") != "" {
		c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Response().Header().Set("Cache-Control", "public, max-age=300")
	}
	staticFiles.ServeHTTP(c.Response(), c.Request())
	return nil
}
