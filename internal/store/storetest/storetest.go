// Package storetest opens real databases for tests: a temp SQLite file always,
// and PostgreSQL when ZJTX_TEST_POSTGRES names a server (CI sets it).
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"zjtx/internal/store"
)

// PostgresEnv names the variable holding an admin URL of a PostgreSQL server for tests.
const PostgresEnv = "ZJTX_TEST_POSTGRES"

// SQLite opens a migrated database in a fresh temp file.
func SQLite(t testing.TB) *store.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "zjtx.db"))
}

// SQLitePath opens a migrated database at path (for tests that reopen it).
func SQLitePath(t testing.TB, path string) *store.DB { t.Helper(); return open(t, path) }

// PostgresURL creates a fresh database on the test server and returns its URL.
// Without ZJTX_TEST_POSTGRES the test is skipped, or fails when CI=true.
func PostgresURL(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(PostgresEnv)
	if admin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is not set: CI must run the PostgreSQL tests", PostgresEnv)
		}
		t.Skipf("PostgreSQL tests skipped: set %s=postgres://user@host/db to run them", PostgresEnv)
	}
	g, err := gorm.Open(postgres.Open(admin), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		t.Fatalf("connect to test PostgreSQL: %v", err)
	}
	sqlDB, _ := g.DB()
	defer sqlDB.Close()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "zjtx_test_" + hex.EncodeToString(b)
	if err := g.Exec("CREATE DATABASE " + name).Error; err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		g, err := gorm.Open(postgres.Open(admin), &gorm.Config{Logger: logger.Discard})
		if err != nil {
			return
		}
		s, _ := g.DB()
		defer s.Close()
		g.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", PostgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// Postgres opens a migrated fresh PostgreSQL database (see PostgresURL).
func Postgres(t testing.TB) *store.DB { t.Helper(); return open(t, PostgresURL(t)) }

// Each runs fn once per available database: SQLite always, PostgreSQL when configured.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, SQLite(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

func open(t testing.TB, dsn string) *store.DB {
	t.Helper()
	db, err := store.Open(dsn, store.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}
