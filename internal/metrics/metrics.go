// Package metrics exposes the app's Prometheus metrics: requests by route and status,
// their latency, both database pools' sql.DBStats, and the Go runtime.
//
// Labels use the echo route path (/enterprises/:id), never the raw URL, so the
// number of series is bounded by the route table.
package metrics

import (
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics is one registry with the app's collectors.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	inflight prometheus.Gauge
}

// New makes a registry with the Go runtime and process collectors and the request metrics.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		reg: reg,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "zjtx_http_requests_total",
			Help: "HTTP requests by method, echo route path and status code.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "zjtx_http_request_duration_seconds",
			Help:    "Server time per request by method and echo route path.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"method", "route"}),
		inflight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "zjtx_http_requests_in_flight",
			Help: "Requests being served.",
		}),
	}
	reg.MustRegister(m.requests, m.latency, m.inflight,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Registry is the registry, for tests and extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// AddDBPool exports pool's sql.DBStats under go_sql_* with db_name=name
// (e.g. "write" and "read"; on PostgreSQL the one pool is "main").
func (m *Metrics) AddDBPool(name string, pool *sql.DB) {
	m.reg.MustRegister(collectors.NewDBStatsCollector(pool, name))
}

// Middleware counts and times every request. It must run outside the error handler's
// response (it reads the final status), so register it before the request log.
func (m *Metrics) Middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		m.inflight.Inc()
		err := next(c)
		if err != nil {
			c.Error(err) // write the response now so the status is the real one
		}
		m.inflight.Dec()
		route := c.Path() // the matched route pattern; "" when nothing matched
		if route == "" {
			route = "unmatched"
		}
		method := c.Request().Method
		m.requests.WithLabelValues(method, route, strconv.Itoa(c.Response().Status)).Inc()
		m.latency.WithLabelValues(method, route).Observe(time.Since(start).Seconds())
		return nil
	}
}
