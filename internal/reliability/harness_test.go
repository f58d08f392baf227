package reliability

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/mattn/go-sqlite3" // the driver the app uses, for the checks below
)

// The tests here run the zjtx binary, built once per `go test` run into binDir.
var (
	binDir  string
	binOnce sync.Once
	binPath string
	binErr  error
)

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "zjtx-reliability-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// zjtxBinary builds cmd/zjtx once (cgo, like `make build`) and returns its path.
// The tests take minutes of wall time, so -short skips them.
func zjtxBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("process-level reliability test skipped in -short mode")
	}
	binOnce.Do(func() {
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			if goTool, binErr = exec.LookPath("go"); binErr != nil {
				return
			}
		}
		out := filepath.Join(binDir, "zjtx")
		cmd := exec.Command(goTool, "build", "-o", out, "zjtx/cmd/zjtx")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=1")
		if b, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("go build: %v\n%s", err, b)
			return
		}
		binPath = out
	})
	if binErr != nil {
		t.Fatal(binErr)
	}
	return binPath
}

// zjtxEnv is the environment of every subprocess: none of the operator's ZJTX_* settings.
func zjtxEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ZJTX_") {
			env = append(env, kv)
		}
	}
	return env
}

// runZjtx runs a subcommand to completion and returns its stdout; any failure fails the test.
func runZjtx(t *testing.T, args ...string) string {
	t.Helper()
	cmd := exec.Command(zjtxBinary(t), args...)
	cmd.Env = zjtxEnv()
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zjtx %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// server is one `zjtx serve` subprocess; its log (stderr) is appended to logPath,
// so the log of every restart over one database reads as one file.
type server struct {
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
}

// startServer runs `zjtx serve --db dsn` on a free loopback port and waits until
// /healthz answers 200 (generous: the machine may be busy).
func startServer(t *testing.T, dsn, logPath string) *server {
	t.Helper()
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	cmd := exec.Command(zjtxBinary(t), "serve", "--db", dsn, "--addr", "127.0.0.1:0", "--slow-query", "0")
	cmd.Env = zjtxEnv()
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start zjtx serve: %v", err)
	}
	s := &server{cmd: cmd, done: make(chan struct{})}
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, u, ok := strings.Cut(sc.Text(), "zjtx 已启动："); ok {
				addr <- u
			}
		}
		_ = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.kill)
	select {
	case s.URL = <-addr:
	case <-s.done:
		t.Fatalf("zjtx serve exited before listening; see %s", logPath)
	case <-time.After(2 * time.Minute):
		t.Fatalf("zjtx serve did not start within 2 min; see %s", logPath)
	}
	deadline := time.Now().Add(time.Minute)
	for {
		res, err := http.Get(s.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return s
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("/healthz not 200 within 1 min (%v); see %s", err, logPath)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// kill ends the process with SIGKILL (no shutdown code runs) and waits for it.
func (s *server) kill() {
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-s.done
}

// stop asks for a graceful shutdown (SIGTERM), killing after 30 s.
func (s *server) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.done:
	case <-time.After(30 * time.Second):
		s.kill()
	}
}

// client is a browser-like HTTP client: a cookie jar, no redirects followed, and the
// session's CSRF token (sent as X-CSRF-Token). Cookies ignore the port, so a session
// survives a server restart on another port. Safe for concurrent use once logged in.
type client struct {
	base string
	hc   *http.Client
	mu   sync.Mutex
	csrf string
}

var reCSRF = regexp.MustCompile(`name="csrf-token" content="([^"]+)"`)

func newClient(base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{base: base, hc: &http.Client{Jar: jar, Timeout: 2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (c *client) token() string { c.mu.Lock(); defer c.mu.Unlock(); return c.csrf }

// do sends a request and reads the whole answer; a page's CSRF token is remembered.
// A redirect's (empty) body is replaced by its Location, which is what callers need of it.
func (c *client) do(ctx context.Context, method, path, contentType string, body io.Reader) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if tok := c.token(); tok != "" {
		req.Header.Set("X-CSRF-Token", tok)
	}
	res, err := c.hc.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if loc := res.Header.Get("Location"); loc != "" && len(bytes.TrimSpace(b)) == 0 {
		b = []byte(loc)
	}
	if m := reCSRF.FindSubmatch(b); m != nil {
		c.mu.Lock()
		c.csrf = string(m[1])
		c.mu.Unlock()
	}
	return res.StatusCode, b, err
}

func (c *client) get(ctx context.Context, path string) (int, []byte, error) {
	return c.do(ctx, http.MethodGet, path, "", nil)
}

func (c *client) postForm(ctx context.Context, path string, form url.Values) (int, []byte, error) {
	if tok := c.token(); tok != "" {
		form.Set("_csrf", tok)
	}
	return c.do(ctx, http.MethodPost, path, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
}

func (c *client) postFile(ctx context.Context, path, field, name string, data []byte) (int, []byte, error) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, err := mw.CreateFormFile(field, name)
	if err != nil {
		return 0, nil, err
	}
	fw.Write(data)
	mw.Close()
	return c.do(ctx, http.MethodPost, path, mw.FormDataContentType(), &buf)
}

// login signs in with a demo account (password demo-zjtx).
func (c *client) login(t *testing.T, username string) {
	t.Helper()
	ctx := context.Background()
	if st, _, err := c.get(ctx, "/login"); err != nil || st != http.StatusOK {
		t.Fatalf("GET /login: %d %v", st, err)
	}
	st, _, err := c.postForm(ctx, "/login", url.Values{"username": {username}, "password": {"demo-zjtx"}})
	if err != nil || st != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d %v", username, st, err)
	}
	if st, _, err := c.get(ctx, "/account/password"); err != nil || st != http.StatusOK || c.token() == "" {
		t.Fatalf("GET /account/password after login as %s: %d %v", username, st, err)
	}
}

// openSQLite opens a SQLite file for the test's own reads (never while asserting
// anything a running server could still change).
func openSQLite(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000&_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// checkSQLiteFile runs integrity_check and foreign_key_check on a database no process writes to.
func checkSQLiteFile(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res []string
	rows, err := db.Query("PRAGMA integrity_check")
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		res = append(res, s)
	}
	rows.Close()
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("PRAGMA integrity_check on %s: %v", path, res)
	}
	rows, err = db.Query("PRAGMA foreign_key_check")
	if err != nil {
		t.Fatalf("foreign_key_check: %v", err)
	}
	defer rows.Close()
	var bad []string
	for rows.Next() {
		var table, parent string
		var rowid, fkid sql.NullInt64
		rows.Scan(&table, &rowid, &parent, &fkid)
		bad = append(bad, fmt.Sprintf("%s row %d → %s", table, rowid.Int64, parent))
	}
	if len(bad) > 0 {
		t.Fatalf("PRAGMA foreign_key_check on %s: %d violations, e.g. %v", path, len(bad), bad[:min(5, len(bad))])
	}
}

// count runs a COUNT-like query returning one integer.
func count(t *testing.T, db *sql.DB, q string, args ...any) int64 {
	t.Helper()
	var n int64
	if err := db.QueryRow(q, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// writeLockHeld reports whether another connection holds SQLite's write lock right
// now, i.e. a write transaction is open: BEGIN IMMEDIATE fails at once with SQLITE_BUSY.
// When it succeeds, the probe rolls back immediately.
func writeLockHeld(ctx context.Context, probe *sql.Conn) (bool, error) {
	_, err := probe.ExecContext(ctx, "BEGIN IMMEDIATE")
	if err == nil {
		_, err = probe.ExecContext(ctx, "ROLLBACK")
		return false, err
	}
	if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "busy") {
		return true, nil
	}
	return false, err
}

// openProbe is a connection for writeLockHeld: no busy timeout, so it never waits.
// Close it before checking the file after a kill, so the check is a cold reopen.
func openProbe(t *testing.T, path string) (*sql.Conn, func()) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path+"?_busy_timeout=0")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	closeAll := func() { conn.Close(); db.Close() }
	t.Cleanup(closeAll)
	return conn, closeAll
}

// grepFile returns the lines of path containing any of the needles.
func grepFile(t *testing.T, path string, needles ...string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		for _, n := range needles {
			if strings.Contains(line, n) {
				out = append(out, line)
				break
			}
		}
	}
	return out
}
