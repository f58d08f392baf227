// Package portal renders the enterprise portal (企业首页, 变更申请) and the staff side of
// it: the review queue, the annual-update list and the field policy.
package portal

import (
	"strconv"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/internal/forms"
	"zjtx/templates/layout"
	"zjtx/templates/pages/benefits"
)

// Contact is a person to reach.
type Contact struct{ Name, Phone string }

// Demand is one of the enterprise's demands as the service module records it.
type Demand struct{ Category, Description, Status, RaisedOn, DueOn string }

// RequestRow is a request in a list.
type RequestRow struct {
	ID             int64
	EnterpriseName string
	USCC           string
	District       string
	Status         domain.RequestStatus
	Year           string
	Items          int
	SubmittedAt    string
	Reason         string
	Href           string
}

// PolicyRow is one field of the direct/review list.
type PolicyRow struct {
	Key, Label      string
	Direct, Capable bool
	Was             bool // stored when the page was made: the save is refused if it changed meanwhile
}

// DirectField is a field the enterprise changes without review.
type DirectField struct{ Key, Label, Value string }

// HomeView is the enterprise's portal home.
type HomeView struct {
	Meta         layout.Meta
	Enterprise   domain.Enterprise
	Years        []domain.YearFigures // newest first
	Verdict      eligibility.Verdict
	Next         domain.Tier
	Annual       domain.AnnualUpdate
	Specialist   *Contact
	Demands      []Demand
	Requests     []RequestRow
	Policy       []PolicyRow
	Direct       []DirectField
	DirectErrors domain.FieldErrors
	Version      string
	Benefits     benefits.SectionView // 政策匹配（免申即享）
}

// FormView is the update-request form: review fields of the profile and one year of figures.
type FormView struct {
	Meta       layout.Meta
	Enterprise domain.Enterprise
	Profile    forms.Enterprise
	Year       forms.Year
	Fields     []domain.PortalField // the profile fields that need review
	Action     string
	Version    string // the request's version when editing
	Errors     domain.FieldErrors
	Returned   string // the reviewer's reason, when editing a returned request
}

// ItemRow is one proposed field in the diff.
type ItemRow struct {
	Field, Label string
	Base, New    string
	Current      string // at review: the registry's value now
	Conflict     bool
	Outcome      string
	OutcomeLabel string
	Chosen       bool
}

// FileRow is an evidence file.
type FileRow struct {
	ID         int64
	FieldLabel string
	Filename   string
	Size       string
	Href       string
}

// RequestView is one request, for the enterprise or for a reviewer.
type RequestView struct {
	Meta        layout.Meta
	Request     domain.UpdateRequest
	Enterprise  domain.Enterprise
	Items       []ItemRow
	Files       []FileRow
	FileFields  []domain.PortalField
	CanEdit     bool
	UploadError string
	// Review only.
	Review bool
	Effect []string
	Errors domain.FieldErrors
	Reason string
	Note   string
}

// YearLabel is the request's year for display.
func YearLabel(y *int) string {
	if y == nil {
		return "—"
	}
	return strconv.Itoa(*y)
}

// AnnualRow is an enterprise that has not filed its annual figures.
type AnnualRow struct {
	Enterprise domain.Enterprise
	Pending    bool // a request for the year awaits review
}

// AnnualView lists who has not filed the year owed.
type AnnualView struct {
	Meta         layout.Meta
	Year         int
	Deadline     domain.Date
	SingleSource bool
	Overdue      bool
	Rows         []AnnualRow
	Total        int64
	Page, Pages  int
}

// ListView lists requests.
type ListView struct {
	Meta   layout.Meta
	Rows   []RequestRow
	Total  int64
	Status string
	Review bool
}

// PolicyView is the administrator's field policy page.
type PolicyView struct {
	Meta      layout.Meta
	Rows      []PolicyRow
	Conflicts []string // fields another administrator changed since the page was read
}

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func yearRequestHref(y int) string { return "/portal/requests/new?year=" + strconv.Itoa(y) }

func money(m *domain.Money) string {
	if m == nil {
		return "—"
	}
	return m.FormatWanGrouped()
}

func countText(n *int64) string {
	if n == nil {
		return "—"
	}
	return strconv.FormatInt(*n, 10)
}

func itoa(n int) string { return strconv.Itoa(n) }

func or(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

type forms_Enterprise = forms.Enterprise

func unit(f domain.YearField) string {
	if f.Money {
		if f.Negative {
			return "万元，亏损填负数"
		}
		return "万元"
	}
	return "人"
}

func profileText(p forms.Enterprise, key string) string {
	switch key {
	case "name":
		return p.Name
	case "address":
		return p.Address
	case "founded_on":
		return p.FoundedOn
	case "industry_code":
		return p.IndustryCode
	case "main_product":
		return p.MainProduct
	case "niche_market":
		return p.NicheMarket
	case "niche_since":
		return p.NicheSince
	case "contact_person":
		return p.ContactPerson
	case "contact_phone":
		return p.ContactPhone
	case "above_scale_since":
		return p.AboveScaleSince
	}
	return ""
}

func profileBool(p forms.Enterprise, key string) bool {
	switch key {
	case "above_scale":
		return p.AboveScale
	case "high_tech":
		return p.HighTech
	case "tech_sme":
		return p.TechSME
	case "gazelle":
		return p.Gazelle
	case "unicorn":
		return p.Unicorn
	case "single_champion":
		return p.SingleChampion
	case "listed":
		return p.Listed
	}
	return false
}

func annualHref(n int) string { return "/review/annual?page=" + strconv.Itoa(n) }

func fmtTime(t time.Time) string { return t.In(cst).Format("2006-01-02 15:04") }

var cst = time.FixedZone("CST", 8*3600)
