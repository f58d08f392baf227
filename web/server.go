// Package web is the HTTP side of zjtx: routes, middleware, handlers and rendering.
// Handlers are thin: read the request, call a store or the domain, render or redirect.
package web

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"zjtx/internal/domain"
	"zjtx/internal/metrics"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
)

// Config is what the web app needs from its caller.
type Config struct {
	DB     *store.DB
	Logger *slog.Logger
	Now    func() time.Time // nil means time.Now; tests pin it
	Demo   bool             // show the demo accounts on the login page
	// TrustProxy takes the client address from X-Forwarded-For (set only behind a
	// reverse proxy that overwrites it; otherwise clients could forge their address
	// and escape login throttling).
	TrustProxy bool
	// Metrics, when set, counts and times every request by echo route path and status.
	Metrics *metrics.Metrics
}

// Server holds the handlers' dependencies.
type Server struct {
	db          *store.DB
	enterprises *store.Enterprises
	users       *store.Users
	audit       *store.AuditLog
	decisions   *store.Decisions
	tiers       *tiers.Service
	log         *slog.Logger
	now         func() time.Time
	demo        bool
	trustProxy  bool
}

// shanghai is the zone every "today" is taken in; time/tzdata is embedded by main.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// New builds the echo app with every route registered.
func New(cfg Config) *echo.Echo {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	s := &Server{db: cfg.DB, enterprises: store.NewEnterprises(cfg.DB), users: store.NewUsers(cfg.DB),
		audit: store.NewAuditLog(cfg.DB), decisions: store.NewDecisions(cfg.DB), tiers: tiers.New(cfg.DB), log: cfg.Logger, now: cfg.Now, demo: cfg.Demo, trustProxy: cfg.TrustProxy}

	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = s.handleError
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	e.Pre(middleware.RemoveTrailingSlashWithConfig(middleware.TrailingSlashConfig{RedirectCode: http.StatusMovedPermanently}))
	e.Use(middleware.RequestID())
	if cfg.Metrics != nil {
		e.Use(cfg.Metrics.Middleware)
	}
	e.Use(s.requestLog)
	e.Use(middleware.Recover())
	e.Use(s.securityHeaders)
	// Import uploads alone may be large. The limit is set here, not on the route, because
	// the CSRF check reads the form before any route middleware runs.
	isUpload := func(c echo.Context) bool {
		return c.Request().Method == http.MethodPost && c.Request().URL.Path == importUploadPath
	}
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "4M", Skipper: isUpload}))
	e.Use(middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: fmt.Sprintf("%dM", importMaxMB+1),
		Skipper: func(c echo.Context) bool { return !isUpload(c) }}))
	e.Use(s.loadSession)
	e.Use(s.csrf)
	e.Use(s.invalidateDashboards)
	for _, r := range s.routes() {
		e.Add(r.Method, r.Path, s.gate(r.Access, r.Handler)).Name = r.Name
	}
	return e
}

// today is the current date in Shanghai.
func (s *Server) today() domain.Date { return domain.DateOf(s.now().In(shanghai)) }

// requestLog writes one structured line per request.
func (s *Server) requestLog(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		// The id also reaches the store's slow-query and SQL-error log lines.
		if id := c.Response().Header().Get(echo.HeaderXRequestID); id != "" {
			c.SetRequest(c.Request().WithContext(store.WithRequestID(c.Request().Context(), id)))
		}
		err := next(c)
		if err != nil {
			c.Error(err) // write the response now so the status below is the real one
		}
		req, res := c.Request(), c.Response()
		level := slog.LevelInfo
		if res.Status >= 500 {
			level = slog.LevelError
		}
		s.log.LogAttrs(req.Context(), level, "request",
			slog.String("id", res.Header().Get(echo.HeaderXRequestID)),
			slog.String("method", req.Method), slog.String("path", req.URL.Path),
			slog.Int("status", res.Status), slog.Duration("took", time.Since(start)),
			slog.String("remote", c.RealIP()))
		return nil
	}
}

// RouteInfo describes one route for tests and documentation.
type RouteInfo struct {
	Method, Path, Name string
	Public             bool
	Roles              []domain.Role // nil: any logged-in user (unless Public)
}

// Allows reports whether role may call the route.
func (r RouteInfo) Allows(role domain.Role) bool {
	return access{public: r.Public, roles: r.Roles}.allows(role)
}

// Routes lists the route table.
func Routes() []RouteInfo {
	var out []RouteInfo
	for _, r := range (&Server{}).routes() {
		out = append(out, RouteInfo{Method: r.Method, Path: r.Path, Name: r.Name, Public: r.Access.public, Roles: r.Access.roles})
	}
	return out
}
