package store_test

import (
	"context"
	"reflect"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// The batch reads must return exactly what the one-at-a-time reads do, for the fields they fill.
func TestBatchReadsMatchSingleReads(t *testing.T) {
	ctx := context.Background()
	db := storetest.SQLite(t)
	s := store.NewEnterprises(db)
	var ids []int64
	for i, code := range []string{"91310115MA1K3BTP2B", "9131012056010553X5", "91310000631696382C"} {
		e := domain.Enterprise{USCC: domain.USCC(code), Name: "企业" + code[:4], DistrictCode: "310115",
			IndustryGroup: domain.GroupIndustrial, NicheSince: domain.MustDate("2019-05-06")}
		e.HighTech = i == 1
		if err := s.Create(ctx, store.System, &e); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, e.ID)
		for y := 2022; y < 2022+i+1; y++ {
			rev, loss, n := domain.Wan(3000+int64(y)), domain.Money(-12345), int64(40+y-2022)
			fig := domain.YearFigures{EnterpriseID: e.ID, Year: y, Revenue: &rev, NetProfit: &loss, Employees: &n}
			if err := s.SaveYear(ctx, store.System, &fig); err != nil {
				t.Fatal(err)
			}
		}
	}
	years, err := s.YearsFor(ctx, append(ids, 999))
	if err != nil {
		t.Fatal(err)
	}
	if len(years) != len(ids) {
		t.Errorf("YearsFor returned %d enterprises, want %d", len(years), len(ids))
	}
	for _, id := range ids {
		want, err := s.Years(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(years[id], want) {
			t.Errorf("enterprise %d: YearsFor = %+v, want %+v", id, years[id], want)
		}
	}

	page, err := s.RuleInputsAfter(ctx, ids[0], 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(page) != 2 || page[0].ID != ids[1] || page[1].ID != ids[2] {
		t.Fatalf("RuleInputsAfter(%d) = %+v", ids[0], page)
	}
	full, _ := s.Get(ctx, domain.Scope{All: true}, ids[1])
	got := page[0]
	if got.USCC != full.USCC || got.Name != full.Name || got.IndustryGroup != full.IndustryGroup || got.NicheSince != full.NicheSince ||
		got.HighTech != full.HighTech || got.Tier != full.Tier || got.TierValidUntil != full.TierValidUntil || got.Size != full.Size || got.DistrictCode != full.DistrictCode {
		t.Errorf("RuleInputsAfter = %+v, want the rule fields of %+v", got, full)
	}
	if page, _ := s.RuleInputsAfter(ctx, ids[2], 10); len(page) != 0 {
		t.Errorf("page after the last id = %+v", page)
	}
}
