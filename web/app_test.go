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

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/web"
)

// fixedNow is the date every handler test runs on.
var fixedNow = time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)

type testApp struct {
	t  *testing.T
	e  *echo.Echo
	db *store.DB
}

func newTestApp(t *testing.T) *testApp {
	t.Helper()
	db := storetest.SQLite(t)
	e := web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: func() time.Time { return fixedNow }})
	return &testApp{t: t, e: e, db: db}
}

type response struct {
	*httptest.ResponseRecorder
	doc *goquery.Document
}

func (a *testApp) do(req *http.Request) response {
	a.t.Helper()
	rec := httptest.NewRecorder()
	a.e.ServeHTTP(rec, req)
	r := response{ResponseRecorder: rec}
	if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(rec.Body.String()))
		if err != nil {
			a.t.Fatalf("parse HTML: %v", err)
		}
		r.doc = doc
	}
	return r
}

func (a *testApp) get(path string) response {
	a.t.Helper()
	return a.do(httptest.NewRequest(http.MethodGet, path, nil))
}

func (a *testApp) post(path string, form url.Values) response {
	a.t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return a.do(req)
}

// seed stores an enterprise directly, for tests that need one to exist.
func (a *testApp) seed(code, name, district string) domain.Enterprise {
	a.t.Helper()
	e := domain.Enterprise{USCC: domain.USCC(code), Name: name, DistrictCode: district,
		IndustryGroup: domain.GroupIndustrial, FoundedOn: domain.MustDate("2012-03-04")}
	if err := store.NewEnterprises(a.db).Create(context.Background(), &e); err != nil {
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
