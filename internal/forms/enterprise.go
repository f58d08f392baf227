package forms

import (
	"net/url"
	"strconv"

	"zjtx/internal/domain"
)

// Enterprise is the profile form as typed.
type Enterprise struct {
	Version         string
	USCC            string
	Name            string
	District        string
	Address         string
	FoundedOn       string
	IndustryGroup   string
	IndustryCode    string
	MainProduct     string
	NicheMarket     string
	NicheSince      string
	ContactPerson   string
	ContactPhone    string
	AboveScale      bool
	AboveScaleSince string
	HighTech        bool
	TechSME         bool
	Gazelle         bool
	Unicorn         bool
	SingleChampion  bool
	Listed          bool
	ListedBoard     string

	Errors  Errors
	Warning string // e.g. an organisation-code mismatch in the USCC
}

// EnterpriseFromValues reads a submitted profile form.
func EnterpriseFromValues(v url.Values) Enterprise {
	return Enterprise{
		Version: get(v, "version"), USCC: get(v, "uscc"), Name: get(v, "name"), District: get(v, "district"),
		Address: get(v, "address"), FoundedOn: get(v, "founded_on"), IndustryGroup: get(v, "industry_group"),
		IndustryCode: get(v, "industry_code"), MainProduct: get(v, "main_product"), NicheMarket: get(v, "niche_market"),
		NicheSince: get(v, "niche_since"), ContactPerson: get(v, "contact_person"), ContactPhone: get(v, "contact_phone"),
		AboveScale: checked(v, "above_scale"), AboveScaleSince: get(v, "above_scale_since"),
		HighTech: checked(v, "high_tech"), TechSME: checked(v, "tech_sme"), Gazelle: checked(v, "gazelle"),
		Unicorn: checked(v, "unicorn"), SingleChampion: checked(v, "single_champion"),
		Listed: checked(v, "listed"), ListedBoard: get(v, "listed_board"),
		Errors: Errors{},
	}
}

// EnterpriseFromDomain fills the form from a stored profile, for editing.
func EnterpriseFromDomain(e domain.Enterprise) Enterprise {
	f := Enterprise{
		Version: strconv.FormatInt(e.Version, 10), USCC: string(e.USCC), Name: e.Name, District: e.DistrictCode,
		Address: e.Address, FoundedOn: e.FoundedOn.String(), IndustryGroup: string(e.IndustryGroup),
		IndustryCode: e.IndustryCode, MainProduct: e.MainProduct, NicheMarket: e.NicheMarket,
		NicheSince: e.NicheSince.String(), ContactPerson: e.ContactPerson, ContactPhone: e.ContactPhone,
		AboveScale: e.AboveScale, HighTech: e.HighTech, TechSME: e.TechSME, Gazelle: e.Gazelle,
		Unicorn: e.Unicorn, SingleChampion: e.SingleChampion, Listed: e.Listed, ListedBoard: e.ListedBoard,
		Errors: Errors{},
	}
	if e.AboveScaleSince != 0 {
		f.AboveScaleSince = strconv.Itoa(e.AboveScaleSince)
	}
	return f
}

// Apply validates the form and writes it onto e (a new or loaded enterprise).
// It returns false when f.Errors holds messages; e is then partly written and must not be saved.
func (f *Enterprise) Apply(e *domain.Enterprise, today domain.Date) bool {
	if f.Errors == nil {
		f.Errors = Errors{}
	}
	if f.USCC == "" {
		f.Errors.Add("uscc", "请填写统一社会信用代码")
	} else if chk, err := domain.ParseUSCC(f.USCC); err != nil {
		f.Errors.Add("uscc", err.Error())
	} else {
		e.USCC = chk.Code
		f.USCC = string(chk.Code)
		f.Warning = chk.Warning
	}
	e.Name = f.Name
	e.DistrictCode = f.District
	e.Address = f.Address
	e.FoundedOn = parseDate(f.Errors, "founded_on", f.FoundedOn)
	e.IndustryGroup = domain.IndustryGroup(f.IndustryGroup)
	e.IndustryCode = domain.NormalizeUSCC(f.IndustryCode) // same trim/half-width/upper rules
	e.MainProduct = f.MainProduct
	e.NicheMarket = f.NicheMarket
	e.NicheSince = parseDate(f.Errors, "niche_since", f.NicheSince)
	e.ContactPerson = f.ContactPerson
	e.ContactPhone = f.ContactPhone
	e.AboveScale = f.AboveScale
	e.AboveScaleSince = 0
	if f.AboveScale && f.AboveScaleSince != "" {
		e.AboveScaleSince = parseYear(f.Errors, "above_scale_since", f.AboveScaleSince)
	}
	e.HighTech, e.TechSME, e.Gazelle, e.Unicorn = f.HighTech, f.TechSME, f.Gazelle, f.Unicorn
	e.SingleChampion, e.Listed, e.ListedBoard = f.SingleChampion, f.Listed, f.ListedBoard
	if f.Version != "" {
		v, err := strconv.ParseInt(f.Version, 10, 64)
		if err != nil {
			f.Errors.Add("version", "表单已损坏，请刷新后重试")
		}
		e.Version = v
	}
	for field, msg := range e.Validate(today) {
		f.Errors.Add(field, msg)
	}
	return len(f.Errors) == 0
}
