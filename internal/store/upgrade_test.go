package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// Upgrade fixtures (issue #12): for every schema version N, a database at N holding a small
// representative row set for that version upgrades to the latest with every row intact.
// The same runs from committed SQLite files (testdata/upgrade/vNN.db.gz), built by the old
// migrations themselves; they catch an edit to an already-released migration, which
// MigrateTo alone cannot (it would rebuild the old schema from the edited file).
//
//	go test ./internal/store -run TestMakeUpgradeFixtures -update   # after adding a migration

var update = flag.Bool("update", false, "rewrite testdata/upgrade fixtures")

// seedRow is one representative row: the version whose migration created its table, the
// insert (valid from that version on), and a check that counts exactly 1 after the upgrade.
type seedRow struct {
	since  int
	insert string
	args   []any
	check  string
}

const (
	upUSCC = "91310000631696382C"
	upEnt  = "(SELECT id FROM enterprises WHERE uscc = '" + upUSCC + "')"
	upUser = "(SELECT id FROM users WHERE username = 'upgrade_admin')"
	upReq  = "(SELECT MAX(id) FROM update_requests)"
)

var seedRows = []seedRow{
	{1, `INSERT INTO enterprises (uscc, name, district_code, address, founded_on, industry_group, industry_code, main_product,
		above_scale, above_scale_since, high_tech, tier, tier_valid_until, version, created_at, updated_at)
		VALUES ('` + upUSCC + `', '升级测试精密科技有限公司', '310115', '上海市浦东新区测试路1号', '2015-03-01', 'industrial', 'C3562', '精密部件',
		TRUE, 2020, TRUE, 'specialized', '2027-12-31', 3, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM enterprises WHERE uscc = '` + upUSCC + `' AND name = '升级测试精密科技有限公司' AND district_code = '310115'
		AND founded_on = '2015-03-01' AND above_scale AND above_scale_since = 2020 AND high_tech AND tier = 'specialized'
		AND tier_valid_until = '2027-12-31' AND version = 3`},
	{1, `INSERT INTO year_figures (enterprise_id, year, employees, rd_staff, revenue, rd_expense, net_profit, version)
		VALUES (` + upEnt + `, 2024, 120, 15, 123456700, 8000000, -505000, 2)`, nil,
		`SELECT COUNT(*) FROM year_figures WHERE enterprise_id = ` + upEnt + ` AND year = 2024 AND employees = 120 AND rd_staff = 15
		AND revenue = 123456700 AND rd_expense = 8000000 AND net_profit = -505000 AND main_revenue IS NULL AND version = 2`},
	{1, `INSERT INTO tier_events (enterprise_id, kind, from_tier, to_tier, effective_on, valid_until, certificate_no, created_at)
		VALUES (` + upEnt + `, 'promotion', 'innovative', 'specialized', '2024-12-31', '2027-12-31', '沪专精2024-001', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM tier_events WHERE enterprise_id = ` + upEnt + ` AND to_tier = 'specialized' AND effective_on = '2024-12-31' AND certificate_no = '沪专精2024-001'`},
	{2, `INSERT INTO users (username, display_name, password_hash, role, district_code, created_at, updated_at)
		VALUES ('upgrade_admin', '升级管理员', '$2a$10$fixture', 'admin', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM users WHERE username = 'upgrade_admin' AND role = 'admin' AND password_hash = '$2a$10$fixture' AND NOT disabled`},
	{2, `INSERT INTO audit_log (at, actor_id, actor_name, action, entity_type, entity_id, enterprise_id, summary)
		VALUES (CURRENT_TIMESTAMP, ` + upUser + `, '升级管理员', 'create', 'enterprise', ` + upEnt + `, ` + upEnt + `, '新增企业')`, nil,
		`SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND entity_id = ` + upEnt + ` AND summary = '新增企业'`},
	{2, `INSERT INTO assignments (enterprise_id, specialist_id, assigned_at, reason)
		VALUES (` + upEnt + `, ` + upUser + `, CURRENT_TIMESTAMP, '首次分配')`, nil,
		`SELECT COUNT(*) FROM assignments WHERE enterprise_id = ` + upEnt + ` AND ended_at IS NULL AND reason = '首次分配'`},
	{4, `INSERT INTO enterprise_facts (enterprise_id, updated_at) VALUES (` + upEnt + `, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM enterprise_facts WHERE enterprise_id = ` + upEnt},
	{4, `INSERT INTO awards (enterprise_id, level, year) VALUES (` + upEnt + `, 'national', 2023)`, nil,
		`SELECT COUNT(*) FROM awards WHERE enterprise_id = ` + upEnt + ` AND level = 'national' AND year = 2023`},
	{4, `INSERT INTO dev_scores (enterprise_id, year, score) VALUES (` + upEnt + `, 2024, 88.5)`, nil,
		`SELECT COUNT(*) FROM dev_scores WHERE enterprise_id = ` + upEnt + ` AND year = 2024 AND score = 88.5`},
	{4, `INSERT INTO tier_decisions (enterprise_id, kind, outcome, from_tier, to_tier, as_of, created_at)
		VALUES (` + upEnt + `, 'promotion', 'promoted', 'innovative', 'specialized', '2024-12-31', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM tier_decisions WHERE enterprise_id = ` + upEnt + ` AND outcome = 'promoted' AND as_of = '2024-12-31'`},
	{4, `INSERT INTO tier_applications (enterprise_id, to_tier, status, created_at, updated_at)
		VALUES (` + upEnt + `, 'little_giant', 'recommended', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM tier_applications WHERE enterprise_id = ` + upEnt + ` AND to_tier = 'little_giant' AND status = 'recommended'`},
	{4, `INSERT INTO parameter_overrides (key, effective_from, value, created_at) VALUES ('sp.revenue_min', '2025-01-01', '2000', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM parameter_overrides WHERE key = 'sp.revenue_min' AND effective_from = '2025-01-01' AND value = '2000'`},
	{6, `INSERT INTO service_days (held_on, district_code, theme, created_at) VALUES ('2025-05-20', '310115', '专属服务日', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM service_days WHERE held_on = '2025-05-20' AND theme = '专属服务日'`},
	{6, `INSERT INTO visits (enterprise_id, specialist_id, visited_on, kind, created_at)
		VALUES (` + upEnt + `, ` + upUser + `, '2025-05-21', 'onsite', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM visits WHERE enterprise_id = ` + upEnt + ` AND visited_on = '2025-05-21' AND kind = 'onsite'`},
	{6, `INSERT INTO demands (enterprise_id, district_code, category, description, raised_on, due_on, status, is_open, created_at, updated_at)
		VALUES (` + upEnt + `, '310115', 'financing', '融资需求', '2025-05-21', '2025-06-21', 'open', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM demands WHERE enterprise_id = ` + upEnt + ` AND description = '融资需求' AND is_open AND due_on = '2025-06-21'`},
	{7, `INSERT INTO update_requests (enterprise_id, status, created_by, created_at, updated_at)
		VALUES (` + upEnt + `, 'draft', ` + upUser + `, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM update_requests WHERE enterprise_id = ` + upEnt + ` AND status = 'draft'`},
	{7, `INSERT INTO update_request_items (request_id, field) VALUES (` + upReq + `, 'main_product')`, nil,
		`SELECT COUNT(*) FROM update_request_items WHERE request_id = ` + upReq + ` AND field = 'main_product'`},
	{7, `INSERT INTO update_request_files (request_id, filename, content_type, size, sha256, data, created_at)
		VALUES (` + upReq + `, '证明.pdf', 'application/pdf', 13, '-', ?, CURRENT_TIMESTAMP)`, []any{[]byte("%PDF-1.4 test")},
		`SELECT COUNT(*) FROM update_request_files WHERE filename = '证明.pdf' AND size = 13`},
	{8, `INSERT INTO listing_pipelines (enterprise_id, stage, stage_since, created_at, updated_at)
		VALUES (` + upEnt + `, 'tutoring', '2025-01-10', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM listing_pipelines WHERE enterprise_id = ` + upEnt + ` AND stage = 'tutoring' AND stage_since = '2025-01-10'`},
	{8, `INSERT INTO listing_events (enterprise_id, kind, on_date, created_at) VALUES (` + upEnt + `, 'stage', '2025-01-10', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM listing_events WHERE enterprise_id = ` + upEnt + ` AND on_date = '2025-01-10'`},
	{8, `INSERT INTO listing_activities (kind, title, held_on, created_at) VALUES ('roadshow', '路演', '2025-03-03', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM listing_activities WHERE title = '路演' AND held_on = '2025-03-03'`},
	{8, `INSERT INTO listing_participants (activity_id, enterprise_id) VALUES ((SELECT MAX(id) FROM listing_activities), ` + upEnt + `)`, nil,
		`SELECT COUNT(*) FROM listing_participants WHERE enterprise_id = ` + upEnt},
	{9, `INSERT INTO benefit_grants (enterprise_id, benefit_id, award_year, status, amount, granted_on, created_at, updated_at)
		VALUES (` + upEnt + `, 'sp.award', 2025, 'paid', 300000000, '2025-07-01', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM benefit_grants WHERE enterprise_id = ` + upEnt + ` AND amount = 300000000 AND granted_on = '2025-07-01'`},
	{9, `INSERT INTO benefit_parameter_overrides (key, effective_from, value, created_at) VALUES ('sp.award.amount', '2025-01-01', '300', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM benefit_parameter_overrides WHERE key = 'sp.award.amount' AND value = '300'`},
	{10, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES (` + upUser + `, '报表脚本', 'hash-fixture', 'zjtx_ab', CURRENT_TIMESTAMP)`, nil,
		`SELECT COUNT(*) FROM api_tokens WHERE token_hash = 'hash-fixture' AND revoked_at IS NULL`},
	{10, `INSERT INTO import_mappings (user_id, header, field) VALUES (` + upUser + `, '信用代码', 'uscc')`, nil,
		`SELECT COUNT(*) FROM import_mappings WHERE header = '信用代码' AND field = 'uscc'`},
	{10, `INSERT INTO import_runs (user_id, file_name, data, created_at) VALUES (` + upUser + `, '导入.csv', ?, CURRENT_TIMESTAMP)`, []any{[]byte("统一社会信用代码\n")},
		`SELECT COUNT(*) FROM import_runs WHERE file_name = '导入.csv' AND status = 'checked'`},
}

func latestVersion(t testing.TB) int {
	t.Helper()
	ms, err := store.Migrations()
	if err != nil {
		t.Fatal(err)
	}
	return len(ms)
}

// seedAt inserts the rows valid at version n.
func seedAt(t testing.TB, db *store.DB, n int) {
	t.Helper()
	for _, r := range seedRows {
		if r.since > n {
			continue
		}
		if err := db.W.Exec(r.insert, r.args...).Error; err != nil {
			t.Fatalf("seed at v%d (table of v%d): %v\n%s", n, r.since, err, r.insert)
		}
	}
}

// checkUpgraded checks a database seeded at n and migrated to the latest version.
func checkUpgraded(t *testing.T, db *store.DB, n int) {
	t.Helper()
	ctx := context.Background()
	if v, err := db.SchemaVersion(ctx); err != nil || v != latestVersion(t) {
		t.Fatalf("schema version after upgrade = %d, %v; want %d", v, err, latestVersion(t))
	}
	for _, r := range seedRows {
		if r.since > n {
			continue
		}
		var got int64
		if err := db.W.Raw(r.check).Scan(&got).Error; err != nil || got != 1 {
			t.Errorf("from v%d: %d rows match, %v\n%s", n, got, err, r.check)
		}
	}
	if n >= 6 {
		// Migration 12 counted the open demand it found (and triggers count from then on).
		var open int64
		if err := db.W.Raw("SELECT n FROM open_demands WHERE k = 'd:310115'").Scan(&open).Error; err != nil || open != 1 {
			t.Errorf("from v%d: open demands counted %d, %v; want 1", n, open, err)
		}
		// Migration 13 wrote down the last visit it found (and triggers keep it from then on).
		var visited int64
		if err := db.W.Raw("SELECT COUNT(*) FROM enterprises WHERE id = " + upEnt + " AND last_visit_on = '2025-05-21'").Scan(&visited).Error; err != nil || visited != 1 {
			t.Errorf("from v%d: last visit not backfilled (%d rows, %v)", n, visited, err)
		}
	}
	// The application reads the old rows through its own stores.
	ents := store.NewEnterprises(db)
	e, err := ents.GetByUSCC(ctx, upUSCC)
	if err != nil || e.Name != "升级测试精密科技有限公司" || e.Tier != domain.TierSpecialized || e.Version != 3 {
		t.Fatalf("enterprise after upgrade: %+v, %v", e, err)
	}
	years, err := ents.Years(ctx, e.ID)
	if err != nil || len(years) != 1 || years[0].Revenue == nil || *years[0].Revenue != 123456700 {
		t.Fatalf("figures after upgrade: %+v, %v", years, err)
	}
	if n < 5 {
		// Migration 5 built the name index from the rows it found.
		page, err := ents.List(ctx, store.EnterpriseFilter{Scope: domain.Scope{All: true}, Query: "精密科技", PerPage: 10, Page: 1})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("name search after upgrade from v%d: %+v, %v", n, page.Items, err)
		}
	}
	// And it can still write: a new enterprise beside the old one.
	fresh := domain.Enterprise{USCC: "91310115MA1K3BTP2B", Name: "升级后新增企业", DistrictCode: "310115",
		IndustryGroup: domain.GroupIndustrial, FoundedOn: domain.MustDate("2020-01-01")}
	if err := ents.Create(ctx, store.System, &fresh); err != nil {
		t.Fatalf("create after upgrade from v%d: %v", n, err)
	}
}

func quietOpen(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(dsn, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUpgradeFromEveryVersion(t *testing.T) {
	ctx := context.Background()
	latest := latestVersion(t)
	for _, dialect := range []string{"sqlite", "postgres"} {
		t.Run(dialect, func(t *testing.T) {
			for n := 1; n <= latest; n++ {
				t.Run(fmt.Sprintf("v%d", n), func(t *testing.T) {
					dsn := filepath.Join(t.TempDir(), "old.db")
					if dialect == "postgres" {
						dsn = storetest.PostgresURL(t)
					}
					db := quietOpen(t, dsn)
					if _, err := db.MigrateTo(ctx, n); err != nil {
						t.Fatalf("migrate to v%d: %v", n, err)
					}
					seedAt(t, db, n)
					if _, err := db.Migrate(ctx); err != nil {
						t.Fatalf("upgrade from v%d: %v", n, err)
					}
					checkUpgraded(t, db, n)
				})
			}
		})
	}
}

func fixturePath(n int) string {
	return filepath.Join("testdata", "upgrade", fmt.Sprintf("v%02d.db.gz", n))
}

// TestMakeUpgradeFixtures writes testdata/upgrade/vNN.db.gz with -update: a SQLite database
// built by migrations 1..N and seeded for N. Without -update it checks every version has one.
func TestMakeUpgradeFixtures(t *testing.T) {
	latest := latestVersion(t)
	if !*update {
		for n := 1; n <= latest; n++ {
			if _, err := os.Stat(fixturePath(n)); err != nil {
				t.Errorf("no upgrade fixture for schema v%d: run go test ./internal/store -run TestMakeUpgradeFixtures -update", n)
			}
		}
		return
	}
	ctx := context.Background()
	if err := os.MkdirAll(filepath.Dir(fixturePath(1)), 0o755); err != nil {
		t.Fatal(err)
	}
	for n := 1; n <= latest; n++ {
		if _, err := os.Stat(fixturePath(n)); err == nil {
			continue // released versions are frozen: never rebuilt from (possibly edited) migrations
		}
		path := filepath.Join(t.TempDir(), "fixture.db")
		db := quietOpen(t, path)
		if _, err := db.MigrateTo(ctx, n); err != nil {
			t.Fatal(err)
		}
		seedAt(t, db, n)
		if err := db.W.Exec("VACUUM").Error; err != nil {
			t.Fatal(err)
		}
		db.Close()
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		zw.Write(raw)
		zw.Close()
		if err := os.WriteFile(fixturePath(n), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s (%d bytes, %d uncompressed)", fixturePath(n), buf.Len(), len(raw))
	}
}

// TestUpgradeFromFixtureFiles upgrades each committed SQLite file to the latest schema.
func TestUpgradeFromFixtureFiles(t *testing.T) {
	ctx := context.Background()
	for n := 1; n <= latestVersion(t); n++ {
		t.Run(fmt.Sprintf("v%d", n), func(t *testing.T) {
			gz, err := os.ReadFile(fixturePath(n))
			if err != nil {
				t.Skipf("no fixture (TestMakeUpgradeFixtures reports it): %v", err)
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			raw, err := io.ReadAll(zr)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "fixture.db")
			if err := os.WriteFile(path, raw, 0o644); err != nil {
				t.Fatal(err)
			}
			db := quietOpen(t, path)
			if v, err := db.SchemaVersion(ctx); err != nil || v != n {
				t.Fatalf("fixture %s is at v%d, %v", fixturePath(n), v, err)
			}
			if _, err := db.Migrate(ctx); err != nil {
				t.Fatalf("upgrade fixture v%d: %v", n, err)
			}
			checkUpgraded(t, db, n)
		})
	}
}
