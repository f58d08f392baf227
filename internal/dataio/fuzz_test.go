package dataio

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"zjtx/internal/domain"
)

type emptyLookup struct{}

func (emptyLookup) Existing(context.Context, []domain.USCC) (map[domain.USCC]domain.Enterprise, map[int64][]domain.YearFigures, error) {
	return map[domain.USCC]domain.Enterprise{}, map[int64][]domain.YearFigures{}, nil
}

var fuzzOpts = Options{Scope: domain.Scope{All: true}, Today: domain.MustDate("2026-06-15")}

// checkTable runs the dry run over t and holds it to its contract: every row is counted once,
// and every error row carries at least one message naming a column.
func checkTable(t *testing.T, tab Table) {
	t.Helper()
	defer tab.Close()
	p, err := Check(context.Background(), tab, emptyLookup{}, fuzzOpts)
	if err != nil {
		return // a file-level error (no USCC column, malformed CSV) is an answer too
	}
	if p.Counts.Total != len(p.Results) {
		t.Fatalf("counted %d rows, kept %d results", p.Counts.Total, len(p.Results))
	}
	for _, r := range p.Results {
		if r.Status == StatusError && len(r.Errors) == 0 {
			t.Fatalf("line %d: error status without a message", r.Line)
		}
		if r.Status != StatusError && len(r.Errors) > 0 {
			t.Fatalf("line %d: status %s with errors %v", r.Line, r.Status, r.Errors)
		}
		for _, e := range r.Errors {
			if strings.TrimSpace(e.Column) == "" || e.Message == "" {
				t.Fatalf("line %d: error without a column: %+v", r.Line, e)
			}
		}
	}
	if p.OK() {
		for _, e := range p.Ents {
			if _, err := domain.ParseUSCC(string(e.Enterprise.USCC)); err != nil {
				t.Fatalf("plan writes invalid USCC %q", e.Enterprise.USCC)
			}
		}
	}
}

func templateCSV(rows ...string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write(TemplateHeaders())
	w.Flush()
	for _, r := range rows {
		b.WriteString(r + "\n")
	}
	return b.Bytes()
}

// FuzzImportCSV reads whole files: any bytes (UTF-8, GBK, broken quotes) are read and checked
// without panic.
func FuzzImportCSV(f *testing.F) {
	var gen bytes.Buffer
	if err := Generate(&gen, "csv", 5, 0); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	f.Add([]byte("统一社会信用代码,企业名称\n91310000631696382C,上海\"测试\n"))
	f.Add([]byte("\xef\xbb\xbfUSCC,名称,年度,营业收入（万元）\n91310115MA1K3BTP2B,x,2025,1e309\n,,,\n"))
	f.Add([]byte("\xcd\xb3\xd2\xbb\xc9\xe7\xbb\xe1\xd0\xc5\xd3\xc3\xb4\xfa\xc2\xeb\n\xff\xfe\n")) // GBK header
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Open("import.csv", data)
		if err != nil {
			return
		}
		checkTable(t, tab)
	})
}

// FuzzImportRow keeps the template header and fuzzes one data line, so the mutations reach the
// cell parsers (dates, amounts, years, yes/no, districts) rather than the header mapping.
func FuzzImportRow(f *testing.F) {
	for _, s := range []string{
		"91310000631696382C,上海测试科技有限公司,浦东新区,上海市测试路1号,2015-03-01,工业,C3562,精密部件,细分市场,2016-01-01,张三,021-12345678,是,2020,是,否,否,否,否,否,,2024,120,15,12345.67,12000,,800,,,,",
		"91310115MA1K3BTP2B,' OR 1=1 --,%_\\,<script>alert(1)</script>,0000-01-01,工业,,,,9999-12-31,,,是,-1,否,否,否,否,否,否,,2026,-1,99999999999999999999,1e309,-5,,,,,,",
		"91310115MA1K3BTPIB,x,../../etc/passwd,,2026-02-30,,,,,45000,,,maybe,abc,,,,,,,,二〇二四,,,,,,,,,,",
		"\xff\xfe,\xc3\x28,,,,,,,,,,,,,,,,,,,,2024年,1,2,3,4,5,6,7,8,9,10",
		",,,,,,,,,,,,,,,,,,,,,,1,,,,,,,,,",
	} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, row1, row2 string) {
		if strings.ContainsAny(row1+row2, "\n\r") {
			return // one line each; whole-file shapes are FuzzImportCSV's
		}
		tab, err := Open("import.csv", templateCSV(row1, row2))
		if err != nil {
			t.Fatalf("template header refused: %v", err)
		}
		checkTable(t, tab)
	})
}

// FuzzImportXLSX opens arbitrary bytes as a workbook: corrupt archives are refused with an
// error, never a panic.
func FuzzImportXLSX(f *testing.F) {
	var gen bytes.Buffer
	if err := Generate(&gen, "xlsx", 3, 0); err != nil {
		f.Fatal(err)
	}
	f.Add(gen.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte("not a workbook"))
	f.Fuzz(func(t *testing.T, data []byte) {
		tab, err := Open("import.xlsx", data)
		if err != nil {
			return
		}
		checkTable(t, tab)
	})
}
