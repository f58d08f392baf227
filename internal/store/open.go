// Package store keeps the registry's data with gorm, on SQLite (embedded default) or PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database kind behind a DB.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB holds the connections. On SQLite every write goes through one connection
// (W) so writers queue in Go instead of failing with "database is locked";
// reads use a pool (R) that WAL lets run beside the writer. On PostgreSQL both
// are the same pool.
type DB struct {
	W, R    *gorm.DB
	Dialect Dialect
	memo    *memo
}

// DefaultSlowThreshold is the slow-query log threshold when Options leaves it zero.
const DefaultSlowThreshold = 200 * time.Millisecond

// Options tunes Open.
type Options struct {
	Logger        *slog.Logger
	SlowThreshold time.Duration // queries slower than this are logged; 0 means 200ms, negative turns it off
	ReadConns     int           // SQLite read pool size; 0 means 8
}

// IsPostgres reports whether dsn selects PostgreSQL rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to dsn: a postgres:// URL, or a SQLite file path (created with its directory).
func Open(dsn string, opt Options) (*DB, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	if opt.SlowThreshold == 0 {
		opt.SlowThreshold = DefaultSlowThreshold
	}
	cfg := &gorm.Config{
		Logger:                 newGormLogger(opt.Logger, opt.SlowThreshold),
		SkipDefaultTransaction: true, // our stores open transactions where a write spans statements
		PrepareStmt:            true,
		NowFunc:                func() time.Time { return time.Now().UTC().Truncate(time.Microsecond) },
	}
	if IsPostgres(dsn) {
		g, err := gorm.Open(postgres.Open(dsn), cfg)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		sqlDB, err := g.DB()
		if err != nil {
			return nil, err
		}
		sqlDB.SetMaxOpenConns(20)
		sqlDB.SetMaxIdleConns(20)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
		return newDB(g, g, Postgres)
	}
	return openSQLite(dsn, cfg, opt)
}

func openSQLite(path string, cfg *gorm.Config, opt Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("empty database path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("create database directory: %w", err)
		}
	}
	params := url.Values{}
	params.Set("_journal_mode", "WAL")
	params.Set("_foreign_keys", "on")
	params.Set("_busy_timeout", "10000")
	params.Set("_synchronous", "NORMAL")
	params.Set("_cache_size", "-16000") // the writer's page cache: 16 MB
	base := "file:" + path + "?"

	wParams := cloneValues(params)
	wParams.Set("_txlock", "immediate") // take the write lock at BEGIN: no upgrade deadlocks
	w, err := gorm.Open(sqlite.Open(base+wParams.Encode()), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	wdb, err := w.DB()
	if err != nil {
		return nil, err
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	wdb.SetConnMaxLifetime(0)

	rParams := cloneValues(params)
	rParams.Set("_query_only", "1")
	// 8 MB per reader: eight of them share the OS page cache anyway, and 16 MB each
	// put the server past 300 MB of RSS under load for no measurable speed.
	rParams.Set("_cache_size", "-8000")
	r, err := gorm.Open(sqlite.Open(base+rParams.Encode()), cfg)
	if err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	rdb, err := r.DB()
	if err != nil {
		return nil, err
	}
	n := opt.ReadConns
	if n <= 0 {
		n = 8
	}
	rdb.SetMaxOpenConns(n)
	rdb.SetMaxIdleConns(n)
	rdb.SetConnMaxIdleTime(10 * time.Minute)
	// The writer must exist first so WAL mode is set before readers attach.
	if err := wdb.Ping(); err != nil {
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return newDB(w, r, SQLite)
}

func newDB(w, r *gorm.DB, d Dialect) (*DB, error) {
	db := &DB{W: w, R: r, Dialect: d, memo: newMemo()}
	if err := db.memo.registerCountInvalidation(w); err != nil {
		return nil, fmt.Errorf("register count invalidation: %w", err)
	}
	return db, nil
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// Close closes both pools.
func (db *DB) Close() error {
	var errs []error
	for _, g := range []*gorm.DB{db.W, db.R} {
		if s, err := g.DB(); err == nil {
			errs = append(errs, s.Close())
		}
		if db.R == db.W {
			break
		}
	}
	return errors.Join(errs...)
}

// Pools names the distinct connection pools for metrics: "write" and "read" on
// SQLite, "main" on PostgreSQL (where both handles share one pool).
func (db *DB) Pools() map[string]*sql.DB {
	out := map[string]*sql.DB{}
	w, errW := db.W.DB()
	r, errR := db.R.DB()
	if errW != nil || errR != nil {
		return out
	}
	if w == r {
		out["main"] = w
		return out
	}
	out["write"], out["read"] = w, r
	return out
}

// Ping checks the database answers, for /healthz.
func (db *DB) Ping(ctx context.Context) error {
	s, err := db.R.DB()
	if err != nil {
		return err
	}
	return s.PingContext(ctx)
}

// Tx runs fn in one write transaction; any error rolls everything back.
func (db *DB) Tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	ctx, committed := db.memo.withTouched(ctx)
	if err := db.W.WithContext(ctx).Transaction(fn); err != nil {
		return err
	}
	committed()
	return nil
}

// AnalyzeAfterBulkLoad runs VACUUM ANALYZE on PostgreSQL after a bulk load. Until
// autovacuum gets round to new tables, the planner treats them as empty and no page is
// marked all-visible, so index-only scans (list totals, name-gram searches) fetch every
// heap row: seconds per query at 200k enterprises. SQLite keeps no statistics unless
// asked, and its plans here are chosen without them, so it is left alone.
func (db *DB) AnalyzeAfterBulkLoad(ctx context.Context) error {
	if db.Dialect != Postgres {
		return nil
	}
	return db.W.WithContext(ctx).Exec("VACUUM ANALYZE").Error
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying the HTTP request id, which the slow-query and
// SQL-error log lines then name (the web app's request log uses the same id).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the request id carried by ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// gormLogger sends gorm's errors and slow queries to slog, and nothing else.
type gormLogger struct {
	log  *slog.Logger
	slow time.Duration
}

func newGormLogger(l *slog.Logger, slow time.Duration) logger.Interface {
	return &gormLogger{log: l, slow: slow}
}

func (g *gormLogger) LogMode(logger.LogLevel) logger.Interface { return g }
func (g *gormLogger) Info(ctx context.Context, msg string, args ...any) {
	g.log.InfoContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Warn(ctx context.Context, msg string, args ...any) {
	g.log.WarnContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Error(ctx context.Context, msg string, args ...any) {
	g.log.ErrorContext(ctx, fmt.Sprintf(msg, args...))
}
func (g *gormLogger) Trace(ctx context.Context, begin time.Time, fc func() (string, int64), err error) {
	elapsed := time.Since(begin)
	switch {
	// A query cut short because the client went away is not a database fault (pgx
	// reports it as a bad connection rather than context.Canceled).
	case err != nil && !errors.Is(err, gorm.ErrRecordNotFound) && !errors.Is(err, context.Canceled) && ctx.Err() == nil:
		sql, rows := fc()
		g.log.ErrorContext(ctx, "sql error", "id", RequestID(ctx), "err", err, "sql", sql, "rows", rows, "ms", elapsed.Milliseconds())
	case g.slow > 0 && elapsed > g.slow:
		sql, rows := fc()
		g.log.WarnContext(ctx, "slow sql", "id", RequestID(ctx), "sql", sql, "rows", rows, "ms", elapsed.Milliseconds())
	}
}
