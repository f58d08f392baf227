package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/dataio"
	"zjtx/internal/domain"
)

// Imports stores import runs, remembered column mappings, and commits checked plans.
type Imports struct{ db *DB }

func NewImports(db *DB) *Imports { return &Imports{db: db} }

const (
	tImportRuns     = "import_runs"
	tImportMappings = "import_mappings"
)

// Existing implements dataio.Lookup on the read pool.
func (s *Imports) Existing(ctx context.Context, codes []domain.USCC) (map[domain.USCC]domain.Enterprise, map[int64][]domain.YearFigures, error) {
	return existing(s.db.R.WithContext(ctx), codes)
}

func existing(g *gorm.DB, codes []domain.USCC) (map[domain.USCC]domain.Enterprise, map[int64][]domain.YearFigures, error) {
	out := make(map[domain.USCC]domain.Enterprise, len(codes))
	if len(codes) == 0 {
		return out, map[int64][]domain.YearFigures{}, nil
	}
	var ids []int64
	for start := 0; start < len(codes); start += 1000 {
		part := codes[start:min(start+1000, len(codes))]
		strs := make([]string, len(part))
		for i, c := range part {
			strs[i] = string(c)
		}
		var es []domain.Enterprise
		if err := g.Table(tEnterprises).Where("uscc IN ?", strs).Find(&es).Error; err != nil {
			return nil, nil, err
		}
		for _, e := range es {
			out[e.USCC] = e
			ids = append(ids, e.ID)
		}
	}
	years := map[int64][]domain.YearFigures{}
	for start := 0; start < len(ids); start += 1000 {
		m, err := LoadYearsFor(g, ids[start:min(start+1000, len(ids))])
		if err != nil {
			return nil, nil, err
		}
		for k, v := range m {
			years[k] = v
		}
	}
	return out, years, nil
}

// ImportRun is an uploaded file between its dry run and its commit.
type ImportRun struct {
	ID            int64
	UserID        int64
	FileName      string
	Data          []byte
	Status        string // checked, committed
	TotalRows     int64
	NewRows       int64
	UpdatedRows   int64
	UnchangedRows int64
	ErrorRows     int64
	CreatedAt     time.Time
	CommittedAt   *time.Time
}

// SaveRun keeps an uploaded file and its dry-run counts.
func (s *Imports) SaveRun(ctx context.Context, r *ImportRun) error {
	r.CreatedAt = s.db.W.NowFunc()
	if r.Status == "" {
		r.Status = "checked"
	}
	return s.db.W.WithContext(ctx).Table(tImportRuns).Create(r).Error
}

// Run loads one of the user's runs.
func (s *Imports) Run(ctx context.Context, userID, id int64) (ImportRun, error) {
	var r ImportRun
	err := s.db.R.WithContext(ctx).Table(tImportRuns).Where("id = ? AND user_id = ?", id, userID).Take(&r).Error
	return r, mapErr(err)
}

// Mappings are the user's remembered header → field choices ("-" means ignore the column).
func (s *Imports) Mappings(ctx context.Context, userID int64) (map[string]string, error) {
	var rows []struct{ Header, Field string }
	if err := s.db.R.WithContext(ctx).Table(tImportMappings).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[string]string, len(rows))
	for _, r := range rows {
		m[r.Header] = r.Field
	}
	return m, nil
}

// SaveMappings remembers the user's choices for these headers.
func (s *Imports) SaveMappings(ctx context.Context, userID int64, m map[string]string) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		for h, f := range m {
			h = strings.TrimSpace(h)
			if h == "" {
				continue
			}
			if err := tx.Table(tImportMappings).Where("user_id = ? AND header = ?", userID, h).Delete(nil).Error; err != nil {
				return err
			}
			if err := tx.Table(tImportMappings).Create(map[string]any{"user_id": userID, "header": h, "field": f}).Error; err != nil {
				return err
			}
		}
		return nil
	})
}

// ErrPlanHasErrors refuses a commit while rows have errors.
var ErrPlanHasErrors = fmt.Errorf("导入文件仍有错误行，未写入任何数据")

// Commit writes a checked plan in one transaction: every row or none. The audit log gets
// one row for the import (file name and counts) and one per enterprise written.
// runID, when not 0, marks that import run committed.
func (s *Imports) Commit(ctx context.Context, actor Actor, p *dataio.Plan, runID int64) error {
	if !p.OK() {
		return ErrPlanHasErrors
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		return commitPlan(ctx, tx, s.db.Dialect, actor, p, runID)
	})
}

func commitPlan(ctx context.Context, tx *gorm.DB, d Dialect, actor Actor, p *dataio.Plan, runID int64) error {
	now := tx.NowFunc()
	var news []*dataio.EntPlan
	for _, e := range p.Ents {
		if e.New {
			news = append(news, e)
		}
	}
	// New enterprises: multi-row inserts, then their ids by code.
	err := bulkInsert(ctx, tx, d, tEnterprises, importEntCols, len(news), func(i int, a []any) []any {
		e := &news[i].Enterprise
		e.Tier, e.Version, e.CreatedAt, e.UpdatedAt = domain.TierBase, 1, now, now
		e.Size = domain.LatestSize(e.IndustryGroup, news[i].AllYears)
		return append(a, string(e.USCC), e.Name, e.DistrictCode, e.Address, e.FoundedOn, string(e.IndustryGroup),
			e.IndustryCode, e.MainProduct, e.NicheMarket, e.NicheSince, e.ContactPerson, e.ContactPhone, e.AboveScale,
			e.AboveScaleSince, e.HighTech, e.TechSME, e.Gazelle, e.Unicorn, e.SingleChampion, e.Listed, e.ListedBoard,
			string(e.Tier), string(e.Size), e.Version, now, now)
	})
	if err != nil {
		return err
	}
	if len(news) > 0 {
		codes := make([]domain.USCC, len(news))
		for i, e := range news {
			codes[i] = e.Enterprise.USCC
		}
		ids := map[domain.USCC]int64{}
		for start := 0; start < len(codes); start += 1000 {
			strs := make([]string, 0, 1000)
			for _, c := range codes[start:min(start+1000, len(codes))] {
				strs = append(strs, string(c))
			}
			var rows []struct {
				ID   int64
				USCC string
			}
			if err := tx.Table(tEnterprises).Select("id", "uscc").Where("uscc IN ?", strs).Find(&rows).Error; err != nil {
				return err
			}
			for _, r := range rows {
				ids[domain.USCC(r.USCC)] = r.ID
			}
		}
		for _, e := range news {
			e.Enterprise.ID = ids[e.Enterprise.USCC]
			if e.Enterprise.ID == 0 {
				return fmt.Errorf("import: %s not found after insert", e.Enterprise.USCC)
			}
		}
		// Name grams a thousand enterprises at a time, so 100k names never sit in memory as grams.
		for start := 0; start < len(news); start += 1000 {
			var gs []string
			var owners []*domain.Enterprise
			for _, e := range news[start:min(start+1000, len(news))] {
				for _, g := range NameGrams(e.Enterprise.Name) {
					gs = append(gs, g)
					owners = append(owners, &e.Enterprise)
				}
			}
			if err := bulkInsert(ctx, tx, d, tGrams, []string{"gram", "name", "enterprise_id"}, len(gs), func(i int, a []any) []any {
				return append(a, gs[i], owners[i].Name, owners[i].ID)
			}); err != nil {
				return err
			}
		}
	}
	// Updated profiles, under the version read at the check.
	for _, e := range p.Ents {
		if e.New || (!e.ProfileChanged && len(e.Years) == 0) {
			continue
		}
		x := &e.Enterprise
		size := domain.LatestSize(x.IndustryGroup, e.AllYears)
		res := tx.Table(tEnterprises).Where("id = ? AND version = ?", x.ID, x.Version).Updates(map[string]any{
			"name": x.Name, "district_code": x.DistrictCode, "address": x.Address,
			"founded_on": x.FoundedOn, "industry_group": string(x.IndustryGroup), "industry_code": x.IndustryCode,
			"main_product": x.MainProduct, "niche_market": x.NicheMarket, "niche_since": x.NicheSince,
			"contact_person": x.ContactPerson, "contact_phone": x.ContactPhone,
			"above_scale": x.AboveScale, "above_scale_since": x.AboveScaleSince, "high_tech": x.HighTech,
			"tech_sme": x.TechSME, "gazelle": x.Gazelle, "unicorn": x.Unicorn, "single_champion": x.SingleChampion,
			"listed": x.Listed, "listed_board": x.ListedBoard, "size": string(size),
			"version": x.Version + 1, "updated_at": now,
		})
		if res.Error != nil {
			return mapErr(res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("企业 %s 在检查后已被他人修改，请重新检查: %w", x.USCC, ErrStale)
		}
		if e.ProfileChanged {
			if err := indexName(tx, x.ID, x.Name); err != nil {
				return err
			}
		}
	}
	// Years: new ones in bulk, corrections one by one under their version.
	var newYears []domain.YearFigures
	for _, e := range p.Ents {
		for _, y := range e.Years {
			y.EnterpriseID = e.Enterprise.ID
			if y.ID == 0 {
				newYears = append(newYears, y)
				continue
			}
			res := tx.Table(tYears).Where("id = ? AND version = ?", y.ID, y.Version).Updates(map[string]any{
				"employees": y.Employees, "rd_staff": y.RDStaff, "revenue": y.Revenue, "main_revenue": y.MainRevenue,
				"output_value": y.OutputValue, "rd_expense": y.RDExpense, "net_profit": y.NetProfit,
				"total_assets": y.TotalAssets, "total_liabilities": y.TotalLiabilities,
				"equity_financing": y.EquityFinancing, "version": y.Version + 1,
			})
			if res.Error != nil {
				return mapErr(res.Error)
			}
			if res.RowsAffected == 0 {
				return fmt.Errorf("企业 %s 的 %d 年度数据在检查后已被他人修改，请重新检查: %w", e.Enterprise.USCC, y.Year, ErrStale)
			}
		}
	}
	if err := bulkInsert(ctx, tx, d, tYears, importYearCols, len(newYears), func(i int, a []any) []any {
		y := &newYears[i]
		return append(a, y.EnterpriseID, y.Year, y.Employees, y.RDStaff, y.Revenue, y.MainRevenue, y.OutputValue,
			y.RDExpense, y.NetProfit, y.TotalAssets, y.TotalLiabilities, y.EquityFinancing, 1)
	}); err != nil {
		return mapErr(err)
	}
	// The audit: one row for the import, one per enterprise written.
	c := p.Counts
	summary := fmt.Sprintf("导入文件 %s：%s", p.FileName, c.Summary())
	if err := WriteAudit(tx, actor, Audit{Action: "import", EntityType: "import", EntityID: runID, Summary: summary,
		Changes: []Change{{Field: "文件", After: p.FileName}, {Field: "新增", After: fmt.Sprint(c.New)},
			{Field: "更新", After: fmt.Sprint(c.Update)}, {Field: "无变化", After: fmt.Sprint(c.Unchanged)},
			{Field: "总行数", After: fmt.Sprint(c.Total)}}}); err != nil {
		return err
	}
	var actorID any
	if actor.UserID != 0 {
		actorID = actor.UserID
	}
	if err := bulkInsert(ctx, tx, d, tAudit, importAuditCols, len(p.Ents), func(i int, a []any) []any {
		e := p.Ents[i]
		action, sum := "update", "导入更新（"+p.FileName+"）："+strings.Join(e.Changed, "、")
		if e.New {
			action, sum = "create", "导入登记企业 "+e.Enterprise.Name+"（"+p.FileName+"）"
		}
		return append(a, now, actorID, actor.Name, action, "enterprise", e.Enterprise.ID, e.Enterprise.ID, sum, "", actor.RequestID, actor.IP)
	}); err != nil {
		return err
	}
	if runID != 0 {
		return tx.Table(tImportRuns).Where("id = ?", runID).Updates(map[string]any{"status": "committed", "committed_at": now,
			"total_rows": c.Total, "new_rows": c.New, "updated_rows": c.Update, "unchanged_rows": c.Unchanged, "error_rows": c.Error}).Error
	}
	return nil
}

var (
	importEntCols = []string{"uscc", "name", "district_code", "address", "founded_on", "industry_group", "industry_code",
		"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale", "above_scale_since",
		"high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed", "listed_board", "tier",
		"size", "version", "created_at", "updated_at"}
	importYearCols = []string{"enterprise_id", "year", "employees", "rd_staff", "revenue", "main_revenue", "output_value",
		"rd_expense", "net_profit", "total_assets", "total_liabilities", "equity_financing", "version"}
	importAuditCols = []string{"at", "actor_id", "actor_name", "action", "entity_type", "entity_id", "enterprise_id",
		"summary", "changes", "request_id", "ip"}
)

// bulkInsert inserts n rows with multi-row INSERTs, keeping under SQLite's bound-parameter limit.
func bulkInsert(ctx context.Context, tx *gorm.DB, d Dialect, table string, cols []string, n int, row func(i int, a []any) []any) error {
	if n == 0 {
		return nil
	}
	per := min(1000, 32000/len(cols), n)
	pool := tx.Statement.ConnPool
	full, err := pool.PrepareContext(ctx, multiInsertSQL(d, table, cols, per))
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	defer full.Close()
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		for i, a := range args {
			args[i] = driverValue(a)
		}
		if end-start == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = pool.ExecContext(ctx, multiInsertSQL(d, table, cols, end-start), args...)
		}
		if err != nil {
			return mapErr(fmt.Errorf("insert %s: %w", table, err))
		}
	}
	return nil
}

// driverValue unwraps typed nil pointers the database/sql converter would reject.
func driverValue(a any) any {
	switch v := a.(type) {
	case *int64:
		if v == nil {
			return nil
		}
		return *v
	case *domain.Money:
		if v == nil {
			return nil
		}
		return int64(*v)
	}
	return a
}

func multiInsertSQL(d Dialect, table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			p++
			if d == Postgres {
				fmt.Fprintf(&b, "$%d", p)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}
