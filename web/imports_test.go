package web_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zjtx/internal/dataio"
	"zjtx/web"
)

// followRun follows a dry run that went on in the background (303 to its page) until
// its result shows; it reports whether a progress page was seen on the way.
func (c *client) followRun(r response) (response, bool) {
	c.a.t.Helper()
	progress := false
	for i := 0; r.Code == http.StatusSeeOther && strings.HasPrefix(r.Header().Get("Location"), "/data/import?run="); i++ {
		loc := r.Header().Get("Location")
		r = c.get(loc)
		for r.Code == http.StatusOK && r.doc.Find(`[data-testid="import-progress"]`).Length() > 0 {
			progress = true
			// What htmx does: poll the fragment until told to refresh.
			req := httptest.NewRequest(http.MethodGet, loc, nil)
			req.Header.Set("HX-Request", "true")
			r = c.do(req)
			if r.Code == http.StatusNoContent && r.Header().Get("HX-Refresh") == "true" {
				r = c.get(loc)
			}
		}
	}
	return r, progress
}

func TestImportLargeFileShowsProgress(t *testing.T) {
	defer web.SetImportWait(0)()
	a := newTestApp(t)
	var buf bytes.Buffer
	if err := dataio.Generate(&buf, "csv", 20000, 1); err != nil {
		t.Fatal(err)
	}
	r := a.upload("/data/import", "", "big.csv", buf.Bytes())
	wantStatus(t, r, http.StatusSeeOther)
	loc := r.Header().Get("Location")
	first := a.get(loc)
	wantStatus(t, first, http.StatusOK)
	if p := first.doc.Find(`[data-testid="import-progress"]`); p.Length() == 1 {
		bar := p.Find("progress")
		if bar.AttrOr("max", "") == "" || bar.AttrOr("value", "") == "" || p.AttrOr("hx-get", "") != loc {
			t.Errorf("progress without a bar or poll: %s", truncate(first.Body.String(), 2000))
		}
	} else {
		t.Fatalf("a 20000-row check answered at once, without progress: %s", truncate(first.Body.String(), 2000))
	}
	res, _ := a.followRun(r)
	wantStatus(t, res, http.StatusOK)
	if got := res.doc.Find(`[data-testid="import-counts"]`).Text(); !strings.Contains(got, "共 20000 行") || !strings.Contains(got, "新增 20000") {
		t.Errorf("counts %q", got)
	}
	res = a.post(commitPath(t, res), nil)
	wantStatus(t, res, http.StatusSeeOther)
	if n := a.enterpriseCount(); n != 20000 {
		t.Errorf("enterprises = %d", n)
	}
	// Someone else's run is not theirs to watch.
	other := a.as(a.user("other", "city", "", nil))
	wantStatus(t, other.get(loc), http.StatusNotFound)
}

func TestImportTwoConcurrentCommitsApplyOnce(t *testing.T) {
	a := newTestApp(t)
	var buf bytes.Buffer
	if err := dataio.Generate(&buf, "csv", 500, 1); err != nil {
		t.Fatal(err)
	}
	r, _ := a.followRun(a.importFile("twice.csv", buf.Bytes()))
	path := commitPath(t, r)
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = a.post(path, nil).Code
		}()
	}
	wg.Wait()
	if fmt.Sprint(codes) != fmt.Sprint([]int{303, 409}) && fmt.Sprint(codes) != fmt.Sprint([]int{409, 303}) {
		t.Errorf("commit answers %v, want one 303 and one 409", codes)
	}
	if n := a.enterpriseCount(); n != 500 {
		t.Errorf("enterprises = %d", n)
	}
	var audits int64
	a.db.W.Raw("SELECT COUNT(*) FROM audit_log WHERE action = 'import'").Scan(&audits)
	if audits != 1 {
		t.Errorf("%d import audit rows", audits)
	}
}

// A GBK file with a duplicate code: the dry run names the encoding and the duplicate's
// column and reason, the commit is refused, and nothing is written.
func TestImportGBKDuplicateRefused(t *testing.T) {
	a := newTestApp(t)
	before := a.enterpriseCount()
	text := importHead +
		string(dataio.TestUSCC(1)) + ",甲公司,静安区,工业,2025,100\n" +
		string(dataio.TestUSCC(1)) + ",甲公司,静安区,工业,2025,100\n" +
		string(dataio.TestUSCC(2)) + ",乙公司,静安区,工业,2025,一百\n"
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	r := a.importFile("gbk.csv", []byte(gbk))
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.doc.Find(`[data-testid="import-run"] .panel-head`).Text(), "GBK") {
		t.Error("encoding not shown as GBK")
	}
	dup := r.doc.Find(`[data-testid="import-row"][data-line="3"] [data-testid="row-error"]`)
	if dup.AttrOr("data-column", "") != "统一社会信用代码" || !strings.Contains(dup.Text(), "与第 2 行重复") {
		t.Errorf("duplicate row: %q %q", dup.AttrOr("data-column", ""), dup.Text())
	}
	num := r.doc.Find(`[data-testid="import-row"][data-line="4"] [data-testid="row-error"]`)
	if num.AttrOr("data-column", "") != "营业收入（万元）" || num.Text() == "" {
		t.Errorf("text in a number column: %q %q", num.AttrOr("data-column", ""), num.Text())
	}
	if r.doc.Find(`[data-testid="commit-form"]`).Length() != 0 {
		t.Error("commit offered for a file with errors")
	}
	var run int64
	a.db.W.Raw("SELECT MAX(id) FROM import_runs").Scan(&run)
	wantStatus(t, a.post(fmt.Sprintf("/data/import/%d/commit", run), nil), http.StatusUnprocessableEntity)
	if a.enterpriseCount() != before {
		t.Error("a refused import wrote enterprises")
	}
}
