package enterprises

import (
	"context"
	"strings"

	"github.com/a-h/templ"
)

// listFilters are the list's filter selects, in form order.
var listFilters = []struct {
	name, label string
	opts        []option
}{
	{"district", "所在区", districtOptions()},
	{"tier", "梯度层级", tierOptions()},
	{"group", "划型行业", groupOptions()},
	{"label", "标签", labelOptions()},
	{"size", "规模", sizeOptions()},
}

// filterSelectHTML holds each filter select rendered by filterSelect once per possible
// selection (by name, then selected value): they are the same on every list page but
// for the selected option.
var filterSelectHTML = func() map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, f := range listFilters {
		m := map[string]string{}
		for _, cur := range append([]string{""}, optionValues(f.opts)...) {
			var b strings.Builder
			if err := filterSelect(f.name, f.label, cur, f.opts).Render(context.Background(), &b); err != nil {
				panic(err)
			}
			m[cur] = b.String()
		}
		out[f.name] = m
	}
	return out
}()

func optionValues(opts []option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Value
	}
	return out
}

// listFilterSelect is the select of the list filter name with current selected.
func listFilterSelect(name, current string) templ.Component {
	if h, ok := filterSelectHTML[name][current]; ok {
		return templ.Raw(h)
	}
	for _, f := range listFilters {
		if f.name == name {
			return filterSelect(f.name, f.label, current, f.opts)
		}
	}
	panic("enterprises: unknown list filter " + name)
}
