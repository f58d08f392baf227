package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/internal/store"
)

// The JSON API under /api/v1 (issue #10): every route is in the one route table with its
// role gate; a personal token (Authorization: Bearer …) acts as its user; errors are
// {"error": {"code", "message", "field"}}; amounts are 万元 as exact decimal numbers.

// apiEnterprise is an enterprise as the API shows it.
type apiEnterprise struct {
	ID              int64  `json:"id"`
	USCC            string `json:"uscc"`
	Name            string `json:"name"`
	District        string `json:"district"`
	DistrictName    string `json:"district_name"`
	Address         string `json:"address"`
	FoundedOn       string `json:"founded_on"`
	IndustryGroup   string `json:"industry_group"`
	IndustryCode    string `json:"industry_code"`
	MainProduct     string `json:"main_product"`
	NicheMarket     string `json:"niche_market"`
	NicheSince      string `json:"niche_since"`
	ContactPerson   string `json:"contact_person,omitempty"`
	ContactPhone    string `json:"contact_phone,omitempty"`
	AboveScale      bool   `json:"above_scale"`
	AboveScaleSince int    `json:"above_scale_since,omitempty"`
	HighTech        bool   `json:"high_tech"`
	TechSME         bool   `json:"tech_sme"`
	Gazelle         bool   `json:"gazelle"`
	Unicorn         bool   `json:"unicorn"`
	SingleChampion  bool   `json:"single_champion"`
	Listed          bool   `json:"listed"`
	ListedBoard     string `json:"listed_board,omitempty"`
	Tier            string `json:"tier"`
	TierValidUntil  string `json:"tier_valid_until,omitempty"`
	Size            string `json:"size"`
	Version         int64  `json:"version"`
}

func toAPIEnterprise(e domain.Enterprise) apiEnterprise {
	return apiEnterprise{ID: e.ID, USCC: string(e.USCC), Name: e.Name, District: e.DistrictCode,
		DistrictName: domain.DistrictName(e.DistrictCode), Address: e.Address, FoundedOn: e.FoundedOn.String(),
		IndustryGroup: string(e.IndustryGroup), IndustryCode: e.IndustryCode, MainProduct: e.MainProduct,
		NicheMarket: e.NicheMarket, NicheSince: e.NicheSince.String(), ContactPerson: e.ContactPerson,
		ContactPhone: e.ContactPhone, AboveScale: e.AboveScale, AboveScaleSince: e.AboveScaleSince,
		HighTech: e.HighTech, TechSME: e.TechSME, Gazelle: e.Gazelle, Unicorn: e.Unicorn,
		SingleChampion: e.SingleChampion, Listed: e.Listed, ListedBoard: e.ListedBoard, Tier: string(e.Tier),
		TierValidUntil: e.TierValidUntil.String(), Size: string(e.Size), Version: e.Version}
}

// apiYear renders figures with amounts in 万元 as exact JSON numbers.
func apiYear(y domain.YearFigures) map[string]any {
	m := map[string]any{"year": y.Year, "version": y.Version}
	for _, f := range domain.YearFields {
		if f.Money {
			if v := *y.MoneyField(f.Key); v != nil {
				m[f.Key] = json.Number(v.FormatWan())
			} else {
				m[f.Key] = nil
			}
		} else if v := *y.CountField(f.Key); v != nil {
			m[f.Key] = *v
		} else {
			m[f.Key] = nil
		}
	}
	return m
}

func apiFail(c echo.Context, status int, code, msg, field string) error {
	return writeAPIError(c, status, apiError{Code: code, Message: msg, Field: field})
}

// apiInvalid answers 422 with the first field error (in a stable order) and all of them.
func apiInvalid(c echo.Context, fe domain.FieldErrors) error {
	keys := make([]string, 0, len(fe))
	for k := range fe {
		keys = append(keys, k)
	}
	sortStrings(keys)
	first := keys[0]
	return c.JSON(http.StatusUnprocessableEntity, map[string]any{
		"error":  apiError{Code: "invalid", Message: fe[first], Field: first},
		"fields": fe,
	})
}

func sortStrings(xs []string) {
	for i := 1; i < len(xs); i++ {
		for j := i; j > 0 && xs[j] < xs[j-1]; j-- {
			xs[j], xs[j-1] = xs[j-1], xs[j]
		}
	}
}

// readJSONValues reads a JSON object body as form values (numbers and booleans as text).
func readJSONValues(c echo.Context) (url.Values, error) {
	v, _, err := readJSONBody(c)
	return v, err
}

// readJSONBody is readJSONValues that also lists the fields sent as false.
func readJSONBody(c echo.Context) (url.Values, []string, error) {
	dec := json.NewDecoder(io.LimitReader(c.Request().Body, evalBodyLimit))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, nil, err
	}
	v := url.Values{}
	var falses []string
	for k, x := range m {
		switch t := x.(type) {
		case nil:
		case string:
			v.Set(k, t)
		case bool:
			if t {
				v.Set(k, "on")
			} else {
				falses = append(falses, k)
			}
		case json.Number:
			v.Set(k, t.String())
		default:
			return nil, nil, fmt.Errorf("字段 %s 的类型不受支持", k)
		}
	}
	return v, falses, nil
}

func apiPaging(c echo.Context) (page, per int) {
	page, _ = strconv.Atoi(c.QueryParam("page"))
	per, _ = strconv.Atoi(c.QueryParam("per_page"))
	if page < 1 {
		page = 1
	}
	if per < 1 || per > 200 {
		per = 50
	}
	return page, per
}

func (s *Server) apiListEnterprises(c echo.Context) error {
	page, per := apiPaging(c)
	f := store.EnterpriseFilter{Scope: scope(c), Query: c.QueryParam("q"), District: c.QueryParam("district"),
		Tier: domain.Tier(c.QueryParam("tier")), Group: domain.IndustryGroup(c.QueryParam("industry_group")),
		Label: domain.Label(c.QueryParam("label")), Page: page, PerPage: per}
	if f.District != "" && !domain.IsDistrict(f.District) {
		return apiFail(c, http.StatusBadRequest, "invalid_filter", "未知的区代码", "district")
	}
	if f.Tier != "" && !f.Tier.Valid() {
		return apiFail(c, http.StatusBadRequest, "invalid_filter", "未知的层级", "tier")
	}
	res, err := s.enterprises.List(c.Request().Context(), f)
	if err != nil {
		return err
	}
	items := make([]apiEnterprise, len(res.Items))
	for i, e := range res.Items {
		items[i] = toAPIEnterprise(e)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": items, "total": res.Total, "page": res.Page, "per_page": res.PerPage, "pages": res.Pages()})
}

// apiEnterpriseByID loads the :id enterprise within the user's scope, answering 404 otherwise.
func (s *Server) apiEnterpriseByID(c echo.Context) (domain.Enterprise, bool, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return domain.Enterprise{}, false, apiFail(c, http.StatusNotFound, "not_found", "找不到该企业", "")
	}
	e, err := s.enterprises.Get(c.Request().Context(), scope(c), id)
	if errors.Is(err, store.ErrNotFound) {
		return e, false, apiFail(c, http.StatusNotFound, "not_found", "找不到该企业", "")
	}
	return e, err == nil, err
}

func (s *Server) apiGetEnterprise(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	return c.JSON(http.StatusOK, toAPIEnterprise(e))
}

func (s *Server) apiCreateEnterprise(c echo.Context) error {
	v, err := readJSONValues(c)
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "invalid_json", "请求体应为 JSON 对象", "")
	}
	f := forms.EnterpriseFromValues(v)
	f.Version = ""
	var e domain.Enterprise
	f.Apply(&e, s.today())
	checkOwnDistrict(c, &f)
	if len(f.Errors) > 0 {
		return apiInvalid(c, f.Errors)
	}
	if err := s.enterprises.Create(c.Request().Context(), s.actor(c), &e); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return apiFail(c, http.StatusConflict, "conflict", "该统一社会信用代码已登记", "uscc")
		}
		return err
	}
	return c.JSON(http.StatusCreated, toAPIEnterprise(e))
}

// apiUpdateEnterprise replaces the profile; fields left out keep their values, and
// "version" must be the one read (409 otherwise).
func (s *Server) apiUpdateEnterprise(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	v, falses, err := readJSONBody(c)
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "invalid_json", "请求体应为 JSON 对象", "")
	}
	if v.Get("version") == "" {
		return apiInvalid(c, domain.FieldErrors{"version": "请提供读取时的 version"})
	}
	cur := forms.EnterpriseFromDomain(e)
	base := url.Values{}
	for k, x := range map[string]string{"uscc": cur.USCC, "name": cur.Name, "district": cur.District, "address": cur.Address,
		"founded_on": cur.FoundedOn, "industry_group": cur.IndustryGroup, "industry_code": cur.IndustryCode,
		"main_product": cur.MainProduct, "niche_market": cur.NicheMarket, "niche_since": cur.NicheSince,
		"contact_person": cur.ContactPerson, "contact_phone": cur.ContactPhone, "above_scale_since": cur.AboveScaleSince,
		"listed_board": cur.ListedBoard} {
		base.Set(k, x)
	}
	for k, b := range map[string]bool{"above_scale": cur.AboveScale, "high_tech": cur.HighTech, "tech_sme": cur.TechSME,
		"gazelle": cur.Gazelle, "unicorn": cur.Unicorn, "single_champion": cur.SingleChampion, "listed": cur.Listed} {
		if b {
			base.Set(k, "on")
		}
	}
	for k, xs := range v {
		base[k] = xs
	}
	// A boolean sent as false is absent from v: clear it when the body named it.
	f := forms.EnterpriseFromValues(base)
	for _, k := range falses {
		switch k {
		case "above_scale":
			f.AboveScale = false
		case "high_tech":
			f.HighTech = false
		case "tech_sme":
			f.TechSME = false
		case "gazelle":
			f.Gazelle = false
		case "unicorn":
			f.Unicorn = false
		case "single_champion":
			f.SingleChampion = false
		case "listed":
			f.Listed = false
		}
	}
	f.Apply(&e, s.today())
	checkOwnDistrict(c, &f)
	if len(f.Errors) > 0 {
		return apiInvalid(c, f.Errors)
	}
	if err := s.enterprises.Update(c.Request().Context(), s.actor(c), &e); err != nil {
		switch {
		case store.IsStale(err):
			return apiFail(c, http.StatusConflict, "stale", "该企业已被他人修改，请重新读取后再提交", "version")
		case errors.Is(err, store.ErrConflict):
			return apiFail(c, http.StatusConflict, "conflict", "该统一社会信用代码已登记", "uscc")
		}
		return err
	}
	return c.JSON(http.StatusOK, toAPIEnterprise(e))
}

func (s *Server) apiListYears(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	ys, err := s.enterprises.Years(c.Request().Context(), e.ID)
	if err != nil {
		return err
	}
	out := make([]map[string]any, len(ys))
	for i, y := range ys {
		out[i] = apiYear(y)
	}
	return c.JSON(http.StatusOK, map[string]any{"enterprise_id": e.ID, "items": out})
}

// apiPutYear creates or corrects one year's figures (all figures replaced; version required
// when the year exists).
func (s *Server) apiPutYear(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	if u := currentUser(c); u.Role == domain.RoleDistrict && e.DistrictCode != u.DistrictCode {
		return apiFail(c, http.StatusForbidden, "forbidden", "只能修改本区企业的数据", "")
	}
	v, err := readJSONValues(c)
	if err != nil {
		return apiFail(c, http.StatusBadRequest, "invalid_json", "请求体应为 JSON 对象", "")
	}
	v.Set("year", c.Param("year"))
	ctx := c.Request().Context()
	f := forms.YearFromValues(v)
	var y domain.YearFigures
	existing, err := s.enterprises.Year(ctx, e.ID, atoiOr(c.Param("year"), 0))
	status := http.StatusCreated
	switch {
	case err == nil:
		if f.Version == "" {
			return apiInvalid(c, domain.FieldErrors{"version": "该年度已有数据，请提供读取时的 version"})
		}
		y.ID = existing.ID
		status = http.StatusOK
	case !errors.Is(err, store.ErrNotFound):
		return err
	default:
		f.Version = ""
	}
	if !f.Apply(&y, s.today()) {
		return apiInvalid(c, f.Errors)
	}
	y.EnterpriseID = e.ID
	if err := s.enterprises.SaveYear(ctx, s.actor(c), &y); err != nil {
		if store.IsStale(err) {
			return apiFail(c, http.StatusConflict, "stale", "该年度数据已被他人修改，请重新读取后再提交", "version")
		}
		if errors.Is(err, store.ErrConflict) {
			return apiFail(c, http.StatusConflict, "conflict", "该年度数据已存在", "year")
		}
		return err
	}
	return c.JSON(status, apiYear(y))
}

func atoiOr(s string, d int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return d
	}
	return n
}

func (s *Server) apiTiers(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	evs, err := s.enterprises.TierEvents(c.Request().Context(), e.ID)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(evs))
	for i, ev := range evs {
		items[i] = map[string]any{"kind": ev.Kind, "from_tier": ev.FromTier, "to_tier": ev.ToTier,
			"effective_on": ev.EffectiveOn.String(), "valid_until": ev.ValidUntil.String(),
			"certificate_no": ev.CertificateNo, "batch": ev.Batch, "reason": ev.Reason}
	}
	return c.JSON(http.StatusOK, map[string]any{"enterprise_id": e.ID, "tier": e.Tier, "tier_label": e.Tier.Label(),
		"tier_valid_until": e.TierValidUntil.String(), "events": items})
}

func (s *Server) apiVisits(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	vs, err := s.svc().VisitsFor(c.Request().Context(), e.ID, 200)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(vs))
	for i, v := range vs {
		items[i] = map[string]any{"id": v.ID, "visited_on": v.VisitedOn.String(), "specialist": v.SpecialistName,
			"kind": v.Kind, "summary": v.Summary}
	}
	return c.JSON(http.StatusOK, map[string]any{"enterprise_id": e.ID, "items": items})
}

func (s *Server) apiDemands(c echo.Context) error {
	e, ok, err := s.apiEnterpriseByID(c)
	if !ok {
		return err
	}
	ds, err := s.svc().DemandsFor(c.Request().Context(), e.ID, 200)
	if err != nil {
		return err
	}
	items := make([]map[string]any, len(ds))
	for i, d := range ds {
		items[i] = map[string]any{"id": d.ID, "category": d.Category, "status": d.Status, "description": d.Description,
			"due_on": d.DueOn.String(), "version": d.Version}
	}
	return c.JSON(http.StatusOK, map[string]any{"enterprise_id": e.ID, "items": items})
}

// bearerToken is the token of an "Authorization: Bearer …" header, or "".
func bearerToken(c echo.Context) string {
	h := c.Request().Header.Get("Authorization")
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		return strings.TrimSpace(h[7:])
	}
	return ""
}
