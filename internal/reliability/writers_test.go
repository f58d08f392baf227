package reliability

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// TestConcurrentWritersSQLite: 50 clients log visits (each with a demand) and correct
// yearly figures for 60 s against `zjtx serve` on a SQLite file. Every request must
// succeed (a 409 on the figures is counted apart: none is expected, each client edits
// its own enterprise), every acknowledged write must be in the database afterwards, and
// the server log must not mention "database is locked". Halfway through, `zjtx backup`
// copies the live database and `zjtx restore` puts the copy in a new file, which must
// hold every write acknowledged before the backup began, pass integrity_check, and serve.
func TestConcurrentWritersSQLite(t *testing.T) {
	zjtxBinary(t)
	dir := t.TempDir()
	dbPath, logPath := filepath.Join(dir, "zjtx.db"), filepath.Join(dir, "serve.log")
	runZjtx(t, "demo", "--db", dbPath, "--enterprises", "1000", "--accounts")
	var bk *backupResult
	runWriters(t, dbPath, logPath, 60*time.Second, func(acked func() *ackLog) {
		bk = backupRestore(t, dbPath, filepath.Join(dir, "backup.db"), filepath.Join(dir, "restored.db"), acked)
	})
	// The restored copy serves (started after the load, so it does not compete with it).
	srv := startServer(t, bk.restored, filepath.Join(dir, "restored.log"))
	c := newClient(srv.URL)
	c.login(t, "city")
	if st, _, err := c.get(context.Background(), "/enterprises"); err != nil || st != http.StatusOK {
		t.Fatalf("restored database: GET /enterprises %d %v", st, err)
	}
	srv.stop()
	t.Logf("backup: %s while writers committed; the restored copy holds all %d visits and %d figure corrections acknowledged before it began, passes integrity_check and serves",
		bk.took.Round(time.Millisecond), bk.visits, bk.figures)
}

// TestConcurrentWritersPostgres runs the same workload for 15 s against PostgreSQL
// (a scratch database; skipped without ZJTX_TEST_POSTGRES, except in CI).
func TestConcurrentWritersPostgres(t *testing.T) {
	zjtxBinary(t)
	dsn := storetest.PostgresURL(t)
	runZjtx(t, "demo", "--db", dsn, "--enterprises", "1000", "--accounts")
	runWriters(t, dsn, filepath.Join(t.TempDir(), "serve.log"), 15*time.Second, nil)
}

const writerClients = 50

// ackLog is what the server acknowledged: visit summaries, and per figures row the
// corrections (net profit values, in order) on top of the row's version at the start.
type ackLog struct {
	visits  []string
	figures map[yearKey][]string
	start   map[yearKey]int64
}

type yearKey struct {
	enterprise int64
	year       string
}

func (a *ackLog) clone() *ackLog {
	c := &ackLog{visits: slices.Clone(a.visits), figures: map[yearKey][]string{}, start: a.start}
	for k, v := range a.figures {
		c.figures[k] = slices.Clone(v)
	}
	return c
}

var reVisitTargets = regexp.MustCompile(`(?s)<select id="enterprise_id"[^>]*>(.*?)</select>`)
var reOption = regexp.MustCompile(`<option value="(\d+)"`)

// runWriters runs the 50-client workload for d against a fresh server on dsn, calls
// during (if not nil) once halfway with a snapshot function of the acknowledged writes,
// and then checks every acknowledged write is stored.
func runWriters(t *testing.T, dsn, logPath string, d time.Duration, during func(acked func() *ackLog)) {
	t.Helper()
	db, err := store.Open(dsn, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	srv := startServer(t, dsn, logPath)
	ctx := context.Background()
	city, spec := newClient(srv.URL), newClient(srv.URL)
	city.login(t, "city")
	spec.login(t, "specialist")
	_, body, err := spec.get(ctx, "/service/visits/new")
	if err != nil {
		t.Fatal(err)
	}
	var visitTo []string
	if sel := reVisitTargets.FindSubmatch(body); sel != nil {
		for _, o := range reOption.FindAllSubmatch(sel[1], -1) {
			visitTo = append(visitTo, string(o[1]))
		}
	}
	// Each client corrects one figures row of its own enterprise.
	var rows []struct {
		EnterpriseID int64
		Year         int
		Version      int64
	}
	if err := db.R.Raw(`SELECT enterprise_id, MAX(year) AS year, 0 AS version FROM year_figures GROUP BY enterprise_id ORDER BY enterprise_id LIMIT ?`, writerClients).
		Scan(&rows).Error; err != nil || len(rows) < writerClients || len(visitTo) == 0 {
		t.Fatalf("workload targets: %d figures rows, %d visit targets, %v", len(rows), len(visitTo), err)
	}
	startVersion := map[yearKey]int64{}
	for _, r := range rows {
		var v int64
		db.R.Raw("SELECT version FROM year_figures WHERE enterprise_id = ? AND year = ?", r.EnterpriseID, r.Year).Scan(&v)
		startVersion[yearKey{r.EnterpriseID, strconv.Itoa(r.Year)}] = v
	}

	var (
		mu        sync.Mutex
		acked     = &ackLog{figures: map[yearKey][]string{}, start: startVersion}
		failures  []string
		conflicts int
		lat       = map[string][]time.Duration{}
		wg        sync.WaitGroup
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 2000 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	runCtx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	start := time.Now()
	for i := range writerClients {
		key := yearKey{rows[i].EnterpriseID, strconv.Itoa(rows[i].Year)}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; runCtx.Err() == nil; n++ {
				// A visit with one demand: two audited inserts in one transaction.
				summary := fmt.Sprintf("并发写入测试 c%02d-%d：电话回访经营情况", i, n)
				t0 := time.Now()
				st, body, err := spec.postForm(ctx, "/service/visits", url.Values{
					"enterprise_id": {visitTo[(i+n)%len(visitTo)]}, "visited_on": {today}, "kind": {"phone"},
					"participants": {"负责人"}, "summary": {summary},
					"demand_category": {"finance"}, "demand_description": {summary + "：流动资金贷款"}, "demand_department": {""},
				})
				if err != nil || st != http.StatusSeeOther {
					fail("visit c%02d-%d: %d %v %s", i, n, st, err, snippet(body))
				} else {
					mu.Lock()
					acked.visits = append(acked.visits, summary)
					lat["visit"] = append(lat["visit"], time.Since(t0))
					mu.Unlock()
				}
				// A correction of this client's figures: read the form (with its version), change net profit, save.
				t0 = time.Now()
				profit := fmt.Sprintf("%d.%04d", 100+i, n%10000) // 万元 to the 元
				st, err = correctFigures(ctx, city, key, profit)
				switch {
				case err != nil:
					fail("figures c%02d-%d: %v", i, n, err)
				case st == http.StatusConflict:
					mu.Lock()
					conflicts++
					mu.Unlock()
				default:
					mu.Lock()
					acked.figures[key] = append(acked.figures[key], profit)
					lat["figures"] = append(lat["figures"], time.Since(t0))
					mu.Unlock()
				}
			}
		}()
	}
	if during != nil {
		time.Sleep(d / 2)
		during(func() *ackLog { mu.Lock(); defer mu.Unlock(); return acked.clone() })
	}
	wg.Wait()
	elapsed := time.Since(start)
	srv.stop()

	nFig := 0
	for _, v := range acked.figures {
		nFig += len(v)
	}
	t.Logf("%d clients for %s: %d visits (each with a demand) and %d figure corrections acknowledged, %.1f writes/s; %d conflicts (409), %d failures",
		writerClients, elapsed.Round(time.Second), len(acked.visits), nFig, float64(len(acked.visits)+nFig)/elapsed.Seconds(), conflicts, len(failures))
	for _, k := range []string{"visit", "figures"} {
		ds := lat[k]
		slices.Sort(ds)
		if len(ds) > 0 {
			t.Logf("%s latency: p50 %s, p99 %s, max %s", k, pct(ds, 50), pct(ds, 99), ds[len(ds)-1])
		}
	}
	if len(failures) > 0 {
		t.Errorf("%d failed requests, e.g.:\n%s", len(failures), strings.Join(failures[:min(10, len(failures))], "\n"))
	}
	checkAcked(t, db, acked, true)
	if bad := grepFile(t, logPath, "database is locked", "SQLITE_BUSY", `"status":500`); len(bad) > 0 {
		t.Errorf("server log has %d lines about locking or 500s, e.g. %s", len(bad), bad[0])
	}
}

// correctFigures reads the edit form of one figures row and saves it with a new net profit.
// It returns 303 or 409; anything else is an error.
func correctFigures(ctx context.Context, c *client, k yearKey, profit string) (int, error) {
	path := fmt.Sprintf("/enterprises/%d/years/%s", k.enterprise, k.year)
	st, body, err := c.get(ctx, path+"/edit")
	if err != nil || st != http.StatusOK {
		return st, fmt.Errorf("GET %s/edit: %d %v", path, st, err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return st, err
	}
	form := url.Values{}
	doc.Find(`form[action="` + path + `"] input`).Each(func(_ int, s *goquery.Selection) {
		if name, ok := s.Attr("name"); ok {
			form.Set(name, s.AttrOr("value", ""))
		}
	})
	if form.Get("version") == "" {
		return st, fmt.Errorf("GET %s/edit: no version in the form", path)
	}
	form.Set("net_profit", profit)
	st, body, err = c.postForm(ctx, path, form)
	if err != nil || (st != http.StatusSeeOther && st != http.StatusConflict) {
		return st, fmt.Errorf("POST %s: %d %v %s", path, st, err, snippet(body))
	}
	return st, nil
}

// checkAcked checks every acknowledged visit is stored once (with its demand) and each
// figures row moved by at least its acknowledged corrections; exact also requires
// nothing more and the last acknowledged value (a copy taken mid-run may hold more).
func checkAcked(t *testing.T, db *store.DB, a *ackLog, exact bool) {
	t.Helper()
	var stored []string
	if err := db.R.Raw("SELECT summary FROM visits WHERE summary LIKE ?", "并发写入测试 %").Scan(&stored).Error; err != nil {
		t.Fatal(err)
	}
	var demands int64
	db.R.Raw("SELECT COUNT(*) FROM demands WHERE description LIKE ?", "并发写入测试 %").Scan(&demands)
	have := map[string]int{}
	for _, s := range stored {
		have[s]++
	}
	lost := 0
	for _, s := range a.visits {
		if have[s] != 1 {
			lost++
		}
	}
	if lost > 0 || (exact && (len(stored) != len(a.visits) || demands != int64(len(a.visits)))) {
		t.Errorf("visits: %d acknowledged, %d stored, %d demands stored, %d acknowledged missing", len(a.visits), len(stored), demands, lost)
	}
	for k, vals := range a.figures {
		var row struct {
			Version   int64
			NetProfit *int64
		}
		db.R.Raw("SELECT version, net_profit FROM year_figures WHERE enterprise_id = ? AND year = ?", k.enterprise, k.year).Scan(&row)
		want := a.start[k] + int64(len(vals))
		if row.Version < want || (exact && row.Version != want) {
			t.Errorf("figures %d/%s: version %d, want %d (start %d + %d acknowledged corrections)", k.enterprise, k.year, row.Version, want, a.start[k], len(vals))
		}
		last, _ := domain.ParseWan(vals[len(vals)-1])
		if exact && (row.NetProfit == nil || *row.NetProfit != int64(last)) {
			t.Errorf("figures %d/%s: net profit %v, want the last acknowledged %s 万元", k.enterprise, k.year, row.NetProfit, vals[len(vals)-1])
		}
	}
}

type backupResult struct {
	restored        string
	took            time.Duration
	visits, figures int
}

// backupRestore snapshots the acknowledged writes, runs `zjtx backup` on the live
// database and `zjtx restore` into a new file, and checks the copy holds the snapshot.
func backupRestore(t *testing.T, dbPath, backupPath, restoredPath string, acked func() *ackLog) *backupResult {
	t.Helper()
	before := acked()
	t0 := time.Now()
	out := runZjtx(t, "backup", "--db", dbPath, backupPath)
	took := time.Since(t0)
	t.Logf("zjtx backup under load: %s(%s)", strings.TrimSpace(out), took.Round(time.Millisecond))
	runZjtx(t, "restore", "--db", restoredPath, backupPath)
	checkSQLiteFile(t, restoredPath)
	rdb, err := store.Open(restoredPath, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	checkAcked(t, rdb, before, false)
	n := 0
	for _, v := range before.figures {
		n += len(v)
	}
	return &backupResult{restored: restoredPath, took: took, visits: len(before.visits), figures: n}
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := max((len(sorted)*p+99)/100, 1)
	return sorted[i-1].Round(time.Millisecond)
}
