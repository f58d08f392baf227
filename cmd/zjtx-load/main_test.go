package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/metrics"
	"zjtx/internal/store/storetest"
	"zjtx/web"
)

// TestLoadSmoke runs the load client briefly against a small registry: every page of the
// mix answers without error, and the server's metrics saw the routes by their patterns.
func TestLoadSmoke(t *testing.T) {
	db := storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 300, Seed: 1, Today: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatal(err)
	}
	if err := demo.CreateAccounts(ctx, db); err != nil {
		t.Fatal(err)
	}
	m := metrics.New()
	for name, pool := range db.Pools() {
		m.AddDBPool(name, pool)
	}
	srv := httptest.NewServer(web.New(web.Config{DB: db, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Metrics: m}))
	defer srv.Close()

	rep, err := Run(ctx, Config{URL: srv.URL, Clients: 4, Duration: 20 * time.Second, Requests: 400, Enterprises: 300, Password: demo.Password, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	rep.Print(&out, true)
	t.Log("\n" + out.String())
	if rep.Errors > 0 || rep.Total != 400 {
		t.Fatalf("want 400 requests without error, got %d with %d errors: %v", rep.Total, rep.Errors, rep.FirstFailures)
	}
	for _, p := range rep.Pages {
		if p.Count == 0 && p.Name != "login" {
			t.Errorf("page %s was never requested", p.Name)
		}
	}

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		`zjtx_http_requests_total{method="GET",route="/enterprises/:id",status="200"}`,
		`zjtx_http_requests_total{method="POST",route="/service/visits",status="303"}`,
		`zjtx_http_request_duration_seconds_bucket{method="GET",route="/enterprises"`,
		`go_sql_open_connections{db_name="read"}`,
		`go_sql_open_connections{db_name="write"}`,
		`go_goroutines`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(body, `route="/enterprises/1`) {
		t.Error("metrics are labelled with raw URLs")
	}
}

func TestLoopbackOnly(t *testing.T) {
	for _, u := range []string{"http://10.0.0.1:8080", "http://192.168.1.1", "ftp://127.0.0.1"} {
		if _, err := checkLoopback(u); err == nil {
			t.Errorf("%s accepted", u)
		}
	}
	for _, u := range []string{"http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:80"} {
		if _, err := checkLoopback(u); err != nil {
			t.Errorf("%s refused: %v", u, err)
		}
	}
}

// The open-loop schedule plans starts at exact 1/rate steps from the run's start, so
// latency timed from them includes any wait for a free client.
func TestScheduleOpenLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	ticks := schedule(ctx, 1000, start)
	for i := range 5 {
		at := <-ticks
		if want := start.Add(time.Duration(i) * time.Millisecond); !at.Equal(want) {
			t.Fatalf("tick %d planned at %v, want %v", i, at.Sub(start), want.Sub(start))
		}
	}
	cancel()
	for range ticks { // the schedule closes once the run ends
	}
	if schedule(ctx, 0, start) != nil {
		t.Error("rate 0 must mean a closed loop (no schedule)")
	}
}
