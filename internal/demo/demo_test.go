package demo_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

var today = domain.MustDate("2026-11-20")

func TestGenerateIsDeterministic(t *testing.T) {
	a := demo.Generate(demo.Options{Enterprises: 500, Seed: 7, Today: today})
	b := demo.Generate(demo.Options{Enterprises: 500, Seed: 7, Today: today})
	c := demo.Generate(demo.Options{Enterprises: 500, Seed: 8, Today: today})
	if len(a.Enterprises) != 500 || len(a.Years) != len(b.Years) || len(a.Events) != len(b.Events) {
		t.Fatalf("sizes differ: %d/%d years, %d/%d events", len(a.Years), len(b.Years), len(a.Events), len(b.Events))
	}
	same := 0
	for i := range a.Enterprises {
		ea, eb := a.Enterprises[i], b.Enterprises[i]
		if ea.USCC != eb.USCC || ea.Name != eb.Name || ea.Tier != eb.Tier || ea.FoundedOn != eb.FoundedOn {
			t.Fatalf("enterprise %d differs between runs: %+v vs %+v", i, ea, eb)
		}
		if ea.USCC == c.Enterprises[i].USCC {
			same++
		}
	}
	for i := range a.Years {
		if ra, rb := a.Years[i].Revenue, b.Years[i].Revenue; (ra == nil) != (rb == nil) || ra != nil && *ra != *rb {
			t.Fatalf("year %d differs between runs", i)
		}
	}
	if same > 5 {
		t.Fatalf("another seed should give other codes; %d of 500 equal", same)
	}
}

// loaded is what Fill stored, read back through gorm.
type loaded struct {
	ents   []domain.Enterprise
	years  map[int64][]domain.YearFigures
	events map[int64][]domain.TierEvent
}

func load(t *testing.T, db *store.DB) loaded {
	t.Helper()
	var l loaded
	var ys []domain.YearFigures
	var evs []domain.TierEvent
	if err := db.R.Table("enterprises").Order("id").Find(&l.ents).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.R.Table("year_figures").Order("enterprise_id, year").Find(&ys).Error; err != nil {
		t.Fatal(err)
	}
	if err := db.R.Table("tier_events").Order("enterprise_id, effective_on, id").Find(&evs).Error; err != nil {
		t.Fatal(err)
	}
	l.years, l.events = map[int64][]domain.YearFigures{}, map[int64][]domain.TierEvent{}
	for _, y := range ys {
		l.years[y.EnterpriseID] = append(l.years[y.EnterpriseID], y)
	}
	for _, e := range evs {
		l.events[e.EnterpriseID] = append(l.events[e.EnterpriseID], e)
	}
	return l
}

func TestFill(t *testing.T) {
	const n = 2000
	db := storetest.SQLite(t)
	stats, err := demo.Fill(context.Background(), db, demo.Options{Enterprises: n, Seed: 1, Today: today})
	if err != nil {
		t.Fatalf("fill: %v", err)
	}
	l := load(t, db)
	if stats.Enterprises != n || len(l.ents) != n {
		t.Fatalf("stored %d enterprises (stats %d), want %d", len(l.ents), stats.Enterprises, n)
	}
	t.Logf("stats: %+v", stats)

	t.Run("identity", func(t *testing.T) { checkIdentity(t, l.ents) })
	t.Run("profile", func(t *testing.T) { checkProfiles(t, l.ents) })
	t.Run("tiers", func(t *testing.T) { checkTiers(t, l) })
	t.Run("years", func(t *testing.T) { checkYears(t, l) })
	t.Run("rungs fit", func(t *testing.T) { checkRungsFit(t, l) })
}

// checkIdentity: valid, unique codes in every district; ~1% with an old mismatching org code.
func checkIdentity(t *testing.T, ents []domain.Enterprise) {
	codes, names, districts := map[domain.USCC]bool{}, map[string]bool{}, map[string]int{}
	warnings := 0
	for _, e := range ents {
		res, err := domain.ParseUSCC(string(e.USCC))
		if err != nil {
			t.Fatalf("%s %s: %v", e.USCC, e.Name, err)
		}
		if res.Warning != "" {
			warnings++
		}
		if e.USCC.DivisionCode() != e.DistrictCode {
			t.Errorf("%s registered in %s but coded %s", e.Name, e.DistrictCode, e.USCC.DivisionCode())
		}
		if codes[e.USCC] || names[e.Name] {
			t.Fatalf("duplicate code or name: %s %s", e.USCC, e.Name)
		}
		codes[e.USCC], names[e.Name] = true, true
		districts[e.DistrictCode]++
	}
	for _, d := range domain.Districts {
		if districts[d.Code] == 0 {
			t.Errorf("no enterprise in %s", d.Name)
		}
	}
	if districts["310115"] <= districts["310112"] || districts["310151"] >= districts["310101"] {
		t.Errorf("浦东 should lead and 崇明 trail: %v", districts)
	}
	if warnings == 0 || warnings > len(ents)/30 {
		t.Errorf("%d org-code warnings in %d codes, want about 1%%", warnings, len(ents))
	}
}

func checkProfiles(t *testing.T, ents []domain.Enterprise) {
	groups := map[domain.IndustryGroup]int{}
	for _, e := range ents {
		if fe := e.Validate(today); len(fe) > 0 {
			t.Fatalf("%s fails profile validation: %v", e.Name, fe)
		}
		if !strings.HasPrefix(e.Name, "上海") || !strings.HasSuffix(e.Name, "有限公司") {
			t.Errorf("odd name %q", e.Name)
		}
		if e.Listed && (e.ListedBoard == "" || !strings.HasSuffix(e.Name, "股份有限公司")) {
			t.Errorf("listed %s without a board or not a 股份公司", e.Name)
		}
		if e.NicheSince.IsZero() || e.NicheSince.Before(e.FoundedOn) || !e.NicheSince.Before(today) {
			t.Errorf("%s: niche since %s, founded %s", e.Name, e.NicheSince, e.FoundedOn)
		}
		if y := e.FoundedOn.Year(); y < 1995 || y > 2023 {
			t.Errorf("%s founded %s", e.Name, e.FoundedOn)
		}
		if len(e.ContactPhone) != 11 || !strings.Contains("358", e.ContactPhone[1:2]) || e.ContactPerson == "" {
			t.Errorf("%s contact %q %q", e.Name, e.ContactPerson, e.ContactPhone)
		}
		if !strings.HasPrefix(e.Address, domain.DistrictName(e.DistrictCode)) {
			t.Errorf("%s address %q outside its district", e.Name, e.Address)
		}
		if e.IndustryCode == "" || e.MainProduct == "" || e.NicheMarket == "" || e.Version != 1 {
			t.Errorf("%s incomplete: %+v", e.Name, e)
		}
		groups[e.IndustryGroup]++
	}
	share := func(g domain.IndustryGroup) float64 { return float64(groups[g]) / float64(len(ents)) }
	if s := share(domain.GroupIndustrial); s < 0.5 || s > 0.6 {
		t.Errorf("industrial share %.2f", s)
	}
	if s := share(domain.GroupSoftwareIT); s < 0.2 || s > 0.3 {
		t.Errorf("software share %.2f", s)
	}
}

func checkTiers(t *testing.T, l loaded) {
	byTier := map[domain.Tier]int{}
	expiring := 0
	for _, e := range l.ents {
		byTier[e.Tier]++
		evs := l.events[e.ID]
		if e.Tier == domain.TierBase {
			if len(evs) != 0 || !e.TierValidUntil.IsZero() {
				t.Fatalf("base %s has history %v", e.Name, evs)
			}
			continue
		}
		if len(evs) < e.Tier.Rank() {
			t.Fatalf("%s at %s has only %d events", e.Name, e.Tier, len(evs))
		}
		held := domain.TierBase
		for _, ev := range evs {
			switch ev.Kind {
			case domain.EventCertified:
				if ev.FromTier != held || ev.ToTier != held.Next() {
					t.Fatalf("%s: %s→%s while holding %s", e.Name, ev.FromTier, ev.ToTier, held)
				}
			case domain.EventRenewed:
				if ev.FromTier != held || ev.ToTier != held {
					t.Fatalf("%s: renewal of %s while holding %s", e.Name, ev.ToTier, held)
				}
			default:
				t.Fatalf("%s: unexpected event %s", e.Name, ev.Kind)
			}
			if ev.ValidUntil != ev.EffectiveOn.AddYears(3) || ev.EffectiveOn.After(today) || !ev.EffectiveOn.After(e.FoundedOn) {
				t.Fatalf("%s: event dated %s–%s, founded %s", e.Name, ev.EffectiveOn, ev.ValidUntil, e.FoundedOn)
			}
			if ev.CertificateNo == "" || ev.DecidedBy == "" {
				t.Fatalf("%s: event without certificate or issuer: %+v", e.Name, ev)
			}
			held = ev.ToTier
		}
		last := evs[len(evs)-1]
		if held != e.Tier || last.ValidUntil != e.TierValidUntil {
			t.Fatalf("%s is %s until %s but history ends %s until %s", e.Name, e.Tier, e.TierValidUntil, held, last.ValidUntil)
		}
		if d := today.DaysUntil(e.TierValidUntil); d < -90 {
			t.Errorf("%s lapsed long ago: %s", e.Name, e.TierValidUntil)
		} else if d <= 183 {
			expiring++
		}
	}
	n := float64(len(l.ents))
	within := func(tier domain.Tier, lo, hi float64) {
		if s := float64(byTier[tier]) / n; s < lo || s > hi {
			t.Errorf("%s share %.3f, want %.2f–%.2f", tier, s, lo, hi)
		}
	}
	within(domain.TierBase, 0.65, 0.75)
	within(domain.TierInnovative, 0.15, 0.21)
	within(domain.TierSpecialized, 0.08, 0.12)
	within(domain.TierLittleGiant, 0.01, 0.03)
	tiered := n - float64(byTier[domain.TierBase])
	if s := float64(expiring) / tiered; s < 0.03 || s > 0.25 {
		t.Errorf("%.2f of titles lapse or expire within 6 months", s)
	}
	certs := map[string]bool{}
	for _, evs := range l.events {
		for _, ev := range evs {
			if certs[ev.CertificateNo] {
				t.Fatalf("certificate %s issued twice", ev.CertificateNo)
			}
			certs[ev.CertificateNo] = true
		}
	}
}

func checkYears(t *testing.T, l loaded) {
	missing := 0
	for _, e := range l.ents {
		ys := l.years[e.ID]
		if len(ys) < 3 || len(ys) > 4 {
			t.Fatalf("%s has %d years", e.Name, len(ys))
		}
		for i, y := range ys {
			if want := today.Year() - len(ys) + i; y.Year != want {
				t.Fatalf("%s: years %v, want the last ones before %d", e.Name, y.Year, today.Year())
			}
			if fe := y.Validate(today); len(fe) > 0 {
				t.Fatalf("%s %d: %v", e.Name, y.Year, fe)
			}
			if e.IndustryGroup != domain.GroupIndustrial && y.OutputValue != nil {
				t.Errorf("%s: output value outside industry", e.Name)
			}
			if y.Revenue == nil || y.Employees == nil {
				missing++
			}
			if r := y.RDRatio(); r.OK && (r.Value < 0.004 || r.Value > 0.121) {
				t.Errorf("%s %d: R&D ratio %.3f", e.Name, y.Year, r.Value)
			}
			if r := y.DebtRatio(); r.OK && (r.Value < 0.19 || r.Value > 0.91) {
				t.Errorf("%s %d: debt ratio %.3f", e.Name, y.Year, r.Value)
			}
			if i > 0 {
				if g := domain.Growth(y.Revenue, ys[i-1].Revenue); g.OK && (g.Value < -0.11 || g.Value > 0.41) {
					t.Errorf("%s %d: growth %.3f", e.Name, y.Year, g.Value)
				}
			}
			if y.Revenue != nil && *y.Revenue%100 != 0 {
				t.Errorf("%s: revenue %d 分 not whole 元", e.Name, *y.Revenue)
			}
		}
		if e.Size != domain.LatestSize(e.IndustryGroup, ys) {
			t.Errorf("%s: size %q, latest year says %q", e.Name, e.Size, domain.LatestSize(e.IndustryGroup, ys))
		}
		if e.AboveScale && (e.AboveScaleSince < e.FoundedOn.Year() || e.AboveScaleSince >= today.Year()) {
			t.Errorf("%s: 规上 since %d, founded %s", e.Name, e.AboveScaleSince, e.FoundedOn)
		}
	}
	if missing == 0 {
		t.Errorf("some figures should be missing, as in real data")
	}
}

// checkRungsFit: most enterprises on a rung have the figures its rules ask for.
func checkRungsFit(t *testing.T, l loaded) {
	fit, total := map[domain.Tier]int{}, map[domain.Tier]int{}
	for _, e := range l.ents {
		ys := l.years[e.ID]
		last := ys[len(ys)-1]
		var ok bool
		switch e.Tier {
		case domain.TierSpecialized:
			rd := last.RDRatio()
			ok = rd.OK && rd.Value >= 0.03 && last.RDExpense.Wan() >= 100 && last.Revenue.Wan() >= 1500
		case domain.TierLittleGiant:
			rd := last.RDRatio()
			ok = rd.OK && rd.Value >= 0.03 && last.Revenue.Wan() >= 5000
		default:
			continue
		}
		total[e.Tier]++
		if ok {
			fit[e.Tier]++
		}
	}
	for tier, n := range total {
		if s := float64(fit[tier]) / float64(n); s < 0.7 || s == 1 {
			t.Errorf("%s: %.2f meet the R&D and revenue bars, want most but not all", tier, s)
		}
	}
}

func TestFillRefusesNonEmptyDatabase(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 20, Seed: 1, Today: today}); err != nil {
		t.Fatal(err)
	}
	_, err := demo.Fill(ctx, db, demo.Options{Enterprises: 20, Seed: 2, Today: today})
	if !errors.Is(err, demo.ErrNotEmpty) {
		t.Fatalf("second fill: %v, want ErrNotEmpty", err)
	}
	if n, _ := store.NewEnterprises(db).Count(ctx); n != 20 {
		t.Fatalf("count = %d after refused fill, want 20", n)
	}
}

func TestFillIsAllOrNothing(t *testing.T) {
	db := storetest.SQLite(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 3000, Seed: 1, Today: today}); err == nil {
		t.Fatal("fill with a cancelled context succeeded")
	}
	if n, _ := store.NewEnterprises(db).Count(context.Background()); n != 0 {
		t.Fatalf("%d enterprises left after a failed fill", n)
	}
}

// BenchmarkFill200k measures the full demo size on SQLite:
//
//	go test ./internal/demo -run '^$' -bench Fill200k -benchtime 1x
func BenchmarkFill200k(b *testing.B) {
	for range b.N {
		b.StopTimer()
		db := storetest.SQLite(b)
		b.StartTimer()
		s, err := demo.Fill(context.Background(), db, demo.Options{Enterprises: 200_000, Seed: 1, Today: today})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(s.Years), "years")
	}
}
