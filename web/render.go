package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/templates/layout"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes comp after rendering it whole into a buffer, so a template
// error becomes a clean 500 instead of half a page.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	// The length is known: one write with Content-Length instead of chunked framing.
	c.Response().Header().Set(echo.HeaderContentLength, strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}

// isHTMX reports whether htmx asked for the fragment with id target.
func isHTMX(c echo.Context, target string) bool {
	h := c.Request().Header
	return h.Get("HX-Request") == "true" && h.Get("HX-Target") == target
}

// redirect answers a successful POST: 303 for browsers, HX-Redirect for htmx.
func redirect(c echo.Context, url string) error {
	if c.Request().Header.Get("HX-Request") == "true" {
		c.Response().Header().Set("HX-Redirect", url)
		return c.NoContent(http.StatusNoContent)
	}
	return c.Redirect(http.StatusSeeOther, url)
}

const flashCookie = "zjtx_flash"

// setFlash leaves a message for the next page the user sees.
func setFlash(c echo.Context, kind, text string) {
	b, _ := json.Marshal(layout.Flash{Kind: kind, Text: text})
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
		HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// takeFlash reads and clears the pending message.
func takeFlash(c echo.Context) *layout.Flash {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, Expires: time.Unix(0, 0)})
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil {
		return nil
	}
	var f layout.Flash
	if json.Unmarshal(b, &f) != nil || f.Text == "" {
		return nil
	}
	switch f.Kind {
	case "ok", "warn", "bad":
	default:
		f.Kind = "ok"
	}
	return &f
}

// meta starts the layout data for a page.
func (s *Server) meta(c echo.Context, title, section string, crumbs ...layout.Crumb) layout.Meta {
	m := layout.Meta{Title: title, Section: section, Crumbs: crumbs, Flash: takeFlash(c), CSRFToken: s.csrfToken(c)}
	u := currentUser(c)
	m.Nav = navFor(u)
	if u != nil {
		m.UserName, m.RoleLabel = u.Name(), u.Role.Label()
		if u.Role == domain.RoleEnterprise {
			m.Crumbs = nil // an enterprise account has no list to go back to
		}
	}
	return m
}
