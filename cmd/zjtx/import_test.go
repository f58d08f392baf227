package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

func runCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(string) string { return "" }})
	return out.String() + errOut.String(), err
}

func countEnterprises(t *testing.T, path string) int64 {
	t.Helper()
	db, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n, err := store.NewEnterprises(db).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportBadRowsDryRunAndRefusal(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "z.db")
	good1, good2 := dataio.TestUSCC(1), dataio.TestUSCC(2)
	csvText := "统一社会信用代码,企业名称,所在区,划型行业,年度,营业收入（万元）,从业人员（人）\n" +
		string(good1) + ",甲公司,浦东新区,工业,2024,1200.5,30\n" +
		"91310115ABCDEFGHIJ,乙公司,浦东新区,工业,2024,100,10\n" + // bad USCC
		string(good2) + ",丙公司,火星区,工业,2024,100,10\n" + // unknown district
		string(dataio.TestUSCC(3)) + ",丁公司,徐汇区,工业,2024,一百万,10\n" + // text in a number column
		string(good1) + ",甲公司,浦东新区,工业,2024,1200.5,30\n" // duplicate in file
	f := filepath.Join(dir, "bad.csv")
	os.WriteFile(f, []byte(csvText), 0o600)
	out, err := runCmd(t, "import", "--db", dbPath, f, "--dry-run")
	if err == nil {
		t.Fatalf("dry run with bad rows succeeded:\n%s", out)
	}
	for _, want := range []string{"第 3 行", "统一社会信用代码", "第 4 行", "未知的区“火星区”", "第 5 行", "[营业收入（万元）] 请输入数字金额", "第 6 行", "与第 2 行重复", "错误 4"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run output lacks %q:\n%s", want, out)
		}
	}
	if _, err := runCmd(t, "import", "--db", dbPath, f); err == nil {
		t.Fatal("commit with errors succeeded")
	}
	if n := countEnterprises(t, dbPath); n != 0 {
		t.Fatalf("database changed: %d enterprises", n)
	}

	// A GBK file: decoded, its bad row reported with the reason.
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("统一社会信用代码,企业名称,所在区,划型行业\n" +
		string(dataio.TestUSCC(7)) + ",戊公司,静安,软件和信息技术\n" + string(dataio.TestUSCC(8)) + ",己公司,静安区,农业\n")
	g := filepath.Join(dir, "gbk.csv")
	os.WriteFile(g, []byte(gbk), 0o600)
	out, err = runCmd(t, "import", "--db", dbPath, g, "--dry-run", "--all-rows")
	if err == nil || !strings.Contains(out, "GBK") || !strings.Contains(out, "未知的划型行业“农业”") || !strings.Contains(out, "第 2 行 "+string(dataio.TestUSCC(7))+" 新增") {
		t.Fatalf("GBK dry run: %v\n%s", err, out)
	}
}

func TestImportCommitExportReimportUnchanged(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "z.db")
	for _, format := range []string{"csv", "xlsx"} {
		var buf bytes.Buffer
		off := 100
		if format == "xlsx" {
			off = 200
		}
		if err := dataio.Generate(&buf, format, 50, off); err != nil {
			t.Fatal(err)
		}
		f := filepath.Join(dir, "gen."+format)
		os.WriteFile(f, buf.Bytes(), 0o600)
		out, err := runCmd(t, "import", "--db", dbPath, f)
		if err != nil || !strings.Contains(out, "新增 50") {
			t.Fatalf("%s import: %v\n%s", format, err, out)
		}
	}
	if n := countEnterprises(t, dbPath); n != 100 {
		t.Fatalf("enterprises = %d", n)
	}
	// Export everything (profiles and figures) in both formats, then re-import: a no-op.
	db, err := store.Open(dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	es := store.NewEnterprises(db)
	page, err := es.List(ctx, store.EnterpriseFilter{Scope: domain.Scope{All: true}, PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"csv", "xlsx"} {
		var prof, figs bytes.Buffer
		pw, _ := dataio.NewWriter(&prof, format, dataio.EnterpriseHeader())
		fw, _ := dataio.NewWriter(&figs, format, dataio.FiguresHeader())
		for _, item := range page.Items {
			e, _ := es.Get(ctx, domain.Scope{All: true}, item.ID)
			pw.Row(dataio.EnterpriseRow(e))
			ys, _ := es.Years(ctx, e.ID)
			for _, y := range ys {
				fw.Row(dataio.FiguresRow(e, y))
			}
		}
		pw.Close()
		fw.Close()
		for name, b := range map[string][]byte{"profiles." + format: prof.Bytes(), "figures." + format: figs.Bytes()} {
			p := filepath.Join(dir, name)
			os.WriteFile(p, b, 0o600)
			out, err := runCmd(t, "import", "--db", dbPath, p, "--all-rows")
			if err != nil || !strings.Contains(out, "无变化 100，错误 0") || strings.Contains(out, "更新 ") && !strings.Contains(out, "更新 0") {
				t.Fatalf("re-import of %s: %v\n%s", name, err, out)
			}
		}
	}
	db.Close()

	// A change to one figure is an update and is written.
	upd := "统一社会信用代码,年度,营业收入（万元）\n" + string(dataio.TestUSCC(100)) + ",2024,7777.25\n"
	p := filepath.Join(dir, "upd.csv")
	os.WriteFile(p, []byte(upd), 0o600)
	out, err := runCmd(t, "import", "--db", dbPath, p)
	if err != nil || !strings.Contains(out, "更新 1") {
		t.Fatalf("update: %v\n%s", err, out)
	}
	out, _ = runCmd(t, "import", "--db", dbPath, p, "--dry-run")
	if !strings.Contains(out, "无变化 1") {
		t.Fatalf("second run not unchanged:\n%s", out)
	}
}

func TestBackupRestore(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "z.db")
	var buf bytes.Buffer
	dataio.Generate(&buf, "csv", 20, 0)
	f := filepath.Join(dir, "gen.csv")
	os.WriteFile(f, buf.Bytes(), 0o600)
	if out, err := runCmd(t, "import", "--db", dbPath, f); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	bak := filepath.Join(dir, "backup.db")
	if out, err := runCmd(t, "backup", "--db", dbPath, bak); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	if _, err := runCmd(t, "backup", "--db", dbPath, bak); err == nil {
		t.Fatal("backup overwrote an existing file")
	}
	if out, err := runCmd(t, "backup", "--db", "postgres://u:p@127.0.0.1:1/x", filepath.Join(dir, "pg.dump")); err == nil {
		t.Fatalf("postgres backup without a server succeeded: %s", out)
	}
	// Restoring over a database with data needs --force.
	if out, err := runCmd(t, "restore", "--db", dbPath, bak); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Fatalf("restore over data: %v %s", err, out)
	}
	target := filepath.Join(dir, "new", "restored.db")
	if out, err := runCmd(t, "restore", "--db", target, bak); err != nil {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if n := countEnterprises(t, target); n != 20 {
		t.Fatalf("restored %d enterprises", n)
	}
	if _, err := runCmd(t, "restore", "--db", dbPath, bak, "--force"); err != nil {
		t.Fatal(err)
	}
	// Not a zjtx database: refused.
	junk := filepath.Join(dir, "junk.db")
	os.WriteFile(junk, nil, 0o600)
	if _, err := runCmd(t, "restore", "--db", filepath.Join(dir, "t2.db"), junk); err == nil {
		t.Fatal("restored a file without a schema version")
	}
}

func TestGenImportAndProgressBar(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "g.xlsx")
	if out, err := runCmd(t, "gen-import", "--rows", "30", "--offset", "5", f); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := runCmd(t, "gen-import", "--rows", "30", f); err == nil {
		t.Error("gen-import overwrote a file")
	}
	out, err := runCmd(t, "import", "--db", filepath.Join(dir, "z.db"), f, "--dry-run")
	if err != nil || !strings.Contains(out, "新增 30") {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, c := range []struct {
		est, rows int
		want      string
	}{
		{100, 0, "[" + strings.Repeat(".", 30) + "]"},
		{100, 50, "[" + strings.Repeat("#", 15) + strings.Repeat(".", 15) + "]"},
		{100, 150, "[" + strings.Repeat("#", 30) + "]"}, // more rows than estimated
		{0, 10, "[" + strings.Repeat("#", 30) + "]"},
	} {
		if got := progressBar(c.est, c.rows); got != c.want {
			t.Errorf("progressBar(%d, %d) = %s", c.est, c.rows, got)
		}
	}
}
