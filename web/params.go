package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/store"
	"zjtx/templates/pages/admin"
)

// listParams shows every eligibility parameter with its dated values and marks.
func (s *Server) listParams(c echo.Context) error {
	f := admin.ParamForm{Errors: domain.FieldErrors{}}
	prefix := strings.TrimSpace(c.QueryParam("prefix"))
	ps, err := s.tiers.Parameters(c.Request().Context())
	if err != nil {
		return err
	}
	if p, ok := ps.Lookup(prefix); ok { // one parameter asked for: offer its current value to edit
		f.Key = p.Key
		if i := currentValue(p, s.today()); i >= 0 {
			f.Value = string(p.Values[i].Value)
		}
	}
	return s.renderParams(c, http.StatusOK, prefix, f)
}

func (s *Server) renderParams(c echo.Context, status int, prefix string, f admin.ParamForm) error {
	ctx := c.Request().Context()
	ps, err := s.tiers.Parameters(ctx)
	if err != nil {
		return err
	}
	ovs, err := s.decisions.Overrides(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	v := admin.ParamsView{Meta: s.meta(c, "规则参数", "params"), Prefix: prefix, Today: today, Form: f}
	for _, p := range ps.List() {
		v.Total++
		v.Keys = append(v.Keys, p.Key)
		if p.SingleSource {
			v.SingleSource++
		}
		if p.Unconfirmed {
			v.Unconfirmed++
		}
		if strings.HasPrefix(p.Key, prefix) {
			v.Rows = append(v.Rows, admin.ParamRow{Param: p, Current: currentValue(p, today)})
		}
	}
	for i := len(ovs) - 1; i >= 0; i-- {
		o := ovs[i]
		v.Overrides = append(v.Overrides, admin.OverrideRow{Key: o.Key, EffectiveFrom: o.EffectiveFrom.String(),
			Value: o.Value, Reason: o.Reason, CreatedBy: o.CreatedBy})
	}
	return render(c, status, admin.ParamsPage(v))
}

// currentValue is the index of the value in force on d, -1 before the first.
func currentValue(p eligibility.Param, d domain.Date) int {
	cur := -1
	for i, x := range p.Values {
		if x.From.After(d) {
			break
		}
		cur = i
	}
	return cur
}

// createParam records an administrator's override after checking that the whole parameter
// table still compiles with it (right kind, bands in order, every points name present).
func (s *Server) createParam(c echo.Context) error {
	ctx := c.Request().Context()
	in, o := overrideInput(c, func(k string) bool { _, ok := eligibility.DefaultParameters().Lookup(k); return ok }, `"miit-2026"`)
	f := admin.ParamForm{Key: in.Key, EffectiveFrom: in.EffectiveFrom, Value: in.Value, Reason: in.Reason, Errors: in.Errors}
	if len(f.Errors) == 0 {
		existing, err := s.decisions.Overrides(ctx)
		if err != nil {
			return err
		}
		all := make([]eligibility.Override, 0, len(existing)+1)
		for _, x := range existing {
			all = append(all, eligibility.Override{Key: x.Key, EffectiveFrom: x.EffectiveFrom, Value: json.RawMessage(x.Value)})
		}
		all = append(all, eligibility.Override{Key: o.Key, EffectiveFrom: o.EffectiveFrom, Value: json.RawMessage(o.Value)})
		if _, err := eligibility.DefaultParameters().WithOverrides(all); err != nil {
			f.Errors.Add("value", err.Error())
		}
	}
	if len(f.Errors) > 0 {
		return s.renderParams(c, http.StatusUnprocessableEntity, f.Key, f)
	}
	if err := s.decisions.AddOverride(ctx, s.actor(c), &o); err != nil {
		return err
	}
	shown := o.Value
	if utf8.RuneCountInString(shown) > 80 {
		shown = string([]rune(shown)[:80]) + "…"
	}
	setFlash(c, "ok", "已更正参数 "+o.Key+"：自 "+o.EffectiveFrom.String()+" 起取值 "+shown+
		"。此前日期的评估和已作出的认定决定不受影响。")
	return redirect(c, "/admin/parameters?prefix="+o.Key)
}

// overrideForm is what every parameter-override form shares, as typed, with its errors.
type overrideForm struct {
	Key, EffectiveFrom, Value, Reason string
	Errors                            domain.FieldErrors
}

// overrideInput reads and checks an override form: a known key, a date, a JSON value and a
// reason. known says whether a key exists; example is shown in the JSON error message.
func overrideInput(c echo.Context, known func(string) bool, example string) (overrideForm, store.ParameterOverride) {
	f := overrideForm{Key: strings.TrimSpace(c.FormValue("key")), EffectiveFrom: strings.TrimSpace(c.FormValue("effective_from")),
		Value: strings.TrimSpace(c.FormValue("value")), Reason: strings.TrimSpace(c.FormValue("reason")), Errors: domain.FieldErrors{}}
	o := store.ParameterOverride{Key: f.Key, Reason: f.Reason}
	if f.Key == "" {
		f.Errors.Add("key", "请选择参数")
	} else if !known(f.Key) {
		f.Errors.Add("key", "没有这个参数")
	}
	if f.EffectiveFrom == "" {
		f.Errors.Add("effective_from", "请填写生效日期")
	} else if d, err := domain.ParseDate(f.EffectiveFrom); err != nil {
		f.Errors.Add("effective_from", err.Error())
	} else {
		o.EffectiveFrom = d
	}
	var compact bytes.Buffer
	switch {
	case f.Value == "":
		f.Errors.Add("value", "请填写新值")
	case len(f.Value) > 4000:
		f.Errors.Add("value", "新值过长（不超过 4000 字符）")
	case json.Compact(&compact, []byte(f.Value)) != nil:
		f.Errors.Add("value", "不是合法的 JSON（字符串须加双引号，如 "+example+"）")
	default:
		o.Value = compact.String()
	}
	switch n := utf8.RuneCountInString(f.Reason); {
	case n == 0:
		f.Errors.Add("reason", "请填写更正理由（如依据的文件及条款）")
	case n > 500:
		f.Errors.Add("reason", "理由不超过 500 字")
	}
	return f, o
}
