package dataio

import (
	"bytes"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// EstRows feeds the progress bars: about the data rows of a generated file, for an
// .xlsx once rows have been read.
func TestEstRows(t *testing.T) {
	for _, format := range []string{"csv", "xlsx"} {
		var b bytes.Buffer
		if err := Generate(&b, format, 120, 0); err != nil {
			t.Fatal(err)
		}
		tb, err := Open("x."+format, b.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		for range 60 {
			if _, _, err := tb.Next(); err != nil {
				t.Fatal(err)
			}
		}
		if got := tb.EstRows(); got < 110 || got > 130 {
			t.Errorf("%s: EstRows after 60 rows = %d, want about 120", format, got)
		}
		tb.Close()
	}
}

// readAll reads a table whole: header, rows and their line numbers.
func readAll(t *testing.T, tb Table) (rows [][]string, lines []int) {
	t.Helper()
	defer tb.Close()
	rows = append(rows, tb.Header())
	for {
		row, line, err := tb.Next()
		if err == io.EOF {
			return rows, lines
		}
		if err != nil {
			t.Fatal(err)
		}
		rows, lines = append(rows, row), append(lines, line)
	}
}

// The sheet scanner reads what excelize reads (raw cell values): shared and inline
// strings, rich text, numbers, booleans, dates, escapes, gaps between rows and columns.
func TestSheetScannerMatchesExcelize(t *testing.T) {
	f := excelize.NewFile()
	set := func(cell string, v any) {
		if err := f.SetCellValue("Sheet1", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	for i, h := range TemplateHeaders()[:6] {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		set(c, h)
	}
	set("A2", string(TestUSCC(1)))
	set("B2", `甲 & 乙 <有限> "公司" 'x'`)
	set("C2", "浦东新区")
	set("E2", 1234.5)
	set("F2", true)
	set("A4", string(TestUSCC(2)))
	set("B4", "  前后空格  ")
	set("D4", 42)
	if err := f.SetCellRichText("Sheet1", "C4", []excelize.RichTextRun{{Text: "徐汇"}, {Text: "区"}}); err != nil {
		t.Fatal(err)
	}
	set("E4", excelize.Cell{})
	set("G5", "远处的格")
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	// And the generated file, written by the stream writer (inline strings).
	var gen bytes.Buffer
	if err := Generate(&gen, "xlsx", 30, 7); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"api": b.Bytes(), "stream": gen.Bytes()} {
		fast, err := openSheet(data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		slow, err := openExcelize(data)
		if err != nil {
			t.Fatal(err)
		}
		gotRows, gotLines := readAll(t, fast)
		wantRows, wantLines := readAll(t, slow)
		trim := func(rows [][]string) {
			for i, r := range rows {
				for len(r) > 0 && r[len(r)-1] == "" {
					r = r[:len(r)-1]
				}
				rows[i] = r
			}
		}
		trim(gotRows)
		trim(wantRows)
		if !reflect.DeepEqual(gotRows, wantRows) || !reflect.DeepEqual(gotLines, wantLines) {
			t.Errorf("%s:\nscanner  %q %v\nexcelize %q %v", name, gotRows, gotLines, wantRows, wantLines)
		}
	}
	// Not an .xlsx the scanner can follow: excelize is asked, and says why.
	if _, err := Open("x.xlsx", []byte("PK not a zip")); err == nil || !strings.Contains(err.Error(), "Excel") {
		t.Errorf("broken file: %v", err)
	}
}
