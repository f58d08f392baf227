package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

var importToday = domain.MustDate("2025-06-01")

// checkCSV runs the dry run of a CSV text against db as city staff.
func checkCSV(t *testing.T, db *store.DB, text string) *dataio.Plan {
	t.Helper()
	tb, err := dataio.Open("t.csv", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	defer tb.Close()
	p, err := dataio.Check(context.Background(), tb, store.NewImports(db), dataio.Options{Scope: domain.Scope{All: true}, Today: importToday})
	if err != nil {
		t.Fatal(err)
	}
	p.FileName = "t.csv"
	return p
}

func generated(t *testing.T, n, offset int) string {
	t.Helper()
	var b bytes.Buffer
	if err := dataio.Generate(&b, "csv", n, offset); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func countRows(t *testing.T, db *store.DB, query string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.W.Raw(query, args...).Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// Two commits of one import run at the same moment: exactly one applies.
func TestImportConcurrentCommitOfOneRunAppliesOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		imp := store.NewImports(db)
		text := generated(t, 300, 0)
		u := domain.User{Username: "city", DisplayName: "市级", PasswordHash: "x", Role: domain.RoleCity}
		if err := store.NewUsers(db).Create(ctx, store.System, &u); err != nil {
			t.Fatal(err)
		}
		run := store.ImportRun{UserID: u.ID, FileName: "t.csv", Data: []byte(text)}
		if err := imp.SaveRun(ctx, &run); err != nil {
			t.Fatal(err)
		}
		plans := []*dataio.Plan{checkCSV(t, db, text), checkCSV(t, db, text)}
		errs := make([]error, 2)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range plans {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				errs[i] = imp.Commit(ctx, store.System, plans[i], run.ID)
			}()
		}
		close(start)
		wg.Wait()
		ok, refused := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, store.ErrRunCommitted):
				refused++
			default:
				t.Fatalf("commit: %v", err)
			}
		}
		if ok != 1 || refused != 1 {
			t.Fatalf("%d commits applied, %d refused; want 1 and 1 (%v)", ok, refused, errs)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM enterprises"); n != 300 {
			t.Errorf("enterprises = %d", n)
		}
		if n := countRows(t, db, "SELECT COUNT(*) FROM audit_log WHERE action = 'import'"); n != 1 {
			t.Errorf("import audit rows = %d", n)
		}
		got, err := imp.Run(ctx, u.ID, run.ID)
		if err != nil || got.Status != "committed" || got.NewRows != 300 || got.CommittedAt == nil {
			t.Errorf("run after commit %+v, %v", got, err)
		}
		// And a later third attempt is refused too.
		if err := imp.Commit(ctx, store.System, checkCSV(t, db, text), run.ID); !errors.Is(err, store.ErrRunCommitted) {
			t.Errorf("third commit: %v", err)
		}
	})
}

// A commit writes the name grams of new and renamed enterprises (and drops the old
// ones), each enterprise's changes are audited, and a stale version rolls back everything.
func TestImportCommitGramsAuditAndAllOrNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		imp := store.NewImports(db)
		if err := imp.Commit(ctx, store.System, checkCSV(t, db, generated(t, 40, 0)), 0); err != nil {
			t.Fatal(err)
		}
		head := "统一社会信用代码,企业名称,年度,营业收入（万元）\n"
		renamed, other := dataio.TestUSCC(3), dataio.TestUSCC(4)
		p := checkCSV(t, db, head+string(renamed)+",浦江精密ABC机械有限公司,2024,99999\n"+string(other)+",上海测试0000004科技有限公司,2023,5\n")
		if p.Counts.Update != 2 || !p.OK() {
			t.Fatalf("counts %+v, results %+v", p.Counts, p.Results)
		}
		if err := imp.Commit(ctx, store.System, p, 0); err != nil {
			t.Fatal(err)
		}
		es := store.NewEnterprises(db)
		e, err := es.GetByUSCC(ctx, renamed)
		if err != nil || e.Name != "浦江精密ABC机械有限公司" {
			t.Fatalf("renamed %+v %v", e, err)
		}
		var grams []string
		db.W.Raw("SELECT gram FROM name_grams WHERE enterprise_id = ? ORDER BY gram", e.ID).Scan(&grams)
		want := store.NameGrams(e.Name)
		if len(grams) != len(want) || !strings.Contains(strings.Join(grams, ","), "ab") {
			t.Errorf("grams of the renamed enterprise %v, want %v", grams, want)
		}
		for _, q := range []string{"精密ab", "上海测试"} {
			page, err := es.List(ctx, store.EnterpriseFilter{Scope: domain.Scope{All: true}, Query: q, PerPage: 100})
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int{"精密ab": 1, "上海测试": 39}[q]
			if page.Total != int64(want) {
				t.Errorf("search %q finds %d, want %d", q, page.Total, want)
			}
		}
		var sums []string
		db.W.Raw("SELECT summary FROM audit_log WHERE enterprise_id = ? ORDER BY id", e.ID).Scan(&sums)
		if len(sums) != 2 || !strings.Contains(sums[0], "导入登记企业") || !strings.Contains(sums[1], "企业名称") || !strings.Contains(sums[1], "2024 年度数据") {
			t.Errorf("audit of the renamed enterprise %q", sums)
		}

		// Someone edits enterprise 5 after the check: the whole file is refused.
		stale := checkCSV(t, db, head+string(dataio.TestUSCC(6))+",新名称六,2024,99999\n"+string(dataio.TestUSCC(5))+",新名称五,2024,99999\n")
		db.W.Exec("UPDATE enterprises SET version = version + 1 WHERE uscc = ?", string(dataio.TestUSCC(5)))
		before := countRows(t, db, "SELECT COUNT(*) FROM audit_log")
		if err := imp.Commit(ctx, store.System, stale, 0); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale commit: %v", err)
		}
		if e, _ := es.GetByUSCC(ctx, dataio.TestUSCC(6)); e.Name == "新名称六" {
			t.Error("a refused commit renamed enterprise 6")
		}
		if after := countRows(t, db, "SELECT COUNT(*) FROM audit_log"); after != before {
			t.Errorf("audit rows %d → %d after a refused commit", before, after)
		}
	})
}
