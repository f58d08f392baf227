package demo_test

import (
	"context"
	"testing"

	"zjtx/internal/auth"
	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

func TestCreateAccounts(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 300, Seed: 7, Today: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatal(err)
	}
	if err := demo.CreateAccounts(ctx, db); err != nil {
		t.Fatal(err)
	}
	users := store.NewUsers(db)
	ents := store.NewEnterprises(db)
	for _, a := range demo.Accounts {
		u, err := users.GetByUsername(ctx, a.Username)
		if err != nil || u.Role != a.Role || !auth.CheckPassword(u.PasswordHash, demo.Password) {
			t.Fatalf("%s: %+v %v", a.Username, u, err)
		}
		page, err := ents.List(ctx, store.EnterpriseFilter{Scope: u.Scope()})
		if err != nil || page.Total == 0 {
			t.Errorf("%s sees no enterprise (%v)", a.Username, err)
		}
		if a.Role == domain.RoleSpecialist || a.Role == domain.RoleDistrict {
			for _, e := range page.Items {
				if e.DistrictCode != demo.DemoDistrict {
					t.Errorf("%s sees %s in %s", a.Username, e.Name, e.DistrictCode)
				}
			}
		}
		if a.Role == domain.RoleEnterprise && page.Total != 1 {
			t.Errorf("enterprise account sees %d enterprises", page.Total)
		}
	}
}
