package demo

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// The demo writes with multi-row INSERTs on one statement prepared per table. gorm's
// CreateInBatches inside a transaction re-prepares every batch (each a 27,000-parameter
// statement) and reflects over every field, which tripled the time of a 200k fill.

var (
	enterpriseCols = []string{"uscc", "name", "district_code", "address", "founded_on", "industry_group", "industry_code",
		"main_product", "niche_market", "niche_since", "contact_person", "contact_phone", "above_scale", "above_scale_since",
		"high_tech", "tech_sme", "gazelle", "unicorn", "single_champion", "listed", "listed_board", "tier",
		"tier_valid_until", "size", "version", "created_at", "updated_at"}
	yearCols = []string{"enterprise_id", "year", "employees", "rd_staff", "revenue", "main_revenue", "output_value",
		"rd_expense", "net_profit", "total_assets", "total_liabilities", "equity_financing", "version"}
	eventCols = []string{"enterprise_id", "kind", "from_tier", "to_tier", "effective_on", "valid_until", "certificate_no",
		"batch", "reason", "decided_by", "created_at"}
)

// insert writes enterprises, reads back the ids they received, then writes years and events.
func (d *Data) insert(ctx context.Context, tx *gorm.DB, dialect store.Dialect, now time.Time) error {
	err := store.BulkInsert(ctx, tx, dialect, "enterprises", enterpriseCols, len(d.Enterprises), func(i int, a []any) []any {
		e := &d.Enterprises[i]
		e.CreatedAt, e.UpdatedAt = now, now
		return append(a, string(e.USCC), e.Name, e.DistrictCode, e.Address, e.FoundedOn, string(e.IndustryGroup),
			e.IndustryCode, e.MainProduct, e.NicheMarket, e.NicheSince, e.ContactPerson, e.ContactPhone, e.AboveScale,
			e.AboveScaleSince, e.HighTech, e.TechSME, e.Gazelle, e.Unicorn, e.SingleChampion, e.Listed, e.ListedBoard,
			string(e.Tier), e.TierValidUntil, string(e.Size), e.Version, now, now)
	})
	if err != nil {
		return err
	}
	if err := d.readIDs(tx); err != nil {
		return err
	}
	if err := d.insertGrams(ctx, tx, dialect); err != nil {
		return err
	}
	for i := range d.Years {
		d.Years[i].EnterpriseID = d.Enterprises[d.Years[i].EnterpriseID-1].ID
	}
	for i := range d.Events {
		d.Events[i].EnterpriseID = d.Enterprises[d.Events[i].EnterpriseID-1].ID
		d.Events[i].CreatedAt = now
	}
	err = store.BulkInsert(ctx, tx, dialect, "year_figures", yearCols, len(d.Years), func(i int, a []any) []any {
		y := &d.Years[i]
		return append(a, y.EnterpriseID, y.Year, count(y.Employees), count(y.RDStaff), money(y.Revenue),
			money(y.MainRevenue), money(y.OutputValue), money(y.RDExpense), money(y.NetProfit), money(y.TotalAssets),
			money(y.TotalLiabilities), money(y.EquityFinancing), y.Version)
	})
	if err != nil {
		return err
	}
	return store.BulkInsert(ctx, tx, dialect, "tier_events", eventCols, len(d.Events), func(i int, a []any) []any {
		ev := &d.Events[i]
		return append(a, ev.EnterpriseID, string(ev.Kind), string(ev.FromTier), string(ev.ToTier), ev.EffectiveOn,
			ev.ValidUntil, ev.CertificateNo, ev.Batch, ev.Reason, ev.DecidedBy, ev.CreatedAt)
	})
}

// readIDs maps the stored ids back by USCC: correct on both databases whatever order
// the ids were handed out in.
func (d *Data) readIDs(tx *gorm.DB) error {
	rows, err := tx.Table("enterprises").Select("id", "uscc").Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	ids := make(map[string]int64, len(d.Enterprises))
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return err
		}
		ids[code] = id
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := range d.Enterprises {
		e := &d.Enterprises[i]
		if e.ID = ids[string(e.USCC)]; e.ID == 0 {
			return fmt.Errorf("enterprise %s not found after insert", e.USCC)
		}
	}
	return nil
}

func money(m *domain.Money) any {
	if m == nil {
		return nil
	}
	return int64(*m)
}

func count(c *int64) any {
	if c == nil {
		return nil
	}
	return *c
}

// insertGrams fills the name search index (store.NameGrams) for the new enterprises.
func (d *Data) insertGrams(ctx context.Context, tx *gorm.DB, dialect store.Dialect) error {
	type gram struct {
		g, name string
		id      int64
	}
	var grams []gram
	for _, e := range d.Enterprises {
		for _, g := range store.NameGrams(e.Name) {
			grams = append(grams, gram{g, e.Name, e.ID})
		}
	}
	return store.BulkInsert(ctx, tx, dialect, "name_grams", []string{"gram", "name", "enterprise_id"}, len(grams), func(i int, a []any) []any {
		return append(a, grams[i].g, grams[i].name, grams[i].id)
	})
}
