package web_test

import (
	"context"
	"testing"
)

// BenchmarkServicePages measures the specialist's workbench and the demand board at 200k
// enterprises with ~1M visits and ~300k demands (issue #5: under 20 ms server time).
// Run: go test ./web -run '^$' -bench ServicePages -benchtime 200x
func BenchmarkServicePages(b *testing.B) {
	db := openBenchDB(b)
	var visits, demands int64
	db.R.WithContext(context.Background()).Table("visits").Count(&visits)
	db.R.Table("demands").Count(&demands)
	b.Logf("%d visits, %d demands", visits, demands)
	city := newBenchClient(b, "city")
	district := newBenchClient(b, "district")
	spec := newBenchClient(b, "specialist")
	cases := []struct {
		name string
		c    *benchClient
		path string
	}{
		{"specialist_home", spec, "/service/home"},
		{"board_city_open", city, "/service/demands"},
		{"board_city_overdue", city, "/service/demands?overdue=1"},
		{"board_city_category_page_10", city, "/service/demands?category=finance&page=10"},
		{"board_district", district, "/service/demands"},
		{"board_district_overdue", district, "/service/demands?overdue=1"},
		{"visit_form", spec, "/service/visits/new"},
		{"enterprise_detail", city, "/enterprises/12345"},
		{"coverage_city", city, "/service/coverage"},
		{"unassigned_city", city, "/service/unassigned"},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			tc.c.get(b, tc.path)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tc.c.get(b, tc.path)
			}
		})
	}
}
