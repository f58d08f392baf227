package store

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Batch reads for whole-registry work (zjtx eval-all). They scan rows by hand: through gorm's
// reflection, reading 200,000 enterprises with their years costs several times as much.

// ruleColumns are the enterprise columns the eligibility rules read (tiers.BuildFacts), plus
// district and size for grouping.
const ruleColumns = "id, uscc, name, district_code, industry_group, niche_since, high_tech, tech_sme, single_champion, tier, tier_valid_until, size"

// RuleInputsAfter reads up to limit enterprises with id > afterID in id order (a keyset page),
// filling only the fields of ruleColumns; the others are left zero, so the result is for
// evaluation, never for saving.
func (s *Enterprises) RuleInputsAfter(ctx context.Context, afterID int64, limit int) ([]domain.Enterprise, error) {
	return s.RuleInputsWhere(ctx, domain.Scope{All: true}, "", nil, afterID, limit)
}

// RuleInputsWhere is RuleInputsAfter within a scope, optionally one district and some tiers.
func (s *Enterprises) RuleInputsWhere(ctx context.Context, sc domain.Scope, district string, tiers []domain.Tier, afterID int64, limit int) ([]domain.Enterprise, error) {
	q := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), sc).Select(ruleColumns).Where("id > ?", afterID)
	if district != "" {
		q = q.Where("district_code = ?", district)
	}
	if len(tiers) > 0 {
		ts := make([]string, len(tiers))
		for i, t := range tiers {
			ts[i] = string(t)
		}
		q = q.Where("tier IN ?", ts)
	}
	rows, err := q.Order("id").Limit(limit).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]domain.Enterprise, 0, limit)
	var v [12]any
	dst := make([]any, len(v))
	for i := range v {
		dst[i] = &v[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		var e domain.Enterprise
		var c cols
		e.ID = c.int(v[0])
		e.USCC = domain.USCC(c.str(v[1]))
		e.Name = c.str(v[2])
		e.DistrictCode = c.str(v[3])
		e.IndustryGroup = domain.IndustryGroup(c.str(v[4]))
		c.date(&e.NicheSince, v[5])
		e.HighTech, e.TechSME, e.SingleChampion = c.bool(v[6]), c.bool(v[7]), c.bool(v[8])
		e.Tier = domain.Tier(c.str(v[9]))
		c.date(&e.TierValidUntil, v[10])
		e.Size = domain.SizeClass(c.str(v[11]))
		if c.err != nil {
			return nil, fmt.Errorf("enterprise %d: %w", e.ID, c.err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// YearsFor loads the years of many enterprises on the read pool; see LoadYearsFor.
func (s *Enterprises) YearsFor(ctx context.Context, ids []int64) (map[int64][]domain.YearFigures, error) {
	return LoadYearsFor(s.db.R.WithContext(ctx), ids)
}

const yearColumns = "id, enterprise_id, year, employees, rd_staff, revenue, main_revenue, output_value, rd_expense, net_profit, total_assets, total_liabilities, equity_financing, version"

// LoadYearsFor loads the years of many enterprises with one query, each list oldest first.
func LoadYearsFor(g *gorm.DB, ids []int64) (map[int64][]domain.YearFigures, error) {
	out := make(map[int64][]domain.YearFigures, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := g.Table(tYears).Select(yearColumns).Where("enterprise_id IN ?", ids).
		Order("enterprise_id").Order("year").Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	all := make([]domain.YearFigures, 0, 4*len(ids))
	var v [14]any
	dst := make([]any, len(v))
	for i := range v {
		dst[i] = &v[i]
	}
	for rows.Next() {
		if err := rows.Scan(dst...); err != nil {
			return nil, err
		}
		var c cols
		y := domain.YearFigures{ID: c.int(v[0]), EnterpriseID: c.int(v[1]), Year: int(c.int(v[2])),
			Employees: c.intPtr(v[3]), RDStaff: c.intPtr(v[4]), Revenue: c.money(v[5]), MainRevenue: c.money(v[6]),
			OutputValue: c.money(v[7]), RDExpense: c.money(v[8]), NetProfit: c.money(v[9]), TotalAssets: c.money(v[10]),
			TotalLiabilities: c.money(v[11]), EquityFinancing: c.money(v[12]), Version: c.int(v[13])}
		if c.err != nil {
			return nil, fmt.Errorf("year_figures %d: %w", y.ID, c.err)
		}
		all = append(all, y)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].EnterpriseID == all[i].EnterpriseID {
			j++
		}
		out[all[i].EnterpriseID] = all[i:j:j]
		i = j
	}
	return out, nil
}

// cols converts driver values (int64, bool, string, []byte, time.Time or nil, whichever the
// driver returns for the column) and keeps the first error.
type cols struct{ err error }

func (c *cols) fail(want string, v any) {
	if c.err == nil {
		c.err = fmt.Errorf("cannot read %T as %s", v, want)
	}
}

func (c *cols) int(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case nil:
		return 0
	}
	c.fail("integer", v)
	return 0
}

func (c *cols) intPtr(v any) *int64 {
	if v == nil {
		return nil
	}
	n := c.int(v)
	return &n
}

func (c *cols) money(v any) *domain.Money {
	if v == nil {
		return nil
	}
	m := domain.Money(c.int(v))
	return &m
}

func (c *cols) str(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	}
	c.fail("text", v)
	return ""
}

func (c *cols) bool(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	case nil:
		return false
	}
	c.fail("boolean", v)
	return false
}

func (c *cols) date(d *domain.Date, v any) {
	if err := d.Scan(v); err != nil && c.err == nil {
		c.err = err
	}
}
