package web

import (
	"net/url"
	"strings"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// enterpriseDrill reads the enterprise list's dashboard drill-down parameters (the links
// of templates/pages/dashboard build them): the store filter, the parameters to keep in
// the list's own links, and a Chinese description of what the list is narrowed to.
// Malformed values are dropped, as with the list's other filters.
func enterpriseDrill(q url.Values) (store.EnterpriseDrill, url.Values, string) {
	var (
		d     store.EnterpriseDrill
		keep  = url.Values{}
		label []string
	)
	date := func(k string) domain.Date {
		v, err := domain.ParseDate(q.Get(k))
		if err != nil {
			return domain.Date{}
		}
		return v
	}
	if t := domain.Tier(q.Get("at_least")); t.Valid() && t != domain.TierBase {
		d.AtLeast = t
		keep.Set("at_least", string(t))
		label = append(label, t.Label()+"及以上")
	}
	if t, on := domain.Tier(q.Get("held")), date("held_on"); t.Valid() && !on.IsZero() {
		d.HeldTier, d.HeldOn = t, on
		keep.Set("held", string(t))
		keep.Set("held_on", on.String())
		label = append(label, on.String()+" 在册"+t.Label())
	}
	if k, from, to := domain.TierEventKind(q.Get("event")), date("event_from"), date("event_to"); (k == domain.EventCertified || k == domain.EventExpired) && !from.IsZero() && !to.IsZero() {
		d.Event, d.EventFrom, d.EventTo = k, from, to
		keep.Set("event", string(k))
		keep.Set("event_from", from.String())
		keep.Set("event_to", to.String())
		label = append(label, from.String()+" 至 "+to.String()+" "+k.Label())
	}
	if v := date("visited_from"); !v.IsZero() {
		d.VisitedFrom = v
		keep.Set("visited_from", v.String())
		label = append(label, v.String()+" 以来已走访")
	}
	if v := date("not_visited_from"); !v.IsZero() {
		d.NotVisitedFrom = v
		keep.Set("not_visited_from", v.String())
		label = append(label, v.String()+" 以来未走访")
	}
	return d, keep, strings.Join(label, "，")
}
