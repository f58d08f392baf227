package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Enterprises stores profiles, yearly figures and tier history.
type Enterprises struct{ db *DB }

func NewEnterprises(db *DB) *Enterprises { return &Enterprises{db: db} }

const (
	tEnterprises = "enterprises"
	tYears       = "year_figures"
	tTierEvents  = "tier_events"
)

// EnterpriseSort is a list ordering the indexes support.
type EnterpriseSort string

const (
	SortName    EnterpriseSort = "name"
	SortUpdated EnterpriseSort = "updated"
	SortFounded EnterpriseSort = "founded"
)

// EnterpriseFilter selects and orders a page of enterprises. Zero values mean "any".
type EnterpriseFilter struct {
	Scope    domain.Scope // whose rows; the zero Scope sees nothing
	Query    string       // name substring, or USCC prefix
	District string
	Tier     domain.Tier
	Group    domain.IndustryGroup
	Label    domain.Label
	Size     domain.SizeClass
	Drill    EnterpriseDrill // dashboard drill-downs (dashboard_lists.go)
	Sort     EnterpriseSort
	Desc     bool
	Page     int // from 1
	PerPage  int
}

// EnterprisePage is one page of a filtered list.
type EnterprisePage struct {
	Items   []domain.Enterprise // the list columns: no profile text, no UpdatedAt
	Total   int64
	Page    int
	PerPage int
}

// Pages is the number of pages for Total.
func (p EnterprisePage) Pages() int {
	if p.PerPage == 0 {
		return 0
	}
	return int((p.Total + int64(p.PerPage) - 1) / int64(p.PerPage))
}

// listColumns are what list rows show; the profile's long text stays out of list queries.
var listColumns = []string{"id", "uscc", "name", "district_code", "industry_group", "industry_code", "tier",
	"tier_valid_until", "size", "above_scale", "high_tech", "tech_sme", "gazelle", "unicorn", "single_champion",
	"listed", "founded_on", "updated_at"}

// pageColumns are what List reads for a page: listColumns but updated_at, which no list
// shows (it only orders), and whose parsing cost a quarter of reading a page's rows.
var pageColumns = listColumns[: len(listColumns)-1 : len(listColumns)-1]

func (s *Enterprises) filtered(ctx context.Context, f EnterpriseFilter) *gorm.DB {
	q := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), f.Scope)
	if f.District != "" {
		q = q.Where("district_code = ?", f.District)
	}
	if f.Tier != "" {
		q = q.Where("tier = ?", string(f.Tier))
	}
	if f.Group != "" {
		q = q.Where("industry_group = ?", string(f.Group))
	}
	if f.Size != "" {
		q = q.Where("size = ?", string(f.Size))
	}
	if f.Label.Valid() {
		q = q.Where(string(f.Label)+" = ?", true) // column name from a fixed list
	}
	q = f.Drill.apply(q)
	if term := strings.TrimSpace(f.Query); term != "" {
		if code := domain.NormalizeUSCC(term); looksLikeUSCCPrefix(code) {
			// A range instead of LIKE so both databases use the unique index.
			q = q.Where("uscc >= ? AND uscc < ?", code, code+"\x7f")
		} else {
			q = nameSearch(q, s.db.Dialect, term)
		}
	}
	return q
}

// looksLikeUSCCPrefix: at least 6 characters, all from the USCC alphabet, with a digit.
func looksLikeUSCCPrefix(s string) bool {
	if len(s) < 6 || len(s) > 18 {
		return false
	}
	digit := false
	for _, c := range s {
		if !strings.ContainsRune("0123456789ABCDEFGHJKLMNPQRTUWXY", c) {
			return false
		}
		digit = digit || c >= '0' && c <= '9'
	}
	return digit
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// List returns a page of enterprises matching f.
func (s *Enterprises) List(ctx context.Context, f EnterpriseFilter) (EnterprisePage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := EnterprisePage{Page: f.Page, PerPage: f.PerPage}
	if ok, err := s.listByGrams(ctx, f, &page); ok || err != nil {
		return page, err
	}
	total, err := memoized(s.db.memo, f.countKey("enterprises"), f.countTables(), func() (n int64, err error) {
		err = s.filtered(ctx, f).Count(&n).Error
		return n, err
	})
	if err != nil {
		return page, err
	}
	page.Total = total
	order := "name"
	switch {
	case f.Sort == SortUpdated:
		order = "updated_at"
	case f.Sort == SortFounded:
		order = "founded_on"
	case looksLikeUSCCPrefix(domain.NormalizeUSCC(strings.TrimSpace(f.Query))):
		order = "uscc" // a code search lists in code order, straight off the unique index
	}
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	rows, err := s.filtered(ctx, f).Select(pageColumns).
		Order(order + dir).Order("id" + dir).
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).
		Rows()
	if err != nil {
		return page, err
	}
	page.Items, err = scanListRows(rows, f.PerPage)
	return page, err
}

// scanListRows reads rows of pageColumns, in that order, with typed scans: gorm's
// reflection scanning of 50 rows per page view cost more than running the query.
func scanListRows(rows *sql.Rows, capacity int) ([]domain.Enterprise, error) {
	defer rows.Close()
	out := make([]domain.Enterprise, 0, capacity)
	var uscc, group, tier, size string
	var validUntil, founded any
	for rows.Next() {
		var e domain.Enterprise
		if err := rows.Scan(&e.ID, &uscc, &e.Name, &e.DistrictCode, &group, &e.IndustryCode, &tier,
			&validUntil, &size, &e.AboveScale, &e.HighTech, &e.TechSME, &e.Gazelle, &e.Unicorn, &e.SingleChampion,
			&e.Listed, &founded); err != nil {
			return nil, err
		}
		if err := scanDate(&e.TierValidUntil, validUntil); err != nil {
			return nil, err
		}
		if err := scanDate(&e.FoundedOn, founded); err != nil {
			return nil, err
		}
		e.USCC, e.IndustryGroup, e.Tier, e.Size = domain.USCC(uscc), domain.IndustryGroup(group), domain.Tier(tier), domain.SizeClass(size)
		out = append(out, e)
	}
	return out, rows.Err()
}

// enterpriseCountTables are what an enterprise list total reads: the rows, the name
// index, and the assignments a specialist's scope joins.
var enterpriseCountTables = []string{tEnterprises, tGrams, tAssignments}

// countTables is what f's total reads: enterpriseCountTables, and for a dashboard
// drill-down the tier history and visits its subqueries read.
func (f EnterpriseFilter) countTables() []string {
	if f.Drill.IsZero() {
		return enterpriseCountTables
	}
	return append(slices.Clone(enterpriseCountTables), tTierEvents, tVisits)
}

// countable is f without what does not change the total (page, order).
func (f EnterpriseFilter) countable() EnterpriseFilter {
	f.Page, f.PerPage, f.Sort, f.Desc = 0, 0, "", false
	f.Query = strings.TrimSpace(f.Query)
	return f
}

// countKey names f's memoized total: memoKey of countable(), but built without fmt for
// the filters list pages use (every field length-prefixed, so no two filters share a key).
// A new field of EnterpriseFilter that narrows the list must be added here.
func (f EnterpriseFilter) countKey(kind string) string {
	if !f.Drill.IsZero() {
		return memoKey(kind, f.countable())
	}
	sc := f.Scope
	b := make([]byte, 0, 96)
	b = append(b, kind...)
	b = append(b, '{')
	b = strconv.AppendBool(b, sc.All)
	b = append(b, ' ')
	b = strconv.AppendBool(b, sc.None)
	b = append(b, ' ')
	b = strconv.AppendInt(b, sc.SpecialistID, 10)
	b = append(b, ' ')
	b = strconv.AppendInt(b, sc.EnterpriseID, 10)
	for _, v := range []string{sc.District, f.District, string(f.Tier), string(f.Group), string(f.Label), string(f.Size),
		strings.TrimSpace(f.Query)} {
		b = append(b, ' ')
		b = strconv.AppendInt(b, int64(len(v)), 10)
		b = append(b, ':')
		b = append(b, v...)
	}
	return string(append(b, '}'))
}

// listByGrams answers a name search with no other filter from the gram index alone:
// its posting list is in name order, so count and page never touch most enterprises.
func (s *Enterprises) listByGrams(ctx context.Context, f EnterpriseFilter, page *EnterprisePage) (bool, error) {
	term := strings.TrimSpace(f.Query)
	if !f.Scope.All || term == "" || f.District != "" || f.Tier != "" || f.Group != "" || f.Size != "" || f.Label != "" || !f.Drill.IsZero() ||
		(f.Sort != "" && f.Sort != SortName) || looksLikeUSCCPrefix(domain.NormalizeUSCC(term)) {
		return false, nil
	}
	where, args, ok := gramWhere(s.db.Dialect, term)
	if !ok {
		return false, nil
	}
	g := s.db.R.WithContext(ctx)
	total, err := memoized(s.db.memo, f.countKey("grams"), enterpriseCountTables, func() (n int64, err error) {
		err = g.Table(tGrams).Where(where, args...).Count(&n).Error
		return n, err
	})
	if err != nil {
		return true, err
	}
	page.Total = total
	dir := " ASC"
	if f.Desc {
		dir = " DESC"
	}
	// One hand-written statement: the page of the posting list, joined to the rows it
	// names, in posting-list order (the gram rows carry the name).
	stmt := "SELECT " + pageColumnsE + " FROM (SELECT enterprise_id, name FROM " + tGrams + " WHERE " + where +
		" ORDER BY name" + dir + ", enterprise_id" + dir + " LIMIT ? OFFSET ?) AS g" +
		" JOIN " + tEnterprises + " e ON e.id = g.enterprise_id ORDER BY g.name" + dir + ", g.enterprise_id" + dir
	rows, err := g.Raw(stmt, append(args, f.PerPage, (f.Page-1)*f.PerPage)...).Rows()
	if err != nil {
		return true, err
	}
	page.Items, err = scanListRows(rows, f.PerPage)
	return true, err
}

// scanDate is domain.Date.Scan with a fast path for SQLite's YYYY-MM-DD text: two
// dates on each of a page's 50 rows made time.Parse a visible share of a list view.
func scanDate(d *domain.Date, src any) error {
	if s, ok := src.(string); ok && len(s) >= 10 && s[4] == '-' && s[7] == '-' {
		y, okY := digits(s[0:4])
		m, okM := digits(s[5:7])
		day, okD := digits(s[8:10])
		if okY && okM && okD && m >= 1 && m <= 12 && day >= 1 &&
			day <= time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
			*d = domain.NewDate(y, time.Month(m), day)
			return nil
		}
	}
	return d.Scan(src) // NULL, PostgreSQL's time.Time, and whatever needs an error
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// pageColumnsE is pageColumns of the enterprises table under the alias e.
var pageColumnsE = "e." + strings.Join(pageColumns, ", e.")

// applyScope restricts an enterprises query to the rows scope may see.
func applyScope(q *gorm.DB, sc domain.Scope) *gorm.DB {
	switch {
	case sc.All:
		return q
	case sc.District != "":
		return q.Where("enterprises.district_code = ?", sc.District)
	case sc.EnterpriseID != 0:
		return q.Where("enterprises.id = ?", sc.EnterpriseID)
	case sc.SpecialistID != 0:
		return q.Where("enterprises.id IN (SELECT enterprise_id FROM assignments WHERE specialist_id = ? AND ended_at IS NULL)", sc.SpecialistID)
	}
	return q.Where("1 = 0")
}

// Get loads one enterprise by id, if sc may see it; otherwise ErrNotFound.
func (s *Enterprises) Get(ctx context.Context, sc domain.Scope, id int64) (domain.Enterprise, error) {
	return LoadEnterprise(s.db.R.WithContext(ctx), sc, id)
}

// LoadEnterprise is Get on a given handle (a transaction, for decisions).
func LoadEnterprise(g *gorm.DB, sc domain.Scope, id int64) (domain.Enterprise, error) {
	return loadEnterprise(g, sc, id) // hand-written: enterprise_reads.go
}

// LoadYears lists an enterprise's years, oldest first, on a given handle.
func LoadYears(g *gorm.DB, enterpriseID int64) ([]domain.YearFigures, error) {
	return loadYears(g, enterpriseID)
}

// GetByUSCC loads one enterprise by its credit code.
func (s *Enterprises) GetByUSCC(ctx context.Context, code domain.USCC) (domain.Enterprise, error) {
	var e domain.Enterprise
	err := s.db.R.WithContext(ctx).Table(tEnterprises).Where("uscc = ?", string(code)).Take(&e).Error
	return e, mapErr(err)
}

// Create inserts a new enterprise and audits it; a taken USCC gives ErrConflict.
func (s *Enterprises) Create(ctx context.Context, actor Actor, e *domain.Enterprise) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := CreateEnterprise(tx, e); err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "enterprise", EntityID: e.ID, EnterpriseID: e.ID,
			Summary: "登记企业 " + e.Name, Changes: Diff(nil, EnterpriseSnapshot(*e))})
	})
}

// CreateEnterprise inserts within a caller's transaction.
func CreateEnterprise(tx *gorm.DB, e *domain.Enterprise) error {
	if e.Tier == "" {
		e.Tier = domain.TierBase
	}
	e.Version = 1
	if err := mapErr(tx.Table(tEnterprises).Create(e).Error); err != nil {
		return err
	}
	return indexName(tx, e.ID, e.Name)
}

// Update saves the profile when e.Version still matches the stored row; the tier,
// size and creation time are not changed here. On success e.Version is bumped.
func (s *Enterprises) Update(ctx context.Context, actor Actor, e *domain.Enterprise) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before domain.Enterprise
		if err := tx.Table(tEnterprises).Where("id = ?", e.ID).Take(&before).Error; err != nil {
			return mapErr(err)
		}
		if err := UpdateEnterprise(tx, e); err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "enterprise", EntityID: e.ID, EnterpriseID: e.ID,
			Summary: "修改企业资料", Changes: Diff(EnterpriseSnapshot(before), EnterpriseSnapshot(*e))})
	})
}

// profileColumns are the columns an edit of the profile may change.
var profileColumns = []string{"uscc", "name", "district_code", "address", "founded_on", "industry_group", "industry_code",
	"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale", "above_scale_since",
	"high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed", "listed_board"}

// UpdateEnterprise is Update within a caller's transaction.
func UpdateEnterprise(tx *gorm.DB, e *domain.Enterprise) error {
	now := tx.NowFunc()
	vals := map[string]any{
		"uscc": string(e.USCC), "name": e.Name, "district_code": e.DistrictCode, "address": e.Address,
		"founded_on": e.FoundedOn, "industry_group": string(e.IndustryGroup), "industry_code": e.IndustryCode,
		"main_product": e.MainProduct, "niche_market": e.NicheMarket, "niche_since": e.NicheSince,
		"contact_person": e.ContactPerson, "contact_phone": e.ContactPhone,
		"above_scale": e.AboveScale, "above_scale_since": e.AboveScaleSince, "high_tech": e.HighTech,
		"tech_sme": e.TechSME, "gazelle": e.Gazelle, "unicorn": e.Unicorn, "single_champion": e.SingleChampion,
		"listed": e.Listed, "listed_board": e.ListedBoard,
		"version": e.Version + 1, "updated_at": now,
	}
	res := tx.Table(tEnterprises).Where("id = ? AND version = ?", e.ID, e.Version).Updates(vals)
	if err := mapErr(res.Error); err != nil {
		return err
	}
	if res.RowsAffected == 0 {
		var n int64
		if err := tx.Table(tEnterprises).Where("id = ?", e.ID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrNotFound
		}
		return ErrStale
	}
	e.Version++
	e.UpdatedAt = now
	if err := indexName(tx, e.ID, e.Name); err != nil {
		return err
	}
	// The group may have changed, and with it the size class.
	return refreshSize(tx, e.ID)
}

// Years lists an enterprise's yearly figures, oldest first.
func (s *Enterprises) Years(ctx context.Context, enterpriseID int64) ([]domain.YearFigures, error) {
	return LoadYears(s.db.R.WithContext(ctx), enterpriseID)
}

// Year loads one year's figures.
func (s *Enterprises) Year(ctx context.Context, enterpriseID int64, year int) (domain.YearFigures, error) {
	var y domain.YearFigures
	err := s.db.R.WithContext(ctx).Table(tYears).Where("enterprise_id = ? AND year = ?", enterpriseID, year).Take(&y).Error
	return y, mapErr(err)
}

// SaveYear inserts a new year (y.ID == 0; a year already on record gives ErrConflict)
// or corrects an existing one under its version, then recomputes the size class.
func (s *Enterprises) SaveYear(ctx context.Context, actor Actor, y *domain.YearFigures) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before []domain.YearFigures
		action, summary := "create", fmt.Sprintf("新增 %d 年度数据", y.Year)
		if y.ID != 0 {
			if err := tx.Table(tYears).Where("id = ?", y.ID).Find(&before).Error; err != nil {
				return err
			}
			action, summary = "update", fmt.Sprintf("更正 %d 年度数据", y.Year)
		}
		if err := SaveYear(tx, y); err != nil {
			return err
		}
		var old Snapshot
		if len(before) == 1 {
			old = YearSnapshot(before[0])
		}
		return WriteAudit(tx, actor, Audit{Action: action, EntityType: "year_figures", EntityID: y.ID, EnterpriseID: y.EnterpriseID,
			Summary: summary, Changes: Diff(old, YearSnapshot(*y))})
	})
}

// SaveYear is Enterprises.SaveYear within a caller's transaction.
func SaveYear(tx *gorm.DB, y *domain.YearFigures) error {
	if y.ID == 0 {
		y.Version = 1
		if err := mapErr(tx.Table(tYears).Create(y).Error); err != nil {
			return err
		}
	} else {
		res := tx.Table(tYears).Where("id = ? AND enterprise_id = ? AND version = ?", y.ID, y.EnterpriseID, y.Version).
			Updates(map[string]any{
				"employees": y.Employees, "rd_staff": y.RDStaff, "revenue": y.Revenue, "main_revenue": y.MainRevenue,
				"output_value": y.OutputValue, "rd_expense": y.RDExpense, "net_profit": y.NetProfit,
				"total_assets": y.TotalAssets, "total_liabilities": y.TotalLiabilities,
				"equity_financing": y.EquityFinancing, "version": y.Version + 1,
			})
		if err := mapErr(res.Error); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		y.Version++
	}
	if err := tx.Table(tEnterprises).Where("id = ?", y.EnterpriseID).
		Updates(map[string]any{"updated_at": tx.NowFunc(), "version": gorm.Expr("version + 1")}).Error; err != nil {
		return err
	}
	return refreshSize(tx, y.EnterpriseID)
}

// refreshSize stores the size class computed from the latest year (DOMAIN.md §SME size).
func refreshSize(tx *gorm.DB, enterpriseID int64) error {
	var e domain.Enterprise
	if err := tx.Table(tEnterprises).Select("id", "industry_group").Where("id = ?", enterpriseID).Take(&e).Error; err != nil {
		return mapErr(err)
	}
	var latest []domain.YearFigures
	if err := tx.Table(tYears).Where("enterprise_id = ?", enterpriseID).Order("year DESC").Limit(1).Find(&latest).Error; err != nil {
		return err
	}
	size := domain.LatestSize(e.IndustryGroup, latest)
	return tx.Table(tEnterprises).Where("id = ?", enterpriseID).Update("size", string(size)).Error
}

// TierEvents lists the tier history, newest first.
func (s *Enterprises) TierEvents(ctx context.Context, enterpriseID int64) ([]domain.TierEvent, error) {
	return loadTierEvents(s.db.R.WithContext(ctx), enterpriseID)
}

// AddTierEvent records a tier change and moves the enterprise to its new tier.
func AddTierEvent(tx *gorm.DB, ev *domain.TierEvent) error {
	if ev.CreatedAt.IsZero() {
		ev.CreatedAt = tx.NowFunc()
	}
	if err := tx.Table(tTierEvents).Create(ev).Error; err != nil {
		return err
	}
	res := tx.Table(tEnterprises).Where("id = ?", ev.EnterpriseID).Updates(map[string]any{
		"tier": string(ev.ToTier), "tier_valid_until": ev.ValidUntil,
		"updated_at": tx.NowFunc(), "version": gorm.Expr("version + 1"),
	})
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// Count returns how many enterprises there are, for empty-database checks.
func (s *Enterprises) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Table(tEnterprises).Count(&n).Error
	return n, err
}

// IsStale reports whether err is an optimistic-lock refusal.
func IsStale(err error) bool { return errors.Is(err, ErrStale) }

// SetBarredUntil bars an enterprise from applying until a date.
func SetBarredUntil(tx *gorm.DB, id int64, until domain.Date) error {
	return tx.Table(tEnterprises).Where("id = ?", id).Update("barred_until", until).Error
}

// ExpiredTitles lists enterprises holding a title that ended before today.
func (s *Enterprises) ExpiredTitles(ctx context.Context, today domain.Date, limit int) ([]domain.Enterprise, error) {
	var es []domain.Enterprise
	err := s.db.R.WithContext(ctx).Table(tEnterprises).Select("id", "tier", "tier_valid_until").
		Where("tier <> ? AND tier_valid_until IS NOT NULL AND tier_valid_until < ?", string(domain.TierBase), today).
		Order("tier_valid_until").Limit(limit).Find(&es).Error
	return es, err
}

// DropExpiredTitle moves an enterprise back to base if it still holds that title with that
// expiry; false when something changed meanwhile (renewed, or another instance did it).
func DropExpiredTitle(tx *gorm.DB, id int64, tier domain.Tier, validUntil domain.Date) (bool, error) {
	res := tx.Table(tEnterprises).Where("id = ? AND tier = ? AND tier_valid_until = ?", id, string(tier), validUntil).
		Updates(map[string]any{"tier": string(domain.TierBase), "tier_valid_until": nil, "updated_at": tx.NowFunc(), "version": gorm.Expr("version + 1")})
	return res.RowsAffected == 1, res.Error
}

// Expiring lists titles ending between from and to (inclusive) within sc, soonest first.
func (s *Enterprises) Expiring(ctx context.Context, sc domain.Scope, from, to domain.Date, limit int) ([]domain.Enterprise, error) {
	var es []domain.Enterprise
	err := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), sc).Select(listColumns).
		Where("tier <> ? AND tier_valid_until >= ? AND tier_valid_until <= ?", string(domain.TierBase), from, to).
		Order("tier_valid_until").Order("id").Limit(limit).Find(&es).Error
	return es, err
}

// Names maps enterprise ids to names with one query, for lists that mention enterprises.
func (s *Enterprises) Names(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []domain.Enterprise
	if err := s.db.R.WithContext(ctx).Table(tEnterprises).Select("id", "name").Where("id IN ?", ids).Find(&rows).Error; err != nil {
		return nil, err
	}
	for _, e := range rows {
		out[e.ID] = e.Name
	}
	return out, nil
}
