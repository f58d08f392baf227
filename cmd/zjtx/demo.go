package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
)

func init() {
	register("demo", "生成演示数据", runDemo)
}

// runDemo fills an empty database with synthetic enterprises; it never touches one with data.
func runDemo(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "SQLite file, or a postgres:// URL (env ZJTX_DB)")
	n := fs.Int("enterprises", 2000, "number of enterprises to generate")
	seed := fs.Int64("seed", 1, "random seed: the same seed and date give the same data")
	todayFlag := fs.String("today", "", "reference date YYYY-MM-DD (default: today in Shanghai)")
	accounts := fs.Bool("accounts", false, "also create the demo accounts (password demo-zjtx), e.g. for a load run")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *n < 1 {
		fmt.Fprintln(e.stderr, "zjtx demo: --enterprises must be at least 1 and no arguments are taken")
		return errUsage
	}
	var today domain.Date
	if *todayFlag != "" {
		d, err := domain.ParseDate(*todayFlag)
		if err != nil {
			return fmt.Errorf("--today: %w", err)
		}
		today = d
	}

	start := time.Now()
	db, err := openDB(ctx, *dsn, newLogger(e))
	if err != nil {
		return err
	}
	defer db.Close()
	stats, err := demo.Fill(ctx, db, demo.Options{Enterprises: *n, Seed: *seed, Today: today})
	if errors.Is(err, demo.ErrNotEmpty) {
		return fmt.Errorf("数据库 %s 已有企业数据，演示数据只写入空数据库（请换一个数据库文件）", redactDSN(*dsn))
	}
	if err != nil {
		return err
	}
	if *accounts {
		if err := demo.CreateAccounts(ctx, db); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "已生成演示数据：%d 家企业（%s %d · %s %d · %s %d · %s %d），%d 条年度数据，%d 条梯度记录，用时 %s\n",
		stats.Enterprises,
		domain.TierBase.ShortLabel(), stats.ByTier[domain.TierBase],
		domain.TierInnovative.ShortLabel(), stats.ByTier[domain.TierInnovative],
		domain.TierSpecialized.ShortLabel(), stats.ByTier[domain.TierSpecialized],
		domain.TierLittleGiant.ShortLabel(), stats.ByTier[domain.TierLittleGiant],
		stats.Years, stats.TierEvents, time.Since(start).Round(10*time.Millisecond))
	return nil
}
