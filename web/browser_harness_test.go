package web_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/chromedp"

	"zjtx/internal/demo"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
	"zjtx/web"
)

// Browser tests drive the real app in headless Chromium. Each test gets its own
// browser (its own profile, so its own cookies) against a demo-filled SQLite registry.

const (
	stepTimeout = 10 * time.Second // any one browser step; a stuck page fails fast instead of hanging the run
	desktopW    = 1440
	desktopH    = 900
	phoneW      = 390
	phoneH      = 844
)

// startBrowserApp serves the app over a temp SQLite file holding 300 demo
// enterprises and the demo accounts, with the clock pinned to 2026-06-30.
func startBrowserApp(t *testing.T) (baseURL string, db *store.DB) {
	t.Helper()
	db = storetest.SQLite(t)
	ctx := context.Background()
	if _, err := demo.Fill(ctx, db, demo.Options{Enterprises: 300, Seed: 1, Today: domain.MustDate("2026-06-30")}); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	if err := demo.CreateAccounts(ctx, db); err != nil {
		t.Fatalf("demo accounts: %v", err)
	}
	now := time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)
	e := web.New(web.Config{DB: db, Demo: true, Now: func() time.Time { return now },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv.URL, db
}

// chromiumPath finds Debian's chromium. Without it the test skips, except in CI,
// where a missing browser must not turn into a silently green run.
func chromiumPath(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := "/usr/bin/chromium"
	if _, err := os.Stat(path); err != nil {
		p, lerr := exec.LookPath("chromium")
		if lerr != nil {
			msg := "chromium not found at /usr/bin/chromium or on PATH (apt-get install chromium fonts-noto-cjk)"
			if os.Getenv("CI") == "true" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		path = p
	}
	return path
}

// newBrowser starts a desktop-sized headless Chromium for this test alone.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return newBrowserSize(t, desktopW, desktopH)
}

// newBrowserSize starts a headless Chromium with a width×height viewport; widths
// under 600 also emulate a touch phone. The browser is closed when the test ends.
func newBrowserSize(t *testing.T, width, height int) context.Context {
	t.Helper()
	path := chromiumPath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-features", "Translate"),
		chromedp.Flag("force-color-profile", "srgb"),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() }) // before the TempDir above is removed
	// The first Run starts the browser and binds it to ctx, so it gets no timeout;
	// every later step derives its own.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	vp := viewport{width: width, height: height, phone: width < 600}
	do(ctx, t, "set viewport", vp.emulate(height))
	return context.WithValue(ctx, viewportKey{}, vp)
}

// viewport is the screen a test's browser emulates; screenshot needs it to
// grow the page to its full height and back.
type viewport struct {
	width, height int
	phone         bool
}

type viewportKey struct{}

func (v viewport) emulate(height int) chromedp.Action[chromedp.Void] {
	if v.phone {
		return chromedp.EmulateViewport(int64(v.width), int64(height), chromedp.EmulateMobile, chromedp.EmulateTouch)
	}
	return chromedp.EmulateViewport(int64(v.width), int64(height))
}

// do runs steps with the per-step timeout and fails the test on error.
func do(ctx context.Context, t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	for _, step := range steps {
		err := chromedp.Do(sctx, step)
		if staleNode(err) {
			err = chromedp.Do(sctx, step)
		}
		if err != nil {
			t.Fatalf("%s: %v%s", what, err, pageState(ctx))
		}
	}
}

// staleNode tells an action that found its element and then lost it: the document was
// replaced (a navigation finishing, an htmx swap) between chromedp's lookup of the node
// and its use ("Could not find node with given id"; seen once in CI clicking a link of a
// page that had just loaded). The action failed before acting on the element, so running
// it once more, against the document now shown, repeats nothing.
func staleNode(err error) bool {
	return err != nil && strings.Contains(err.Error(), "node with given id")
}

// run runs one value-returning action with the per-step timeout.
func run[T any](ctx context.Context, t *testing.T, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if staleNode(err) {
		v, err = chromedp.Run(sctx, a)
	}
	if err != nil {
		t.Fatalf("%s: %v%s", what, err, pageState(ctx))
	}
	return v
}

// pageState describes where the browser is, for failure messages.
func pageState(ctx context.Context) string {
	sctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(sctx, chromedp.Location())
	if err != nil {
		return ""
	}
	body, _ := chromedp.Run(sctx, chromedp.Evaluate[string](`document.body ? document.body.innerText.slice(0, 600) : ""`))
	return fmt.Sprintf("\n  at %s\n  page text: %q", loc, body)
}

// js quotes s as a JavaScript string literal.
func js(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// navigate opens url and waits until sel is visible.
func navigate(ctx context.Context, t *testing.T, url, sel string) {
	t.Helper()
	do(ctx, t, "open "+url, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS(sel)))
}

// text is the rendered text (innerText) of the first element matching sel, trimmed,
// waiting up to stepTimeout for one to exist. It reads through JavaScript rather than
// chromedp.Text, whose DOM node id goes stale when a navigation or an htmx swap replaces
// the document between the lookup and the read ("No node with given id found").
func text(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for {
		v := run(ctx, t, "text of "+sel, chromedp.Evaluate[*string](
			`(() => { const e = document.querySelector(`+js(sel)+`); return e ? e.innerText : null })()`))
		if v != nil {
			return strings.TrimSpace(*v)
		}
		if time.Now().After(deadline) {
			t.Fatalf("text of %s: no such element after %s%s", sel, stepTimeout, pageState(ctx))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// texts is the rendered text of every element matching sel (none is fine).
func texts(ctx context.Context, t *testing.T, sel string) []string {
	t.Helper()
	return run(ctx, t, "texts of "+sel, chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll(`+js(sel)+`), e => e.innerText.trim())`))
}

// count is how many elements match sel right now.
func count(ctx context.Context, t *testing.T, sel string) int {
	t.Helper()
	return run(ctx, t, "count "+sel, chromedp.Evaluate[int](`document.querySelectorAll(`+js(sel)+`).length`))
}

// attr is an attribute of the first element matching sel ("" when absent).
func attr(ctx context.Context, t *testing.T, sel, name string) string {
	t.Helper()
	return run(ctx, t, "attribute "+name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

// value is the current value of a form control.
func value(ctx context.Context, t *testing.T, sel string) string {
	t.Helper()
	return run(ctx, t, "value of "+sel, chromedp.Value(chromedp.CSS(sel)))
}

// location is the page's current URL.
func location(ctx context.Context, t *testing.T) string {
	t.Helper()
	return run(ctx, t, "location", chromedp.Location())
}

// waitUntil polls a JavaScript condition in the current page (no navigation in between).
func waitUntil(ctx context.Context, t *testing.T, what, cond string) {
	t.Helper()
	do(ctx, t, "wait until "+what, chromedp.Poll[chromedp.Void](cond,
		chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout)))
}

// login signs in through the login form with the demo password and waits for
// the signed-in shell.
func login(ctx context.Context, t *testing.T, base, username string) {
	t.Helper()
	navigate(ctx, t, base+"/login", `[data-testid=login-form]`)
	do(ctx, t, "log in as "+username,
		chromedp.SendKeys(chromedp.CSS(`input[name=username]`), username),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), demo.Password),
		chromedp.Click(chromedp.CSS(`[data-testid=login-submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid=me]`)),
	)
}

// screenshot saves a full-page PNG as name.png in the test's temp dir and, when
// ZJTX_SCREENSHOTS names a directory, there too.
func screenshot(ctx context.Context, t *testing.T, name string) {
	t.Helper()
	// Grow the viewport to the page's height rather than capturing beyond it, so
	// the sticky, 100vh-tall side navigation is drawn down the whole page.
	vp, _ := ctx.Value(viewportKey{}).(viewport)
	full := run(ctx, t, "page height", chromedp.Evaluate[int](`document.documentElement.scrollHeight`))
	full = min(max(full, vp.height), 10000)
	do(ctx, t, "full-height viewport", vp.emulate(full))
	do(ctx, t, "relayout", chromedp.Evaluate[chromedp.Void](
		`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))`, chromedp.EvalAwaitPromise))
	png := run(ctx, t, "screenshot "+name, chromedp.CaptureScreenshot())
	do(ctx, t, "restore viewport", vp.emulate(vp.height))
	dirs := []string{t.TempDir()}
	if d := os.Getenv("ZJTX_SCREENSHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatalf("screenshot dir: %v", err)
		}
		dirs = append(dirs, d)
	}
	for _, d := range dirs {
		if err := os.WriteFile(filepath.Join(d, name+".png"), png, 0o644); err != nil {
			t.Fatalf("save screenshot: %v", err)
		}
	}
}

// checkCJKFont fails unless Chinese text in the page's own font stack is drawn
// by a real CJK font: it asks Chromium which platform fonts rendered a probe
// element's glyphs (none may fall back to a font without CJK coverage, which is
// what draws tofu boxes) and checks the glyphs have the full-width advance of a
// CJK face. Without fonts-noto-cjk both checks fail.
func checkCJKFont(ctx context.Context, t *testing.T) {
	t.Helper()
	const probe = "专精特新梯度培育"
	do(ctx, t, "add font probe", chromedp.Evaluate[chromedp.Void](`(() => {
		const s = document.createElement('span');
		s.id = 'cjk-probe';
		s.style.cssText = 'font-size:16px;position:absolute;left:0;top:0;white-space:nowrap';
		s.textContent = `+js(probe)+`;
		document.body.appendChild(s);
	})()`))
	defer do(ctx, t, "remove font probe", chromedp.Evaluate[chromedp.Void](`document.getElementById('cjk-probe').remove()`))

	width := run(ctx, t, "probe width", chromedp.Evaluate[float64](`document.getElementById('cjk-probe').getBoundingClientRect().width`))
	n := float64(len([]rune(probe)))
	if width < 15*n || width > 17*n {
		t.Errorf("%q at 16px is %.1fpx wide, want about %.0fpx (16px per full-width glyph): CJK font missing?", probe, width, 16*n)
	}

	nodes := run(ctx, t, "probe node", chromedp.Nodes(chromedp.CSS(`#cjk-probe`)))
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	res, err := chromedp.Call(sctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: nodes[0].NodeID})
	if err != nil {
		t.Fatalf("platform fonts: %v", err)
	}
	var used []string
	var cjkGlyphs float64
	for _, f := range res.Fonts {
		used = append(used, fmt.Sprintf("%s (%g glyphs)", f.FamilyName, f.GlyphCount))
		if isCJKFamily(f.FamilyName) {
			cjkGlyphs += f.GlyphCount
		}
	}
	if cjkGlyphs != n {
		t.Errorf("%q was drawn with %v; want all %g glyphs from a CJK font (install fonts-noto-cjk)", probe, used, n)
	}
}

func isCJKFamily(name string) bool {
	for _, s := range []string{"CJK", "PingFang", "Hiragino", "YaHei", "WenQuanYi", "Source Han", "Noto Sans SC", "Noto Serif SC"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// unusedUSCC is a valid 统一社会信用代码 in 浦东新区 that no enterprise has yet.
func unusedUSCC(t *testing.T, db *store.DB) string {
	t.Helper()
	s := store.NewEnterprises(db)
	for i := 0; i < 1000; i++ {
		body := fmt.Sprintf("%08d", 73500000+i)
		first := "91310115" + body + string(domain.OrgCodeCheckChar(body))
		code := first + string(domain.USCCCheckChar(first))
		_, err := s.GetByUSCC(context.Background(), domain.USCC(code))
		if errors.Is(err, store.ErrNotFound) {
			return code
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("no unused USCC found")
	return ""
}
