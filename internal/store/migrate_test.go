package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

func TestMigrateIsIdempotentAndVersioned(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		ms, err := store.Migrations()
		if err != nil {
			t.Fatal(err)
		}
		v, err := db.SchemaVersion(ctx)
		if err != nil || v != len(ms) {
			t.Fatalf("schema version = %d, %v; want %d", v, err, len(ms))
		}
		n, err := db.Migrate(ctx)
		if err != nil || n != 0 {
			t.Fatalf("second migrate applied %d, %v", n, err)
		}
	})
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		g := db.W
		if err := g.Exec("INSERT INTO audit_log (at, action, entity_type) VALUES (CURRENT_TIMESTAMP, 'test', 'x')").Error; err != nil {
			t.Fatal(err)
		}
		if err := g.Exec("UPDATE audit_log SET action = 'forged'").Error; err == nil {
			t.Error("UPDATE of audit_log succeeded")
		}
		if err := g.Exec("DELETE FROM audit_log").Error; err == nil {
			t.Error("DELETE from audit_log succeeded")
		}
	})
}

func TestUpgradeKeepsData(t *testing.T) {
	// A database at schema 1 with data upgrades to the current schema with its rows intact.
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := store.Open(path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.MigrateTo(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := old.W.Exec(`INSERT INTO enterprises (uscc, name, district_code, industry_group, created_at, updated_at)
		VALUES ('91310000631696382C', '旧库企业', '310101', 'industrial', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)`).Error; err != nil {
		t.Fatal(err)
	}
	old.Close()
	db := storetest.SQLitePath(t, path)
	n, err := store.NewEnterprises(db).Count(ctx)
	if err != nil || n != 1 {
		t.Fatalf("after upgrade: %d enterprises, %v", n, err)
	}
}
