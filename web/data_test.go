package web_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// importFile uploads a file to the import form and follows a long check to its result.
func (c *client) importFile(filename string, body []byte) response {
	c.a.t.Helper()
	r, _ := c.followRun(c.upload("/data/import", "", filename, body))
	return r
}

func (a *testApp) enterpriseCount() int64 {
	var n int64
	a.db.W.Raw("SELECT COUNT(*) FROM enterprises").Scan(&n)
	return n
}

// commitPath is the commit form's action on a dry-run page.
func commitPath(t *testing.T, r response) string {
	t.Helper()
	p, ok := r.doc.Find(`[data-testid="commit-form"]`).Attr("action")
	if !ok {
		t.Fatalf("no commit form; body %s", truncate(r.Body.String(), 3000))
	}
	return p
}

const importHead = "统一社会信用代码,企业名称,所在区,划型行业,年度,营业收入（万元）\n"

func TestImportDryRunListsBadRowsAndRefusesCommit(t *testing.T) {
	a := newTestApp(t)
	before := a.enterpriseCount()
	file := importHead +
		string(dataio.TestUSCC(1)) + ",好企业,浦东新区,工业,2025,1200\n" +
		"91310115XXXXXXXXXX,坏代码企业,浦东新区,工业,2025,100\n" +
		string(dataio.TestUSCC(2)) + ",坏区企业,火星区,工业,2025,abc\n"
	r := a.importFile("企业.csv", []byte(file))
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find(`[data-testid="import-counts"]`).Text(); !strings.Contains(got, "共 3 行") || !strings.Contains(got, "错误 2") {
		t.Errorf("counts = %q", got)
	}
	if r.doc.Find(`[data-testid="commit-form"]`).Length() != 0 || r.doc.Find(`[data-testid="commit-refused"]`).Length() != 1 {
		t.Error("a file with errors offers a commit")
	}
	row := r.doc.Find(`[data-testid="import-row"][data-line="4"]`)
	if row.Find(`[data-testid="row-status"]`).Text() != "错误" {
		t.Fatalf("line 4 status %q", row.Find(`[data-testid="row-status"]`).Text())
	}
	errs := row.Find(`[data-testid="row-error"]`)
	var cols []string
	errs.Each(func(_ int, s *goquery.Selection) { cols = append(cols, s.AttrOr("data-column", "")) })
	if !strings.Contains(errs.Text(), "火星区") || !strings.Contains(strings.Join(cols, ","), "所在区") || !strings.Contains(strings.Join(cols, ","), "营业收入（万元）") {
		t.Errorf("line 4 errors %v: %q", cols, errs.Text())
	}
	if got := r.doc.Find(`[data-testid="import-row"][data-line="3"] [data-testid="row-error"]`).AttrOr("data-column", ""); got != "统一社会信用代码" {
		t.Errorf("line 3 error column %q", got)
	}
	if got := r.doc.Find(`[data-testid="import-row"][data-line="2"] [data-testid="row-status"]`).Text(); got != "新增" {
		t.Errorf("line 2 status %q", got)
	}
	// Commit anyway: refused, nothing written.
	var run int64
	a.db.W.Raw("SELECT MAX(id) FROM import_runs").Scan(&run)
	r = a.post(fmt.Sprintf("/data/import/%d/commit", run), nil)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if a.enterpriseCount() != before {
		t.Error("a refused import wrote enterprises")
	}
	var audits int64
	a.db.W.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'import'").Scan(&audits)
	if audits != 0 {
		t.Error("a refused import was audited as done")
	}
}

func TestImportCommitsGoodFile(t *testing.T) {
	a := newTestApp(t)
	old := a.seed(string(dataio.TestUSCC(7)), "旧名称", "310115")
	file := importHead +
		string(dataio.TestUSCC(1)) + ",新企业甲,浦东新区,工业,2025,1200\n" +
		string(old.USCC) + ",新名称,浦东新区,工业,2025,800.5\n"
	r := a.importFile("good.csv", []byte(file))
	wantStatus(t, r, http.StatusOK)
	r = a.post(commitPath(t, r), nil)
	wantStatus(t, r, http.StatusSeeOther)
	e, err := store.NewEnterprises(a.db).GetByUSCC(context.Background(), dataio.TestUSCC(1))
	if err != nil || e.Name != "新企业甲" || e.DistrictCode != "310115" {
		t.Fatalf("imported enterprise %+v, %v", e, err)
	}
	y, err := store.NewEnterprises(a.db).Year(context.Background(), old.ID, 2025)
	if err != nil || y.Revenue == nil || *y.Revenue != domain.Wan(800)+domain.Money(domain.FenPerWan/2) {
		t.Fatalf("imported year %+v, %v", y, err)
	}
	var summary string
	a.db.W.Raw("SELECT summary FROM audit_log WHERE action = 'import'").Scan(&summary)
	if !strings.Contains(summary, "good.csv") || !strings.Contains(summary, "新增 1") || !strings.Contains(summary, "更新 1") {
		t.Errorf("audit summary %q", summary)
	}
	r = a.get("/data/import")
	if !strings.Contains(r.Body.String(), "已导入 good.csv") {
		t.Error("no flash after the commit")
	}
	// The same run cannot be committed twice.
	var run int64
	a.db.W.Raw("SELECT MAX(id) FROM import_runs").Scan(&run)
	wantStatus(t, a.post(fmt.Sprintf("/data/import/%d/commit", run), nil), http.StatusConflict)
}

func TestImportDistrictOfficerOnlyOwnDistrict(t *testing.T) {
	a := newTestApp(t)
	other := a.seed("9131012056010553X5", "徐汇企业", "310104")
	pd := a.as(a.user("pudong", domain.RoleDistrict, "310115", nil))
	file := importHead +
		string(dataio.TestUSCC(1)) + ",浦东新企业,浦东新区,工业,2025,100\n" +
		string(dataio.TestUSCC(2)) + ",徐汇新企业,徐汇区,工业,2025,100\n" +
		string(other.USCC) + ",徐汇企业改名,浦东新区,工业,2025,100\n"
	r := pd.importFile("pd.csv", []byte(file))
	wantStatus(t, r, http.StatusOK)
	for _, line := range []string{"3", "4"} {
		row := r.doc.Find(`[data-testid="import-row"][data-line="` + line + `"]`)
		if !strings.Contains(row.Find(`[data-testid="row-error"]`).Text(), "管辖范围") {
			t.Errorf("line %s: %q", line, row.Text())
		}
	}
	if r.doc.Find(`[data-testid="commit-form"]`).Length() != 0 {
		t.Error("commit offered for out-of-scope rows")
	}
	// Another officer's run is not theirs to commit.
	adm := a.importFile("ok.csv", []byte(importHead+string(dataio.TestUSCC(3))+",甲,浦东新区,工业,2025,1\n"))
	wantStatus(t, pd.post(commitPath(t, adm), nil), http.StatusNotFound)
}

func TestImportColumnMappingIsRemembered(t *testing.T) {
	a := newTestApp(t)
	file := "编号,企业名称,所在区,划型行业\n" + string(dataio.TestUSCC(1)) + ",甲,浦东新区,工业\n"
	r := a.importFile("odd.csv", []byte(file))
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.doc.Find(`[data-testid="import-error"]`).Text(), "统一社会信用代码") || r.doc.Find(`[data-testid="mapping-form"]`).Length() != 1 {
		t.Fatalf("no mapping form for a file without a USCC column: %s", truncate(r.Body.String(), 2000))
	}
	action := r.doc.Find(`[data-testid="mapping-form"]`).AttrOr("action", "")
	wantStatus(t, a.post(action, url.Values{"col0": {"name"}, "col1": {"name"}}), http.StatusUnprocessableEntity)
	r = a.post(action, url.Values{"col0": {"uscc"}, "col1": {"name"}, "col2": {"district"}, "col3": {"industry_group"}})
	wantStatus(t, r, http.StatusOK)
	commitPath(t, r)
	// Next time the same header maps by itself.
	r = a.importFile("odd2.csv", []byte(file))
	wantStatus(t, r, http.StatusOK)
	commitPath(t, r)
}

// TestImportLargeUpload: the upload route alone takes files over the global 4 MB body limit.
func TestImportLargeUpload(t *testing.T) {
	a := newTestApp(t)
	var buf bytes.Buffer
	if err := dataio.Generate(&buf, "csv", 30000, 1); err != nil {
		t.Fatal(err)
	}
	if buf.Len() < 5<<20 {
		t.Fatalf("generated only %d bytes", buf.Len())
	}
	r := a.importFile("big.csv", buf.Bytes())
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find(`[data-testid="import-counts"]`).Text(); !strings.Contains(got, "共 30000 行") || !strings.Contains(got, "错误 0") {
		t.Errorf("counts %q", got)
	}
	if n := r.doc.Find(`[data-testid="import-row"]`).Length(); n != 1000 {
		t.Errorf("%d rows listed, want the first 1000", n)
	}
	// Other routes keep the 4 MB limit.
	wantStatus(t, a.post("/account/tokens", url.Values{"name": {strings.Repeat("x", 5<<20)}}), http.StatusRequestEntityTooLarge)
}

func TestImportTemplateDownload(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/data/import/template.xlsx")
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) != 1 || rows[0][0] != "统一社会信用代码" || rows[0][1] != "企业名称" {
		t.Fatalf("template rows %v, %v", rows, err)
	}
	r = a.get("/data/import/template.csv")
	wantStatus(t, r, http.StatusOK)
	if !strings.HasPrefix(r.Body.String(), "\ufeff统一社会信用代码,企业名称,所在区") {
		t.Errorf("csv template %q", truncate(r.Body.String(), 100))
	}
	if !strings.Contains(r.Header().Get("Content-Disposition"), "attachment") {
		t.Error("template is not a download")
	}
}

func TestExportScopeHeadersAndReimport(t *testing.T) {
	a := newTestApp(t)
	own := a.seed(string(dataio.TestUSCC(1)), "浦东导出企业", "310115")
	a.seed(string(dataio.TestUSCC(2)), "徐汇导出企业", "310104")
	rev := domain.Wan(1234)
	y := domain.YearFigures{EnterpriseID: own.ID, Year: 2025, Revenue: &rev}
	if err := store.NewEnterprises(a.db).SaveYear(context.Background(), store.System, &y); err != nil {
		t.Fatal(err)
	}
	pd := a.as(a.user("pudong", domain.RoleDistrict, "310115", nil))
	r := pd.get("/enterprises/export.csv")
	wantStatus(t, r, http.StatusOK)
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != 2 || recs[0][0] != "统一社会信用代码" || recs[1][1] != "浦东导出企业" || recs[1][2] != "浦东新区" {
		t.Fatalf("district export %v", recs)
	}
	// City-wide staff with a filter get the filtered list.
	r = a.get("/enterprises/export.csv?district=310104")
	if !strings.Contains(r.Body.String(), "徐汇导出企业") || strings.Contains(r.Body.String(), "浦东导出企业") {
		t.Errorf("filtered export: %s", r.Body.String())
	}
	r = pd.get("/enterprises/figures.csv")
	wantStatus(t, r, http.StatusOK)
	recs, _ = csv.NewReader(strings.NewReader(strings.TrimPrefix(r.Body.String(), "\ufeff"))).ReadAll()
	if len(recs) != 2 || recs[0][2] != "年度" || recs[1][2] != "2025" {
		t.Fatalf("figures export %v", recs)
	}
	for i, h := range recs[0] {
		if h == "营业收入（万元）" && recs[1][i] != "1234" {
			t.Errorf("revenue cell %q, want 1234 (万元)", recs[1][i])
		}
	}
	r = pd.get("/enterprises/export.xlsx")
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 2 || rows[0][1] != "企业名称" {
		t.Fatalf("xlsx export %v", rows)
	}
	// An export re-imports as unchanged, row for row.
	for _, path := range []string{"/enterprises/export.xlsx", "/enterprises/figures.csv"} {
		body := a.get(path).Body.Bytes()
		r = a.importFile(strings.TrimPrefix(path, "/enterprises/"), body)
		wantStatus(t, r, http.StatusOK)
		if got := r.doc.Find(`[data-testid="import-counts"]`).Text(); !strings.Contains(got, "无变化 2") && !strings.Contains(got, "无变化 1") || strings.Contains(got, "新增 1") || strings.Contains(got, "错误 1") {
			t.Errorf("%s re-imported: %q", path, got)
		}
		if n := r.doc.Find(`[data-testid="row-status"]`).Length(); n == 0 {
			t.Errorf("%s re-import lists no rows", path)
		}
		r.doc.Find(`[data-testid="row-status"]`).Each(func(_ int, s *goquery.Selection) {
			if s.Text() != "无变化" {
				t.Errorf("%s re-import row: %q", path, s.Text())
			}
		})
	}
	// Not for enterprise accounts.
	ent := a.as(a.user("ent", domain.RoleEnterprise, "", &own.ID))
	wantStatus(t, ent.get("/enterprises/export.csv"), http.StatusForbidden)
}

func TestAPITokensPage(t *testing.T) {
	a := newTestApp(t)
	city := a.as(a.user("city", domain.RoleCity, "", nil))
	wantStatus(t, city.post("/account/tokens", url.Values{"name": {""}}), http.StatusUnprocessableEntity)
	r := city.post("/account/tokens", url.Values{"name": {"统计对接"}})
	wantStatus(t, r, http.StatusOK)
	secret := strings.TrimSpace(r.doc.Find(`[data-testid="token-secret"]`).Text())
	if len(secret) < 32 {
		t.Fatalf("no secret shown: %s", truncate(r.Body.String(), 2000))
	}
	api := func() int {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/enterprises", nil)
		req.Header.Set("Authorization", "Bearer "+secret)
		rec := httptest.NewRecorder()
		a.e.ServeHTTP(rec, req)
		return rec.Code
	}
	if c := api(); c != http.StatusOK {
		t.Fatalf("API with the new token: %d", c)
	}
	r = city.get("/account/tokens")
	if strings.Contains(r.Body.String(), secret) {
		t.Error("the secret is shown again")
	}
	row := r.doc.Find(`[data-testid="token-row"]`)
	if row.Length() != 1 || !strings.Contains(row.Text(), "统计对接") || !strings.Contains(row.Text(), secret[:6]) || row.Find(`[data-testid="token-status"]`).Text() == "" {
		t.Fatalf("token list: %q", row.Text())
	}
	action := row.Find("form").AttrOr("action", "")
	// Someone else's token is not found; the owner revokes it.
	wantStatus(t, a.post(action, nil), http.StatusNotFound)
	wantStatus(t, city.post(action, nil), http.StatusSeeOther)
	if c := api(); c != http.StatusUnauthorized {
		t.Errorf("API with a revoked token: %d", c)
	}
	r = city.get("/account/tokens")
	if !strings.Contains(r.doc.Find(`[data-testid="token-status"]`).Text(), "已吊销") {
		t.Error("revoked token not marked")
	}
	if !strings.Contains(r.doc.Find("nav").Text(), "API 令牌") {
		t.Error("no nav entry for tokens")
	}
}

func TestExportDemandsAndPipeline(t *testing.T) {
	w := newWorld(t)
	pd := w.clients[domain.RoleDistrict]
	for _, tc := range []struct{ list, export, head, want string }{
		{"/service/demands?status=all", "/service/demands/export.csv?status=all", "诉求类别", w.own.Name},
		{"/listing/table", "/listing/export.csv", "培育阶段", string(w.own.USCC)},
		{"/enterprises", "/enterprises/export.csv", "统一社会信用代码", string(w.own.USCC)},
	} {
		r := pd.get(tc.list)
		wantStatus(t, r, http.StatusOK)
		if href := r.doc.Find(`[data-testid="export-csv"]`).First().AttrOr("href", ""); href != tc.export {
			t.Errorf("%s export link %q, want %q", tc.list, href, tc.export)
		}
		r = pd.get(tc.export)
		wantStatus(t, r, http.StatusOK)
		body := r.Body.String()
		if !strings.Contains(body, tc.head) || !strings.Contains(body, tc.want) || strings.Contains(body, w.other.Name) {
			t.Errorf("%s: %s", tc.export, truncate(body, 600))
		}
		x := strings.Replace(tc.export, ".csv", ".xlsx", 1)
		r = pd.get(x)
		wantStatus(t, r, http.StatusOK)
		if _, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes())); err != nil {
			t.Errorf("%s: %v", x, err)
		}
	}
}

func TestBenefitsExportXLSX(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/benefits/export.xlsx?benefit=B02-first-above-scale&year=2025")
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) < 1 || rows[0][6] != "核定上限（万元）" {
		t.Fatalf("benefits xlsx %v", rows)
	}
	if cd := r.Header().Get("Content-Disposition"); !strings.Contains(cd, `filename="benefits-B02-first-above-scale-2025.xlsx"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
}

func TestEvaluationExportXLSX(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/dashboard/evaluation/export.xlsx?year=2025")
	wantStatus(t, r, http.StatusOK)
	f, err := excelize.OpenReader(bytes.NewReader(r.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := f.GetRows(f.GetSheetList()[0])
	if len(rows) != 17 || rows[0][3] != "区" {
		t.Fatalf("evaluation xlsx: %d rows, header %v", len(rows), rows[0])
	}
}
