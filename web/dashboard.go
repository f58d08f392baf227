package web

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"zjtx/internal/dashboard"
	"zjtx/internal/dataio"
	"zjtx/internal/domain"
	dpages "zjtx/templates/pages/dashboard"
)

// dashboardCaches holds one aggregate cache per database, so the Server struct (shared
// with other work) needs no new field; every Server over the same DB shares it.
var dashboardCaches sync.Map // *store.DB → *dashCaches

type dashCaches struct {
	data *dashboard.Cache
	mu   sync.Mutex
	eval map[string]evalEntry // year|weights → evaluation
}

type evalEntry struct {
	ev *dashboard.Evaluation
	at time.Time
}

func (s *Server) dashCaches() *dashCaches {
	if c, ok := dashboardCaches.Load(s.db); ok {
		return c.(*dashCaches)
	}
	c, _ := dashboardCaches.LoadOrStore(s.db, &dashCaches{data: dashboard.NewCache(s.db, dashboard.TTL, dashboard.MinRefresh), eval: map[string]evalEntry{}})
	return c.(*dashCaches)
}

var dashboardScripts = []string{"vendor/echarts-5.6.0.min.js", "dashboard.js"}

// showDashboard is the city dashboard, or one district's: a district officer always sees
// their own; city-level users pick one with ?district=.
func (s *Server) showDashboard(c echo.Context) error {
	u := currentUser(c)
	district := ""
	if u.Role == domain.RoleDistrict {
		district = u.DistrictCode
	} else if d := c.QueryParam("district"); domain.IsDistrict(d) {
		district = d
	}
	d, at, err := s.dashCaches().data.Get(c.Request().Context(), district, s.today())
	if errors.Is(err, context.Canceled) {
		return nil // the viewer left while the first computation ran; it still completes for the next
	}
	if err != nil {
		return err
	}
	title := "全市数据看板"
	if district != "" {
		title = domain.DistrictName(district) + "数据看板"
	}
	v := dpages.View{Meta: s.meta(c, title, "dashboard"), Data: d, ComputedAt: at.In(shanghai), TTL: dashboard.TTL}
	v.Meta.Scripts = dashboardScripts
	if u.Role != domain.RoleDistrict {
		v.Districts = domain.Districts
	}
	v.Charts = dashboardCharts(d)
	return render(c, http.StatusOK, dpages.Page(v))
}

func dashboardCharts(d *dashboard.Data) dpages.Charts {
	ch := dpages.Charts{}
	tiers := dpages.Chart{Kind: "bar"}
	ts := dpages.Series{Name: "企业数"}
	for _, t := range d.Tiers {
		tiers.Categories = append(tiers.Categories, t.Tier.Label())
		ts.Data = append(ts.Data, float64(t.Count))
		ts.Hrefs = append(ts.Hrefs, dpages.EnterprisesHref(d.District, t.Tier))
	}
	tiers.Series = []dpages.Series{ts}
	ch["tiers"] = tiers

	hist := dpages.Chart{Kind: "line"}
	for _, y := range d.History {
		label := strconv.Itoa(y.Year)
		if y.Partial {
			label += "（今）"
		}
		hist.Categories = append(hist.Categories, label)
	}
	for _, t := range dpages.ShownTiers {
		se := dpages.Series{Name: t.Label()}
		for _, y := range d.History {
			se.Data = append(se.Data, float64(y.Counts[t]))
			se.Hrefs = append(se.Hrefs, dpages.HeldHref(d.District, t, y.On))
		}
		hist.Series = append(hist.Series, se)
	}
	ch["history"] = hist

	dist := dpages.Chart{Kind: "stack", Horizontal: true}
	for i := len(d.Districts) - 1; i >= 0; i-- { // top to bottom in code order
		dist.Categories = append(dist.Categories, d.Districts[i].Name)
	}
	for _, t := range dpages.ShownTiers {
		se := dpages.Series{Name: t.ShortLabel()}
		for i := len(d.Districts) - 1; i >= 0; i-- {
			r := d.Districts[i]
			se.Data = append(se.Data, float64(r.Counts[t]))
			se.Hrefs = append(se.Hrefs, dpages.EnterprisesHref(r.Code, t))
		}
		dist.Series = append(dist.Series, se)
	}
	ch["districts"] = dist

	dm := d.Demands
	ch["demands"] = dpages.Chart{Kind: "pie", Categories: []string{"办理中（未超期）", "超期", "已办结", "退回"},
		Series: []dpages.Series{{Name: "诉求", Data: []float64{float64(dm.Open - dm.Overdue), float64(dm.Overdue), float64(dm.Closed), float64(dm.Returned)},
			Hrefs: []string{dpages.DemandsHref(d.District, "ontime", "1"), dpages.DemandsHref(d.District, "overdue", "1"), dpages.DemandsHref(d.District, "status", "closed"),
				dpages.DemandsHref(d.District, "status", "returned")}}}}
	return ch
}

// ---- 区级评价 ----

func (s *Server) evalYear(raw string) int {
	y, err := strconv.Atoi(raw)
	this := s.today().Year()
	if err != nil || y < this-5 || y > this {
		return this
	}
	return y
}

func (s *Server) evalYears() []int {
	var ys []int
	for y := s.today().Year(); y >= s.today().Year()-5; y-- {
		ys = append(ys, y)
	}
	return ys
}

// evalTTL is how long a computed ranking is reused. It scans the whole registry with the
// benefits engine (seconds at 200k enterprises) and is a yearly assessment, so minutes of
// staleness are fine; changing the weights changes the key and recomputes at once.
const evalTTL = 10 * time.Minute

// evaluation computes (or reuses, for evalTTL) the ranking of year y under the current weights.
func (s *Server) evaluation(ctx context.Context, y int) (*dashboard.Evaluation, time.Time, error) {
	w, err := dashboard.LoadWeights(ctx, s.db)
	if err != nil {
		return nil, time.Time{}, err
	}
	key := fmt.Sprintf("%d|%s|%v", y, s.today(), w)
	dc := s.dashCaches()
	dc.mu.Lock()
	defer dc.mu.Unlock() // one computation at a time; others wait for it and reuse it
	if e, ok := dc.eval[key]; ok && time.Since(e.at) < evalTTL {
		return e.ev, e.at, nil
	}
	ev, err := dashboard.Evaluate(ctx, s.db, y, s.today(), w)
	if err != nil {
		return nil, time.Time{}, err
	}
	for k, e := range dc.eval {
		if time.Since(e.at) >= evalTTL {
			delete(dc.eval, k)
		}
	}
	dc.eval[key] = evalEntry{ev, time.Now()}
	return ev, time.Now(), nil
}

func (s *Server) showEvaluation(c echo.Context) error {
	return s.renderEvaluation(c, http.StatusOK, s.evalYear(c.QueryParam("year")), nil)
}

func (s *Server) renderEvaluation(c echo.Context, status int, y int, f *dpages.WeightsForm) error {
	ev, at, err := s.evaluation(c.Request().Context(), y)
	if err != nil {
		return err
	}
	v := dpages.EvalView{Meta: s.meta(c, "区级评价", "evaluation"), Eval: ev, Years: s.evalYears(),
		CanEdit: currentUser(c).Role == domain.RoleAdmin, Computed: at}
	v.Meta.Scripts = dashboardScripts
	if f != nil {
		v.Form = *f
	} else {
		v.Form = dpages.WeightsForm{Values: map[string]string{}, Errors: domain.FieldErrors{}}
		for _, in := range dashboard.Indicators {
			v.Form.Values[in.Key] = strconv.Itoa(ev.Weights[in.Key])
		}
	}
	rank := dpages.Chart{Kind: "stack", Horizontal: true}
	for i := len(ev.Rows) - 1; i >= 0; i-- {
		rank.Categories = append(rank.Categories, ev.Rows[i].Name)
	}
	for _, in := range dashboard.Indicators {
		se := dpages.Series{Name: in.Label}
		for i := len(ev.Rows) - 1; i >= 0; i-- {
			se.Data = append(se.Data, math.Round(ev.Rows[i].Scores[in.Key].Weighted*10)/10)
			se.Hrefs = append(se.Hrefs, dpages.Link("/dashboard", "district", ev.Rows[i].Code))
		}
		rank.Series = append(rank.Series, se)
	}
	v.Chart = dpages.Charts{"ranking": rank}
	return render(c, status, dpages.EvalPage(v))
}

// updateWeights saves the evaluation weights (admin); invalid → 422 with what was typed.
func (s *Server) updateWeights(c echo.Context) error {
	y := s.evalYear(c.FormValue("year"))
	raw := map[string]string{}
	for _, in := range dashboard.Indicators {
		raw[in.Key] = c.FormValue(in.Key)
	}
	w, errs := dashboard.ParseWeights(raw)
	if len(errs) > 0 {
		return s.renderEvaluation(c, http.StatusUnprocessableEntity, y, &dpages.WeightsForm{Values: raw, Errors: errs})
	}
	ctx := c.Request().Context()
	old, err := dashboard.LoadWeights(ctx, s.db)
	if err != nil {
		return err
	}
	if err := dashboard.SaveWeights(ctx, s.db, s.actor(c), old, w); err != nil {
		return err
	}
	setFlash(c, "ok", "已保存区级评价指标权重")
	return redirect(c, fmt.Sprintf("/dashboard/evaluation?year=%d", y))
}

// exportEvaluation downloads the ranking with every indicator's raw value, score and
// weighted points: UTF-8 with BOM, Chinese headers.
func (s *Server) exportEvaluation(c echo.Context) error {
	y := s.evalYear(c.QueryParam("year"))
	ev, _, err := s.evaluation(c.Request().Context(), y)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	head := []string{"评价年度", "名次", "区划代码", "区", "综合得分"}
	for _, in := range dashboard.Indicators {
		head = append(head, in.Label+"（原始值）", in.Label+"（得分）", in.Label+"（权重）", in.Label+"（加权分）")
	}
	format := exportFormat(c)
	w, err := dataio.NewWriter(&buf, format, head)
	if err != nil {
		return err
	}
	for _, r := range ev.Rows {
		rec := []any{strconv.Itoa(y), strconv.Itoa(r.Rank), r.Code, r.Name, fmt.Sprintf("%.2f", r.Total)}
		for _, in := range dashboard.Indicators {
			sc := r.Scores[in.Key]
			rawv := ""
			if sc.Has {
				rawv = strconv.FormatFloat(sc.Raw, 'f', 4, 64)
			}
			rec = append(rec, rawv, fmt.Sprintf("%.2f", sc.Score), strconv.Itoa(ev.Weights[in.Key]), fmt.Sprintf("%.2f", sc.Weighted))
		}
		if err := w.Row(rec); err != nil {
			return err
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	setDownload(c, format, fmt.Sprintf("district-evaluation-%d", y))
	return c.Blob(http.StatusOK, c.Response().Header().Get(echo.HeaderContentType), buf.Bytes())
}

// dashboardWrites names the routes whose successful writes change dashboard figures.
var dashboardWrites = map[string]bool{
	"enterprises.create": true, "enterprises.update": true, "api.enterprises.create": true, "api.enterprises.update": true,
	"import.commit": true, "review.approve": true,
	"tiers.promote": true, "tiers.miit": true, "tiers.renew": true, "tiers.revoke": true,
	"visits.create": true, "servicedays.create": true, "demands.status": true,
	"assignments.create": true, "assignments.update": true,
	"listing.update": true, "listing.move": true, "benefits.grant": true,
}

// dashboardWriteRoutes is dashboardWrites as "METHOD path" keys of the route table.
var dashboardWriteRoutes = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, r := range (&Server{}).routes() {
		if dashboardWrites[r.Name] {
			m[r.Method+" "+r.Path] = true
		}
	}
	if len(m) != len(dashboardWrites) {
		panic("dashboardWrites names a route missing from the route table")
	}
	return m
})

// invalidateDashboards marks the cached dashboards stale after a successful write that
// changes their figures. The handler has returned, so its transaction has committed; the
// next viewer still gets the previous figures at once while one recomputation runs.
func (s *Server) invalidateDashboards(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		if err == nil && c.Response().Status < http.StatusBadRequest && dashboardWriteRoutes()[c.Request().Method+" "+c.Path()] {
			s.dashCaches().data.Invalidate()
		}
		return err
	}
}
