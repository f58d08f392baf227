package dataio

import (
	"fmt"
	"io"

	"zjtx/internal/domain"
)

// TestUSCC makes a valid code from a number, for generated files and tests.
func TestUSCC(n int) domain.USCC {
	body := fmt.Sprintf("%08d", n%100000000)
	org := body + string(domain.OrgCodeCheckChar(body))
	first17 := "91310115" + org
	return domain.USCC(first17 + string(domain.USCCCheckChar(first17)))
}

// Generate writes n template rows (one enterprise with one year each) as csv or xlsx,
// for the import benchmark.
func Generate(w io.Writer, format string, n, offset int) error {
	wr, err := NewWriter(w, format, TemplateHeaders())
	if err != nil {
		return err
	}
	for i := 0; i < n; i++ {
		k := offset + i
		d := domain.Districts[k%len(domain.Districts)]
		rev := domain.Wan(int64(1000 + k%50000))
		rd := domain.Money(int64(rev) / 20)
		emp := int64(20 + k%900)
		staff := emp / 10
		row := []any{string(TestUSCC(k)), fmt.Sprintf("上海测试%07d科技有限公司", k), d.Name, "上海市测试路" + fmt.Sprint(k%999+1) + "号",
			"2015-03-01", "工业", "C3562", "精密部件", "细分市场", "2016-01-01", "张三", "021-12345678",
			YesNo(k%3 == 0), "", YesNo(k%5 == 0), YesNo(k%2 == 0), "否", "否", "否", "否", "",
			2024, &emp, &staff, &rev, &rev, nil, &rd, nil, nil, nil, nil}
		if k%3 == 0 {
			row[13] = 2020
		}
		if err := wr.Row(row); err != nil {
			return err
		}
	}
	return wr.Close()
}
