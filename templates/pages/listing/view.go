// Package listing renders the 改制上市培育库: the board, the table, the funnel, an
// enterprise's pipeline page and section, and the roadshows and trainings.
package listing

import (
	"net/url"
	"strconv"
	"strings"

	"zjtx/internal/domain"
	"zjtx/templates/components"
	"zjtx/templates/layout"
)

// Filter is the board's and table's query as typed. Its query parameters (district,
// tier, board, stage, flagged, page, per_page) are stable: exports reuse them.
type Filter struct {
	District, Tier, Board, Stage string
	Flagged                      bool
	PerPage                      int // table only; 0 = default
}

// Values encodes the filter (without paging) as query parameters.
func (f Filter) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("district", f.District)
	set("tier", f.Tier)
	set("board", f.Board)
	set("stage", f.Stage)
	if f.Flagged {
		v.Set("flagged", "1")
	}
	return v
}

// URL is base with the filter and page n (n ≤ 1 leaves the page out).
func (f Filter) URL(base string, page int) string {
	v := f.Values()
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if f.PerPage > 0 {
		v.Set("per_page", strconv.Itoa(f.PerPage))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// StageURL is the table of the enterprises now at stage, under this filter.
func (f Filter) StageURL(stage domain.ListingStage) string {
	f.Stage, f.Flagged = string(stage), false
	return f.URL("/listing/table", 1)
}

// BoardURL is the board with this filter (stage and flag do not apply to columns).
func (f Filter) BoardURL() string {
	g := Filter{District: f.District, Tier: f.Tier, Board: f.Board}
	return g.URL("/listing", 1)
}

// TableURL is the table with this filter.
func (f Filter) TableURL() string { return f.URL("/listing/table", 1) }

// Card is one enterprise on the board or in the table.
type Card struct {
	EnterpriseID int64
	Name         string
	USCC         string
	District     string
	Tier         domain.Tier
	Stage        domain.ListingStage
	StageSince   domain.Date
	Target       domain.ListingBoard
	Sponsor      string
	PlannedOn    domain.Date
	Days         int
	Version      int64
	Flag         string // PoolFlag
}

// Column is one stage's lane.
type Column struct {
	Stage domain.ListingStage
	Total int64
	Cards []Card
}

// BoardView is the kanban page; its #board region is also the drag response.
type BoardView struct {
	Meta        layout.Meta
	Filter      Filter
	Columns     []Column
	Funnel      domain.Funnel
	CanMove     bool
	ColumnLimit int    // cards shown per lane at most
	Result      string // what the last drag did
	Error       string // why the last drag was refused
}

// TableView is the table page.
type TableView struct {
	Meta   layout.Meta
	Filter Filter
	Rows   []Card
	Total  int64
	Page   int
	Pages  int
	Funnel domain.Funnel
}

// FunnelPageView is the funnel on its own page.
type FunnelPageView struct {
	Meta   layout.Meta
	Filter Filter
	Funnel domain.Funnel
}

// MoveForm is the stage-move form as typed, with the 入库 checklist.
type MoveForm struct {
	ToStage, On, Reason, Version, Next       string
	AuditedYears, CompanyForm, RestructureBy string
	CleanRecord, ControllerStable            bool
	Errors                                   domain.FieldErrors
}

// DetailsForm is the pipeline facts form as typed.
type DetailsForm struct {
	Version, TargetBoard, MarketBoard, MarketOn, Sponsor, LawFirm, Auditor, PlannedFilingOn, Notes string
	Errors                                                                                         domain.FieldErrors
}

// Section is what the enterprise page and the pipeline page show of the pipeline.
type Section struct {
	EnterpriseID int64
	Pipeline     *domain.ListingPipeline // nil: not in the pipeline
	Events       []domain.ListingEvent   // newest first
	Hints        []domain.BoardHint
	Activities   []domain.ListingActivity
	Flag         string
	Today        domain.Date
	CanEdit      bool
}

// Days is how long the enterprise has been in its current stage.
func (s Section) Days() int {
	if s.Pipeline == nil {
		return 0
	}
	return s.Pipeline.StageSince.DaysUntil(s.Today)
}

// PipelineView is an enterprise's pipeline page: status, move form, facts form, history.
type PipelineView struct {
	Meta       layout.Meta
	Enterprise domain.Enterprise
	Section    Section
	Move       MoveForm
	Details    DetailsForm
	Refusal    string
}

// ActivitiesView lists roadshows and trainings.
type ActivitiesView struct {
	Meta      layout.Meta
	Kind      string
	Rows      []ActivityRow
	CanCreate bool
}

// ActivityRow is an activity with its participant count.
type ActivityRow struct {
	Activity     domain.ListingActivity
	Participants int64
}

// ActivityView is one activity with its participants.
type ActivityView struct {
	Meta         layout.Meta
	Activity     domain.ListingActivity
	Participants []Participant
}

// Participant is an enterprise that took part.
type Participant struct {
	EnterpriseID int64
	Name, USCC   string
	District     string
	Stage        domain.ListingStage
}

// ActivityForm is the new-activity form as typed.
type ActivityForm struct {
	Kind, Title, HeldOn, Chain, Venue, Investors, Participants, Notes string
	Errors                                                            domain.FieldErrors
}

// ActivityFormView is the new-activity page.
type ActivityFormView struct {
	Meta layout.Meta
	Form ActivityForm
}

type option struct{ Value, Label string }

func districtOptions() []option {
	out := make([]option, len(domain.Districts))
	for i, d := range domain.Districts {
		out[i] = option{d.Code, d.Name}
	}
	return out
}

func tierOptions() []option {
	out := make([]option, len(domain.Tiers))
	for i, t := range domain.Tiers {
		out[i] = option{string(t), t.Label()}
	}
	return out
}

func boardOptions() []option {
	out := make([]option, len(domain.ListingBoards))
	for i, b := range domain.ListingBoards {
		out[i] = option{string(b), b.Label()}
	}
	return out
}

// stageOptions lists every stage a move may go to, withdrawn last.
func stageOptions() []option {
	var out []option
	for _, s := range domain.ListingStages {
		out = append(out, option{string(s), s.Label()})
	}
	return append(out, option{string(domain.StageWithdrawn), domain.StageWithdrawn.Label()})
}

func kindOptions() []option {
	out := make([]option, len(domain.ActivityKinds))
	for i, k := range domain.ActivityKinds {
		out[i] = option{string(k), k.Label()}
	}
	return out
}

func districtName(code string) string {
	if n := domain.DistrictName(code); n != "" {
		return n
	}
	return code
}

func itoa(n int) string     { return strconv.Itoa(n) }
func i64(n int64) string    { return strconv.FormatInt(n, 10) }
func fmtInt(n int64) string { return components.FormatInt(n) }

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func pct(r domain.Ratio) string {
	if !r.OK {
		return "—"
	}
	return strconv.FormatFloat(r.Value*100, 'f', 1, 64) + "%"
}

func or(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

func boardLabel(b domain.ListingBoard) string {
	if b == "" {
		return "—"
	}
	return b.Label()
}

func dateOr(d domain.Date) string {
	if d.IsZero() {
		return "—"
	}
	return d.String()
}

func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

func stageKey(s domain.ListingStage) string {
	if s == "" {
		return "none"
	}
	return string(s)
}

func joinNames(ns []string) string { return strings.Join(ns, "、") }
