package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserDashboards: the city user lands on the city dashboard and the 浦东新区 officer
// on theirs, at 1440 px and 390 px. Every chart is drawn (a canvas with painted pixels), the
// Chinese labels come from a CJK font, the numbers are also in tables, and clicking a drill-down
// number (the current count, last year's year-end count, a chart bar) opens the list with that total. Screenshots: dashboard-{city,district}-{1440,390}.png.
func TestBrowserDashboards(t *testing.T) {
	base, _ := startBrowserApp(t)
	for _, size := range []struct{ w, h int }{{desktopW, desktopH}, {phoneW, phoneH}} {
		for _, who := range []struct{ user, name string }{{"city", "city"}, {"district", "district"}} {
			t.Run(fmt.Sprintf("%s-%d", who.name, size.w), func(t *testing.T) {
				ctx := newBrowserSize(t, size.w, size.h)
				login(ctx, t, base, who.user)
				navigate(ctx, t, base+"/", `[data-testid=dashboard]`)
				if loc := location(ctx, t); !strings.HasSuffix(loc, "/dashboard") {
					t.Errorf("home is %s, want the dashboard", loc)
				}
				waitUntil(ctx, t, "charts drawn", `document.querySelectorAll('[data-chart][data-rendered] canvas').length >= 4`)
				// each chart's canvas has painted pixels
				painted := run(ctx, t, "painted charts", chromedp.Evaluate[int](`Array.from(document.querySelectorAll('[data-chart]')).filter(el => {
					const c = el.querySelector('canvas');
					if (!c || !c.width || !c.height) return false;
					const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
					for (let i = 3; i < d.length; i += 4 * 7) if (d[i] !== 0) return true;
					return false;
				}).length`))
				if painted < 4 {
					t.Errorf("%d charts painted, want 4", painted)
				}
				checkCJKFont(ctx, t)
				if n := count(ctx, t, `[data-testid=table-districts] tbody tr`); who.name == "city" && n != 16 || who.name == "district" && n != 1 {
					t.Errorf("%d district rows", n)
				}
				if who.name == "district" {
					if h := text(ctx, t, `h1`); !strings.Contains(h, "浦东新区") {
						t.Errorf("title %q", h)
					}
				}
				screenshot(ctx, t, fmt.Sprintf("dashboard-%s-%d", who.name, size.w))
				if size.w == desktopW {
					want := strings.TrimSpace(text(ctx, t, `[data-testid=tier-specialized]`))
					do(ctx, t, "drill down", chromedp.Click(chromedp.CSS(`[data-testid=tier-specialized]`)),
						chromedp.WaitVisible(chromedp.CSS(`[data-testid=total]`)))
					if got := text(ctx, t, `[data-testid=total]`); !strings.Contains(got, want) {
						t.Errorf("list total %q, dashboard %s", got, want)
					}
					// last year's year-end count opens the enterprises the tier history held then
					navigate(ctx, t, base+"/dashboard", `[data-testid=table-history]`)
					id := run(ctx, t, "history cell", chromedp.Evaluate[string](`(() => {
						const xs = document.querySelectorAll('a[data-drill][data-testid^="history-"][data-testid$="-specialized"]');
						return xs[xs.length - 2].getAttribute('data-testid'); })()`))
					want = text(ctx, t, `[data-testid=`+id+`]`)
					do(ctx, t, "drill down "+id, chromedp.Click(chromedp.CSS(`[data-testid=`+id+`]`)),
						chromedp.WaitVisible(chromedp.CSS(`[data-testid=drill-label]`)))
					if got := text(ctx, t, `[data-testid=total]`); !strings.Contains(got, "共 "+want+" ") {
						t.Errorf("%s: list total %q, dashboard %s", id, got, want)
					}
					// a chart segment: click the 专精特新 bar of the tier chart
					navigate(ctx, t, base+"/dashboard", `[data-testid=table-tiers]`)
					waitUntil(ctx, t, "tier chart drawn", `document.querySelector('#chart-tiers[data-rendered]') !== null`)
					want = strings.TrimSpace(text(ctx, t, `[data-testid=tier-specialized]`))
					xy := run(ctx, t, "bar position", chromedp.Evaluate[[]float64](`(() => {
						const el = document.getElementById('chart-tiers'), ch = echarts.getInstanceByDom(el);
						const v = Number(document.querySelector('[data-testid=tier-specialized]').dataset.value);
						const [x, y] = ch.convertToPixel({seriesIndex: 0}, [2, v / 2]);
						const r = el.getBoundingClientRect();
						return [r.left + x, r.top + y]; })()`))
					do(ctx, t, "click the bar", chromedp.MouseClickXY(xy[0], xy[1]), chromedp.WaitVisible(chromedp.CSS(`[data-testid=enterprise-table]`)))
					if got := text(ctx, t, `[data-testid=total]`); !strings.Contains(got, "共 "+want+" ") {
						t.Errorf("tier bar: list total %q, dashboard %s", got, want)
					}
				}
			})
		}
	}
	t.Run("evaluation-1440", func(t *testing.T) {
		ctx := newBrowserSize(t, desktopW, desktopH)
		login(ctx, t, base, "admin")
		navigate(ctx, t, base+"/dashboard/evaluation", `[data-testid=evaluation]`)
		waitUntil(ctx, t, "ranking drawn", `document.querySelectorAll('[data-chart][data-rendered] canvas').length >= 1`)
		if n := count(ctx, t, `[data-testid^=rank-]`); n != 16 {
			t.Errorf("%d districts ranked", n)
		}
		screenshot(ctx, t, "evaluation-1440")
	})
}
