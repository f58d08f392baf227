package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"zjtx/internal/store"
)

func init() {
	register("backup", "在服务运行时制作一致的数据库副本：zjtx backup --db … OUT", runBackup)
	register("restore", "从备份恢复：zjtx restore --db TARGET BACKUP [--force]", runRestore)
}

// runBackup copies a live database consistently: SQLite with VACUUM INTO (a snapshot
// read inside one transaction, safe beside a running server); PostgreSQL with pg_dump
// when it is installed, else guidance and a non-zero exit.
func runBackup(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "SQLite file, or a postgres:// URL (env ZJTX_DB)")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(e.stderr, "usage: zjtx backup --db … OUT")
		return errUsage
	}
	out := pos[0]
	if _, err := os.Stat(out); err == nil {
		return fmt.Errorf("%s 已存在，不覆盖", out)
	}
	if store.IsPostgres(*dsn) {
		pgDump, err := exec.LookPath("pg_dump")
		if err != nil {
			fmt.Fprintf(e.stderr, "PostgreSQL 数据库请使用 pg_dump 备份，例如：\n  pg_dump --format=custom --file=%s '%s'\n恢复：pg_restore --clean --if-exists --dbname=<目标库> %s\n", out, redactDSN(*dsn), out)
			return errors.New("未找到 pg_dump")
		}
		cmd := exec.CommandContext(ctx, pgDump, "--format=custom", "--file="+out, *dsn)
		cmd.Stdout, cmd.Stderr = e.stderr, e.stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("pg_dump: %w", err)
		}
		fmt.Fprintf(e.stdout, "已用 pg_dump 备份到 %s\n", out)
		return nil
	}
	if _, err := os.Stat(*dsn); err != nil {
		return fmt.Errorf("数据库文件 %s 不存在", *dsn)
	}
	db, err := store.Open(*dsn, store.Options{Logger: newLogger(e)})
	if err != nil {
		return err
	}
	defer db.Close()
	v, err := db.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	start := time.Now()
	abs, err := filepath.Abs(out)
	if err != nil {
		return err
	}
	if err := db.W.WithContext(ctx).Exec("VACUUM INTO ?", abs).Error; err != nil {
		return fmt.Errorf("VACUUM INTO: %w", err)
	}
	st, _ := os.Stat(abs)
	fmt.Fprintf(e.stdout, "已备份到 %s（%d 字节，架构版本 %d，用时 %.1f 秒）\n", out, st.Size(), v, time.Since(start).Seconds())
	return nil
}

// runRestore replaces a SQLite database with a backup made by zjtx backup. It refuses
// a target that holds data unless --force, and a backup whose schema is newer than
// this binary (older ones are migrated forward on the next start).
func runRestore(ctx context.Context, args []string, e env) error {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "target SQLite file (env ZJTX_DB)")
	force := fs.Bool("force", false, "覆盖已有数据的目标库")
	pos, err := parseInterspersed(fs, args)
	if err != nil || len(pos) != 1 {
		fmt.Fprintln(e.stderr, "usage: zjtx restore --db TARGET BACKUP [--force]")
		return errUsage
	}
	src := pos[0]
	if store.IsPostgres(*dsn) {
		fmt.Fprintf(e.stderr, "PostgreSQL 请使用 pg_restore：pg_restore --clean --if-exists --dbname='%s' %s\n", redactDSN(*dsn), src)
		return errors.New("restore 仅支持 SQLite")
	}
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("备份文件 %s 不存在", src)
	}
	migs, err := store.Migrations()
	if err != nil {
		return err
	}
	bdb, err := store.Open(src, store.Options{Logger: newLogger(e)})
	if err != nil { // a damaged schema page fails here, before the integrity check
		return fmt.Errorf("备份 %s 无法使用，未恢复：%w", src, err)
	}
	bv, err := bdb.SchemaVersion(ctx)
	if err == nil && bv > 0 {
		err = integrityCheck(ctx, bdb)
	}
	bdb.Close()
	if err != nil {
		return fmt.Errorf("备份 %s 无法使用，未恢复：%w", src, err)
	}
	switch {
	case bv == 0:
		return fmt.Errorf("%s 不是 zjtx 数据库备份（没有架构版本）", src)
	case bv > len(migs):
		return fmt.Errorf("备份的架构版本 %d 比本程序（%d）新，请先升级 zjtx", bv, len(migs))
	}
	if st, err := os.Stat(*dsn); err == nil && st.Size() > 0 && !*force {
		tdb, err := store.Open(*dsn, store.Options{Logger: newLogger(e)})
		if err != nil {
			return err
		}
		tv, _ := tdb.SchemaVersion(ctx)
		var n int64
		if tv > 0 {
			tdb.R.WithContext(ctx).Table("enterprises").Count(&n)
		}
		tdb.Close()
		if tv > 0 {
			return fmt.Errorf("目标库 %s 已有数据（%d 家企业），如确需覆盖请加 --force", *dsn, n)
		}
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	tmp := *dsn + ".restore-tmp"
	if err := os.MkdirAll(filepath.Dir(*dsn), 0o755); err != nil {
		return err
	}
	if err := writeSynced(tmp, data); err != nil {
		return err
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		_ = os.Remove(*dsn + suffix)
	}
	if err := os.Rename(tmp, *dsn); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "已从 %s 恢复到 %s（架构版本 %d；启动时将自动迁移到 %d）\n", src, *dsn, bv, len(migs))
	return nil
}

// integrityCheck runs SQLite's PRAGMA integrity_check: a backup that fails it is refused
// rather than put in place of a working database.
func integrityCheck(ctx context.Context, db *store.DB) error {
	rows, err := db.R.WithContext(ctx).Raw("PRAGMA integrity_check").Rows()
	if err != nil {
		return fmt.Errorf("完整性检查：%w", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err
		}
		problems = append(problems, strings.Split(s, "\n")...)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("完整性检查：%w", err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return fmt.Errorf("完整性检查未通过（%d 处问题）：%s", len(problems), strings.Join(problems[:min(len(problems), 4)], "；"))
	}
	return nil
}

// writeSynced writes a file and flushes it to disk before the rename that puts it in place.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
