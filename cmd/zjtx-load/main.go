// Command zjtx-load drives a running zjtx server on this machine with a mixed read/write
// workload and reports latency percentiles and throughput per page.
//
//	zjtx-load --url http://127.0.0.1:8080 --clients 32 --duration 30s --pid $(pidof zjtx)
//
// It only talks to loopback addresses, stops after --duration or --requests (whichever
// comes first, both capped) and logs in with the demo accounts (password demo-zjtx).
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// Limits keep a run bounded whatever the flags say.
const (
	maxDuration = 10 * time.Minute
	maxRequests = 2_000_000
	maxClients  = 512
)

// Config is one run.
type Config struct {
	URL         string
	Clients     int
	Duration    time.Duration
	Requests    int64 // total request budget (0: only the duration bounds the run)
	Enterprises int   // detail pages pick ids in 1..Enterprises
	Password    string
	Seed        uint64
	PID         int    // server pid for VmHWM; 0: not reported
	Only        string // comma-separated page names to run alone (e.g. "list"); empty: the whole mix
	// Rate, when positive, offers this many requests per second (open loop) instead of
	// each client sending its next request as soon as the last is answered. Latency is
	// then timed from each request's scheduled start, so time spent waiting for a free
	// client counts too (no coordinated omission).
	Rate float64
}

// page is one kind of request in the mix.
type page struct {
	name   string
	weight int
	as     string // account: city, specialist, enterprise
	do     func(w *worker) (int, error)
}

// Result is one page's figures.
type Result struct {
	Name       string
	Count      int
	Errors     int
	P50, P90   time.Duration
	P99, Max   time.Duration
	Throughput float64
}

// Report is a run's outcome.
type Report struct {
	Pages         []Result
	Total         int
	Errors        int
	Elapsed       time.Duration
	Throughput    float64
	Statuses      map[int]int
	PeakRSSKB     int64 // VmHWM of the server, 0 if unknown
	CurrentRSSKB  int64
	Clients       int
	Rate          float64 // offered requests/s (open loop), 0 for a closed loop
	SkippedPages  []string
	FirstFailures []string
}

func main() {
	var cfg Config
	fs := flag.NewFlagSet("zjtx-load", flag.ExitOnError)
	fs.StringVar(&cfg.URL, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	fs.IntVar(&cfg.Clients, "clients", 32, "concurrent clients")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "run time (at most 10m)")
	fs.Int64Var(&cfg.Requests, "requests", 200_000, "stop after this many requests in all (at most 2,000,000)")
	fs.IntVar(&cfg.Enterprises, "enterprises", 200_000, "registry size: detail pages pick ids from 1 to this")
	fs.StringVar(&cfg.Password, "password", "demo-zjtx", "password of the demo accounts")
	fs.Uint64Var(&cfg.Seed, "seed", 1, "random seed of the request mix")
	fs.IntVar(&cfg.PID, "pid", 0, "server process id: report its peak RSS (VmHWM)")
	fs.StringVar(&cfg.Only, "only", "", "run only these pages of the mix, comma-separated (login,list,search,detail,dashboard,demand_board,specialist_home,portal_home,visit_submit)")
	fs.Float64Var(&cfg.Rate, "rate", 0, "offer this many requests/s in all (open loop; latency from each request's scheduled start); 0: closed loop")
	md := fs.Bool("markdown", false, "print the table as Markdown")
	cpuProfile := fs.String("cpuprofile", "", "write this client's CPU profile to the file (the client shares the machine with the server)")
	_ = fs.Parse(os.Args[1:])
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400) // fewer collections: every CPU ms the client spends, the server lacks
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "zjtx-load:", err)
			os.Exit(1)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	rep, err := Run(ctx, cfg)
	stop()
	pprof.StopCPUProfile() // before os.Exit, which skips deferred calls
	if err != nil {
		fmt.Fprintln(os.Stderr, "zjtx-load:", err)
		os.Exit(1)
	}
	rep.Print(os.Stdout, *md)
	if rep.Errors > 0 {
		os.Exit(2)
	}
}

// schedule sends the planned start time of each request, rate per second, until ctx
// ends; nil when rate is 0 (closed loop). Planned times that no client was free to take
// wait in the buffer, and their latency includes that wait.
func schedule(ctx context.Context, rate float64, start time.Time) <-chan time.Time {
	if rate <= 0 {
		return nil
	}
	ch := make(chan time.Time, 100_000)
	interval := time.Duration(float64(time.Second) / rate)
	go func() {
		defer close(ch)
		for i := 0; ; i++ {
			at := start.Add(time.Duration(i) * interval)
			if d := time.Until(at); d > 0 {
				select {
				case <-ctx.Done():
					return
				case <-time.After(d):
				}
			}
			if ctx.Err() != nil {
				return
			}
			select {
			case ch <- at:
			default: // the clients are 100,000 requests behind: the run is already lost
			}
		}
	}()
	return ch
}

// checkLoopback refuses any target that is not this machine's loopback.
func checkLoopback(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("--url %q: want http://127.0.0.1:PORT", raw)
	}
	host := u.Hostname()
	ips, err := net.LookupIP(host)
	if err != nil {
		return nil, fmt.Errorf("--url %q: %w", raw, err)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return nil, fmt.Errorf("--url %q: %s is not a loopback address; load is only sent to this machine", raw, ip)
		}
	}
	return u, nil
}

// Run performs one load run.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	base, err := checkLoopback(cfg.URL)
	if err != nil {
		return nil, err
	}
	cfg.URL = strings.TrimRight(base.String(), "/")
	switch {
	case cfg.Clients < 1 || cfg.Clients > maxClients:
		return nil, fmt.Errorf("--clients must be 1..%d", maxClients)
	case cfg.Duration <= 0 || cfg.Duration > maxDuration:
		return nil, fmt.Errorf("--duration must be in (0, %s]", maxDuration)
	case cfg.Requests < 0 || cfg.Requests > maxRequests:
		return nil, fmt.Errorf("--requests must be 0..%d", maxRequests)
	case cfg.Enterprises < 1:
		return nil, errors.New("--enterprises must be at least 1")
	}
	if cfg.Requests == 0 {
		cfg.Requests = maxRequests
	}
	tr := &http.Transport{MaxIdleConns: cfg.Clients * 4, MaxIdleConnsPerHost: cfg.Clients * 4, IdleConnTimeout: time.Minute,
		DialContext: (&net.Dialer{Timeout: 5 * time.Second}).DialContext}
	defer tr.CloseIdleConnections()

	// Probe optional pages once (the dashboard may not exist in every build).
	probe, err := newWorker(cfg, tr, 0)
	if err != nil {
		return nil, err
	}
	mix := pages()
	var skipped []string
	var active []page
	for _, p := range mix {
		if cfg.Only != "" && !slices.Contains(strings.Split(cfg.Only, ","), p.name) {
			continue
		}
		if p.name == "dashboard" {
			if st, _ := probe.get("city", "/dashboard"); st == http.StatusNotFound {
				skipped = append(skipped, p.name+" (404: no /dashboard in this build)")
				continue
			}
		}
		active = append(active, p)
	}
	if len(active) == 0 {
		return nil, fmt.Errorf("--only %q names no page of the mix", cfg.Only)
	}
	total := 0
	for _, p := range active {
		total += p.weight
	}

	// Clients share the probe's three sessions (as tabs of one browser would): logging
	// every client in would spend seconds of server CPU on bcrypt before the run.
	workers := make([]*worker, cfg.Clients)
	for i := range workers {
		workers[i] = &worker{cfg: cfg, ctx: context.Background(), tr: tr, rng: &rng{cfg.Seed*1_000_003 + uint64(i+1)*7919 + 1},
			clients: probe.clients, csrf: map[string]string{}}
		for k, v := range probe.csrf {
			workers[i].csrf[k] = v
		}
	}
	type sample struct {
		page int
		d    time.Duration
		err  bool
	}
	perWorker := make([][]sample, cfg.Clients)
	statuses := make([]map[int]int, cfg.Clients)
	var failures []string
	var failMu sync.Mutex
	var budget atomic.Int64
	budget.Store(cfg.Requests)
	runCtx, cancel := context.WithTimeout(ctx, cfg.Duration)
	defer cancel()
	start := time.Now()
	ticks := schedule(runCtx, cfg.Rate, start)
	var wg sync.WaitGroup
	for i, w := range workers {
		statuses[i] = map[int]int{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Requests run to completion past the deadline: cutting them off would make
			// the server see clients vanish mid-request, which is not the load profiled.
			w.ctx = ctx
			for runCtx.Err() == nil && budget.Add(-1) >= 0 {
				t0 := time.Now()
				if ticks != nil {
					var ok bool
					if t0, ok = <-ticks; !ok {
						break
					}
				}
				k := w.rng.pick(total)
				pi := 0
				for k >= active[pi].weight {
					k -= active[pi].weight
					pi++
				}
				st, err := active[pi].do(w)
				d := time.Since(t0)
				if ctx.Err() != nil && err != nil {
					break // interrupted (Ctrl-C): not a server failure
				}
				statuses[i][st]++
				bad := err != nil
				if bad {
					failMu.Lock()
					if len(failures) < 10 {
						failures = append(failures, fmt.Sprintf("%s: %v", active[pi].name, err))
					}
					failMu.Unlock()
				}
				perWorker[i] = append(perWorker[i], sample{pi, d, bad})
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)

	rep := &Report{Elapsed: elapsed, Statuses: map[int]int{}, Clients: cfg.Clients, Rate: cfg.Rate, SkippedPages: skipped, FirstFailures: failures}
	byPage := make([][]time.Duration, len(active))
	errs := make([]int, len(active))
	for i, ss := range perWorker {
		for _, s := range ss {
			byPage[s.page] = append(byPage[s.page], s.d)
			if s.err {
				errs[s.page]++
			}
		}
		for st, n := range statuses[i] {
			rep.Statuses[st] += n
		}
	}
	for pi, ds := range byPage {
		slices.Sort(ds)
		r := Result{Name: active[pi].name, Count: len(ds), Errors: errs[pi], Throughput: float64(len(ds)) / elapsed.Seconds()}
		if len(ds) > 0 {
			r.P50, r.P90, r.P99, r.Max = pct(ds, 50), pct(ds, 90), pct(ds, 99), ds[len(ds)-1]
		}
		rep.Pages = append(rep.Pages, r)
		rep.Total += r.Count
		rep.Errors += r.Errors
	}
	rep.Throughput = float64(rep.Total) / elapsed.Seconds()
	if cfg.PID > 0 {
		rep.PeakRSSKB, rep.CurrentRSSKB = procMem(cfg.PID)
	}
	return rep, nil
}

func pct(sorted []time.Duration, p int) time.Duration {
	i := (len(sorted)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return sorted[i-1]
}

// procMem reads VmHWM and VmRSS (kB) of pid.
func procMem(pid int) (hwm, rss int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) < 2 {
			continue
		}
		n, _ := strconv.ParseInt(f[1], 10, 64)
		switch f[0] {
		case "VmHWM:":
			hwm = n
		case "VmRSS:":
			rss = n
		}
	}
	return hwm, rss
}

// Print writes the report as an aligned table, or as Markdown.
func (r *Report) Print(w io.Writer, md bool) {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	if md {
		fmt.Fprintf(w, "| page | requests | errors | p50 ms | p90 ms | p99 ms | max ms | req/s |\n|---|---|---|---|---|---|---|---|\n")
		for _, p := range r.Pages {
			fmt.Fprintf(w, "| %s | %d | %d | %s | %s | %s | %s | %.0f |\n", p.Name, p.Count, p.Errors, ms(p.P50), ms(p.P90), ms(p.P99), ms(p.Max), p.Throughput)
		}
		fmt.Fprintf(w, "| **all** | %d | %d | | | | | **%.0f** |\n", r.Total, r.Errors, r.Throughput)
	} else {
		fmt.Fprintf(w, "%-16s %9s %6s %8s %8s %8s %8s %8s\n", "page", "requests", "errors", "p50 ms", "p90 ms", "p99 ms", "max ms", "req/s")
		for _, p := range r.Pages {
			fmt.Fprintf(w, "%-16s %9d %6d %8s %8s %8s %8s %8.0f\n", p.Name, p.Count, p.Errors, ms(p.P50), ms(p.P90), ms(p.P99), ms(p.Max), p.Throughput)
		}
		fmt.Fprintf(w, "%-16s %9d %6d %44s %8.0f\n", "all", r.Total, r.Errors, "", r.Throughput)
	}
	mode := "closed loop"
	if r.Rate > 0 {
		mode = fmt.Sprintf("open loop at %.0f req/s offered", r.Rate)
	}
	fmt.Fprintf(w, "\n%d clients, %s, %s, statuses %v\n", r.Clients, mode, r.Elapsed.Round(time.Millisecond), r.Statuses)
	if r.PeakRSSKB > 0 {
		fmt.Fprintf(w, "server peak RSS (VmHWM) %.1f MB, current RSS %.1f MB\n", float64(r.PeakRSSKB)/1024, float64(r.CurrentRSSKB)/1024)
	}
	for _, s := range r.SkippedPages {
		fmt.Fprintf(w, "skipped: %s\n", s)
	}
	for _, f := range r.FirstFailures {
		fmt.Fprintf(w, "failure: %s\n", f)
	}
}

// ---- the workload ----

// searchTerms are words the demo generator puts in names, and a USCC prefix.
var searchTerms = []string{"精密", "智能装备", "半导体", "生物医药", "传感器", "机器人", "医疗器械", "软件", "信息技术", "新材料", "91310115MA", "集成电路"}

var districts = []string{"310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310113", "310114", "310115", "310116", "310117", "310118", "310120", "310151"}

// pages is the mix, weights in ‰ of requests (about): a session logs in once and then
// reads for a long while, so logins are 0.2 % — each costs a bcrypt hash (~50 ms of CPU).
func pages() []page {
	return []page{
		{"login", 2, "", func(w *worker) (int, error) { return w.login("city", true) }},
		{"list", 180, "city", func(w *worker) (int, error) {
			p := "/enterprises"
			switch w.rng.pick(4) {
			case 1:
				p += "?page=" + strconv.Itoa(2+w.rng.pick(50))
			case 2:
				p += "?district=" + districts[w.rng.pick(len(districts))] + "&tier=specialized"
			}
			return w.get("city", p)
		}},
		{"search", 140, "city", func(w *worker) (int, error) {
			return w.get("city", "/enterprises?q="+url.QueryEscape(searchTerms[w.rng.pick(len(searchTerms))]))
		}},
		{"detail", 200, "city", func(w *worker) (int, error) {
			return w.get("city", "/enterprises/"+strconv.Itoa(1+w.rng.pick(w.cfg.Enterprises)))
		}},
		{"dashboard", 50, "city", func(w *worker) (int, error) { return w.get("city", "/dashboard") }},
		{"demand_board", 80, "city", func(w *worker) (int, error) { return w.get("city", "/service/demands") }},
		{"specialist_home", 100, "specialist", func(w *worker) (int, error) { return w.get("specialist", "/service/home") }},
		{"portal_home", 100, "enterprise", func(w *worker) (int, error) { return w.get("enterprise", "/portal") }},
		{"visit_submit", 50, "specialist", func(w *worker) (int, error) { return w.submitVisit() }},
	}
}

// worker is one client with its own cookie jars per account.
type worker struct {
	cfg     Config
	ctx     context.Context
	tr      *http.Transport
	rng     *rng
	clients map[string]*http.Client
	csrf    map[string]string
	visitTo []string     // the specialist's enterprise ids, from the visit form
	body    bytes.Buffer // the last response's body (see do)
}

func newWorker(cfg Config, tr *http.Transport, n int) (*worker, error) {
	w := &worker{cfg: cfg, ctx: context.Background(), tr: tr, rng: &rng{cfg.Seed*1_000_003 + uint64(n)*7919 + 1},
		clients: map[string]*http.Client{}, csrf: map[string]string{}}
	for _, acct := range []string{"city", "specialist", "enterprise"} {
		if st, err := w.login(acct, false); err != nil {
			return nil, fmt.Errorf("log in as %s (status %d): %w", acct, st, err)
		}
	}
	return w, nil
}

var (
	reCSRF   = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)
	reSelect = regexp.MustCompile(`(?s)<select id="enterprise_id"[^>]*>(.*?)</select>`)
	reOption = regexp.MustCompile(`<option value="(\d+)"`)
)

func (w *worker) newClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: w.tr, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// login signs acct in; throwaway logins (the "login" page of the mix) use a fresh jar.
func (w *worker) login(acct string, throwaway bool) (int, error) {
	c := w.newClient()
	st, body, err := w.do(c, http.MethodGet, "/login", nil)
	if err != nil || st != http.StatusOK {
		return st, fmt.Errorf("GET /login: %d %v", st, err)
	}
	m := reCSRF.FindSubmatch(body)
	if m == nil {
		return st, errors.New("no csrf token on /login")
	}
	form := url.Values{"username": {acct}, "password": {w.cfg.Password}, "_csrf": {string(m[1])}}
	st, _, err = w.do(c, http.MethodPost, "/login", form)
	if err != nil {
		return st, err
	}
	if st != http.StatusSeeOther {
		return st, fmt.Errorf("POST /login as %s: status %d", acct, st)
	}
	if !throwaway {
		w.clients[acct] = c
	}
	return st, nil
}

func (w *worker) do(c *http.Client, method, path string, form url.Values) (int, []byte, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(w.ctx, method, w.cfg.URL+path, body)
	if err != nil {
		return 0, nil, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	// One buffer per worker, reused: the client shares the two cores with the server, so
	// its allocations (and GC) come out of the server's budget. Callers copy what they keep.
	w.body.Reset()
	_, err = w.body.ReadFrom(res.Body)
	return res.StatusCode, w.body.Bytes(), err
}

func (w *worker) get(acct, path string) (int, error) {
	st, body, err := w.do(w.clients[acct], http.MethodGet, path, nil)
	if err != nil {
		return st, err
	}
	if st != http.StatusOK {
		return st, fmt.Errorf("GET %s as %s: status %d", path, acct, st)
	}
	if m := reCSRF.FindSubmatch(body); m != nil {
		w.csrf[acct] = string(m[1])
	}
	return st, nil
}

// submitVisit records a phone visit by the specialist to one of their enterprises,
// with one demand: two audited inserts in one write transaction.
func (w *worker) submitVisit() (int, error) {
	c := w.clients["specialist"]
	if len(w.visitTo) == 0 || w.csrf["specialist"] == "" {
		st, body, err := w.do(c, http.MethodGet, "/service/visits/new", nil)
		if err != nil || st != http.StatusOK {
			return st, fmt.Errorf("GET /service/visits/new: %d %v", st, err)
		}
		if m := reCSRF.FindSubmatch(body); m != nil {
			w.csrf["specialist"] = string(m[1])
		}
		if sel := reSelect.FindSubmatch(body); sel != nil {
			for _, o := range reOption.FindAllSubmatch(sel[1], -1) {
				w.visitTo = append(w.visitTo, string(o[1]))
			}
		}
		if len(w.visitTo) == 0 {
			return st, errors.New("the specialist has no enterprise to visit")
		}
	}
	today := time.Now().In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	form := url.Values{
		"_csrf": {w.csrf["specialist"]}, "enterprise_id": {w.visitTo[w.rng.pick(len(w.visitTo))]},
		"visited_on": {today}, "kind": {"phone"}, "participants": {"负责人"},
		"summary":         {"压测：电话回访经营情况与诉求办理进度。"},
		"demand_category": {"finance"}, "demand_description": {"压测：流动资金贷款需求"}, "demand_department": {""},
	}
	st, _, err := w.do(c, http.MethodPost, "/service/visits", form)
	if err != nil {
		return st, err
	}
	if st != http.StatusSeeOther {
		return st, fmt.Errorf("POST /service/visits: status %d", st)
	}
	return st, nil
}

// rng is splitmix64: cheap, deterministic per worker.
type rng struct{ s uint64 }

func (r *rng) pick(n int) int {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	z ^= z >> 31
	return int(z % uint64(n))
}
