package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
	_ "time/tzdata" // "today" is Shanghai's date even on hosts without zoneinfo

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/tiers"
	"zjtx/web"
)

func init() {
	register("serve", "运行 Web 应用", runServe)
}

// defaultDB is ZJTX_DB or the embedded SQLite file under ./data.
func defaultDB(e env) string {
	if v := e.getenv("ZJTX_DB"); v != "" {
		return v
	}
	return "./data/zjtx.db"
}

func newLogger(e env) *slog.Logger {
	return slog.New(slog.NewJSONHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// openDB opens and migrates the database named by dsn.
func openDB(ctx context.Context, dsn string, log *slog.Logger) (*store.DB, error) {
	db, err := store.Open(dsn, store.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	n, err := db.Migrate(ctx)
	if err != nil {
		db.Close()
		return nil, err
	}
	if n > 0 {
		log.Info("migrated database", "applied", n)
	}
	return db, nil
}

func runServe(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	addr := fs.String("addr", envOr(e, "ZJTX_ADDR", "127.0.0.1:8080"), "listen address (env ZJTX_ADDR)")
	dsn := fs.String("db", defaultDB(e), "SQLite file, or a postgres:// URL (env ZJTX_DB)")
	demoFlag := fs.Bool("demo", false, "fill an empty database with demo data on start")
	trustProxy := fs.Bool("trust-proxy", envOr(e, "ZJTX_TRUST_PROXY", "") == "1", "take client address and scheme from X-Forwarded-* (only behind a proxy that sets them)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	log := newLogger(e)
	db, err := openDB(ctx, *dsn, log)
	if err != nil {
		return err
	}
	defer db.Close()
	if *demoFlag {
		if err := seedDemo(ctx, db, log); err != nil {
			return err
		}
	}

	app := web.New(web.Config{DB: db, Logger: log, Demo: *demoFlag, TrustProxy: *trustProxy})
	srv := &http.Server{
		Handler:           app,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	log.Info("serving", "url", "http://"+ln.Addr().String(), "db", redactDSN(*dsn))
	fmt.Fprintf(e.stdout, "zjtx 已启动：http://%s\n", ln.Addr())

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	go expireTitles(ctx, tiers.New(db), log)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func envOr(e env, key, dflt string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return dflt
}

// redactDSN hides a PostgreSQL password in logs.
func redactDSN(dsn string) string {
	if !store.IsPostgres(dsn) {
		return dsn
	}
	if u, err := urlParse(dsn); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}

// expireTitles drops titles past their validity at start and then hourly (§6: expiry
// without renewal drops the tier). Safe with several instances: each drop is conditional.
func expireTitles(ctx context.Context, svc *tiers.Service, log *slog.Logger) {
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		n, err := svc.ExpireDue(ctx, domain.DateOf(time.Now().In(shanghai)))
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("expiring titles", "err", err)
		case n > 0:
			log.Info("titles expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
