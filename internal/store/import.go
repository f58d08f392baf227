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

// ErrRunCommitted refuses a second commit of an import run, also when two start at once.
var ErrRunCommitted = fmt.Errorf("该文件已导入，不能重复导入: %w", ErrConflict)

// Commit writes a checked plan in one transaction: every row or none. The audit log gets
// one row for the import (file name and counts) and one per enterprise written.
// runID, when not 0, must be a checked run: it is marked committed in the same
// transaction, under a conditional update, so of two concurrent commits one applies
// and the other gets ErrRunCommitted.
func (s *Imports) Commit(ctx context.Context, actor Actor, p *dataio.Plan, runID int64) error {
	if !p.OK() {
		return ErrPlanHasErrors
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		return commitPlan(ctx, tx, s.db.Dialect, actor, p, runID)
	})
}

func commitPlan(ctx context.Context, tx *gorm.DB, d Dialect, actor Actor, p *dataio.Plan, runID int64) error {
	touch(tx, tEnterprises, tYears, tGrams) // prepared updates below bypass gorm's write callbacks
	now := tx.NowFunc()
	c := p.Counts
	if runID != 0 {
		// First, so the loser of a race waits here on the row lock and then sees 'committed'.
		res := tx.Table(tImportRuns).Where("id = ? AND status = ?", runID, "checked").Updates(map[string]any{
			"status": "committed", "committed_at": now, "total_rows": c.Total, "new_rows": c.New,
			"updated_rows": c.Update, "unchanged_rows": c.Unchanged, "error_rows": c.Error})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrRunCommitted
		}
	}
	var news []*dataio.EntPlan
	for _, e := range p.Ents {
		if e.New {
			news = append(news, e)
		}
	}
	// New enterprises: multi-row inserts, then their ids by code.
	err := BulkInsert(ctx, tx, d, tEnterprises, importEntCols, len(news), func(i int, a []any) []any {
		e := &news[i].Enterprise
		e.Tier, e.Version, e.CreatedAt, e.UpdatedAt = domain.TierBase, 1, now, now
		return append(a, string(e.USCC), e.Name, e.DistrictCode, e.Address, e.FoundedOn, string(e.IndustryGroup),
			e.IndustryCode, e.MainProduct, e.NicheMarket, e.NicheSince, e.ContactPerson, e.ContactPhone, e.AboveScale,
			e.AboveScaleSince, e.HighTech, e.TechSME, e.Gazelle, e.Unicorn, e.SingleChampion, e.Listed, e.ListedBoard,
			string(e.Tier), string(e.Size), e.Version, now, now)
	})
	if err != nil {
		return err
	}
	if err := fillNewIDs(tx, news); err != nil {
		return err
	}
	if err := updateProfiles(ctx, tx, d, p.Ents, now); err != nil {
		return err
	}
	// Name grams of new and renamed enterprises, all in index order.
	var owners []gramOwner
	var renamed []int64
	for _, e := range p.Ents {
		if e.New || e.NameChanged {
			owners = append(owners, gramOwner{e.Enterprise.ID, e.Enterprise.Name})
		}
		if e.NameChanged {
			renamed = append(renamed, e.Enterprise.ID)
		}
	}
	for start := 0; start < len(renamed); start += 1000 {
		if err := tx.Table(tGrams).Where("enterprise_id IN ?", renamed[start:min(start+1000, len(renamed))]).Delete(nil).Error; err != nil {
			return err
		}
	}
	if err := insertNameGrams(ctx, tx, d, owners); err != nil {
		return err
	}
	if err := writeYears(ctx, tx, d, p.Ents); err != nil {
		return err
	}
	// The audit: one row for the import, one per enterprise written.
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
	return BulkInsert(ctx, tx, d, tAudit, importAuditCols, len(p.Ents), func(i int, a []any) []any {
		e := p.Ents[i]
		action, sum := "update", "导入更新（"+p.FileName+"）："+strings.Join(e.Changed, "、")
		if e.New {
			action, sum = "create", "导入登记企业 "+e.Enterprise.Name+"（"+p.FileName+"）"
		}
		return append(a, now, actorID, actor.Name, action, "enterprise", e.Enterprise.ID, e.Enterprise.ID, sum, "", actor.RequestID, actor.IP)
	})
}

// fillNewIDs reads the ids the database gave the new enterprises, by code.
func fillNewIDs(tx *gorm.DB, news []*dataio.EntPlan) error {
	ids := make(map[domain.USCC]int64, len(news))
	strs := make([]string, 0, 1000)
	for start := 0; start < len(news); start += 1000 {
		strs = strs[:0]
		for _, e := range news[start:min(start+1000, len(news))] {
			strs = append(strs, string(e.Enterprise.USCC))
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
	return nil
}

// updateProfiles writes changed profiles (and the size of enterprises whose years change)
// under the version read at the check, through one prepared statement.
func updateProfiles(ctx context.Context, tx *gorm.DB, d Dialect, ents []*dataio.EntPlan, now time.Time) error {
	var st *prepared
	for _, e := range ents {
		if e.New || (!e.ProfileChanged && len(e.Years) == 0) {
			continue
		}
		if st == nil {
			var err error
			if st, err = prepare(ctx, tx, d, "UPDATE "+tEnterprises+" SET "+strings.Join(importEntUpdateCols, " = ?, ")+
				" = ? WHERE id = ? AND version = ?"); err != nil {
				return err
			}
			defer st.Close()
		}
		x := &e.Enterprise
		n, err := st.exec(x.Name, x.DistrictCode, x.Address, x.FoundedOn, string(x.IndustryGroup), x.IndustryCode,
			x.MainProduct, x.NicheMarket, x.NicheSince, x.ContactPerson, x.ContactPhone, x.AboveScale,
			x.AboveScaleSince, x.HighTech, x.TechSME, x.Gazelle, x.Unicorn, x.SingleChampion, x.Listed, x.ListedBoard,
			string(x.Size), x.Version+1, now, x.ID, x.Version)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("企业 %s 在检查后已被他人修改，请重新检查: %w", x.USCC, ErrStale)
		}
	}
	return nil
}

// writeYears inserts new years in bulk and corrects stored ones under their version.
func writeYears(ctx context.Context, tx *gorm.DB, d Dialect, ents []*dataio.EntPlan) error {
	var newYears []domain.YearFigures
	var st *prepared
	for _, e := range ents {
		for _, y := range e.Years {
			y.EnterpriseID = e.Enterprise.ID
			if y.ID == 0 {
				newYears = append(newYears, y)
				continue
			}
			if st == nil {
				var err error
				if st, err = prepare(ctx, tx, d, "UPDATE "+tYears+" SET "+strings.Join(importYearCols[2:], " = ?, ")+
					" = ? WHERE id = ? AND version = ?"); err != nil {
					return err
				}
				defer st.Close()
			}
			n, err := st.exec(y.Employees, y.RDStaff, y.Revenue, y.MainRevenue, y.OutputValue, y.RDExpense, y.NetProfit,
				y.TotalAssets, y.TotalLiabilities, y.EquityFinancing, y.Version+1, y.ID, y.Version)
			if err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("企业 %s 的 %d 年度数据在检查后已被他人修改，请重新检查: %w", e.Enterprise.USCC, y.Year, ErrStale)
			}
		}
	}
	return BulkInsert(ctx, tx, d, tYears, importYearCols, len(newYears), func(i int, a []any) []any {
		y := &newYears[i]
		return append(a, y.EnterpriseID, y.Year, y.Employees, y.RDStaff, y.Revenue, y.MainRevenue, y.OutputValue,
			y.RDExpense, y.NetProfit, y.TotalAssets, y.TotalLiabilities, y.EquityFinancing, 1)
	})
}

var (
	importEntCols = []string{"uscc", "name", "district_code", "address", "founded_on", "industry_group", "industry_code",
		"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale", "above_scale_since",
		"high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed", "listed_board", "tier",
		"size", "version", "created_at", "updated_at"}
	importEntUpdateCols = []string{"name", "district_code", "address", "founded_on", "industry_group", "industry_code",
		"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale", "above_scale_since",
		"high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed", "listed_board",
		"size", "version", "updated_at"}
	// the years' columns; [2:] with a version bump are what a correction updates
	importYearCols = []string{"enterprise_id", "year", "employees", "rd_staff", "revenue", "main_revenue", "output_value",
		"rd_expense", "net_profit", "total_assets", "total_liabilities", "equity_financing", "version"}
	importAuditCols = []string{"at", "actor_id", "actor_name", "action", "entity_type", "entity_id", "enterprise_id",
		"summary", "changes", "request_id", "ip"}
)
