package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"zjtx/internal/domain"
)

// Facts stores the eligibility inputs beyond profile and figures: facts, awards, development scores.
type Facts struct{ db *DB }

func NewFacts(db *DB) *Facts { return &Facts{db: db} }

const (
	tFacts     = "enterprise_facts"
	tAwards    = "awards"
	tDevScores = "dev_scores"
)

// FactSheet is everything Facts holds for one enterprise.
type FactSheet struct {
	Facts     domain.EnterpriseFacts // zero with EnterpriseID 0 when nothing was ever recorded
	Awards    []domain.Award
	DevScores []domain.DevScore
}

// Get loads an enterprise's fact sheet.
func (s *Facts) Get(ctx context.Context, enterpriseID int64) (FactSheet, error) {
	return LoadFactSheet(s.db.R.WithContext(ctx), enterpriseID)
}

// LoadFactSheet is Get on a given handle.
func LoadFactSheet(g *gorm.DB, enterpriseID int64) (FactSheet, error) {
	var fs FactSheet
	var rows []domain.EnterpriseFacts
	if err := g.Table(tFacts).Where("enterprise_id = ?", enterpriseID).Find(&rows).Error; err != nil {
		return fs, err
	}
	if len(rows) == 1 {
		fs.Facts = rows[0]
	}
	if err := g.Table(tAwards).Where("enterprise_id = ?", enterpriseID).Order("year DESC").Order("id").Find(&fs.Awards).Error; err != nil {
		return fs, err
	}
	err := g.Table(tDevScores).Where("enterprise_id = ?", enterpriseID).Order("year").Find(&fs.DevScores).Error
	return fs, err
}

// FactSheets loads the fact sheets of many enterprises at once (batch evaluation).
func (s *Facts) FactSheets(ctx context.Context, ids []int64) (map[int64]*FactSheet, error) {
	out := make(map[int64]*FactSheet, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	g := s.db.R.WithContext(ctx)
	var facts []domain.EnterpriseFacts
	if err := g.Table(tFacts).Where("enterprise_id IN ?", ids).Find(&facts).Error; err != nil {
		return nil, err
	}
	get := func(id int64) *FactSheet {
		fs := out[id]
		if fs == nil {
			fs = &FactSheet{}
			out[id] = fs
		}
		return fs
	}
	for _, f := range facts {
		get(f.EnterpriseID).Facts = f
	}
	var awards []domain.Award
	if err := g.Table(tAwards).Where("enterprise_id IN ?", ids).Find(&awards).Error; err != nil {
		return nil, err
	}
	for _, a := range awards {
		fs := get(a.EnterpriseID)
		fs.Awards = append(fs.Awards, a)
	}
	var scores []domain.DevScore
	if err := g.Table(tDevScores).Where("enterprise_id IN ?", ids).Find(&scores).Error; err != nil {
		return nil, err
	}
	for _, d := range scores {
		fs := get(d.EnterpriseID)
		fs.DevScores = append(fs.DevScores, d)
	}
	return out, nil
}

// SaveFacts replaces the fact sheet's facts, awards and scores in one transaction,
// under the version check (f.Version 0 = first save), and audits the change.
func (s *Facts) SaveFacts(ctx context.Context, actor Actor, sheet FactSheet) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		f := sheet.Facts
		before, err := LoadFactSheet(tx, f.EnterpriseID)
		if err != nil {
			return err
		}
		if before.Facts.EnterpriseID != 0 && before.Facts.Version != f.Version {
			return ErrStale
		}
		// The check above reads; on PostgreSQL two saves can both pass it. Claim the row
		// (an existing one under its version, a first one by inserting it) so the later
		// save waits for the earlier and then finds it stale instead of overwriting it.
		f.UpdatedAt = tx.NowFunc()
		f.Version = before.Facts.Version + 1
		var claim *gorm.DB
		if before.Facts.EnterpriseID == 0 {
			claim = tx.Table(tFacts).Clauses(clause.OnConflict{DoNothing: true}).Create(&f)
		} else {
			claim = tx.Table(tFacts).Where("enterprise_id = ? AND version = ?", f.EnterpriseID, before.Facts.Version).
				Update("version", f.Version)
		}
		if claim.Error != nil {
			return claim.Error
		}
		if claim.RowsAffected == 0 {
			return ErrStale
		}
		if err := tx.Table(tFacts).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "enterprise_id"}}, UpdateAll: true}).Create(&f).Error; err != nil {
			return err
		}
		if err := tx.Table(tAwards).Where("enterprise_id = ?", f.EnterpriseID).Delete(nil).Error; err != nil {
			return err
		}
		for i := range sheet.Awards {
			a := sheet.Awards[i]
			a.ID, a.EnterpriseID = 0, f.EnterpriseID
			if err := tx.Table(tAwards).Create(&a).Error; err != nil {
				return err
			}
		}
		if err := tx.Table(tDevScores).Where("enterprise_id = ?", f.EnterpriseID).Delete(nil).Error; err != nil {
			return err
		}
		for _, d := range sheet.DevScores {
			d.EnterpriseID = f.EnterpriseID
			if err := tx.Table(tDevScores).Create(&d).Error; err != nil {
				return err
			}
		}
		if err := tx.Table(tEnterprises).Where("id = ?", f.EnterpriseID).
			Updates(map[string]any{"updated_at": tx.NowFunc(), "version": gorm.Expr("version + 1")}).Error; err != nil {
			return err
		}
		sheet.Facts = f
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "facts", EntityID: f.EnterpriseID, EnterpriseID: f.EnterpriseID,
			Summary: "修改资格评估资料", Changes: Diff(FactSheetSnapshot(before), FactSheetSnapshot(sheet))})
	})
}

// FactSheetSnapshot is the fact sheet as the audit log shows it.
func FactSheetSnapshot(fs FactSheet) Snapshot {
	var m Snapshot
	f := fs.Facts
	b := func(k string, p *bool) {
		if p != nil {
			m.add(k, yesNo(*p))
		}
	}
	n := func(k string, p *int64) {
		if p != nil {
			m.add(k, strconv.FormatInt(*p, 10))
		}
	}
	x := func(k string, p *float64) {
		if p != nil {
			m.add(k, strconv.FormatFloat(*p, 'f', -1, 64))
		}
	}
	sv := func(k string, p *string) {
		if p != nil {
			m.add(k, *p)
		}
	}
	b("在沪注册", f.RegisteredInShanghai)
	b("独立法人", f.IndependentLegalPerson)
	n("Ⅰ类知识产权", f.IPClass1)
	n("自主研发Ⅰ类", f.IPClass1SelfDeveloped)
	n("高价值Ⅰ类", f.IPClass1HighValue)
	n("在用Ⅰ类", f.IPClass1InUse)
	n("Ⅱ类知识产权", f.IPClass2)
	b("国家级技术创新示范企业", f.HonourTechInnovationDemo)
	b("知识产权优势企业", f.HonourIPAdvantage)
	b("知识产权示范企业", f.HonourIPDemo)
	sv("研发机构级别", f.RDInstitution)
	n("创客中国名次", f.ChuangkeRank)
	b("战略性新兴产业", f.StrategicEmerging)
	sv("产业链地位", f.ChainRole)
	b("重点领域", f.PriorityField)
	n("数字化水平", f.DigitalLevel)
	sv("质量品牌", f.Quality)
	x("特色化指标得分", f.LocalScore)
	b("信息系统支撑核心业务", f.InfoSystemCoreBusiness)
	b("管理体系认证", f.MgmtCertification)
	b("自有品牌", f.OwnBrand)
	x("国内市场占有率", f.MarketShareDomestic)
	x("国际市场占有率", f.MarketShareInternational)
	n("国内市场排名", f.MarketRankDomestic)
	b("市场地位经审核", f.MarketPositionAttested)
	b("经营异常名录", f.AbnormalOperation)
	b("严重失信", f.SeriousDishonesty)
	b("限制类产业", f.RestrictedIndustry)
	b("近三年重大事故", f.MajorIncident3Y)
	b("近三年偷漏税", f.TaxViolation3Y)
	b("受小巨人控股", f.ControlledByLittleGiant)
	b("同集团同类小巨人", f.GroupSimilarLittleGiant)
	if f.AwardsReported || len(fs.Awards) > 0 {
		var parts []string
		for _, a := range fs.Awards {
			s := fmt.Sprintf("%d %s", a.Year, a.Level)
			if a.Rank != nil {
				s += fmt.Sprintf(" 第%d名", *a.Rank)
			}
			if a.Name != "" {
				s += " " + a.Name
			}
			parts = append(parts, s)
		}
		m.add("科技奖励", strings.Join(parts, "；"))
	}
	for _, d := range fs.DevScores {
		m.add(fmt.Sprintf("%d年发展评价得分", d.Year), strconv.FormatFloat(d.Score, 'f', -1, 64))
	}
	return m
}
