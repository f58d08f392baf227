package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/labstack/echo/v4"
	"gorm.io/gorm"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/web"
)

// fixedNow is the instant every handler test runs at.
var fixedNow = time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)

const testPassword = "correct-horse-42"

type testApp struct {
	t       *testing.T
	e       *echo.Echo
	db      *store.DB
	*client // logged in as an admin, for tests about pages rather than permissions
}

// client is one browser: its cookies and the CSRF token of its session.
type client struct {
	a       *testApp
	cookies map[string]*http.Cookie
	csrf    string
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	db := storetest.SQLite(t)
	e := web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return fixedNow }})
	a := &testApp{t: t, e: e, db: db}
	a.client = a.as(a.user("admin", domain.RoleAdmin, "", nil))
	return a
}

// user creates an account with testPassword.
func (a *testApp) user(username string, role domain.Role, district string, enterpriseID *int64) domain.User {
	a.t.Helper()
	hash, err := auth.HashPassword(testPassword)
	if err != nil {
		a.t.Fatal(err)
	}
	u := domain.User{Username: username, DisplayName: username, PasswordHash: hash, Role: role, DistrictCode: district, EnterpriseID: enterpriseID}
	if err := store.NewUsers(a.db).Create(context.Background(), store.System, &u); err != nil {
		a.t.Fatalf("create user: %v", err)
	}
	return u
}

// anon is a client with no session.
func (a *testApp) anon() *client { return &client{a: a, cookies: map[string]*http.Cookie{}} }

// as logs in through the real login form and returns the logged-in client.
func (a *testApp) as(u domain.User) *client {
	a.t.Helper()
	c := a.anon()
	r := c.get("/login")
	wantStatus(a.t, r, http.StatusOK)
	c.csrf = inputValue(r, "_csrf")
	r = c.post("/login", url.Values{"username": {u.Username}, "password": {testPassword}})
	if r.Code != http.StatusSeeOther {
		a.t.Fatalf("login as %s: status %d", u.Username, r.Code)
	}
	r = c.get("/account/password")
	tok, ok := r.doc.Find(`meta[name="csrf-token"]`).Attr("content")
	if !ok {
		a.t.Fatal("no CSRF token after login")
	}
	c.csrf = tok
	return c
}

type response struct {
	*httptest.ResponseRecorder
	doc *goquery.Document
}

func (c *client) do(req *http.Request) response {
	c.a.t.Helper()
	for _, ck := range c.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	c.a.e.ServeHTTP(rec, req)
	for _, ck := range rec.Result().Cookies() {
		if ck.MaxAge < 0 {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	r := response{ResponseRecorder: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
		if err != nil {
			c.a.t.Fatalf("parse HTML: %v", err)
		}
		r.doc = doc
	}
	return r
}

func (c *client) get(path string) response {
	c.a.t.Helper()
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// post submits a form with this client's CSRF token, as the browser would.
func (c *client) post(path string, form url.Values) response {
	c.a.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if form.Get("_csrf") == "" && c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// seed stores an enterprise directly, for tests that need one to exist.
func (a *testApp) seed(code, name, district string) domain.Enterprise {
	a.t.Helper()
	e := domain.Enterprise{USCC: domain.USCC(code), Name: name, DistrictCode: district,
		IndustryGroup: domain.GroupIndustrial, FoundedOn: domain.MustDate("2012-03-04")}
	if err := store.NewEnterprises(a.db).Create(context.Background(), store.System, &e); err != nil {
		a.t.Fatalf("seed: %v", err)
	}
	return e
}

func wantStatus(t *testing.T, r response, want int) {
	t.Helper()
	if r.Code != want {
		t.Fatalf("status = %d, want %d; body:\n%s", r.Code, want, truncate(r.Body.String(), 2000))
	}
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// fieldError returns the message shown next to a form field.
func fieldError(r response, field string) string {
	return strings.TrimSpace(r.doc.Find(`[data-testid="error-` + field + `"]`).Text())
}

// inputValue returns the value the form shows for a field.
func inputValue(r response, name string) string {
	v, _ := r.doc.Find(`[name="` + name + `"]`).Attr("value")
	return v
}

func httptestRequest(method, path string) *http.Request {
	return httptest.NewRequest(method, path, nil)
}

var all = domain.Scope{All: true}

func ioNopCloser(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

type gormDB = gorm.DB
