package store

import (
	"cmp"
	"database/sql"
	"slices"
	"strings"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Hand-written reads of one enterprise's record for the hot pages (the enterprise page,
// the portal home, every assessment): typed scanning instead of gorm's reflection, and
// one query where the generic reads took several. Every statement is plain SQL with ?
// placeholders, so it runs unchanged on SQLite and PostgreSQL. The short lists of one
// enterprise are sorted here rather than by ORDER BY, which costs SQLite several times
// the lookup itself on a prepared statement with a bound id.

// EnterpriseRecord is an enterprise with everything the eligibility rules and the
// benefit matcher read of it.
type EnterpriseRecord struct {
	Enterprise domain.Enterprise
	Facts      domain.EnterpriseFacts // zero with EnterpriseID 0 when never recorded
	Years      []domain.YearFigures   // oldest first
	Awards     []domain.Award         // newest year first
	DevScores  []domain.DevScore      // oldest first
	TierEvents []domain.TierEvent     // newest first; read only when asked for
	Has        Histories              // filled only when asked for
}

// Histories tells which of an enterprise's other histories hold any row, so a page
// skips the reads that would come back empty (most enterprises have none of them).
// Only the probes RecordReads asked for are made; the others stay false.
type Histories struct {
	Decisions, Applications, Pipeline, ListingEvents, Activities, Audit bool // RecordReads.Histories
	Grants                                                              bool // RecordReads.Grants
	Requests                                                            bool // RecordReads.Requests
}

// RecordReads selects the optional parts of LoadEnterpriseRecord.
type RecordReads struct {
	TierEvents bool // read the tier history
	Grants     bool // probe benefit grants
	Histories  bool // probe the enterprise page's histories
	Requests   bool // probe update requests
}

const enterpriseCols = `enterprises.id, enterprises.uscc, enterprises.name, enterprises.district_code, enterprises.address,
 enterprises.founded_on, enterprises.industry_group, enterprises.industry_code, enterprises.main_product,
 enterprises.niche_market, enterprises.niche_since, enterprises.contact_person, enterprises.contact_phone,
 enterprises.above_scale, enterprises.above_scale_since, enterprises.high_tech, enterprises.tech_sme, enterprises.gazelle,
 enterprises.unicorn, enterprises.single_champion, enterprises.listed, enterprises.listed_board, enterprises.tier,
 enterprises.tier_valid_until, enterprises.barred_until, enterprises.size, enterprises.version,
 enterprises.created_at, enterprises.updated_at`

// enterpriseDest lists scan destinations in enterpriseCols order.
func enterpriseDest(e *domain.Enterprise) []any {
	return []any{&e.ID, (*string)(&e.USCC), &e.Name, &e.DistrictCode, &e.Address,
		&e.FoundedOn, (*string)(&e.IndustryGroup), &e.IndustryCode, &e.MainProduct,
		&e.NicheMarket, &e.NicheSince, &e.ContactPerson, &e.ContactPhone,
		&e.AboveScale, &e.AboveScaleSince, &e.HighTech, &e.TechSME, &e.Gazelle,
		&e.Unicorn, &e.SingleChampion, &e.Listed, &e.ListedBoard, (*string)(&e.Tier),
		&e.TierValidUntil, &e.BarredUntil, (*string)(&e.Size), &e.Version,
		&e.CreatedAt, &e.UpdatedAt}
}

const factCols = `f.enterprise_id, f.registered_in_shanghai, f.independent_legal_person, f.ip_class1,
 f.ip_class1_self_developed, f.ip_class1_high_value, f.ip_class1_in_use, f.ip_class2,
 f.honour_tech_innovation_demo, f.honour_ip_advantage, f.honour_ip_demo, f.rd_institution, f.chuangke_rank,
 f.strategic_emerging, f.chain_role, f.priority_field, f.digital_level, f.quality, f.local_score,
 f.info_system_core_business, f.mgmt_certification, f.own_brand, f.market_share_domestic,
 f.market_share_international, f.market_rank_domestic, f.market_position_attested, f.abnormal_operation,
 f.serious_dishonesty, f.restricted_industry, f.major_incident_3y, f.tax_violation_3y,
 f.controlled_by_little_giant, f.group_similar_little_giant, f.awards_reported, f.version, f.updated_at`

// factScan holds a fact sheet row; the columns the rules read are nullable.
type factScan struct {
	id             sql.NullInt64
	b              [18]sql.NullBool
	n              [8]sql.NullInt64
	x              [3]sql.NullFloat64
	s              [3]sql.NullString
	awardsReported sql.NullBool
	version        sql.NullInt64
	updatedAt      sql.NullTime
}

// dest lists scan destinations in factCols order.
func (f *factScan) dest() []any {
	b, n, x, s := &f.b, &f.n, &f.x, &f.s
	return []any{&f.id, &b[0], &b[1], &n[0],
		&n[1], &n[2], &n[3], &n[4],
		&b[2], &b[3], &b[4], &s[0], &n[5],
		&b[5], &s[1], &b[6], &n[6], &s[2], &x[0],
		&b[7], &b[8], &b[9], &x[1],
		&x[2], &n[7], &b[10], &b[11],
		&b[12], &b[13], &b[14], &b[15],
		&b[16], &b[17], &f.awardsReported, &f.version, &f.updatedAt}
}

func (f *factScan) facts() domain.EnterpriseFacts {
	b, n, x, s := f.b, f.n, f.x, f.s
	return domain.EnterpriseFacts{
		EnterpriseID: f.id.Int64, RegisteredInShanghai: boolP(b[0]), IndependentLegalPerson: boolP(b[1]),
		IPClass1: intP(n[0]), IPClass1SelfDeveloped: intP(n[1]), IPClass1HighValue: intP(n[2]), IPClass1InUse: intP(n[3]),
		IPClass2: intP(n[4]), HonourTechInnovationDemo: boolP(b[2]), HonourIPAdvantage: boolP(b[3]), HonourIPDemo: boolP(b[4]),
		RDInstitution: strP(s[0]), ChuangkeRank: intP(n[5]), StrategicEmerging: boolP(b[5]), ChainRole: strP(s[1]),
		PriorityField: boolP(b[6]), DigitalLevel: intP(n[6]), Quality: strP(s[2]), LocalScore: floatP(x[0]),
		InfoSystemCoreBusiness: boolP(b[7]), MgmtCertification: boolP(b[8]), OwnBrand: boolP(b[9]),
		MarketShareDomestic: floatP(x[1]), MarketShareInternational: floatP(x[2]), MarketRankDomestic: intP(n[7]),
		MarketPositionAttested: boolP(b[10]), AbnormalOperation: boolP(b[11]), SeriousDishonesty: boolP(b[12]),
		RestrictedIndustry: boolP(b[13]), MajorIncident3Y: boolP(b[14]), TaxViolation3Y: boolP(b[15]),
		ControlledByLittleGiant: boolP(b[16]), GroupSimilarLittleGiant: boolP(b[17]),
		AwardsReported: f.awardsReported.Bool, Version: f.version.Int64, UpdatedAt: f.updatedAt.Time,
	}
}

func boolP(v sql.NullBool) *bool {
	if !v.Valid {
		return nil
	}
	return &v.Bool
}

func intP(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func moneyP(v sql.NullInt64) *domain.Money {
	if !v.Valid {
		return nil
	}
	m := domain.Money(v.Int64)
	return &m
}

func floatP(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

func strP(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

// scopeSQL is applyScope as a condition for hand-written SQL on enterprises.
func scopeSQL(sc domain.Scope) (string, []any) {
	switch {
	case sc.All:
		return "", nil
	case sc.District != "":
		return " AND enterprises.district_code = ?", []any{sc.District}
	case sc.EnterpriseID != 0:
		return " AND enterprises.id = ?", []any{sc.EnterpriseID}
	case sc.SpecialistID != 0:
		return " AND enterprises.id IN (SELECT enterprise_id FROM assignments WHERE specialist_id = ? AND ended_at IS NULL)", []any{sc.SpecialistID}
	}
	return " AND 1 = 0", nil
}

// exists probes for an enterprise's rows in a table inside the record's query.
func exists(table, col string) string {
	return ", EXISTS (SELECT 1 FROM " + table + " WHERE " + col + " = enterprises.id)"
}

var (
	recordProbes = exists(tFacts, "enterprise_id") + exists(tAwards, "enterprise_id") + exists(tDevScores, "enterprise_id")
	eventProbe   = exists(tTierEvents, "enterprise_id")
	grantProbe   = exists(tGrants, "enterprise_id")
	historyProbe = exists(tDecisions, "enterprise_id") + exists(tApplications, "enterprise_id") +
		exists(tPipelines, "enterprise_id") + exists(tListEvents, "enterprise_id") +
		exists(tParticipants, "enterprise_id") + exists(tAudit, "enterprise_id")
	requestProbe = exists(tRequests, "enterprise_id")
)

// LoadEnterpriseRecord reads an enterprise sc may see (else ErrNotFound) with its fact
// sheet, years, awards and scores: one query for the enterprise and which of its other
// tables hold rows, then one per table that does (years always: most have some).
func LoadEnterpriseRecord(g *gorm.DB, sc domain.Scope, id int64, want RecordReads) (EnterpriseRecord, error) {
	var r EnterpriseRecord
	var q strings.Builder
	q.WriteString("SELECT ")
	q.WriteString(enterpriseCols)
	q.WriteString(recordProbes)
	if want.TierEvents {
		q.WriteString(eventProbe)
	}
	if want.Grants {
		q.WriteString(grantProbe)
	}
	if want.Histories {
		q.WriteString(historyProbe)
	}
	if want.Requests {
		q.WriteString(requestProbe)
	}
	// Not a LEFT JOIN of the facts: SQLite 3.54 runs that join some 20 times slower than
	// the probe and a second query when there is a fact sheet.
	q.WriteString(" FROM enterprises WHERE enterprises.id = ?")
	cond, args := scopeSQL(sc)
	q.WriteString(cond)
	args = append([]any{id}, args...)

	var hasFacts, hasAwards, hasScores, hasEvents bool
	h := &r.Has
	dest := append(enterpriseDest(&r.Enterprise), &hasFacts, &hasAwards, &hasScores)
	if want.TierEvents {
		dest = append(dest, &hasEvents)
	}
	if want.Grants {
		dest = append(dest, &h.Grants)
	}
	if want.Histories {
		dest = append(dest, &h.Decisions, &h.Applications, &h.Pipeline, &h.ListingEvents, &h.Activities, &h.Audit)
	}
	if want.Requests {
		dest = append(dest, &h.Requests)
	}
	found, err := scanOne(g, q.String(), args, dest)
	if err != nil {
		return r, err
	}
	if !found {
		return r, ErrNotFound
	}
	if hasFacts {
		var fs factScan
		if _, err := scanOne(g, "SELECT "+factCols+" FROM enterprise_facts f WHERE f.enterprise_id = ?", []any{id}, fs.dest()); err != nil {
			return r, err
		}
		r.Facts = fs.facts()
	}
	if r.Years, err = LoadYears(g, id); err != nil {
		return r, err
	}
	if hasAwards {
		if r.Awards, err = loadAwards(g, id); err != nil {
			return r, err
		}
	}
	if hasScores {
		if r.DevScores, err = loadDevScores(g, id); err != nil {
			return r, err
		}
	}
	if hasEvents {
		r.TierEvents, err = loadTierEvents(g, id)
	}
	return r, err
}

// scanOne runs a query expected to return at most one row into dest; false when none.
func scanOne(g *gorm.DB, query string, args []any, dest []any) (bool, error) {
	rows, err := g.Raw(query, args...).Rows()
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	if err := rows.Scan(dest...); err != nil {
		return false, err
	}
	return true, rows.Close()
}

// loadEnterprise is LoadEnterprise by hand: the profile is read on most pages.
func loadEnterprise(g *gorm.DB, sc domain.Scope, id int64) (domain.Enterprise, error) {
	var e domain.Enterprise
	cond, args := scopeSQL(sc)
	found, err := scanOne(g, "SELECT "+enterpriseCols+" FROM enterprises WHERE enterprises.id = ?"+cond,
		append([]any{id}, args...), enterpriseDest(&e))
	if err == nil && !found {
		err = ErrNotFound
	}
	return e, err
}

func loadYears(g *gorm.DB, enterpriseID int64) ([]domain.YearFigures, error) {
	rows, err := g.Raw(`SELECT id, enterprise_id, year, employees, rd_staff, revenue, main_revenue, output_value,
 rd_expense, net_profit, total_assets, total_liabilities, equity_financing, version
 FROM year_figures WHERE enterprise_id = ?`, enterpriseID).Rows()
	ys, err := scanAll(rows, err, func(rows *sql.Rows) (y domain.YearFigures, err error) {
		var n [10]sql.NullInt64
		err = rows.Scan(&y.ID, &y.EnterpriseID, &y.Year, &n[0], &n[1], &n[2], &n[3], &n[4],
			&n[5], &n[6], &n[7], &n[8], &n[9], &y.Version)
		y.Employees, y.RDStaff = intP(n[0]), intP(n[1])
		y.Revenue, y.MainRevenue, y.OutputValue, y.RDExpense = moneyP(n[2]), moneyP(n[3]), moneyP(n[4]), moneyP(n[5])
		y.NetProfit, y.TotalAssets, y.TotalLiabilities, y.EquityFinancing = moneyP(n[6]), moneyP(n[7]), moneyP(n[8]), moneyP(n[9])
		return y, err
	})
	if err != nil {
		return nil, err
	}
	if ys == nil {
		ys = []domain.YearFigures{} // never nil, as gorm's Find left it
	}
	slices.SortFunc(ys, func(a, b domain.YearFigures) int { return cmp.Compare(a.Year, b.Year) })
	return ys, nil
}

func loadAwards(g *gorm.DB, enterpriseID int64) ([]domain.Award, error) {
	rows, err := g.Raw("SELECT id, enterprise_id, level, rank, year, name FROM awards WHERE enterprise_id = ?", enterpriseID).Rows()
	as, err := scanAll(rows, err, func(rows *sql.Rows) (a domain.Award, err error) {
		var rank sql.NullInt64
		err = rows.Scan(&a.ID, &a.EnterpriseID, &a.Level, &rank, &a.Year, &a.Name)
		a.Rank = intP(rank)
		return a, err
	})
	slices.SortFunc(as, func(a, b domain.Award) int { return cmp.Or(cmp.Compare(b.Year, a.Year), cmp.Compare(a.ID, b.ID)) })
	return as, err
}

func loadDevScores(g *gorm.DB, enterpriseID int64) ([]domain.DevScore, error) {
	rows, err := g.Raw("SELECT enterprise_id, year, score FROM dev_scores WHERE enterprise_id = ?", enterpriseID).Rows()
	ds, err := scanAll(rows, err, func(rows *sql.Rows) (d domain.DevScore, err error) {
		return d, rows.Scan(&d.EnterpriseID, &d.Year, &d.Score)
	})
	slices.SortFunc(ds, func(a, b domain.DevScore) int { return cmp.Compare(a.Year, b.Year) })
	return ds, err
}

func loadTierEvents(g *gorm.DB, enterpriseID int64) ([]domain.TierEvent, error) {
	rows, err := g.Raw(`SELECT id, enterprise_id, kind, from_tier, to_tier, effective_on, valid_until,
 certificate_no, batch, reason, decided_by, created_at
 FROM tier_events WHERE enterprise_id = ?`, enterpriseID).Rows()
	evs, err := scanAll(rows, err, func(rows *sql.Rows) (ev domain.TierEvent, err error) {
		return ev, rows.Scan(&ev.ID, &ev.EnterpriseID, (*string)(&ev.Kind), (*string)(&ev.FromTier), (*string)(&ev.ToTier),
			&ev.EffectiveOn, &ev.ValidUntil, &ev.CertificateNo, &ev.Batch, &ev.Reason, &ev.DecidedBy, &ev.CreatedAt)
	})
	if err != nil {
		return nil, err
	}
	if evs == nil {
		evs = []domain.TierEvent{} // never nil, as gorm's Find left it
	}
	slices.SortFunc(evs, func(a, b domain.TierEvent) int {
		return cmp.Or(compareDates(b.EffectiveOn, a.EffectiveOn), cmp.Compare(b.ID, a.ID))
	})
	return evs, nil
}

func compareDates(a, b domain.Date) int {
	switch {
	case a.Before(b):
		return -1
	case a.After(b):
		return 1
	}
	return 0
}
