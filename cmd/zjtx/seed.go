package main

import (
	"context"
	"log/slog"

	"zjtx/internal/demo"
	"zjtx/internal/store"
)

// demoEnterprises is how many enterprises `serve --demo` generates.
const demoEnterprises = 2000

// seedDemo fills an empty database with demo data; a database with data is left alone.
func seedDemo(ctx context.Context, db *store.DB, log *slog.Logger) error {
	n, err := store.NewEnterprises(db).Count(ctx)
	if err != nil {
		return err
	}
	if n > 0 {
		log.Info("database already has enterprises; demo data not added", "enterprises", n)
		return nil
	}
	stats, err := demo.Fill(ctx, db, demo.Options{Enterprises: demoEnterprises, Seed: 1})
	if err != nil {
		return err
	}
	if err := demo.CreateAccounts(ctx, db); err != nil {
		return err
	}
	log.Info("demo data added", "enterprises", stats.Enterprises, "years", stats.Years, "accounts", len(demo.Accounts))
	return nil
}
