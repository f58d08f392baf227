package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/web"
)

// world is a small registry with one account per role.
type world struct {
	*testApp
	own, other domain.Enterprise    // in 浦东新区 (the district officer's) and 徐汇区
	target     domain.User          // an account admin routes act on
	decision   int64                // a decision record about own
	service    serviceIDs           // a demand, service day and specialist in own's scope
	request    domain.UpdateRequest // a submitted update request of own, with an evidence file
	file       int64
	clients    map[domain.Role]*client

	activity int64 // a roadshow own took part in

	runs, tokens map[domain.Role]int64 // each account's own import run and API token
}

func newWorld(t *testing.T) *world {
	w := &world{testApp: newTestApp(t)}
	w.own = w.seed("91310115MA1K3BTP2B", "浦东自有企业", "310115")
	w.other = w.seed("9131012056010553X5", "徐汇他区企业", "310104")
	y := domain.YearFigures{EnterpriseID: w.own.ID, Year: 2025}
	if err := store.NewEnterprises(w.db).SaveYear(context.Background(), store.System, &y); err != nil {
		t.Fatal(err)
	}
	y2 := domain.YearFigures{EnterpriseID: w.other.ID, Year: 2025}
	if err := store.NewEnterprises(w.db).SaveYear(context.Background(), store.System, &y2); err != nil {
		t.Fatal(err)
	}
	spec := w.user("spec", domain.RoleSpecialist, "310115", nil)
	if err := w.db.W.Exec("INSERT INTO assignments (enterprise_id, specialist_id, assigned_at) VALUES (?, ?, CURRENT_TIMESTAMP)", w.own.ID, spec.ID).Error; err != nil {
		t.Fatal(err)
	}
	w.target = w.user("target", domain.RoleCity, "", nil)
	w.service = seedService(t, w.db, w.own.ID, spec.ID)
	if err := w.db.W.Exec(`INSERT INTO tier_decisions (enterprise_id, kind, outcome, from_tier, to_tier, as_of, created_at)
		VALUES (?, 'promotion', 'refused', 'base', 'innovative', '2026-06-30', CURRENT_TIMESTAMP)`, w.own.ID).Error; err != nil {
		t.Fatal(err)
	}
	w.db.W.Raw("SELECT MAX(id) FROM tier_decisions").Scan(&w.decision)
	w.activity = seedListing(t, w.db, w.own.ID)
	w.request, w.file = seedRequest(t, w.db, w.own)
	w.clients = map[domain.Role]*client{
		domain.RoleAdmin:      w.client,
		domain.RoleCity:       w.as(w.user("city", domain.RoleCity, "", nil)),
		domain.RoleDistrict:   w.as(w.user("pudong", domain.RoleDistrict, "310115", nil)),
		domain.RoleSpecialist: w.as(spec),
		domain.RoleEnterprise: w.as(w.user("ent", domain.RoleEnterprise, "", &w.own.ID)),
	}
	w.runs, w.tokens = map[domain.Role]int64{}, map[domain.Role]int64{}
	for role, username := range map[domain.Role]string{domain.RoleAdmin: "admin", domain.RoleCity: "city",
		domain.RoleDistrict: "pudong", domain.RoleSpecialist: "spec", domain.RoleEnterprise: "ent"} {
		var uid int64
		w.db.W.Raw("SELECT id FROM users WHERE username = ?", username).Scan(&uid)
		// A file with a header and no rows: its commit is refused (422) without writing.
		run := store.ImportRun{UserID: uid, FileName: "empty.csv", Data: []byte("统一社会信用代码,企业名称\n")}
		if err := store.NewImports(w.db).SaveRun(context.Background(), &run); err != nil {
			t.Fatal(err)
		}
		tok := store.APIToken{UserID: uid, Name: "matrix", TokenHash: auth.HashToken(username + "-matrix"), Prefix: "matrix"}
		if err := store.NewTokens(w.db).Create(context.Background(), store.System, &tok); err != nil {
			t.Fatal(err)
		}
		w.runs[role], w.tokens[role] = run.ID, tok.ID
	}
	return w
}

// pathAs fills the parameters of records that belong to one account (import runs, tokens) with role's own.
func (w *world) pathAs(r web.RouteInfo, role domain.Role) string {
	r.Path = strings.NewReplacer(":runid", fmt.Sprint(w.runs[role]), ":tid", fmt.Sprint(w.tokens[role])).Replace(r.Path)
	return w.path(r)
}

// path fills a route's parameters with records every role's scope includes where it can.
func (w *world) path(r web.RouteInfo) string {
	p := strings.NewReplacer(":id", fmt.Sprint(w.own.ID), ":year", "2025", ":uid", fmt.Sprint(w.target.ID), ":did", fmt.Sprint(w.decision),
		":dmid", fmt.Sprint(w.service.demand), ":sdid", fmt.Sprint(w.service.day), ":sid", fmt.Sprint(w.service.specialist),
		":rid", fmt.Sprint(w.request.ID), ":fid", fmt.Sprint(w.file), "*", "app.css").Replace(r.Path)
	p = strings.ReplaceAll(p, ":aid", fmt.Sprint(w.activity))
	p = strings.NewReplacer(":runid", fmt.Sprint(w.runs[domain.RoleAdmin]), ":tid", fmt.Sprint(w.tokens[domain.RoleAdmin])).Replace(p)
	if strings.Contains(p, ":") {
		w.t.Fatalf("route %s has a parameter the matrix does not fill: add it to world.path", r.Path)
	}
	return p
}

// TestRouteRoleMatrix calls every route in the table as every role. A role the route
// does not allow gets 403; an allowed one never does (nor 404 or 500: the records are
// in its scope). A new route is covered the moment it is added to the table.
func TestRouteRoleMatrix(t *testing.T) {
	w := newWorld(t)
	for _, r := range web.Routes() {
		if r.Name == "" {
			t.Errorf("route %s %s has no name", r.Method, r.Path)
		}
		for _, role := range domain.Roles {
			t.Run(r.Name+"/"+string(role), func(t *testing.T) {
				c := w.clients[role]
				if r.Name == "logout" {
					c = w.as(w.user("logout-"+string(role), role, districtFor(role), enterpriseFor(role, w)))
				}
				var res response
				if r.Method == http.MethodGet {
					res = c.get(w.pathAs(r, role))
				} else {
					res = c.send(r.Method, w.pathAs(r, role))
				}
				if !r.Allows(role) {
					if res.Code != http.StatusForbidden {
						t.Fatalf("%s %s as %s: %d, want 403", r.Method, r.Path, role, res.Code)
					}
					return
				}
				if r.Name == "login.create" && res.Code == http.StatusUnauthorized {
					return // an empty login form is a failed login, as it should be
				}
				if strings.HasPrefix(r.Name, "api.") && res.Code == http.StatusBadRequest {
					return // an empty body is malformed input to the API
				}
				switch res.Code {
				case http.StatusOK, http.StatusSeeOther, http.StatusUnprocessableEntity, http.StatusConflict, http.StatusMovedPermanently:
				default:
					t.Fatalf("%s %s as %s: %d, want it allowed; body %s", r.Method, r.Path, role, res.Code, truncate(res.Body.String(), 400))
				}
			})
		}
		t.Run(r.Name+"/anonymous", func(t *testing.T) {
			c := w.anon()
			var res response
			if r.Method == http.MethodGet {
				res = c.get(w.path(r))
			} else {
				res = c.send(r.Method, w.path(r))
			}
			switch {
			case r.Public:
				if res.Code >= 500 || res.Code == http.StatusForbidden && r.Method == http.MethodGet {
					t.Fatalf("public %s %s: %d", r.Method, r.Path, res.Code)
				}
			case r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/"):
				if res.Code != http.StatusUnauthorized {
					t.Fatalf("anonymous GET %s: %d, want 401 (the API never redirects)", r.Path, res.Code)
				}
			case r.Method == http.MethodGet:
				if res.Code != http.StatusSeeOther || !strings.HasPrefix(res.Header().Get("Location"), "/login") {
					t.Fatalf("anonymous GET %s: %d → %s, want a redirect to /login", r.Path, res.Code, res.Header().Get("Location"))
				}
			default:
				if res.Code != http.StatusForbidden && res.Code != http.StatusUnauthorized {
					t.Fatalf("anonymous POST %s: %d, want 401/403", r.Path, res.Code)
				}
			}
		})
	}
}

func districtFor(r domain.Role) string {
	if r == domain.RoleDistrict {
		return "310115"
	}
	return ""
}

func enterpriseFor(r domain.Role, w *world) *int64 {
	if r == domain.RoleEnterprise {
		return &w.own.ID
	}
	return nil
}

// TestNoCrossScopeAccess: out-of-scope records are 404 (not even their existence is told)
// by every route, and forged form fields cannot move a record into another scope.
func TestNoCrossScopeAccess(t *testing.T) {
	w := newWorld(t)
	other := fmt.Sprint(w.other.ID)
	for _, role := range []domain.Role{domain.RoleDistrict, domain.RoleSpecialist, domain.RoleEnterprise} {
		c := w.clients[role]
		for _, p := range []string{"/enterprises/" + other, "/enterprises/" + other + "/edit", "/enterprises/" + other + "/years/new", "/enterprises/" + other + "/years/2025/edit"} {
			res := c.get(p)
			if res.Code != http.StatusNotFound && res.Code != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 404 (or 403 where the role has no such page)", role, p, res.Code)
			}
			if role == domain.RoleDistrict && res.Code != http.StatusNotFound {
				t.Errorf("district officer GET %s: %d, want 404", p, res.Code)
			}
		}
		form := validForm()
		form.Set("version", "1")
		form.Set("uscc", string(w.other.USCC))
		form.Set("district", "310104")
		res := c.post("/enterprises/"+other, form)
		if res.Code != http.StatusNotFound && res.Code != http.StatusForbidden {
			t.Errorf("%s POST update of another scope's enterprise: %d", role, res.Code)
		}
		res = c.post("/enterprises/"+other+"/years", url.Values{"year": {"2024"}})
		if res.Code != http.StatusNotFound && res.Code != http.StatusForbidden {
			t.Errorf("%s POST year for another scope's enterprise: %d", role, res.Code)
		}
		res = c.get("/enterprises")
		if res.Code == http.StatusOK && strings.Contains(res.Body.String(), w.other.Name) {
			t.Errorf("%s sees %s in the list", role, w.other.Name)
		}
	}
	got, _ := store.NewEnterprises(w.db).Get(context.Background(), all, w.other.ID)
	if got.Version != w.other.Version+1 || got.Name != w.other.Name { // +1: the seeded 2025 year bumped it
		t.Errorf("other enterprise changed: %+v", got)
	}

	// A district officer cannot move their own enterprise, or register one, in another district.
	d := w.clients[domain.RoleDistrict]
	form := validForm()
	form.Set("district", "310104")
	form.Set("uscc", "91310000631696382C")
	res := d.post("/enterprises", form)
	wantStatus(t, res, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(res, "district"), "本区") {
		t.Errorf("district error = %q", fieldError(res, "district"))
	}
	// An enterprise account has no list and cannot edit even its own record directly.
	wantStatus(t, w.clients[domain.RoleEnterprise].get("/enterprises"), http.StatusForbidden)
	wantStatus(t, w.clients[domain.RoleEnterprise].get(fmt.Sprintf("/enterprises/%d", w.own.ID)), http.StatusOK)
}

func TestCSRF(t *testing.T) {
	w := newWorld(t)
	path := fmt.Sprintf("/enterprises/%d", w.own.ID)
	form := validForm()
	form.Set("version", "1")
	form.Set("name", "被篡改的名字")
	for name, tok := range map[string]string{"missing": "", "wrong": "not-the-token"} {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		if tok == "" {
			f.Set("_csrf", "x")
			f.Del("_csrf")
			c := *w.client
			c.csrf = ""
			res := c.post(path, f)
			if res.Code != http.StatusForbidden {
				t.Errorf("%s token: %d, want 403", name, res.Code)
			}
			continue
		}
		f.Set("_csrf", tok)
		if res := w.post(path, f); res.Code != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, res.Code)
		}
	}
	got, _ := store.NewEnterprises(w.db).Get(context.Background(), all, w.own.ID)
	if got.Name != w.own.Name {
		t.Fatalf("a refused POST changed the name to %q", got.Name)
	}
	// The header works for htmx.
	req := httptestRequest(http.MethodPost, path)
	req.Body = ioNopCloser(form.Encode())
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-CSRF-Token", w.csrf)
	if res := w.do(req); res.Code == http.StatusForbidden {
		t.Errorf("X-CSRF-Token header refused")
	}
}

func TestXSSRendersAsText(t *testing.T) {
	a := newTestApp(t)
	payload := `<script>alert(1)</script>`
	e := a.seed("91310115MA1K3BTP2B", payload, "310115")
	for _, p := range []string{"/enterprises", fmt.Sprintf("/enterprises/%d", e.ID), fmt.Sprintf("/enterprises/%d/edit", e.ID), "/enterprises?q=" + url.QueryEscape(payload), "/admin/audit"} {
		res := a.get(p)
		wantStatus(t, res, http.StatusOK)
		body := res.Body.String()
		if strings.Contains(body, payload) {
			t.Errorf("%s: raw script tag in the page", p)
		}
		if !strings.Contains(body, "&lt;script&gt;") && p != "/admin/audit" {
			t.Errorf("%s: escaped name missing", p)
		}
	}
	if csp := a.get("/enterprises").Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline';") && strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP = %q", csp)
	}
}

func TestSecurityHeadersAndCookies(t *testing.T) {
	a := newTestApp(t)
	res := a.anon().get("/login")
	h := res.Header()
	for k, want := range map[string]string{"X-Frame-Options": "DENY", "Referrer-Policy": "same-origin", "X-Content-Type-Options": "nosniff"} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if h.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain HTTP")
	}
	c := a.anon()
	r := c.get("/login")
	c.csrf = inputValue(r, "_csrf")
	r = c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}})
	var sess *http.Cookie
	for _, ck := range r.Result().Cookies() {
		if ck.Name == "zjtx_session" {
			sess = ck
		}
	}
	if sess == nil || !sess.HttpOnly || sess.SameSite != http.SameSiteLaxMode {
		t.Fatalf("session cookie = %+v", sess)
	}
	// TLS behind a trusted proxy: Secure cookies and HSTS; an untrusted header changes nothing.
	req := httptestRequest(http.MethodGet, "/login")
	req.Header.Set("X-Forwarded-Proto", "https")
	if a.anon().do(req).Header().Get("Strict-Transport-Security") != "" {
		t.Error("HSTS from an untrusted X-Forwarded-Proto")
	}
	proxied := web.New(web.Config{DB: a.db, TrustProxy: true, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	rec := httptest.NewRecorder()
	req = httptestRequest(http.MethodGet, "/login")
	req.Header.Set("X-Forwarded-Proto", "https")
	proxied.ServeHTTP(rec, req)
	if rec.Header().Get("Strict-Transport-Security") == "" {
		t.Error("no HSTS under TLS")
	}
	for _, ck := range rec.Result().Cookies() {
		if !ck.Secure {
			t.Errorf("cookie %s not Secure under TLS", ck.Name)
		}
	}
	// Oversized bodies are refused.
	big := url.Values{"name": {strings.Repeat("x", 5<<20)}}
	if res := a.post("/enterprises", big); res.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("5 MB form: %d, want 413", res.Code)
	}
}

func TestLoginLogoutAndSessionRotation(t *testing.T) {
	a := newTestApp(t)
	c := a.anon()
	r := c.get("/enterprises")
	if r.Code != http.StatusSeeOther || !strings.HasPrefix(r.Header().Get("Location"), "/login?next=") {
		t.Fatalf("anonymous list: %d %s", r.Code, r.Header().Get("Location"))
	}
	r = c.get("/login")
	c.csrf = inputValue(r, "_csrf")
	r = c.post("/login", url.Values{"username": {"admin"}, "password": {"wrong"}})
	wantStatus(t, r, http.StatusUnauthorized)
	if !strings.Contains(r.doc.Find(`[data-testid="login-error"]`).Text(), "用户名或密码错误") || inputValue(r, "username") != "admin" {
		t.Error("failed login should explain and keep the username")
	}
	c.cookies["zjtx_session"] = &http.Cookie{Name: "zjtx_session", Value: "planted-by-attacker"}
	r = c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"/enterprises?q=x"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r.Header().Get("Location") != "/enterprises?q=x" {
		t.Errorf("next = %s", r.Header().Get("Location"))
	}
	if c.cookies["zjtx_session"].Value == "planted-by-attacker" {
		t.Fatal("session not rotated at login")
	}
	r = c.get("/enterprises")
	wantStatus(t, r, http.StatusOK)
	c.csrf, _ = r.doc.Find(`meta[name="csrf-token"]`).Attr("content")
	old := *c.cookies["zjtx_session"]
	wantStatus(t, c.post("/logout", nil), http.StatusSeeOther)
	c.cookies["zjtx_session"] = &old // replaying the old cookie must not work
	if r := c.get("/enterprises"); r.Code != http.StatusSeeOther {
		t.Errorf("session still valid after logout: %d", r.Code)
	}
	// An open redirect through next is refused.
	c = a.anon()
	r = c.get("/login")
	c.csrf = inputValue(r, "_csrf")
	r = c.post("/login", url.Values{"username": {"admin"}, "password": {testPassword}, "next": {"//evil.example/"}})
	if r.Header().Get("Location") != "/" {
		t.Errorf("next=//evil → %s", r.Header().Get("Location"))
	}
}

func TestLoginThrottling(t *testing.T) {
	a := newTestApp(t)
	attempt := func(remote, pw string) int {
		c := a.anon()
		r := c.get("/login")
		c.csrf = inputValue(r, "_csrf")
		form := url.Values{"username": {"admin"}, "password": {pw}, "_csrf": {c.csrf}}
		req := httptestRequest(http.MethodPost, "/login")
		req.Body = ioNopCloser(form.Encode())
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.RemoteAddr = remote
		return c.do(req).Code
	}
	for i := 0; i < 5; i++ {
		if code := attempt("10.9.9.9:1000", "wrong"); code != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i+1, code)
		}
	}
	if code := attempt("10.9.9.9:1000", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("6th attempt from the attacking address: %d, want 429", code)
	}
	// The real user elsewhere is not locked out, and X-Forwarded-For cannot be forged to escape.
	if code := attempt("10.1.1.1:2000", testPassword); code != http.StatusSeeOther {
		t.Errorf("login from another address: %d, want 303", code)
	}
}

func TestAdminManagesUsers(t *testing.T) {
	a := newTestApp(t)
	e := a.seed("91310115MA1K3BTP2B", "绑定企业", "310115")
	wantStatus(t, a.get("/admin/users"), http.StatusOK)
	wantStatus(t, a.get("/admin/users/new"), http.StatusOK)

	r := a.post("/admin/users", url.Values{"username": {"qiye1"}, "role": {"enterprise"}, "enterprise": {"9131011500000000X"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	if !strings.Contains(fieldError(r, "enterprise"), "未找到") {
		t.Errorf("enterprise error = %q", fieldError(r, "enterprise"))
	}
	r = a.post("/admin/users", url.Values{"username": {"qiye1"}, "display_name": {"企业联络员"}, "role": {"enterprise"}, "enterprise": {string(e.USCC)}})
	wantStatus(t, r, http.StatusSeeOther)
	r = a.get(r.Header().Get("Location"))
	flash := r.doc.Find(`[data-testid="flash"]`).Text()
	i := strings.Index(flash, "：")
	if i < 0 {
		t.Fatalf("no generated password in %q", flash)
	}
	password := strings.TrimSpace(flash[strings.LastIndex(flash, "：")+len("："):])
	if list := a.get("/admin/users"); !strings.Contains(list.doc.Find(`[data-testid="users-table"]`).Text(), e.Name) {
		t.Error("the user list does not name the bound enterprise")
	}

	// The new user must change the generated password first.
	c := a.anon()
	r = c.get("/login")
	c.csrf = inputValue(r, "_csrf")
	r = c.post("/login", url.Values{"username": {"qiye1"}, "password": {password}})
	if r.Header().Get("Location") != "/account/password" {
		t.Fatalf("first login → %s", r.Header().Get("Location"))
	}
	r = c.get(fmt.Sprintf("/enterprises/%d", e.ID))
	if r.Header().Get("Location") != "/account/password" {
		t.Errorf("pages before the password change should redirect, got %d", r.Code)
	}
	r = c.get("/account/password")
	c.csrf, _ = r.doc.Find(`meta[name="csrf-token"]`).Attr("content")
	r = c.post("/account/password", url.Values{"current": {password}, "new": {"short"}, "confirm": {"short"}})
	wantStatus(t, r, http.StatusUnprocessableEntity)
	r = c.post("/account/password", url.Values{"current": {password}, "new": {"a-better-pass-1"}, "confirm": {"a-better-pass-1"}})
	wantStatus(t, r, http.StatusSeeOther)
	wantStatus(t, c.get(fmt.Sprintf("/enterprises/%d", e.ID)), http.StatusOK)

	// Disabling ends the user's sessions at once.
	u, _ := store.NewUsers(a.db).GetByUsername(context.Background(), "qiye1")
	r = a.post(fmt.Sprintf("/admin/users/%d", u.ID), url.Values{"version": {fmt.Sprint(u.Version)}, "role": {"enterprise"},
		"enterprise": {string(e.USCC)}, "disabled": {"on"}})
	wantStatus(t, r, http.StatusSeeOther)
	if r := c.get(fmt.Sprintf("/enterprises/%d", e.ID)); r.Code != http.StatusSeeOther {
		t.Errorf("disabled user still has a session: %d", r.Code)
	}
	// The audit log shows who did it.
	r = a.get("/admin/audit?entity=user")
	wantStatus(t, r, http.StatusOK)
	if !strings.Contains(r.Body.String(), "状态") || !strings.Contains(r.Body.String(), "已停用") {
		t.Error("audit log does not show the disabling")
	}
}

// send is post for POST routes and the same empty form under another method (PUT).
func (c *client) send(method, path string) response {
	c.a.t.Helper()
	if method == http.MethodPost {
		return c.post(path, url.Values{})
	}
	form := url.Values{}
	if c.csrf != "" {
		form.Set("_csrf", c.csrf)
	}
	req := httptest.NewRequest(method, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}
