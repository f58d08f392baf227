package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

func validForm() url.Values {
	return url.Values{
		"uscc": {"91310115MA1K3BTP2B"}, "name": {"上海张江精密传感有限公司"}, "district": {"310115"},
		"address": {"浦东新区张江路1号"}, "founded_on": {"2016-05-20"}, "industry_group": {"industrial"},
		"industry_code": {"C4011"}, "main_product": {"MEMS 压力传感器"}, "niche_market": {"工业压力传感"},
		"niche_since": {"2017-01-01"}, "contact_person": {"王敏"}, "contact_phone": {"13800138000"},
		"high_tech": {"on"},
	}
}

func TestHealthz(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/healthz")
	wantStatus(t, r, http.StatusOK)
}

func TestStaticAssetsAreEmbedded(t *testing.T) {
	a := newTestApp(t)
	for _, p := range []string{"/static/app.css?v=1", "/static/app.js", "/static/vendor/htmx-2.0.11.min.js"} {
		r := a.get(p)
		wantStatus(t, r, http.StatusOK)
		if r.Body.Len() < 100 {
			t.Errorf("%s: body too short (%d bytes)", p, r.Body.Len())
		}
	}
	wantStatus(t, a.get("/static/embed.go"), http.StatusNotFound)
}

func TestEnterpriseListSearchAndFilter(t *testing.T) {
	a := newTestApp(t)
	a.seed("91310000631696382C", "上海宝钢精密机械有限公司", "310113")
	a.seed("91310115MA1K3BTP2B", "上海张江芯片设计有限公司", "310115")
	a.seed("9131012056010553X5", "上海徐汇软件有限公司", "310104")

	r := a.get("/enterprises")
	wantStatus(t, r, http.StatusOK)
	if n := r.doc.Find(`[data-testid="enterprise-row"]`).Length(); n != 3 {
		t.Fatalf("rows = %d, want 3", n)
	}
	if got := r.doc.Find(`[data-testid="total"]`).Text(); !strings.Contains(got, "3") {
		t.Errorf("total shows %q", got)
	}

	r = a.get("/enterprises?q=" + url.QueryEscape("芯片"))
	rows := r.doc.Find(`[data-testid="enterprise-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "张江芯片") {
		t.Fatalf("name search returned %q", rows.Text())
	}
	if v := inputValue(r, "q"); v != "芯片" {
		t.Errorf("search box shows %q, want the query kept", v)
	}

	// A lower-case, full-width USCC prefix still finds the enterprise.
	r = a.get("/enterprises?q=" + url.QueryEscape("９１３１００００６３"))
	if n := r.doc.Find(`[data-testid="enterprise-row"]`).Length(); n != 1 {
		t.Fatalf("USCC prefix search rows = %d, want 1", n)
	}

	r = a.get("/enterprises?district=310104")
	rows = r.doc.Find(`[data-testid="enterprise-row"]`)
	if rows.Length() != 1 || !strings.Contains(rows.Text(), "徐汇区") {
		t.Fatalf("district filter returned %q", rows.Text())
	}

	// htmx live search gets only the results fragment.
	req := httptestRequest("GET", "/enterprises?q=%E8%BD%AF%E4%BB%B6")
	req.Header.Set("HX-Request", "true")
	req.Header.Set("HX-Target", "results")
	r = a.do(req)
	wantStatus(t, r, http.StatusOK)
	if strings.Contains(r.Body.String(), "<html") || r.doc.Find(`[data-testid="enterprise-row"]`).Length() != 1 {
		t.Fatalf("htmx fragment wrong:\n%s", truncate(r.Body.String(), 500))
	}
}

func TestEnterpriseListPaginates(t *testing.T) {
	a := newTestApp(t)
	s := store.NewEnterprises(a.db)
	for i := 0; i < 120; i++ {
		body := fmt.Sprintf("%08d", 10000000+i)
		org := body + string(domain.OrgCodeCheckChar(body))
		first := "91310115" + org
		code := first + string(domain.USCCCheckChar(first))
		e := domain.Enterprise{USCC: domain.USCC(code), Name: fmt.Sprintf("上海测试%03d有限公司", i), DistrictCode: "310115", IndustryGroup: domain.GroupOther}
		if err := s.Create(context.Background(), store.System, &e); err != nil {
			t.Fatal(err)
		}
	}
	r := a.get("/enterprises?page=3")
	wantStatus(t, r, http.StatusOK)
	rows := r.doc.Find(`[data-testid="enterprise-row"]`)
	if rows.Length() != 20 || !strings.Contains(rows.First().Text(), "上海测试100有限公司") {
		t.Fatalf("page 3: %d rows, first %q", rows.Length(), rows.First().Text())
	}
	if r.doc.Find(`.pager a[rel="prev"]`).Length() != 1 || r.doc.Find(`.pager a[rel="next"]`).Length() != 0 {
		t.Error("last page should link back but not forward")
	}
}

func TestCreateEnterprise(t *testing.T) {
	a := newTestApp(t)
	r := a.get("/enterprises/new")
	wantStatus(t, r, http.StatusOK)
	if r.doc.Find(`select[name="district"] option`).Length() != 17 {
		t.Fatal("district select should offer the 16 districts and a prompt")
	}

	form := validForm()
	form.Set("uscc", " 91310115ma1k3btp2b ") // normalised before validation
	r = a.post("/enterprises", form)
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.Header().Get("Location")
	r = a.get(loc)
	wantStatus(t, r, http.StatusOK)
	if got := r.doc.Find(`[data-testid="uscc"]`).Text(); got != "91310115MA1K3BTP2B" {
		t.Errorf("stored USCC %q", got)
	}
	if !strings.Contains(r.doc.Find(`[data-testid="profile"]`).Text(), "高新技术企业") {
		t.Error("label not shown")
	}
}

func TestCreateEnterpriseRejectsBadInput(t *testing.T) {
	cases := []struct {
		name, field, value, want string
	}{
		{"wrong check character", "uscc", "91310115MA1K3BTP2C", "校验位"},
		{"short code", "uscc", "9131011", "18位"},
		{"forbidden letter", "uscc", "91310115MA1K3BTPZB", "非法字符"},
		{"unknown district", "district", "310199", "16个区"},
		{"future founding date", "founded_on", "2027-01-01", "不能晚于今天"},
		{"malformed date", "founded_on", "2020/01/01", "YYYY-MM-DD"},
		{"missing name", "name", "", "请填写企业名称"},
		{"bad phone", "contact_phone", "call me", "联系电话"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			a := newTestApp(t)
			form := validForm()
			form.Set(tc.field, tc.value)
			r := a.post("/enterprises", form)
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if msg := fieldError(r, tc.field); !strings.Contains(msg, tc.want) {
				t.Errorf("error at %s = %q, want it to mention %q", tc.field, msg, tc.want)
			}
			// The form keeps what the user typed.
			if got := inputValue(r, "name"); got != form.Get("name") {
				t.Errorf("name field shows %q, want %q", got, form.Get("name"))
			}
			n, _ := store.NewEnterprises(a.db).Count(context.Background())
			if n != 0 {
				t.Errorf("%d enterprises stored after a refused form", n)
			}
		})
	}
}

func TestCreateEnterpriseDuplicateUSCC(t *testing.T) {
	a := newTestApp(t)
	a.seed("91310115MA1K3BTP2B", "已有企业", "310115")
	r := a.post("/enterprises", validForm())
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if msg := fieldError(r, "uscc"); !strings.Contains(msg, "已登记") {
		t.Errorf("duplicate message = %q", msg)
	}
}

func TestOrganisationCodeMismatchIsAWarning(t *testing.T) {
	a := newTestApp(t)
	// Valid check character, organisation code that fails GB 11714.
	first := "91310115" + "12345678" + "1"
	code := first + string(domain.USCCCheckChar(first))
	chk, err := domain.ParseUSCC(code)
	if err != nil || chk.Warning == "" {
		t.Fatalf("fixture: %v %q", err, chk.Warning)
	}
	form := validForm()
	form.Set("uscc", code)
	r := a.post("/enterprises", form)
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get(r.Header().Get("Location"))
	if !strings.Contains(r.Body.String(), "组织机构代码") {
		t.Error("detail page should show the organisation-code warning")
	}
}

func TestEditEnterpriseAndStaleSave(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "上海旧名有限公司", "310115")
	path := fmt.Sprintf("/enterprises/%d", e.ID)

	r := a.get(path + "/edit")
	wantStatus(t, r, http.StatusOK)
	if inputValue(r, "name") != "上海旧名有限公司" || inputValue(r, "version") != "1" {
		t.Fatal("edit form not filled from the stored profile")
	}

	form := validForm()
	form.Set("version", "1")
	form.Set("name", "上海新名有限公司")
	wantStatus(t, a.post(path, form), http.StatusSeeOther)

	// A second editor still holding version 1 is refused and told what changed.
	form.Set("name", "上海另一个名字有限公司")
	r = a.post(path, form)
	wantStatus(t, r, http.StatusConflict)
	if msg := fieldError(r, "version"); !strings.Contains(msg, "上海新名有限公司") {
		t.Errorf("stale message should show the current name, got %q", msg)
	}
	got, _ := store.NewEnterprises(a.db).Get(context.Background(), all, e.ID)
	if got.Name != "上海新名有限公司" {
		t.Errorf("stale save overwrote: name = %q", got.Name)
	}
	wantStatus(t, a.get("/enterprises/999999"), http.StatusNotFound)
	wantStatus(t, a.get("/enterprises/abc"), http.StatusNotFound)
}

func TestYearFiguresAndRatios(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "上海年度测试有限公司", "310115")
	base := fmt.Sprintf("/enterprises/%d", e.ID)
	wantStatus(t, a.get(base+"/years/new"), http.StatusOK)

	y2024 := url.Values{"year": {"2024"}, "employees": {"120"}, "rd_staff": {"30"}, "revenue": {"5000"},
		"main_revenue": {"4500"}, "rd_expense": {"150"}, "total_assets": {"8000"}, "total_liabilities": {"4000"}, "net_profit": {"-50.5"}}
	wantStatus(t, a.post(base+"/years", y2024), http.StatusSeeOther)
	y2025 := url.Values{"year": {"2025"}, "employees": {"150"}, "revenue": {"6,000"}, "rd_expense": {"210"}}
	wantStatus(t, a.post(base+"/years", y2025), http.StatusSeeOther)

	r := a.get(base)
	wantStatus(t, r, http.StatusOK)
	row := r.doc.Find(`[data-testid="year-2025"]`)
	if got := row.Find(`[data-testid="rd-ratio"]`).Text(); got != "3.5%" {
		t.Errorf("2025 R&D ratio = %q, want 3.5%%", got)
	}
	if !strings.Contains(row.Text(), "20.0%") {
		t.Errorf("2025 revenue growth 20.0%% missing from %q", row.Text())
	}
	if !strings.Contains(r.doc.Find(`[data-testid="year-2024"]`).Text(), "-50.50") {
		t.Error("negative net profit not shown")
	}
	// 150 staff and 6000 万 revenue, industrial: small.
	if got := r.doc.Find(`[data-testid="size"]`).Text(); !strings.Contains(got, "小型") || !strings.Contains(got, "2025") {
		t.Errorf("size = %q", got)
	}

	// Bad values: each message at its field, the typed values kept, nothing stored.
	bad := url.Values{"year": {"2023"}, "revenue": {"12abc"}, "rd_expense": {"-5"}, "employees": {"3.5"}}
	r = a.post(base+"/years", bad)
	wantStatus(t, r, http.StatusUnprocessableEntity)
	for field, want := range map[string]string{"revenue": "数字", "rd_expense": "负数", "employees": "整数"} {
		if msg := fieldError(r, field); !strings.Contains(msg, want) {
			t.Errorf("%s error = %q, want %q", field, msg, want)
		}
	}
	if inputValue(r, "revenue") != "12abc" {
		t.Error("typed value not kept")
	}
	if _, err := store.NewEnterprises(a.db).Year(context.Background(), e.ID, 2023); err != store.ErrNotFound {
		t.Errorf("refused year was stored: %v", err)
	}

	// Duplicate year is refused; correction goes through the edit form.
	r = a.post(base+"/years", url.Values{"year": {"2025"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = a.get(base + "/years/2025/edit")
	wantStatus(t, r, http.StatusOK)
	if inputValue(r, "revenue") != "6000" {
		t.Errorf("edit form revenue = %q", inputValue(r, "revenue"))
	}
	upd := url.Values{"version": {inputValue(r, "version")}, "employees": {"150"}, "revenue": {"6000"}, "rd_expense": {"300"}}
	wantStatus(t, a.post(base+"/years/2025", upd), http.StatusSeeOther)
	r = a.get(base)
	if got := r.doc.Find(`[data-testid="year-2025"] [data-testid="rd-ratio"]`).Text(); got != "5.0%" {
		t.Errorf("corrected R&D ratio = %q", got)
	}
	// The same stale version again is refused.
	wantStatus(t, a.post(base+"/years/2025", upd), http.StatusConflict)
	wantStatus(t, a.get(base+"/years/2019/edit"), http.StatusNotFound)
}
