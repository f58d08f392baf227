package store_test

import (
	"context"
	"errors"
	"slices"
	"sort"
	"strings"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

var all = domain.Scope{All: true}

func money(w int64) *domain.Money { m := domain.Wan(w); return &m }
func count(n int64) *int64        { return &n }

func newEnterprise(code, name, district string) *domain.Enterprise {
	return &domain.Enterprise{
		USCC: domain.USCC(code), Name: name, DistrictCode: district,
		IndustryGroup: domain.GroupIndustrial, FoundedOn: domain.MustDate("2015-06-01"),
		NicheSince: domain.MustDate("2016-01-01"),
	}
}

func TestEnterpriseLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		e := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		e.HighTech = true
		if err := s.Create(ctx, store.System, e); err != nil {
			t.Fatalf("create: %v", err)
		}
		dup := newEnterprise("91310000631696382C", "另一家公司", "310101")
		if err := s.Create(ctx, store.System, dup); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("duplicate USCC: got %v, want ErrConflict", err)
		}

		got, err := s.Get(ctx, all, e.ID)
		if err != nil {
			t.Fatalf("get: %v", err)
		}
		if got.Name != e.Name || got.FoundedOn != e.FoundedOn || !got.HighTech || got.Tier != domain.TierBase || got.Version != 1 {
			t.Fatalf("round trip lost data: %+v", got)
		}

		// Yearly figures drive the size class: 250 staff, 1.5 亿 revenue → small industrial.
		y := &domain.YearFigures{EnterpriseID: e.ID, Year: 2025, Employees: count(250), Revenue: money(15000), NetProfit: money(-120)}
		if err := s.SaveYear(ctx, store.System, y); err != nil {
			t.Fatalf("save year: %v", err)
		}
		if err := s.SaveYear(ctx, store.System, &domain.YearFigures{EnterpriseID: e.ID, Year: 2025}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("second 2025 row: got %v, want ErrConflict", err)
		}
		got, _ = s.Get(ctx, all, e.ID)
		if got.Size != domain.SizeSmall {
			t.Fatalf("size = %q, want small", got.Size)
		}
		ys, err := s.Years(ctx, e.ID)
		if err != nil || len(ys) != 1 || *ys[0].NetProfit != domain.Wan(-120) || ys[0].RDExpense != nil {
			t.Fatalf("years = %+v, %v", ys, err)
		}

		// Optimistic locking: a save based on an old version is refused.
		stale := got
		got.Name = "上海精密仪器股份有限公司"
		if err := s.Update(ctx, store.System, &got); err != nil {
			t.Fatalf("update: %v", err)
		}
		stale.Name = "覆盖"
		if err := s.Update(ctx, store.System, &stale); !errors.Is(err, store.ErrStale) {
			t.Fatalf("stale update: got %v, want ErrStale", err)
		}
		if _, err := s.Get(ctx, all, 999999); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("missing: got %v, want ErrNotFound", err)
		}

		page, err := s.List(ctx, store.EnterpriseFilter{Scope: all, Query: "精密"})
		if err != nil || page.Total != 1 || page.Items[0].Name != "上海精密仪器股份有限公司" {
			t.Fatalf("search by name: %+v %v", page, err)
		}
		page, err = s.List(ctx, store.EnterpriseFilter{Scope: all, Query: "913100006316"})
		if err != nil || page.Total != 1 {
			t.Fatalf("search by USCC prefix: %+v %v", page, err)
		}
		page, err = s.List(ctx, store.EnterpriseFilter{Scope: all, Label: domain.LabelHighTech, District: "310101"})
		if err != nil || page.Total != 0 {
			t.Fatalf("filter: %+v %v", page, err)
		}
		page, err = s.List(ctx, store.EnterpriseFilter{Scope: all, Query: "100%_"})
		if err != nil || page.Total != 0 {
			t.Fatalf("LIKE metacharacters must be literal: %+v %v", page, err)
		}
	})
}

func TestScopesAndAudit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		pd := newEnterprise("91310000631696382C", "浦东企业", "310115")
		xh := newEnterprise("91310115MA1K3BTP2B", "徐汇企业", "310104")
		actor := store.Actor{Name: "测试员", RequestID: "req-1"}
		for _, e := range []*domain.Enterprise{pd, xh} {
			if err := s.Create(ctx, actor, e); err != nil {
				t.Fatal(err)
			}
		}
		district := domain.Scope{District: "310104"}
		if _, err := s.Get(ctx, district, pd.ID); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("district officer read another district's enterprise: %v", err)
		}
		page, _ := s.List(ctx, store.EnterpriseFilter{Scope: district})
		if page.Total != 1 || page.Items[0].ID != xh.ID {
			t.Errorf("district list = %+v", page.Items)
		}
		page, _ = s.List(ctx, store.EnterpriseFilter{})
		if page.Total != 0 {
			t.Error("the zero scope must see nothing")
		}
		own := domain.Scope{EnterpriseID: pd.ID}
		if _, err := s.Get(ctx, own, xh.ID); !errors.Is(err, store.ErrNotFound) {
			t.Error("enterprise account read another enterprise")
		}

		pd.Name = "浦东企业（更名）"
		if err := s.Update(ctx, actor, pd); err != nil {
			t.Fatal(err)
		}
		rows, total, err := store.NewAuditLog(db).List(ctx, store.AuditFilter{EnterpriseID: pd.ID})
		if err != nil || total != 2 {
			t.Fatalf("audit rows = %d, %v", total, err)
		}
		upd := rows[0]
		if upd.Action != "update" || upd.ActorName != "测试员" || upd.RequestID != "req-1" {
			t.Errorf("audit row = %+v", upd)
		}
		cs := upd.ChangeList()
		if len(cs) != 1 || cs[0].Field != "企业名称" || cs[0].Before != "浦东企业" || cs[0].After != "浦东企业（更名）" {
			t.Errorf("changes = %+v", cs)
		}
	})
}

func TestNameSearchUsesGramsCorrectly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		a := newEnterprise("91310000631696382C", "上海精密机械有限公司", "310115")
		b := newEnterprise("91310115MA1K3BTP2B", "上海ABC智能科技有限公司", "310115")
		for _, e := range []*domain.Enterprise{a, b} {
			if err := s.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
		}
		count := func(q string) int64 {
			p, err := s.List(ctx, store.EnterpriseFilter{Scope: all, Query: q})
			if err != nil {
				t.Fatal(err)
			}
			return p.Total
		}
		for q, want := range map[string]int64{
			"精密": 1, "精密机械": 1, "密机": 1, "机精": 0, "精机": 0, "上海": 2, "智": 1, "abc": 1, "ABC智能": 1,
			"有限公司": 2, "不存在的公司": 0, "%": 0,
		} {
			if got := count(q); got != want {
				t.Errorf("search %q: %d, want %d", q, got, want)
			}
		}
		a.Name = "上海新名传感有限公司"
		if err := s.Update(ctx, store.System, a); err != nil {
			t.Fatal(err)
		}
		if count("精密") != 0 || count("传感") != 1 {
			t.Error("renaming did not update the search index")
		}
	})
}

// A name search lists its matches page by page in name order (either direction),
// with the columns a list row shows.
func TestNameSearchPagesInNameOrder(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		s := store.NewEnterprises(db)
		codes := []string{"91310000631696382C", "91310115MA1K3BTP2B", "91310101MA1FPX0A1T", "91310104MA1FR5XK6M",
			"91310105MA1FW9KJ2Q", "91310106MA1G0XPQ5E", "91310107MA1G2C4A9B"}
		names := []string{"上海精密乙有限公司", "上海精密甲有限公司", "北京精密丙公司", "上海精密丁有限公司", "上海粗糙有限公司",
			"上海精密戊有限公司", "上海精密己有限公司"}
		for i, code := range codes {
			e := newEnterprise(code, names[i], "310115")
			e.HighTech = i%2 == 0
			if err := s.Create(ctx, store.System, e); err != nil {
				t.Fatal(err)
			}
		}
		var want []string // every name with 精密, in byte order (both databases' order for these)
		for _, n := range names {
			if strings.Contains(n, "精密") {
				want = append(want, n)
			}
		}
		sort.Strings(want)
		for _, desc := range []bool{false, true} {
			var got []string
			for p := 1; p <= 3; p++ {
				page, err := s.List(ctx, store.EnterpriseFilter{Scope: all, Query: "精密", PerPage: 2, Page: p, Desc: desc})
				if err != nil {
					t.Fatal(err)
				}
				if page.Total != int64(len(want)) {
					t.Fatalf("total %d, want %d", page.Total, len(want))
				}
				for _, e := range page.Items {
					got = append(got, e.Name)
					if e.DistrictCode != "310115" || e.Tier != domain.TierBase || e.FoundedOn.String() != "2015-06-01" ||
						e.IndustryGroup != domain.GroupIndustrial || e.HighTech != (slices.Index(names, e.Name)%2 == 0) {
						t.Errorf("row %+v", e)
					}
				}
			}
			w := slices.Clone(want)
			if desc {
				slices.Reverse(w)
			}
			if !slices.Equal(got, w) {
				t.Errorf("desc=%v: %v, want %v", desc, got, w)
			}
		}
	})
}
