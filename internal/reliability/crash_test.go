package reliability

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"zjtx/internal/dataio"
)

const (
	crashRounds = 20    // kills of each kind, in a row
	importRows  = 8_000 // enough that the commit transaction lasts about a second
	importBase  = 7_000_000
)

var (
	reCommitAction = regexp.MustCompile(`action="/data/import/(\d+)/commit"`)
	reDecisionNo   = regexp.MustCompile(`已记录为决定 #(\d+)`)
	reRunPage      = regexp.MustCompile(`/data/import\?run=(\d+)`)
)

// TestCrashDuringImportAndPromotion kills `zjtx serve` with SIGKILL in the middle of
// an import commit and in the middle of concurrent promotions, crashRounds times each
// over one SQLite database, and after every kill reopens the file and checks it:
// integrity_check, foreign_key_check, the import all-or-nothing (rows, audit rows and
// the import run's status agree), promotions whole (decision ⇔ tier event ⇔
// enterprise tier ⇔ audit row) and every acknowledged promotion durable; then the
// server must start again and answer /healthz.
func TestCrashDuringImportAndPromotion(t *testing.T) {
	zjtxBinary(t)
	dir := t.TempDir()
	dbPath, logPath := filepath.Join(dir, "zjtx.db"), filepath.Join(dir, "serve.log")
	runZjtx(t, "demo", "--db", dbPath, "--enterprises", "600", "--accounts")
	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 12))
	db := openSQLite(t, dbPath)
	baseDecision := count(t, db, "SELECT COALESCE(MAX(id), 0) FROM tier_decisions")
	db.Close()

	// Round 0 imports the file's enterprises and round 1 changes them all (an update of
	// every row), both without a kill; round 1 times the commit request the later rounds,
	// which change them again, are killed in.
	srv := startServer(t, dbPath, logPath)
	c := newClient(srv.URL)
	c.login(t, "city")
	ctx := context.Background()
	var commitTime, txTime time.Duration
	for round := range 2 {
		runID, err := uploadImport(ctx, c, round)
		if err != nil {
			t.Fatal(err)
		}
		probe, closeProbe := openProbe(t, dbPath)
		t0 := time.Now()
		answer := make(chan error, 1)
		go func() {
			st, body, err := c.postForm(ctx, fmt.Sprintf("/data/import/%d/commit", runID), url.Values{})
			if err == nil && st != http.StatusSeeOther {
				err = fmt.Errorf("status %d %s", st, snippet(body))
			}
			answer <- err
		}()
		held := waitForWriteTx(t, probe, answer)
		if err := <-answer; err != nil {
			t.Fatalf("round %d: import commit: %v", round, err)
		}
		commitTime, txTime = time.Since(t0), time.Since(held)
		t.Logf("round %d: import of %d rows committed in %s, its write transaction open for about %s",
			round, importRows, commitTime.Round(time.Millisecond), txTime.Round(time.Millisecond))
		srv.kill()
		closeProbe()
		checkImport(t, dbPath, round, runID, true)
		srv = startServer(t, dbPath, logPath)
		c.base = srv.URL
	}
	srv.kill()

	landed := map[string]int{}
	var promoLanded [2]int // lock free, lock held
	var acked, inflight int
	for round := 2; round < 2+crashRounds; round++ {
		// 1. Import killed at a random point of the commit request.
		srv = startServer(t, dbPath, logPath)
		c.base = srv.URL
		runID, err := uploadImport(ctx, c, round)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		// A third of the kills come at a blind random moment of the request; the others
		// wait until the transaction is open and then a random part of its usual length
		// (some of those land after the commit).
		probe, closeProbe := openProbe(t, dbPath)
		var answered atomic.Bool
		answer := make(chan error, 1)
		t0 := time.Now()
		go func() {
			st, _, err := c.postForm(ctx, fmt.Sprintf("/data/import/%d/commit", runID), url.Values{})
			answered.Store(err == nil && st == http.StatusSeeOther)
			answer <- err
		}()
		if round%3 == 0 {
			time.Sleep(time.Duration(float64(commitTime) * (0.1 + 1.2*rng.Float64())))
		} else {
			waitForWriteTx(t, probe, answer)
			time.Sleep(time.Duration(float64(txTime) * 1.2 * rng.Float64()))
		}
		delay := time.Since(t0)
		held1, err1 := writeLockHeld(ctx, probe)
		time.Sleep(20 * time.Millisecond)
		held2, err2 := writeLockHeld(ctx, probe)
		srv.kill()
		closeProbe()
		if err1 != nil || err2 != nil {
			t.Fatalf("lock probe: %v %v", err1, err2)
		}
		committed := checkImport(t, dbPath, round, runID, false)
		where := "before commit (checking the file)"
		switch {
		case committed && answered.Load():
			where = "after commit (answered)"
		case committed:
			where = "after commit (not yet answered)"
		case held1 && held2:
			where = "during commit (transaction open)"
		}
		landed[where]++
		t.Logf("round %d: import killed %s after %s: %s", round, delay.Round(time.Millisecond), "the commit request", where)

		// 2. Concurrent promotions killed at a random moment.
		srv = startServer(t, dbPath, logPath)
		c.base = srv.URL
		res := promoteUntilKilled(t, c, srv, dbPath, round, time.Duration(300+rng.IntN(1200))*time.Millisecond)
		if res.lockHeld {
			promoLanded[1]++
		} else {
			promoLanded[0]++
		}
		acked += len(res.granted) + len(res.refused)
		inflight += res.inflight
		checkPromotions(t, dbPath, baseDecision, res)
		t.Logf("round %d: promotions killed with %d in flight (write transaction open: %v); %d granted and %d refusals acknowledged before",
			round, res.inflight, res.lockHeld, len(res.granted), len(res.refused))
	}
	// The database serves after the last kill.
	srv = startServer(t, dbPath, logPath)
	c.base = srv.URL
	if st, _, err := c.get(ctx, "/enterprises"); err != nil || st != http.StatusOK {
		t.Fatalf("after the last kill: GET /enterprises %d %v", st, err)
	}
	srv.stop()
	t.Logf("import kills: %v", landed)
	t.Logf("promotion kills: %d with a write transaction open, %d between transactions; %d promotions acknowledged (all found after restart), %d in flight at the kills",
		promoLanded[1], promoLanded[0], acked, inflight)
	if landed["during commit (transaction open)"] < 3 {
		t.Errorf("only %d of %d import kills landed inside the commit transaction; the test is not testing what it claims",
			landed["during commit (transaction open)"], crashRounds)
	}
	if bad := grepFile(t, logPath, "panic", "database disk image is malformed"); len(bad) > 0 {
		t.Errorf("server log: %v", bad[:min(5, len(bad))])
	}
}

// importFile is the generated template file of round r: the same 8,000 codes every
// round, each enterprise's main product carrying the round ("R07精密部件"). (Renaming
// instead would rebuild every name's search grams: ~10 s for 8,000 rows.)
func importFile(r int) []byte {
	var buf bytes.Buffer
	if err := dataio.Generate(&buf, "csv", importRows, importBase); err != nil {
		panic(err)
	}
	return bytes.ReplaceAll(buf.Bytes(), []byte("精密部件"), []byte(product(r)))
}

func product(r int) string { return fmt.Sprintf("R%02d精密部件", r) }

func importName(r int) string { return fmt.Sprintf("crash-%02d.csv", r) }

// uploadImport uploads round r's file and returns the import run id from the dry-run
// page, following the progress page (/data/import?run=ID) when the check takes a while.
func uploadImport(ctx context.Context, c *client, r int) (int64, error) {
	st, body, err := c.postFile(ctx, "/data/import", "file", importName(r), importFile(r))
	for deadline := time.Now().Add(3 * time.Minute); err == nil && time.Now().Before(deadline); {
		if m := reCommitAction.FindSubmatch(body); m != nil && st == http.StatusOK {
			return strconv.ParseInt(string(m[1]), 10, 64)
		}
		m := reRunPage.FindSubmatch(body)
		if m == nil || (st != http.StatusOK && st != http.StatusSeeOther) {
			break
		}
		time.Sleep(200 * time.Millisecond)
		st, body, err = c.get(ctx, "/data/import?run="+string(m[1]))
	}
	return 0, fmt.Errorf("upload %s: no commit form on the dry-run page: %d %v %s", importName(r), st, err, snippet(body))
}

// checkImport reopens the database after a kill and checks round r's import is all or
// nothing; it reports whether it was committed (mustCommit fails the test otherwise).
func checkImport(t *testing.T, dbPath string, r int, runID int64, mustCommit bool) bool {
	t.Helper()
	checkSQLiteFile(t, dbPath)
	db := openSQLite(t, dbPath)
	defer db.Close()
	file := importName(r)
	const inFile = "address LIKE '上海市测试路%'" // the generated file's addresses; demo data has none
	total := count(t, db, "SELECT COUNT(*) FROM enterprises WHERE "+inFile)
	marked := count(t, db, "SELECT COUNT(*) FROM enterprises WHERE main_product = ?", product(r))
	importAudit := count(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity_type = 'import' AND summary LIKE ?", "导入文件 "+file+"：%")
	rowAudit := count(t, db, "SELECT COUNT(*) FROM audit_log WHERE entity_type = 'enterprise' AND summary LIKE ?", "%（"+file+"）%")
	var status string
	var updated, created int64
	if err := db.QueryRow("SELECT status, updated_rows, new_rows FROM import_runs WHERE id = ?", runID).Scan(&status, &updated, &created); err != nil {
		t.Fatalf("round %d: import run %d: %v", r, runID, err)
	}
	years := count(t, db, "SELECT COUNT(*) FROM year_figures WHERE enterprise_id IN (SELECT id FROM enterprises WHERE "+inFile+")")
	// Every enterprise of the file carries one round's product: the last committed round's.
	products := count(t, db, "SELECT COUNT(DISTINCT main_product) FROM enterprises WHERE "+inFile)
	committed := marked > 0
	state := fmt.Sprintf("round %d: %d of the file's %d enterprises marked, import audit %d, row audit %d, run %d status %q (new %d, updated %d), %d year rows, %d distinct products",
		r, marked, total, importAudit, rowAudit, runID, status, created, updated, years, products)
	ok := total == importRows && years == importRows && products == 1
	if committed {
		ok = ok && marked == importRows && importAudit == 1 && rowAudit == importRows && status == "committed" && created+updated == importRows
	} else {
		ok = ok && importAudit == 0 && rowAudit == 0 && status == "checked"
	}
	if !ok {
		t.Fatalf("import not all-or-nothing: %s", state)
	}
	if mustCommit && !committed {
		t.Fatalf("import was not committed: %s", state)
	}
	return committed
}

// promotion is one acknowledged promotion request.
type promotion struct {
	enterprise int64
	toTier     string
	cert       string
	decision   int64 // a recorded refusal's decision number
}

type promoResult struct {
	granted, refused []promotion
	inflight         int
	lockHeld         bool
}

var nextTier = map[string]string{"base": "innovative", "innovative": "specialized"}

// promoteUntilKilled sends promotions from 6 concurrent clients (sharing the city
// session) to enterprises one rung below their next tier, and kills the server after d.
func promoteUntilKilled(t *testing.T, c *client, srv *server, dbPath string, round int, d time.Duration) promoResult {
	t.Helper()
	probe, closeProbe := openProbe(t, dbPath)
	defer closeProbe()
	db := openSQLite(t, dbPath)
	type target struct {
		id   int64
		tier string
	}
	var targets []target
	rows, err := db.Query("SELECT id, tier FROM enterprises WHERE tier IN ('base', 'innovative') AND address NOT LIKE '上海市测试路%' ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var tg target
		rows.Scan(&tg.id, &tg.tier)
		targets = append(targets, tg)
	}
	rows.Close()
	db.Close()
	if len(targets) == 0 {
		t.Fatal("no enterprise left to promote")
	}
	var (
		mu       sync.Mutex
		res      promoResult
		inflight atomic.Int64
		stop     atomic.Bool
		wg       sync.WaitGroup
		ctx      = context.Background()
	)
	for w := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(round), uint64(w)))
			for n := 0; !stop.Load(); n++ {
				tg := targets[rng.IntN(len(targets))]
				p := promotion{enterprise: tg.id, toTier: nextTier[tg.tier], cert: fmt.Sprintf("CT%02d-%d-%d", round, w, n)}
				form := url.Values{"to_tier": {p.toTier}, "certificate_no": {p.cert}, "batch": {"崩溃测试"}}
				inflight.Add(1)
				st, body, err := c.postForm(ctx, fmt.Sprintf("/enterprises/%d/promote", tg.id), form)
				if err != nil {
					return // the kill: this request's fate is unknown, and either is consistent
				}
				inflight.Add(-1)
				mu.Lock()
				switch m := reDecisionNo.FindSubmatch(body); {
				case st == http.StatusSeeOther:
					res.granted = append(res.granted, p)
				case st == http.StatusUnprocessableEntity && m != nil:
					p.decision, _ = strconv.ParseInt(string(m[1]), 10, 64)
					res.refused = append(res.refused, p)
				case st == http.StatusUnprocessableEntity:
					// refused before any write (the ladder: another client promoted it first)
				default:
					t.Errorf("promote %d to %s: status %d %s", tg.id, p.toTier, st, snippet(body))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(d)
	held, err := writeLockHeld(ctx, probe)
	stop.Store(true)
	srv.kill()
	wg.Wait()
	if err != nil {
		t.Fatalf("lock probe: %v", err)
	}
	res.inflight, res.lockHeld = int(inflight.Load()), held
	return res
}

// checkPromotions reopens the database after a kill: every decision since the test
// began has its audit row; a granted promotion has exactly its tier event and a refusal
// none; every enterprise's tier is its latest event's; every acknowledged promotion is there.
func checkPromotions(t *testing.T, dbPath string, baseDecision int64, res promoResult) {
	t.Helper()
	checkSQLiteFile(t, dbPath)
	db := openSQLite(t, dbPath)
	defer db.Close()
	checks := []struct{ what, q string }{
		{"decisions without exactly one audit row",
			`SELECT COUNT(*) FROM tier_decisions d WHERE d.id > ? AND
			 (SELECT COUNT(*) FROM audit_log a WHERE a.entity_type = 'tier_decision' AND a.entity_id = d.id) <> 1`},
		{"granted promotions without exactly one tier event",
			`SELECT COUNT(*) FROM tier_decisions d WHERE d.id > ? AND d.kind = 'promotion' AND d.outcome = 'granted' AND
			 (SELECT COUNT(*) FROM tier_events e WHERE e.enterprise_id = d.enterprise_id AND e.reason = '决定记录 #' || d.id) <> 1`},
		{"refusals with a tier event",
			`SELECT COUNT(*) FROM tier_decisions d WHERE d.id > ? AND d.outcome <> 'granted' AND
			 EXISTS (SELECT 1 FROM tier_events e WHERE e.reason = '决定记录 #' || d.id)`},
		{"tier events naming a missing or other decision",
			`SELECT COUNT(*) FROM tier_events e WHERE e.reason LIKE '决定记录 #%' AND
			 CAST(substr(e.reason, 7) AS INTEGER) > ? AND NOT EXISTS (SELECT 1 FROM tier_decisions d
			 WHERE d.id = CAST(substr(e.reason, 7) AS INTEGER) AND d.enterprise_id = e.enterprise_id AND d.to_tier = e.to_tier)`},
		{"enterprises whose tier is not their latest tier event's",
			`SELECT COUNT(*) FROM enterprises x WHERE ? >= 0 AND x.tier <> COALESCE(
			 (SELECT e.to_tier FROM tier_events e WHERE e.enterprise_id = x.id ORDER BY e.id DESC LIMIT 1), 'base')`},
	}
	for _, ck := range checks {
		if n := count(t, db, ck.q, baseDecision); n != 0 {
			t.Fatalf("after the kill: %d %s", n, ck.what)
		}
	}
	for _, p := range res.granted {
		if count(t, db, `SELECT COUNT(*) FROM tier_decisions WHERE enterprise_id = ? AND to_tier = ? AND certificate_no = ? AND outcome = 'granted'`,
			p.enterprise, p.toTier, p.cert) != 1 {
			t.Fatalf("acknowledged promotion of %d to %s (%s) lost in the crash", p.enterprise, p.toTier, p.cert)
		}
	}
	for _, p := range res.refused {
		if count(t, db, `SELECT COUNT(*) FROM tier_decisions WHERE id = ? AND enterprise_id = ? AND outcome = 'refused'`, p.decision, p.enterprise) != 1 {
			t.Fatalf("acknowledged refusal #%d of %d lost in the crash", p.decision, p.enterprise)
		}
	}
}

// waitForWriteTx polls until a write transaction is open (the lock held at two probes
// 5 ms apart), or the request answered, and returns when it saw it first.
func waitForWriteTx(t *testing.T, probe *sql.Conn, answer <-chan error) time.Time {
	t.Helper()
	var first time.Time
	for {
		select {
		case err := <-answer:
			t.Fatalf("the import answered (%v) before its transaction was seen open", err)
		default:
		}
		held, err := writeLockHeld(context.Background(), probe)
		if err != nil {
			t.Fatalf("lock probe: %v", err)
		}
		switch {
		case held && !first.IsZero():
			return first
		case held:
			first = time.Now()
		default:
			first = time.Time{}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// snippet shortens a response body for a failure message.
func snippet(b []byte) string {
	s := string(b)
	if len(s) > 400 {
		s = s[:400] + "…"
	}
	return strings.TrimSpace(s)
}
