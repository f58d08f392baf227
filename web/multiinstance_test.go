package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/web"
)

// TestTwoInstancesSharePostgres runs two apps, each over its own store.Open handle on one
// PostgreSQL database (as two `zjtx serve` processes behind a proxy would): both start and
// migrate at once, a session made on one is honoured by the other, a write through one is
// read through the other, and a logout on one ends the session on both.
func TestTwoInstancesSharePostgres(t *testing.T) {
	dsn := storetest.PostgresURL(t) // skips without ZJTX_TEST_POSTGRES unless CI=true
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))

	dbs := make([]*store.DB, 2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range dbs {
		wg.Add(1)
		go func() { // concurrent starts: the advisory lock applies the migrations once
			defer wg.Done()
			db, err := store.Open(dsn, store.Options{Logger: quiet})
			if err == nil {
				_, err = db.Migrate(ctx)
			}
			dbs[i], errs[i] = db, err
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		t.Cleanup(func() { dbs[i].Close() })
	}
	if _, err := demo.Fill(ctx, dbs[0], demo.Options{Enterprises: 120, Seed: 3, Today: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatal(err)
	}
	if err := demo.CreateAccounts(ctx, dbs[0]); err != nil {
		t.Fatal(err)
	}
	srv := make([]*httptest.Server, 2)
	for i, db := range dbs {
		srv[i] = httptest.NewServer(web.New(web.Config{DB: db, Logger: quiet}))
		t.Cleanup(srv[i].Close)
	}
	a, b := srv[0].URL, srv[1].URL

	// One browser, two instances: the cookie jar is per host, so copy cookies across
	// as a proxy in front of both would present them.
	city := newInstanceClient(t)
	city.login(t, a, "city")
	city.share(a, b)
	if st, _ := city.get(t, b+"/enterprises"); st != http.StatusOK {
		t.Fatalf("session from instance A on instance B: status %d, want 200", st)
	}

	spec := newInstanceClient(t)
	spec.login(t, b, "specialist")
	spec.share(b, a)
	st, form := spec.get(t, a+"/service/visits/new")
	if st != http.StatusOK {
		t.Fatalf("visit form on A with B's session: %d", st)
	}
	opt := regexp.MustCompile(`<select id="enterprise_id"[^>]*>\s*(?:<option value="">[^<]*</option>\s*)?<option value="(\d+)"`).FindStringSubmatch(form)
	if opt == nil {
		t.Fatal("no enterprise offered on the visit form")
	}
	summary := "双实例测试：" + time.Now().Format("150405.000000")
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	st = spec.post(t, a+"/service/visits", url.Values{"enterprise_id": {opt[1]}, "visited_on": {today}, "kind": {"phone"}, "summary": {summary}})
	if st != http.StatusSeeOther {
		t.Fatalf("visit through A: %d, want 303", st)
	}
	if st, page := city.get(t, b+"/enterprises/"+opt[1]); st != http.StatusOK || !strings.Contains(page, summary) {
		t.Fatalf("visit written through A not shown by B (status %d)", st)
	}

	if st := city.post(t, b+"/logout", url.Values{}); st != http.StatusSeeOther {
		t.Fatalf("logout on B: %d", st)
	}
	city.share(b, a)
	if st, _ := city.get(t, a+"/enterprises"); st == http.StatusOK {
		t.Fatal("session logged out on B still works on A")
	}
}

type instClient struct {
	c    *http.Client
	csrf string
}

var csrfMeta = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

func newInstanceClient(t *testing.T) *instClient {
	jar, _ := cookiejar.New(nil)
	return &instClient{c: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (br *instClient) get(t *testing.T, u string) (int, string) {
	t.Helper()
	res, err := br.c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if m := csrfMeta.FindSubmatch(b); m != nil {
		br.csrf = string(m[1])
	}
	return res.StatusCode, string(b)
}

func (br *instClient) post(t *testing.T, u string, form url.Values) int {
	t.Helper()
	form.Set("_csrf", br.csrf)
	res, err := br.c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func (br *instClient) login(t *testing.T, base, user string) {
	t.Helper()
	if st, _ := br.get(t, base+"/login"); st != http.StatusOK {
		t.Fatalf("GET /login: %d", st)
	}
	if st := br.post(t, base+"/login", url.Values{"username": {user}, "password": {demo.Password}}); st != http.StatusSeeOther {
		t.Fatalf("login as %s: %d", user, st)
	}
	br.get(t, base+"/enterprises") // the session's own CSRF token
}

// share copies the cookies the jar holds for from to to (both httptest servers on 127.0.0.1,
// told apart by port, which cookies ignore — done explicitly so the test says it).
func (br *instClient) share(from, to string) {
	fu, _ := url.Parse(from)
	tu, _ := url.Parse(to)
	br.c.Jar.SetCookies(tu, br.c.Jar.Cookies(fu))
}
