package dataio

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// Table is a sheet read row by row: the header first, then data rows.
type Table interface {
	Header() []string
	// Next returns the next data row and its 1-based line number in the file; io.EOF at the end.
	Next() (row []string, line int, err error)
	// Encoding names how text was decoded ("UTF-8", "GBK", "xlsx").
	Encoding() string
	// EstRows estimates the data rows, for progress: lines of a CSV file, the sheet's
	// stated dimension of an .xlsx (0 when it states none).
	EstRows() int
	Close() error
}

// ErrFormat is a file that is neither .xlsx nor .csv.
var ErrFormat = errors.New("仅支持 .xlsx 与 .csv 文件")

// Open reads data (the whole file) as a table, by name's extension.
func Open(name string, data []byte) (Table, error) {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".txt":
		return openCSV(data)
	case ".xlsx", ".xlsm":
		return openXLSX(data)
	}
	return nil, ErrFormat
}

// DecodeText returns UTF-8 text: valid UTF-8 (BOM dropped) as is, anything else read as GBK.
func DecodeText(data []byte) (io.Reader, string) {
	if b := bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")); utf8.Valid(b) {
		return bytes.NewReader(b), "UTF-8"
	}
	return transform.NewReader(bytes.NewReader(data), simplifiedchinese.GB18030.NewDecoder()), "GBK"
}

type csvTable struct {
	r      *csv.Reader
	header []string
	enc    string
	line   int
	est    int
}

func openCSV(data []byte) (Table, error) {
	text, enc := DecodeText(data)
	r := csv.NewReader(text)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	t := &csvTable{r: r, enc: enc, est: bytes.Count(data, []byte{'\n'})}
	h, err := r.Read()
	if err == io.EOF {
		return nil, errors.New("文件为空")
	}
	if err != nil {
		return nil, fmt.Errorf("无法读取 CSV：%w", err)
	}
	t.header = h
	t.line = 1
	return t, nil
}

func (t *csvTable) Header() []string { return t.header }
func (t *csvTable) Encoding() string { return t.enc }
func (t *csvTable) EstRows() int     { return t.est }
func (t *csvTable) Close() error     { return nil }
func (t *csvTable) Next() ([]string, int, error) {
	for {
		row, err := t.r.Read()
		if err != nil {
			if err != io.EOF {
				err = fmt.Errorf("CSV 格式错误：%w", err)
			}
			return nil, 0, err
		}
		line, _ := t.r.FieldPos(0)
		t.line = line
		if blank(row) {
			continue
		}
		return row, line, nil
	}
}

func blank(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

type xlsxTable struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
	est    int
}

func openXLSX(data []byte) (Table, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("无法读取 Excel 文件：%w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("Excel 文件没有工作表")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("无法读取工作表：%w", err)
	}
	t := &xlsxTable{f: f, rows: rows}
	if dim, err := f.GetSheetDimension(sheets[0]); err == nil {
		if _, last, ok := strings.Cut(dim, ":"); ok {
			if _, row, err := excelize.SplitCellName(last); err == nil {
				t.est = row - 1
			}
		}
	}
	for rows.Next() {
		t.line++
		h, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Close()
			return nil, err
		}
		if !blank(h) {
			t.header = h
			return t, nil
		}
	}
	t.Close()
	return nil, errors.New("文件为空")
}

func (t *xlsxTable) Header() []string { return t.header }
func (t *xlsxTable) Encoding() string { return "xlsx" }
func (t *xlsxTable) EstRows() int     { return t.est }
func (t *xlsxTable) Close() error {
	if t.rows != nil {
		t.rows.Close()
	}
	return t.f.Close()
}
func (t *xlsxTable) Next() ([]string, int, error) {
	for t.rows.Next() {
		t.line++
		row, err := t.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, 0, err
		}
		if blank(row) {
			continue
		}
		return row, t.line, nil
	}
	if err := t.rows.Error(); err != nil {
		return nil, 0, err
	}
	return nil, 0, io.EOF
}
