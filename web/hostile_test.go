package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/web"
)

// Hostile input (issue #12): every form POST and API route of the route table gets payloads a
// careless client or an attacker sends — oversized bodies, wrong content types, SQL and HTML
// metacharacters, invalid UTF-8, absurd numbers and dates. Each must be refused with a 4xx
// (a 422 re-render for forms), never a 5xx; nothing may be stored; /healthz stays 200.

// hostileValues are written into every field of a form at once (so the field that a handler
// validates first is always hostile, and nothing can be saved).
// encoding marks bytes no text field may hold (they also break PostgreSQL's text type).
var hostileValues = []struct {
	name, value string
	encoding    bool
}{
	{"sql-or", "' OR 1=1 --", false},
	{"sql-like", `%_\`, false},
	{"sql-drop", "x'); DROP TABLE enterprises; --", false},
	{"html", `<script>alert(1)</script>`, false},
	{"traversal", "../../etc/passwd", false},
	{"utf8-invalid", "\xff\xfe\xfd", true},
	{"utf8-truncated", "上海\xe4\xb8", true},
	{"nul", "a\x00b", true},
	{"negative", "-1", false},
	{"overflow-float", "1e309", false},
	{"overflow-int", "99999999999999999999", false},
	{"nan", "NaN", false},
	{"date-zero", "0000-01-01", false},
	{"date-far", "9999-12-31", false},
	{"date-invalid", "2026-02-30", false},
	{"long", strings.Repeat("长", 70_000), false},
}

// mainTables are snapshotted around every hostile request: their row counts, and the sum of
// their version columns where they have one (an update of an existing row bumps it).
var mainTables = []string{"enterprises", "year_figures", "enterprise_facts", "awards", "dev_scores", "users",
	"assignments", "tier_decisions", "tier_applications", "parameter_overrides", "service_days", "visits", "demands",
	"update_requests", "update_request_items", "update_request_files", "portal_field_policy", "listing_pipelines",
	"listing_events", "listing_activities", "listing_participants", "benefit_grants", "benefit_parameter_overrides",
	"api_tokens"}

// versioned are the main tables with an optimistic-lock version column.
var versioned = map[string]bool{"enterprises": true, "year_figures": true, "users": true, "enterprise_facts": true,
	"tier_applications": true, "demands": true, "update_requests": true, "listing_pipelines": true, "benefit_grants": true}

func snapshot(t *testing.T, w *world) map[string]int64 {
	t.Helper()
	out := map[string]int64{}
	for _, tb := range mainTables {
		var n int64
		if err := w.db.W.Raw("SELECT COUNT(*) FROM " + tb).Scan(&n).Error; err != nil {
			t.Fatalf("count %s: %v", tb, err)
		}
		out[tb] = n
		if versioned[tb] {
			var v int64
			if err := w.db.W.Raw("SELECT COALESCE(SUM(version), 0) FROM " + tb).Scan(&v).Error; err != nil {
				t.Fatalf("versions of %s: %v", tb, err)
			}
			out[tb+".version"] = v
		}
	}
	return out
}

func diffSnapshots(a, b map[string]int64) string {
	var d []string
	for k, v := range a {
		if b[k] != v {
			d = append(d, fmt.Sprintf("%s %d→%d", k, v, b[k]))
		}
	}
	sort.Strings(d)
	return strings.Join(d, ", ")
}

// formField is one input of a rendered form.
type formField struct{ name, value, kind string }

// discoverForms renders every GET page as each role and collects the POST forms on them,
// keyed by action, so payloads go to the fields the real forms have.
func discoverForms(t *testing.T, w *world) map[string][]formField {
	t.Helper()
	forms := map[string][]formField{}
	for _, r := range web.Routes() {
		if r.Method != http.MethodGet || r.Name == "static" {
			continue
		}
		for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleEnterprise, domain.RoleSpecialist} {
			if !r.Allows(role) {
				continue
			}
			res := w.clients[role].get(w.path(r))
			if res.doc == nil {
				continue
			}
			res.doc.Find("form").Each(func(_ int, f *goquery.Selection) {
				if m, _ := f.Attr("method"); !strings.EqualFold(m, "post") {
					return
				}
				action, _ := f.Attr("action")
				action, _, _ = strings.Cut(action, "?")
				seen := map[string]bool{}
				for _, x := range forms[action] {
					seen[x.name] = true
				}
				f.Find("input[name], select[name], textarea[name]").Each(func(_ int, in *goquery.Selection) {
					name, _ := in.Attr("name")
					if name == "" || seen[name] {
						return
					}
					seen[name] = true
					kind := goquery.NodeName(in)
					if kind == "input" {
						kind, _ = in.Attr("type")
					}
					val, _ := in.Attr("value")
					forms[action] = append(forms[action], formField{name: name, value: val, kind: kind})
				})
			})
		}
	}
	return forms
}

// clientFor is the admin where the route allows it, otherwise the first role that may call it.
func (w *world) clientFor(r web.RouteInfo) *client {
	for _, role := range []domain.Role{domain.RoleAdmin, domain.RoleCity, domain.RoleDistrict, domain.RoleSpecialist, domain.RoleEnterprise} {
		if r.Allows(role) {
			return w.clients[role]
		}
	}
	return w.client
}

// hostileRoutes are the routes that accept a body: form POSTs and the JSON API.
func hostileRoutes() (forms, apis []web.RouteInfo) {
	for _, r := range web.Routes() {
		switch {
		case r.Method == http.MethodGet || r.Name == "logout":
			// logout ends the session every later request needs; it reads no input.
		case strings.HasPrefix(r.Path, "/api/"):
			apis = append(apis, r)
		default:
			forms = append(forms, r)
		}
	}
	return forms, apis
}

// genericFields stand in for a route whose form is not on any page (buttons posted by htmx).
var genericFields = []string{"uscc", "name", "district", "year", "version", "note", "reason", "status", "as_of",
	"date", "amount", "title", "kind", "outcome", "stage", "specialist_id", "ids", "username", "password", "q"}

// hostileForm fills a form: every field gets value, the CSRF token kept; with keepHidden the
// hidden inputs (version, ids) keep what the page rendered, so validation reaches the fields.
func hostileForm(c *client, fields []formField, value string, keepHidden bool) url.Values {
	v := url.Values{}
	if len(fields) == 0 {
		for _, f := range genericFields {
			v.Set(f, value)
		}
	}
	for _, f := range fields {
		switch {
		case f.name == "_csrf":
		case keepHidden && f.kind == "hidden":
			v.Add(f.name, f.value)
		default:
			v.Add(f.name, value)
		}
	}
	v.Set("_csrf", c.csrf)
	return v
}

func (c *client) raw(method, path, contentType string, body []byte, csrfHeader bool) response {
	c.a.t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if csrfHeader {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	return c.do(req)
}

// acceptsText are the routes for which a hostile *text* payload may be a valid submission:
// they read no field, only checkboxes, or only free text (where "' OR 1=1 --" is a legal
// reason, stored verbatim through bound parameters). They must still never answer 5xx, and
// the ones that store text (readsText) must still refuse bytes that are not text (invalid
// UTF-8, NUL — PostgreSQL's text type rejects both).
var acceptsText = map[string]struct {
	readsText bool
	why       string
}{
	"/admin/users/:uid/password":  {false, "resets to a generated password; reads no field"},
	"/admin/portal-fields":        {false, "checkboxes only: anything else reads as unchecked"},
	"/portal/requests/:rid":       {false, "the seeded request is submitted: redirects to its read-only page"},
	"/account/tokens/:id/revoke":  {false, "reads no field"},
	"/account/tokens/:tid/revoke": {false, "reads no field"},
	"/portal/contact":             {true, "free-text contact fields"},
	"/review/:rid/return":         {true, "free-text reason"},
	"/account/tokens":             {true, "a token's name is free text"},
}

// checkRefused fails on a 5xx, on a success (2xx/3xx: the payload was taken) and on any change
// to the main tables, except where acceptsText allows a text payload through.
func checkRefused(t *testing.T, w *world, r web.RouteInfo, what string, textOK bool, before map[string]int64, res response) {
	t.Helper()
	a, free := acceptsText[r.Path]
	free = free && (textOK || !a.readsText)
	if res.Code >= 500 {
		t.Errorf("%s: status %d (want 4xx); body: %s", what, res.Code, truncate(res.Body.String(), 400))
	} else if res.Code < 400 && !free {
		t.Errorf("%s: status %d (want 4xx): a hostile payload was accepted", what, res.Code)
	}
	after := snapshot(t, w)
	if d := diffSnapshots(before, after); d != "" && !free {
		t.Errorf("%s: stored something: %s", what, d)
	}
	for k, v := range after {
		before[k] = v // report each write once; allowed writes move the baseline
	}
}

func TestHostileFormPayloads(t *testing.T) {
	if testing.Short() {
		t.Skip("hostile suite: long")
	}
	w := newWorld(t)
	forms, _ := hostileRoutes()
	found := discoverForms(t, w)
	before := snapshot(t, w)
	for _, r := range forms {
		path := w.path(r)
		c := w.clientFor(r)
		if r.Name == "login.create" {
			c = w.anon()
			c.csrf = inputValue(c.get("/login"), "_csrf")
		}
		fields := found[path]
		for _, hv := range hostileValues {
			for _, keep := range []bool{false, true} {
				if keep && len(fields) == 0 {
					continue
				}
				what := fmt.Sprintf("%s %s [%s, hidden kept=%v]", r.Method, path, hv.name, keep)
				res := c.post(path, hostileForm(c, fields, hv.value, keep))
				checkRefused(t, w, r, what, !hv.encoding, before, res)
			}
		}
		// A JSON body on a form route: the form is empty, so it is refused like an empty form.
		res := c.raw(r.Method, path, "application/json", []byte(`{"uscc":"91310115MA1K3BTP2B","name":"x"}`), true)
		checkRefused(t, w, r, r.Method+" "+path+" [json body]", true, before, res)
		res = c.raw(r.Method, path, "text/plain", []byte("uscc=91310115MA1K3BTP2B"), true)
		checkRefused(t, w, r, r.Method+" "+path+" [text/plain body]", true, before, res)
	}
	wantStatus(t, w.anon().get("/healthz"), http.StatusOK)
}

// largeBodies are routes with their own, larger body limit (spreadsheet imports).
var largeBodies = map[string]string{"/data/import": "import files may exceed the app-wide 4 MB"}

func TestHostileOversizedBodies(t *testing.T) {
	w := newWorld(t)
	forms, apis := hostileRoutes()
	before := snapshot(t, w)
	big := bytes.Repeat([]byte("a"), 4<<20+1)
	body := append([]byte("name="), big...)
	for _, r := range append(forms, apis...) {
		path := w.path(r)
		c := w.clientFor(r)
		ct := "application/x-www-form-urlencoded"
		if strings.HasPrefix(r.Path, "/api/") {
			ct = "application/json"
		}
		res := c.raw(r.Method, path, ct, body, true)
		_, ownLimit := largeBodies[r.Path]
		if res.Code != http.StatusRequestEntityTooLarge && !(ownLimit && res.Code >= 400 && res.Code < 500) {
			t.Errorf("%s %s with a %d-byte body: status %d, want 413", r.Method, path, len(body), res.Code)
		}
		checkRefused(t, w, r, r.Method+" "+path+" [oversized]", false, before, res)
		// Without a Content-Length (chunked) the limit trips while reading; a route that reads
		// no body never notices, so only a 5xx or a write of the payload is wrong.
		req := httptest.NewRequest(r.Method, path, bytes.NewReader(body))
		req.ContentLength = -1
		req.Header.Set("Content-Type", ct)
		req.Header.Set("X-CSRF-Token", c.csrf)
		res = c.do(req)
		checkRefused(t, w, r, r.Method+" "+path+" [oversized, chunked]", true, before, res)
	}
	wantStatus(t, w.anon().get("/healthz"), http.StatusOK)
}

// apiFields are the JSON members the API's write routes read.
var apiFields = []string{"uscc", "name", "district", "address", "founded_on", "industry_group", "industry_code",
	"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale",
	"above_scale_since", "listed", "listed_board", "version", "year", "employees", "rd_staff", "revenue",
	"main_revenue", "output_value", "rd_expense", "net_profit", "total_assets", "total_liabilities", "equity_financing"}

func TestHostileAPIPayloads(t *testing.T) {
	w := newWorld(t)
	_, apis := hostileRoutes()
	before := snapshot(t, w)
	for _, r := range apis {
		path := w.path(r)
		c := w.clientFor(r)
		var bodies []struct {
			name string
			body []byte
		}
		add := func(name string, b []byte) {
			bodies = append(bodies, struct {
				name string
				body []byte
			}{name, b})
		}
		for _, hv := range hostileValues {
			m := map[string]any{}
			for _, f := range apiFields {
				m[f] = hv.value
			}
			b, _ := json.Marshal(m)
			add(hv.name, b)
			// Invalid UTF-8 as raw bytes (json.Marshal would have replaced it).
			add(hv.name+"-raw", []byte(`{"uscc":"`+hv.value+`","name":"`+hv.value+`","year":2025,"revenue":"`+hv.value+`"}`))
		}
		for _, num := range []string{"-1", "1e309", "99999999999999999999", "-99999999999999999999", "0.0000001", "1e-400"} {
			var b strings.Builder
			b.WriteString("{")
			for i, f := range apiFields {
				if i > 0 {
					b.WriteString(",")
				}
				fmt.Fprintf(&b, "%q:%s", f, num)
			}
			b.WriteString("}")
			add("number "+num, []byte(b.String()))
		}
		add("not json", []byte(`{"uscc":`))
		add("array", []byte(`[{"uscc":"91310115MA1K3BTP2B"}]`))
		add("deep", []byte(strings.Repeat("[", 100_000)+strings.Repeat("]", 100_000)))
		add("null", []byte(`null`))
		add("empty", nil)
		for _, b := range bodies {
			res := c.raw(r.Method, path, "application/json", b.body, true)
			checkRefused(t, w, r, fmt.Sprintf("%s %s [%s]", r.Method, path, b.name), true, before, res)
		}
		// A form body sent to the JSON API.
		form := url.Values{"uscc": {"91310115MA1K3BTP2B"}, "name": {"表单提交"}, "year": {"2025"}}
		res := c.raw(r.Method, path, "application/x-www-form-urlencoded", []byte(form.Encode()), true)
		checkRefused(t, w, r, r.Method+" "+path+" [form body]", true, before, res)
	}
	wantStatus(t, w.anon().get("/healthz"), http.StatusOK)
}

// hostileUpload posts one evidence file as the portal's upload form does.
func (c *client) hostileUpload(path, filename string, data []byte) response {
	c.a.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", c.csrf)
	fw, _ := mw.CreateFormFile("file", filename)
	_, _ = fw.Write(data)
	_ = mw.Close()
	return c.raw(http.MethodPost, path, mw.FormDataContentType(), body.Bytes(), false)
}

// TestHostileUploadFilename: a path in an evidence file's name never reaches storage as a path.
func TestHostileUploadFilename(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	sc := domain.Scope{EnterpriseID: w.own.ID}
	prop := w.own
	prop.MainProduct = "新主导产品"
	draft := domain.UpdateRequest{EnterpriseID: w.own.ID, Items: domain.DiffRequest(w.own, prop, []string{"main_product"}, nil, nil)}
	if err := store.NewRequests(w.db).Save(ctx, store.System, sc, &draft, false); err != nil {
		t.Fatal(err)
	}
	ent := w.clients[domain.RoleEnterprise]
	path := fmt.Sprintf("/portal/requests/%d/files", draft.ID)
	pdf := []byte("%PDF-1.4 hostile test")
	for _, name := range []string{"../../etc/passwd", "../../etc/passwd.pdf", `..\..\windows\win.ini.pdf`, "/abs/x.pdf",
		"a\x00b.pdf", "\xff\xfe.pdf", "<script>.pdf", "' OR 1=1 --.pdf", strings.Repeat("长", 5000) + ".pdf"} {
		res := ent.hostileUpload(path, name, pdf)
		if res.Code >= 500 {
			t.Errorf("upload %q: status %d", name, res.Code)
		}
	}
	var names []string
	if err := w.db.W.Raw("SELECT filename FROM update_request_files WHERE request_id = ?", draft.ID).Scan(&names).Error; err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		if strings.ContainsAny(n, `/\`) || strings.Contains(n, "..") || strings.ContainsRune(n, 0) {
			t.Errorf("stored file name %q keeps a path", n)
		}
	}
	// A multipart body whose file part is oversized is refused as a whole.
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", ent.csrf)
	fw, _ := mw.CreateFormFile("file", "big.pdf")
	_, _ = fw.Write(append([]byte("%PDF-1.4 "), bytes.Repeat([]byte("a"), 5<<20)...))
	_ = mw.Close()
	res := ent.raw(http.MethodPost, path, mw.FormDataContentType(), body.Bytes(), false)
	if res.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized upload: status %d, want 413", res.Code)
	}
	wantStatus(t, w.anon().get("/healthz"), http.StatusOK)
}
