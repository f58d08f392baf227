package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"time"
	_ "time/tzdata" // "today" is Shanghai's date even on hosts without zoneinfo

	"zjtx/internal/domain"
	"zjtx/internal/metrics"
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
	return openDBWith(ctx, dsn, store.Options{Logger: log})
}

// openDBWith is openDB with explicit store options.
func openDBWith(ctx context.Context, dsn string, opt store.Options) (*store.DB, error) {
	log := opt.Logger
	db, err := store.Open(dsn, opt)
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
	metricsAddr := fs.String("metrics-addr", envOr(e, "ZJTX_METRICS_ADDR", ""), "serve Prometheus /metrics on this separate address, e.g. 127.0.0.1:9090 (env ZJTX_METRICS_ADDR; off when empty)")
	slowDefault, err := time.ParseDuration(envOr(e, "ZJTX_SLOW_QUERY", store.DefaultSlowThreshold.String()))
	if err != nil {
		fmt.Fprintf(e.stderr, "zjtx serve: ZJTX_SLOW_QUERY: %v\n", err)
		return errUsage
	}
	slow := fs.Duration("slow-query", slowDefault, "log SQL statements slower than this, with the request id (env ZJTX_SLOW_QUERY; 0 turns it off)")
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	log := newLogger(e)
	tuneGC(e)
	threshold := *slow
	if threshold <= 0 {
		threshold = -1 // store.Options: negative is off, zero is the default
	}
	db, err := openDBWith(ctx, *dsn, store.Options{Logger: log, SlowThreshold: threshold})
	if err != nil {
		return err
	}
	defer db.Close()
	if *demoFlag {
		if err := seedDemo(ctx, db, log); err != nil {
			return err
		}
	}

	var m *metrics.Metrics
	if *metricsAddr != "" {
		m = metrics.New()
		for name, pool := range db.Pools() {
			m.AddDBPool(name, pool)
		}
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			return fmt.Errorf("--metrics-addr: %w", err)
		}
		mux := http.NewServeMux()
		mux.Handle("GET /metrics", m.Handler())
		// Profiles for operators, on the same internal-only listener.
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		msrv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = msrv.Serve(mln) }()
		defer msrv.Close()
		log.Info("serving metrics", "url", "http://"+mln.Addr().String()+"/metrics")
	}

	app := web.New(web.Config{DB: db, Logger: log, Demo: *demoFlag, TrustProxy: *trustProxy, Metrics: m})
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

// tuneGC trades memory the server has to spare for garbage-collection CPU: the live
// heap is a few tens of MB, so collecting at 4× it instead of 2× costs little memory,
// and a soft limit keeps the heap bounded if a burst grows it. GOGC and GOMEMLIMIT in
// the environment take precedence.
func tuneGC(e env) {
	if e.getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if e.getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(192 << 20)
	}
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
