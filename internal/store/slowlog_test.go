package store_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"zjtx/internal/store"
)

// A slow statement's log line names the request id carried by the context.
func TestSlowQueryLogCarriesRequestID(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	db, err := store.Open(t.TempDir()+"/slow.db", store.Options{Logger: log, SlowThreshold: time.Nanosecond})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := store.WithRequestID(context.Background(), "req-abc123")
	var n int
	if err := db.R.WithContext(ctx).Raw("SELECT 1").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"msg":"slow sql","id":"req-abc123"`) {
		t.Fatalf("slow-query line without the request id: %s", buf.String())
	}
	if got := len(db.Pools()); got != 2 {
		t.Errorf("SQLite pools: %d, want write and read", got)
	}

	buf.Reset()
	off, err := store.Open(t.TempDir()+"/off.db", store.Options{Logger: log, SlowThreshold: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer off.Close()
	if err := off.R.WithContext(ctx).Raw("SELECT 1").Scan(&n).Error; err != nil {
		t.Fatal(err)
	}
	if buf.Len() != 0 {
		t.Fatalf("a negative threshold still logs: %s", buf.String())
	}
}
