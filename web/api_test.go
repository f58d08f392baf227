package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/web"
)

// apiToken creates a personal token for u and returns the secret.
func apiToken(t *testing.T, db *store.DB, u domain.User) (string, int64) {
	t.Helper()
	secret := auth.NewToken()
	tok := store.APIToken{UserID: u.ID, Name: "test", TokenHash: auth.HashToken(secret), Prefix: secret[:6]}
	if err := store.NewTokens(db).Create(context.Background(), store.System, &tok); err != nil {
		t.Fatal(err)
	}
	return secret, tok.ID
}

func apiCall(t *testing.T, w *world, token, method, path, body string) (int, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	w.e.ServeHTTP(rec, req)
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return rec.Code, m
}

// TestAPIEveryEndpointEveryRole calls each /api/v1 route with a token of each role: the
// route table's roles get an answer, others 403; out-of-scope records are 404.
func TestAPIEveryEndpointEveryRole(t *testing.T) {
	w := newWorld(t)
	tokens := map[domain.Role]string{}
	for _, role := range domain.Roles {
		var u domain.User
		if role == domain.RoleSpecialist { // the world's specialist, assigned to own
			var err error
			if u, err = store.NewUsers(w.db).Get(context.Background(), w.service.specialist); err != nil {
				t.Fatal(err)
			}
		} else {
			u = w.user("api-"+string(role), role, districtFor(role), enterpriseFor(role, w))
		}
		tokens[role], _ = apiToken(t, w.db, u)
	}
	for _, r := range web.Routes() {
		if !strings.HasPrefix(r.Path, "/api/v1/") || r.Name == "api.eval" {
			continue
		}
		for _, role := range domain.Roles {
			body := ""
			switch r.Name {
			case "api.enterprises.create":
				body = fmt.Sprintf(`{"uscc":"%s","name":"接口新企业%s","district":"310115","industry_group":"industrial"}`, apiUSCC(role), role)
			case "api.enterprises.update":
				e, _ := store.NewEnterprises(w.db).Get(context.Background(), domain.Scope{All: true}, w.own.ID)
				body = fmt.Sprintf(`{"version":%d,"main_product":"接口修改%s"}`, e.Version, role)
			case "api.years.put":
				y, _ := store.NewEnterprises(w.db).Year(context.Background(), w.own.ID, 2025)
				body = fmt.Sprintf(`{"version":%d,"revenue":1234.5,"employees":40}`, y.Version)
			}
			code, m := apiCall(t, w, tokens[role], r.Method, w.path(r), body)
			switch {
			case !r.Allows(role):
				if code != http.StatusForbidden {
					t.Errorf("%s %s as %s: %d, want 403", r.Method, r.Path, role, code)
				}
			case code != http.StatusOK && code != http.StatusCreated:
				t.Errorf("%s %s as %s: %d %v", r.Method, r.Path, role, code, m)
			}
		}
	}
	// Scope: the district officer and the enterprise do not see another district's record.
	for _, role := range []domain.Role{domain.RoleDistrict, domain.RoleEnterprise, domain.RoleSpecialist} {
		code, m := apiCall(t, w, tokens[role], http.MethodGet, fmt.Sprintf("/api/v1/enterprises/%d", w.other.ID), "")
		if code != http.StatusNotFound || m["error"].(map[string]any)["code"] != "not_found" {
			t.Errorf("%s reads out-of-scope enterprise: %d %v", role, code, m)
		}
	}
	code, m := apiCall(t, w, tokens[domain.RoleDistrict], http.MethodGet, "/api/v1/enterprises?per_page=10", "")
	if code != 200 || m["total"].(float64) < 1 {
		t.Fatalf("district list: %d %v", code, m)
	}
	for _, it := range m["items"].([]any) {
		if it.(map[string]any)["district"] != "310115" {
			t.Errorf("district list shows %v", it)
		}
	}
	// Errors: consistent shape with the field.
	code, m = apiCall(t, w, tokens[domain.RoleCity], http.MethodPost, "/api/v1/enterprises", `{"uscc":"123","name":"x","district":"310115","industry_group":"industrial"}`)
	if e := m["error"].(map[string]any); code != http.StatusUnprocessableEntity || e["field"] != "uscc" || e["message"] == "" {
		t.Errorf("invalid create: %d %v", code, m)
	}
	code, m = apiCall(t, w, tokens[domain.RoleCity], http.MethodPut, fmt.Sprintf("/api/v1/enterprises/%d", w.own.ID), `{"version":1,"name":"旧版本"}`)
	if code != http.StatusConflict || m["error"].(map[string]any)["code"] != "stale" {
		t.Errorf("stale update: %d %v", code, m)
	}
	code, m = apiCall(t, w, tokens[domain.RoleDistrict], http.MethodPost, "/api/v1/enterprises", `{"uscc":"`+string(apiUSCC("x"))+`","name":"外区","district":"310104","industry_group":"industrial"}`)
	if code != http.StatusUnprocessableEntity || m["error"].(map[string]any)["field"] != "district" {
		t.Errorf("district creates in another district: %d %v", code, m)
	}
	code, m = apiCall(t, w, tokens[domain.RoleCity], http.MethodGet, fmt.Sprintf("/api/v1/enterprises/%d/years", w.own.ID), "")
	if code != 200 || !strings.Contains(fmt.Sprint(m["items"]), "revenue:1234.5") {
		t.Errorf("years: %d %v", code, m)
	}
}

func apiUSCC(role domain.Role) domain.USCC {
	n := map[domain.Role]int{domain.RoleAdmin: 1, domain.RoleCity: 2, domain.RoleDistrict: 3, domain.RoleSpecialist: 4, domain.RoleEnterprise: 5}[role] + 900
	body := fmt.Sprintf("%08d", n)
	org := body + string(domain.OrgCodeCheckChar(body))
	first17 := "91310115" + org
	return domain.USCC(first17 + string(domain.USCCCheckChar(first17)))
}

func TestAPITokenRevocationAndBadTokens(t *testing.T) {
	w := newWorld(t)
	u := w.user("api-city", domain.RoleCity, "", nil)
	secret, id := apiToken(t, w.db, u)
	if code, _ := apiCall(t, w, secret, http.MethodGet, "/api/v1/enterprises", ""); code != 200 {
		t.Fatalf("live token: %d", code)
	}
	// A POST with a bearer token needs no CSRF token.
	if code, m := apiCall(t, w, secret, http.MethodPost, "/api/v1/enterprises", `{"uscc":"`+string(apiUSCC(domain.RoleCity))+`","name":"令牌登记","district":"310104","industry_group":"other"}`); code != http.StatusCreated {
		t.Fatalf("create with token: %d %v", code, m)
	}
	if err := store.NewTokens(w.db).Revoke(context.Background(), store.System, u.ID+1, id); err == nil {
		t.Fatal("another user revoked the token")
	}
	if err := store.NewTokens(w.db).Revoke(context.Background(), store.System, u.ID, id); err != nil {
		t.Fatal(err)
	}
	code, m := apiCall(t, w, secret, http.MethodGet, "/api/v1/enterprises", "")
	if code != http.StatusUnauthorized || m["error"].(map[string]any)["code"] != "invalid_token" {
		t.Fatalf("revoked token: %d %v", code, m)
	}
	if code, _ := apiCall(t, w, "garbage", http.MethodGet, "/api/v1/enterprises", ""); code != http.StatusUnauthorized {
		t.Fatalf("unknown token: %d", code)
	}
	// A disabled user's token stops working.
	secret2, _ := apiToken(t, w.db, u)
	u.Disabled = true
	u.Version = 1
	if err := store.NewUsers(w.db).Update(context.Background(), store.System, &u); err != nil {
		t.Fatal(err)
	}
	if code, _ := apiCall(t, w, secret2, http.MethodGet, "/api/v1/enterprises", ""); code != http.StatusUnauthorized {
		t.Fatalf("disabled user's token: %d", code)
	}
}

// TestOpenAPIMatchesRoutes: every /api/v1 route is documented and every documented operation is a route.
func TestOpenAPIMatchesRoutes(t *testing.T) {
	doc := web.OpenAPIPaths()
	routes := map[string]bool{}
	for _, r := range web.Routes() {
		if strings.HasPrefix(r.Path, "/api/v1/") {
			k := r.Method + " " + r.Path
			routes[k] = true
			if !doc[k] {
				t.Errorf("route %s is not in the OpenAPI document", k)
			}
		}
	}
	for k := range doc {
		if !routes[k] {
			t.Errorf("OpenAPI documents %s, which is not a route", k)
		}
	}
	w := newWorld(t)
	res := w.anon().get("/api/v1/openapi.json")
	var m map[string]any
	if res.Code != 200 || json.Unmarshal(res.Body.Bytes(), &m) != nil || m["openapi"] != "3.0.3" {
		t.Fatalf("openapi.json: %d %s", res.Code, res.Body.String())
	}
	if n := len(m["paths"].(map[string]any)); n < 9 {
		t.Fatalf("paths = %d", n)
	}
}
