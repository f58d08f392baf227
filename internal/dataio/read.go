package dataio

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"path/filepath"
	"strconv"
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

// openXLSX reads the first sheet with sheetReader, a streaming scanner of the sheet's
// XML (encoding/xml, as excelize reads rows, took 19 s of a 100k-row file's 28 s
// check); files it cannot follow are read with excelize.
func openXLSX(data []byte) (Table, error) {
	if t, err := openSheet(data); err == nil {
		return t, nil
	}
	return openExcelize(data)
}

// sheetTable reads the first worksheet of an .xlsx straight from its zip part.
type sheetTable struct {
	part   io.ReadCloser
	sc     *sheetScanner
	header []string
	size   int64 // the part's uncompressed bytes
	base   int64 // bytes up to the end of the header row
	rows   int
}

func openSheet(data []byte) (Table, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[strings.TrimPrefix(f.Name, "/")] = f
	}
	var wb struct {
		Sheets []struct {
			ID string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
			Type   string `xml:"Type,attr"`
		} `xml:"Relationship"`
	}
	if err := unmarshalPart(files["xl/workbook.xml"], &wb); err != nil || len(wb.Sheets) == 0 || wb.Sheets[0].ID == "" {
		return nil, fmt.Errorf("xlsx: no sheet in xl/workbook.xml: %v", err)
	}
	if err := unmarshalPart(files["xl/_rels/workbook.xml.rels"], &rels); err != nil {
		return nil, err
	}
	target := func(r string) string {
		if strings.HasPrefix(r, "/") {
			return strings.TrimPrefix(r, "/")
		}
		return "xl/" + r
	}
	var sheet *zip.File
	var shared []string
	for _, r := range rels.Rels {
		switch {
		case r.ID == wb.Sheets[0].ID:
			sheet = files[target(r.Target)]
		case strings.HasSuffix(r.Type, "/sharedStrings"):
			if shared, err = readSharedStrings(files[target(r.Target)]); err != nil {
				return nil, err
			}
		}
	}
	if sheet == nil {
		return nil, errors.New("xlsx: first sheet not found")
	}
	part, err := sheet.Open()
	if err != nil {
		return nil, err
	}
	t := &sheetTable{part: part, sc: newSheetScanner(part, shared), size: int64(sheet.UncompressedSize64)}
	for {
		row, _, err := t.sc.next()
		if err == io.EOF {
			part.Close()
			return nil, errors.New("文件为空")
		}
		if err != nil {
			part.Close()
			return nil, err
		}
		if !blank(row) {
			t.header, t.base = row, t.sc.read
			return t, nil
		}
	}
}

func unmarshalPart(f *zip.File, v any) error {
	if f == nil {
		return errors.New("xlsx: missing part")
	}
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	return xml.NewDecoder(r).Decode(v)
}

// readSharedStrings reads the workbook's string table: each <si>'s text runs, phonetic runs left out.
func readSharedStrings(f *zip.File) ([]string, error) {
	if f == nil {
		return nil, nil
	}
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sc := newSheetScanner(r, nil)
	var out []string
	var b strings.Builder
	for {
		tok, err := sc.tag()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		switch {
		case tok.name == "si" && !tok.end:
			b.Reset()
			if tok.empty {
				out = append(out, "")
			}
		case tok.name == "si":
			out = append(out, b.String())
		case tok.name == "rPh" && !tok.end && !tok.empty:
			err = sc.skipTo("rPh")
		case tok.name == "t" && !tok.end && !tok.empty:
			err = sc.textTo(&b)
		}
		if err != nil {
			return nil, err
		}
	}
}

func (t *sheetTable) Header() []string { return t.header }
func (t *sheetTable) Encoding() string { return "xlsx" }
func (t *sheetTable) Close() error     { return t.part.Close() }

// EstRows scales the rows read so far by the part's bytes read so far (0 before the first).
func (t *sheetTable) EstRows() int {
	if t.rows == 0 || t.sc.read <= t.base {
		return 0
	}
	return int(int64(t.rows) * (t.size - t.base) / (t.sc.read - t.base))
}

func (t *sheetTable) Next() ([]string, int, error) {
	for {
		row, line, err := t.sc.next()
		if err != nil {
			return nil, 0, err
		}
		t.rows++
		if blank(row) {
			continue
		}
		return row, line, nil
	}
}

// sheetScanner walks SpreadsheetML tags by local name: <row r>, <c r t>, <v>, <is><t>.
// Values come out as excelize's RawCellValue does: shared strings resolved, numbers raw.
type sheetScanner struct {
	r      *bufio.Reader
	shared []string
	read   int64 // bytes consumed
	line   int   // the last row's number
	buf    []byte
}

type xmlTag struct {
	name       string // local name, for the elements the scanner needs; "" for others
	end, empty bool   // </x>, <x/>
	attrs      []byte // raw attribute text, valid until the next tag
}

// tagNames are the elements read; others are skipped by name "".
var tagNames = []string{"row", "c", "v", "is", "t", "rPh", "si"}

func localName(b []byte) string {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		b = b[i+1:]
	}
	for _, n := range tagNames {
		if string(b) == n {
			return n
		}
	}
	return ""
}

func newSheetScanner(r io.Reader, shared []string) *sheetScanner {
	return &sheetScanner{r: bufio.NewReaderSize(r, 64<<10), shared: shared}
}

// tag skips text to the next tag (comments, declarations and CDATA skipped) and reads it.
func (s *sheetScanner) tag() (xmlTag, error) {
	for {
		skipped, err := s.r.ReadSlice('<')
		s.read += int64(len(skipped))
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return xmlTag{}, err
		}
		raw, err := s.until('>')
		if err != nil {
			return xmlTag{}, err
		}
		if len(raw) > 0 && (raw[0] == '?' || raw[0] == '!') {
			if err := s.skipSpecial(raw); err != nil {
				return xmlTag{}, err
			}
			continue
		}
		var t xmlTag
		if len(raw) > 0 && raw[0] == '/' {
			t.end, raw = true, raw[1:]
		}
		if len(raw) > 0 && raw[len(raw)-1] == '/' {
			t.empty, raw = true, raw[:len(raw)-1]
		}
		end := bytes.IndexAny(raw, " \t\r\n")
		if end < 0 {
			end = len(raw)
		}
		t.name, t.attrs = localName(raw[:end]), raw[end:]
		return t, nil
	}
}

// until reads up to delim outside quotes, returning what came before it.
func (s *sheetScanner) until(delim byte) ([]byte, error) {
	s.buf = s.buf[:0]
	var quote byte
	for {
		c, err := s.r.ReadByte()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		s.read++
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == delim:
			return s.buf, nil
		}
		s.buf = append(s.buf, c)
	}
}

// skipSpecial finishes a comment or CDATA section whose start until('>') cut short.
func (s *sheetScanner) skipSpecial(raw []byte) error {
	end := ""
	switch {
	case bytes.HasPrefix(raw, []byte("!--")):
		end = "--"
	case bytes.HasPrefix(raw, []byte("![CDATA[")):
		end = "]]"
	default:
		return nil
	}
	for !bytes.HasSuffix(raw, []byte(end)) || len(raw) < len(end)+3 {
		more, err := s.until('>')
		if err != nil {
			return err
		}
		raw = append(append(raw, '>'), more...)
	}
	return nil
}

// textTo appends the element's text, up to its next tag, unescaped (and CDATA kept).
func (s *sheetScanner) textTo(b *strings.Builder) error {
	for {
		chunk, err := s.r.ReadSlice('<')
		s.read += int64(len(chunk))
		if err != nil && err != bufio.ErrBufferFull {
			return err
		}
		if err == nil {
			chunk = chunk[:len(chunk)-1]
		}
		if bytes.IndexByte(chunk, '&') >= 0 {
			b.WriteString(html.UnescapeString(string(chunk)))
		} else {
			b.Write(chunk)
		}
		if err == nil {
			if peek, _ := s.r.Peek(8); bytes.HasPrefix(peek, []byte("![CDATA[")) {
				s.r.Discard(8)
				s.read += 8
				data, err := s.cdata()
				if err != nil {
					return err
				}
				b.Write(data)
				continue
			}
			s.r.UnreadByte()
			s.read--
			return nil
		}
	}
}

func (s *sheetScanner) cdata() ([]byte, error) {
	var out []byte
	for {
		part, err := s.until('>')
		if err != nil {
			return nil, err
		}
		out = append(out, part...)
		if bytes.HasSuffix(out, []byte("]]")) {
			return out[:len(out)-2], nil
		}
		out = append(out, '>')
	}
}

// attr finds name="value" in raw attribute text; the value is not unescaped (the
// attributes read, r and t, are plain ASCII) and is valid until the next tag.
func attr(attrs []byte, name string) []byte {
	for len(attrs) > 0 {
		attrs = bytes.TrimLeft(attrs, " \t\r\n")
		k, rest, ok := bytes.Cut(attrs, []byte("="))
		if !ok {
			return nil
		}
		rest = bytes.TrimLeft(rest, " \t\r\n")
		if len(rest) == 0 {
			return nil
		}
		end := bytes.IndexByte(rest[1:], rest[0])
		if end < 0 {
			return nil
		}
		if string(bytes.TrimSpace(k)) == name {
			return rest[1 : 1+end]
		}
		attrs = rest[2+end:]
	}
	return nil
}

// cellRef reads a reference such as AB12 as its column (1-based) and row; 0s when it is not one.
func cellRef(ref []byte) (col, row int) {
	i := 0
	for ; i < len(ref) && ref[i] >= 'A' && ref[i] <= 'Z'; i++ {
		col = col*26 + int(ref[i]-'A'+1)
	}
	row = digits(ref[i:])
	if i == 0 || row == 0 || col > 16384 {
		return 0, 0
	}
	return col, row
}

// digits reads a positive decimal number; 0 when b is not one.
func digits(b []byte) int {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' || n > 1e8 {
			return 0
		}
		n = n*10 + int(c-'0')
	}
	return n
}

// next reads the next <row>: its cells by column (gaps empty) and its row number.
func (s *sheetScanner) next() ([]string, int, error) {
	var row []string
	inRow, col := false, 0
	var typ string
	var val, inline strings.Builder
	inIs := false
	for {
		t, err := s.tag()
		if err != nil {
			if err == io.EOF && inRow {
				err = io.ErrUnexpectedEOF
			}
			return nil, 0, err
		}
		switch t.name {
		case "row":
			if t.end {
				return row, s.line, nil
			}
			s.line++
			if n := digits(attr(t.attrs, "r")); n > 0 {
				s.line = n
			}
			if t.empty {
				return nil, s.line, nil
			}
			inRow, row, col = true, nil, 0
		case "c":
			if !inRow {
				continue
			}
			if !t.end {
				col++
				if c, _ := cellRef(attr(t.attrs, "r")); c > 0 {
					col = c
				}
				typ = cellType(attr(t.attrs, "t"))
				val.Reset()
				inline.Reset()
				if !t.empty {
					continue
				}
			}
			v := val.String()
			switch typ {
			case "s":
				if i, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && i >= 0 && i < len(s.shared) {
					v = s.shared[i]
				}
			case "inlineStr":
				v = inline.String()
			}
			for len(row) < col {
				row = append(row, "")
			}
			row[col-1] = v
		case "v":
			if !t.end && !t.empty {
				if err := s.textTo(&val); err != nil {
					return nil, 0, err
				}
			}
		case "is":
			inIs = !t.end && !t.empty
		case "rPh":
			if !t.end && !t.empty {
				if err := s.skipTo("rPh"); err != nil {
					return nil, 0, err
				}
			}
		case "t":
			if inIs && !t.end && !t.empty {
				if err := s.textTo(&inline); err != nil {
					return nil, 0, err
				}
			}
		}
	}
}

// cellType names the cell types that need more than the raw <v>.
func cellType(t []byte) string {
	switch string(t) {
	case "s":
		return "s"
	case "inlineStr":
		return "inlineStr"
	}
	return ""
}

// skipTo skips past the end tag of name.
func (s *sheetScanner) skipTo(name string) error {
	for {
		t, err := s.tag()
		if err != nil {
			return err
		}
		if t.end && t.name == name {
			return nil
		}
	}
}

type xlsxTable struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	line   int
	est    int
}

func openExcelize(data []byte) (Table, error) {
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
