package forms

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
)

// Year is the yearly-figures form as typed: amounts in 万元, head counts in people.
type Year struct {
	Version string
	Year    string
	Values  map[string]string // keyed by domain.YearFields keys
	Errors  Errors
}

// YearFromValues reads a submitted figures form.
func YearFromValues(v url.Values) Year {
	f := Year{Version: get(v, "version"), Year: get(v, "year"), Values: map[string]string{}, Errors: Errors{}}
	for _, fld := range domain.YearFields {
		f.Values[fld.Key] = get(v, fld.Key)
	}
	return f
}

// YearFromDomain fills the form from stored figures.
func YearFromDomain(y domain.YearFigures) Year {
	f := Year{Version: strconv.FormatInt(y.Version, 10), Year: strconv.Itoa(y.Year), Values: map[string]string{}, Errors: Errors{}}
	for _, fld := range domain.YearFields {
		if fld.Money {
			if m := *y.MoneyField(fld.Key); m != nil {
				f.Values[fld.Key] = m.FormatWan()
			}
		} else if c := *y.CountField(fld.Key); c != nil {
			f.Values[fld.Key] = strconv.FormatInt(*c, 10)
		}
	}
	return f
}

// Apply validates the form onto y; false when f.Errors holds messages.
func (f *Year) Apply(y *domain.YearFigures, today domain.Date) bool {
	if f.Errors == nil {
		f.Errors = Errors{}
	}
	y.Year = parseYear(f.Errors, "year", f.Year)
	for _, fld := range domain.YearFields {
		s := f.Values[fld.Key]
		if fld.Money {
			*y.MoneyField(fld.Key) = parseMoney(f.Errors, fld.Key, s)
		} else {
			*y.CountField(fld.Key) = parseCount(f.Errors, fld.Key, s)
		}
	}
	if f.Version != "" {
		v, err := strconv.ParseInt(f.Version, 10, 64)
		if err != nil {
			f.Errors.Add("version", "表单已损坏，请刷新后重试")
		}
		y.Version = v
	}
	for field, msg := range y.Validate(today) {
		f.Errors.Add(field, msg)
	}
	return len(f.Errors) == 0
}
