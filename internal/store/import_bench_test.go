package store_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// benchImportRows is the generated file's size: the 100k unless
// ZJTX_BENCH_IMPORT_ROWS says otherwise (e.g. a quick 5000).
func benchImportRows() int {
	if n, err := strconv.Atoi(os.Getenv("ZJTX_BENCH_IMPORT_ROWS")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// BenchmarkImport checks (dry run) and commits a generated file of new enterprises, one
// year each, into an empty database: the "100k rows in under 20 s" per op.
// ZJTX_BENCH_POSTGRES=1 runs it on the test PostgreSQL server instead of SQLite.
func BenchmarkImport(b *testing.B) {
	n := benchImportRows()
	for _, format := range []string{"csv", "xlsx"} {
		var file bytes.Buffer
		if err := dataio.Generate(&file, format, n, 0); err != nil {
			b.Fatal(err)
		}
		for _, commit := range []bool{false, true} {
			name := format + "/dry-run"
			if commit {
				name = format + "/commit"
			}
			b.Run(name, func(b *testing.B) {
				ctx := context.Background()
				b.ReportAllocs()
				for b.Loop() {
					b.StopTimer()
					db := benchDB(b)
					b.StartTimer()
					imp := store.NewImports(db)
					t, err := dataio.Open("bench."+format, file.Bytes())
					if err != nil {
						b.Fatal(err)
					}
					p, err := dataio.Check(ctx, t, imp, dataio.Options{Scope: domain.Scope{All: true}, Today: domain.MustDate("2025-06-01"),
						KeepRows: func(dataio.RowResult) bool { return false }})
					t.Close()
					if err != nil || p.Counts.New != n {
						b.Fatalf("check: %v %+v", err, p.Counts)
					}
					if commit {
						if err := imp.Commit(ctx, store.System, p, 0); err != nil {
							b.Fatal(err)
						}
					}
					b.StopTimer()
					db.Close()
					b.StartTimer()
				}
				b.ReportMetric(float64(n), "rows/op")
			})
		}
	}
}

func benchDB(b *testing.B) *store.DB {
	if os.Getenv("ZJTX_BENCH_POSTGRES") != "" {
		return storetest.Postgres(b)
	}
	return storetest.SQLite(b)
}
