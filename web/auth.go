package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/layout"
)

const (
	sessionCookie = "zjtx_session"
	preCSRFCookie = "zjtx_csrf" // double-submit token for forms shown before login

	sessionIdle     = 2 * time.Hour  // logged out after this long without a request
	sessionLifetime = 12 * time.Hour // and after this long in any case
	touchEvery      = time.Minute    // last_seen_at is written at most this often

	throttleWindow   = 15 * time.Minute
	maxFailsPerIP    = 20 // failures from one address, any usernames
	maxFailsUserAtIP = 5  // failures for one username from one address
)

// currentUser is the logged-in user, or nil on public pages.
func currentUser(c echo.Context) *domain.User {
	u, _ := c.Get("user").(*domain.User)
	return u
}

func currentSession(c echo.Context) *store.Session {
	s, _ := c.Get("session").(*store.Session)
	return s
}

// actor is the audit identity of the request.
func (s *Server) actor(c echo.Context) store.Actor {
	a := store.Actor{RequestID: c.Response().Header().Get(echo.HeaderXRequestID), IP: c.RealIP()}
	if u := currentUser(c); u != nil {
		a.UserID, a.Name = u.ID, u.Name()
	}
	return a
}

// scope is the current user's row scope; nobody logged in sees nothing.
func scope(c echo.Context) domain.Scope {
	if u := currentUser(c); u != nil {
		return u.Scope()
	}
	return domain.Scope{None: true}
}

// loadSession attaches the session's user to the request when the cookie names a live session.
func (s *Server) loadSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		p := c.Request().URL.Path
		if strings.HasPrefix(p, "/static/") || p == "/healthz" {
			return next(c)
		}
		if tok := bearerToken(c); tok != "" && strings.HasPrefix(p, "/api/") {
			// A personal API token acts as its user, with the user's role and row scope.
			u, err := store.NewTokens(s.db).UserByToken(c.Request().Context(), auth.HashToken(tok), s.now())
			switch {
			case errors.Is(err, store.ErrNotFound):
				return writeAPIError(c, http.StatusUnauthorized, apiError{Code: "invalid_token", Message: "API 令牌无效或已吊销"})
			case err != nil:
				return err
			}
			c.Set("user", &u)
			return next(c)
		}
		ck, err := c.Cookie(sessionCookie)
		if err != nil || ck.Value == "" {
			return next(c)
		}
		now := s.now()
		ctx := c.Request().Context()
		sess, u, err := s.users.SessionUser(ctx, auth.HashToken(ck.Value), now, sessionIdle)
		switch {
		case errors.Is(err, store.ErrNotFound):
			s.clearSessionCookie(c)
			return next(c)
		case err != nil:
			return err
		}
		if now.Sub(sess.LastSeenAt) > touchEvery {
			// Not worth failing the request over; the next one tries again.
			_ = s.users.TouchSession(context.WithoutCancel(ctx), sess.ID, now)
		}
		c.Set("user", &u)
		c.Set("session", &sess)
		return next(c)
	}
}

// gate enforces a route's access rule before its handler runs.
func (s *Server) gate(a access, h echo.HandlerFunc) echo.HandlerFunc {
	if a.public {
		return h
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			if c.Request().Method == http.MethodGet && !strings.HasPrefix(c.Request().URL.Path, "/api/") {
				return c.Redirect(http.StatusSeeOther, "/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
			}
			return echo.NewHTTPError(http.StatusUnauthorized, "请先登录")
		}
		if u.MustChangePassword && c.Path() != "/account/password" && c.Path() != "/logout" {
			if c.Request().Method == http.MethodGet {
				setFlash(c, "warn", "请先设置新密码")
				return c.Redirect(http.StatusSeeOther, "/account/password")
			}
			return echo.NewHTTPError(http.StatusForbidden, "请先设置新密码")
		}
		if !a.allows(u.Role) {
			return echo.ErrForbidden
		}
		return h(c)
	}
}

// csrf refuses a state-changing request whose token does not match the session's
// (or, before login, the double-submit cookie's).
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if strings.HasPrefix(c.Request().URL.Path, "/api/") && (c.Request().Header.Get("Authorization") != "" || currentSession(c) == nil) {
			// Bearer tokens are not sent by browsers on their own, and without a session
			// there is nothing to forge: the route's login check answers 401.
			return next(c)
		}
		sent := c.Request().Header.Get("X-CSRF-Token")
		if sent == "" {
			sent = c.FormValue("_csrf")
		}
		want := ""
		if sess := currentSession(c); sess != nil {
			want = sess.CSRFToken
		} else if ck, err := c.Cookie(preCSRFCookie); err == nil {
			want = ck.Value
		}
		if want == "" || !auth.Equal(sent, want) {
			return echo.NewHTTPError(http.StatusForbidden, "页面已过期或请求来源不可信，请刷新页面后重试。")
		}
		return next(c)
	}
}

// securityHeaders sets a strict policy: no inline script, no framing.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
			"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		if s.secureCookies(c) {
			h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
		}
		return next(c)
	}
}

// secureCookies reports whether the request came over TLS, directly or (when the
// proxy is trusted) as X-Forwarded-Proto says.
func (s *Server) secureCookies(c echo.Context) bool {
	return c.IsTLS() || s.trustProxy && c.Request().Header.Get(echo.HeaderXForwardedProto) == "https"
}

// csrfToken is the token forms on this page must carry.
func (s *Server) csrfToken(c echo.Context) string {
	if sess := currentSession(c); sess != nil {
		return sess.CSRFToken
	}
	if ck, err := c.Cookie(preCSRFCookie); err == nil && len(ck.Value) >= 32 {
		return ck.Value
	}
	if t, ok := c.Get("preCSRF").(string); ok {
		return t
	}
	t := auth.NewToken()
	c.Set("preCSRF", t)
	c.SetCookie(&http.Cookie{Name: preCSRFCookie, Value: t, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
	return t
}

func (s *Server) setSessionCookie(c echo.Context, token string) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c), MaxAge: int(sessionLifetime.Seconds())})
}

func (s *Server) clearSessionCookie(c echo.Context) {
	c.SetCookie(&http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true, MaxAge: -1,
		SameSite: http.SameSiteLaxMode, Secure: s.secureCookies(c)})
}

// navFor is the side navigation a role sees.
func navFor(u *domain.User) []layout.NavItem {
	if u == nil {
		return []layout.NavItem{{Section: "login", Label: "登录", Href: "/login"}}
	}
	items := make([]layout.NavItem, 0, 26) // room for the longest (admin) navigation: one allocation per page
	switch u.Role {
	case domain.RoleAdmin, domain.RoleCity:
		items = append(items,
			layout.NavItem{Section: "enterprises", Label: "企业名录", Href: "/enterprises", Group: "梯度培育"},
			layout.NavItem{Section: "enterprise-new", Label: "新增企业", Href: "/enterprises/new"})
	case domain.RoleDistrict:
		items = append(items,
			layout.NavItem{Section: "enterprises", Label: "本区企业", Href: "/enterprises", Group: domain.DistrictName(u.DistrictCode)},
			layout.NavItem{Section: "enterprise-new", Label: "新增企业", Href: "/enterprises/new"})
	case domain.RoleSpecialist:
		items = append(items,
			layout.NavItem{Section: "service-home", Label: "我的工作台", Href: "/service/home", Group: "服务专员"},
			layout.NavItem{Section: "enterprises", Label: "我服务的企业", Href: "/enterprises"},
			layout.NavItem{Section: "visit-new", Label: "记录走访", Href: "/service/visits/new"},
			layout.NavItem{Section: "service-days", Label: "专属服务日", Href: "/service/days"})
	case domain.RoleEnterprise:
		if u.EnterpriseID != nil {
			items = append(items,
				layout.NavItem{Section: "portal", Label: "企业首页", Href: "/portal", Group: "企业服务"},
				layout.NavItem{Section: "requests", Label: "变更申请", Href: "/portal/requests"},
				layout.NavItem{Section: "enterprises", Label: "本企业", Href: enterprisePath(*u.EnterpriseID)})
		}
	}
	if staff.allows(u.Role) {
		items = append(items, layout.NavItem{Section: "dashboard", Label: "数据看板", Href: "/dashboard", Group: "统计评价"})
		if cityLevel.allows(u.Role) {
			items = append(items, layout.NavItem{Section: "evaluation", Label: "区级评价", Href: "/dashboard/evaluation"})
		}
	}
	if staff.allows(u.Role) {
		items = append(items,
			layout.NavItem{Section: "applications", Label: "认定推荐队列", Href: "/tiers/applications", Group: "梯度认定"},
			layout.NavItem{Section: "candidates", Label: "晋级候选", Href: "/tiers/candidates"},
			layout.NavItem{Section: "review", Label: "到期复核", Href: "/tiers/review"},
			layout.NavItem{Section: "review-requests", Label: "变更审核", Href: "/review", Group: "企业报送"},
			layout.NavItem{Section: "annual", Label: "年报未报", Href: "/review/annual"})
	}
	if staff.allows(u.Role) {
		items = append(items,
			layout.NavItem{Section: "demands", Label: "诉求看板", Href: "/service/demands", Group: "一企一专员"},
			layout.NavItem{Section: "coverage", Label: "走访覆盖", Href: "/service/coverage"},
			layout.NavItem{Section: "unassigned", Label: "待分配专员", Href: "/service/unassigned"},
			layout.NavItem{Section: "service-days", Label: "专属服务日", Href: "/service/days"})
	}
	if staff.allows(u.Role) {
		items = append(items,
			layout.NavItem{Section: "listing", Label: "上市培育看板", Href: "/listing", Group: "上市培育"},
			layout.NavItem{Section: "listing-activities", Label: "路演与培训", Href: "/listing/activities"})
	}
	if readers.allows(u.Role) {
		items = append(items, layout.NavItem{Section: "benefits", Label: "免申即享名单", Href: "/benefits", Group: "政策匹配"})
		if calcUsers.allows(u.Role) {
			items = append(items, layout.NavItem{Section: "benefits-calc", Label: "补贴测算", Href: "/benefits/calculator"})
		}
	} else if u.Role == domain.RoleEnterprise && u.EnterpriseID != nil {
		items = append(items,
			layout.NavItem{Section: "benefits-mine", Label: "可享政策", Href: enterprisePath(*u.EnterpriseID) + "/benefits", Group: "政策匹配"},
			layout.NavItem{Section: "benefits-calc", Label: "补贴测算", Href: "/benefits/calculator"})
	}
	if u.Role == domain.RoleAdmin {
		items = append(items,
			layout.NavItem{Section: "users", Label: "用户管理", Href: "/admin/users", Group: "系统管理"},
			layout.NavItem{Section: "audit", Label: "审计日志", Href: "/admin/audit"},
			layout.NavItem{Section: "params", Label: "规则参数", Href: "/admin/parameters"},
			layout.NavItem{Section: "portal-fields", Label: "企业免审字段", Href: "/admin/portal-fields"},
			layout.NavItem{Section: "benefit-params", Label: "政策匹配参数", Href: "/admin/benefit-parameters"})
	}
	if staff.allows(u.Role) {
		items = append(items, layout.NavItem{Section: "import", Label: "数据导入", Href: "/data/import", Group: "数据"})
	}
	items = append(items, layout.NavItem{Section: "password", Label: "修改密码", Href: "/account/password", Group: "账户"},
		layout.NavItem{Section: "tokens", Label: "API 令牌", Href: "/account/tokens"})
	return items
}
