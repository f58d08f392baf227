package dataio

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"zjtx/internal/domain"
)

// Writer writes a table row by row; Close flushes (xlsx is written out on Close).
type Writer interface {
	Row(cells []any) error
	Close() error
}

// NewWriter makes a writer for format "csv" (UTF-8 with BOM, so Excel reads Chinese)
// or "xlsx" (excelize's StreamWriter: rows are not kept in memory), with header written.
func NewWriter(w io.Writer, format string, header []string) (Writer, error) {
	hs := make([]any, len(header))
	for i, h := range header {
		hs[i] = h
	}
	switch format {
	case "csv":
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
		cw := &csvWriter{w: csv.NewWriter(w)}
		return cw, cw.Row(hs)
	case "xlsx":
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		xw := &xlsxWriter{f: f, sw: sw, out: w}
		return xw, xw.Row(hs)
	}
	return nil, fmt.Errorf("unknown export format %q", format)
}

type csvWriter struct {
	w *csv.Writer
	n int
}

func (c *csvWriter) Row(cells []any) error {
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = cellText(v)
	}
	c.n++
	if err := c.w.Write(rec); err != nil {
		return err
	}
	if c.n%500 == 0 {
		c.w.Flush()
	}
	return c.w.Error()
}

func (c *csvWriter) Close() error { c.w.Flush(); return c.w.Error() }

type xlsxWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	out io.Writer
	row int
}

func (x *xlsxWriter) Row(cells []any) error {
	x.row++
	vals := make([]any, len(cells))
	for i, v := range cells {
		switch t := v.(type) {
		case *domain.Money:
			if t != nil {
				f, _ := strconv.ParseFloat(t.FormatWan(), 64)
				vals[i] = f
			}
		case *int64:
			if t != nil {
				vals[i] = *t
			}
		default:
			vals[i] = v
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	return x.sw.SetRow(cell, vals)
}

func (x *xlsxWriter) Close() error {
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.out)
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func cellText(v any) string {
	switch t := v.(type) {
	case nil:
		return ""
	case string:
		return t
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case *int64:
		if t == nil {
			return ""
		}
		return strconv.FormatInt(*t, 10)
	case *domain.Money:
		if t == nil {
			return ""
		}
		return t.FormatWan()
	case domain.Money:
		return t.FormatWan()
	case bool:
		return YesNo(t)
	case fmt.Stringer:
		return t.String()
	}
	return fmt.Sprint(v)
}

// EnterpriseHeader is the header of an enterprise export (the template's profile columns and the tier).
func EnterpriseHeader() []string {
	var hs []string
	for _, f := range Fields {
		if !f.Year {
			hs = append(hs, f.Label)
		}
	}
	return hs
}

// EnterpriseRow is one enterprise in EnterpriseHeader's order.
func EnterpriseRow(e domain.Enterprise) []any {
	since := ""
	if e.AboveScaleSince != 0 {
		since = strconv.Itoa(e.AboveScaleSince)
	}
	return []any{string(e.USCC), e.Name, domain.DistrictName(e.DistrictCode), e.Address, e.FoundedOn.String(),
		e.IndustryGroup.ShortLabel(), e.IndustryCode, e.MainProduct, e.NicheMarket, e.NicheSince.String(),
		e.ContactPerson, e.ContactPhone, YesNo(e.AboveScale), since, YesNo(e.HighTech), YesNo(e.TechSME),
		YesNo(e.Gazelle), YesNo(e.Unicorn), YesNo(e.SingleChampion), YesNo(e.Listed), e.ListedBoard, e.Tier.Label()}
}

// FiguresHeader is the header of a yearly-figures export.
func FiguresHeader() []string {
	hs := []string{"统一社会信用代码", "企业名称", "年度"}
	for _, f := range Fields {
		if f.Year && f.Key != "year" {
			hs = append(hs, f.Label)
		}
	}
	return hs
}

// FiguresRow is one year of one enterprise in FiguresHeader's order.
func FiguresRow(e domain.Enterprise, y domain.YearFigures) []any {
	row := []any{string(e.USCC), e.Name, y.Year}
	for _, f := range domain.YearFields {
		if f.Money {
			row = append(row, *y.MoneyField(f.Key))
		} else {
			row = append(row, *y.CountField(f.Key))
		}
	}
	return row
}

// VisitHeader is the header of a visit export.
func VisitHeader() []string {
	return []string{"编号", "走访日期", "统一社会信用代码", "企业名称", "所在区", "走访方式", "服务专员", "参与人员", "走访纪要", "记录人"}
}

// VisitRow is one visit in VisitHeader's order: the visit, its enterprise's code, name and
// district, and the specialist's name.
func VisitRow(v domain.Visit, uscc, name, district, specialist string) []any {
	return []any{v.ID, v.VisitedOn.String(), uscc, name, domain.DistrictName(district), v.Kind.Label(), specialist,
		v.Participants, v.Summary, v.RecordedBy}
}
