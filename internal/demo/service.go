package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// The service layer of the demo: specialists per district, one for every enterprise at
// specialized and above (and about half the innovative ones), and a year of visits and
// demands — about 5 visits and 1.5 demands per enterprise — with realistic timings.
// It draws from its own random stream so the registry data stays as it was.

// perSpecialist is roughly how many enterprises one specialist serves.
const perSpecialist = 80

var (
	userCols       = []string{"username", "display_name", "password_hash", "role", "district_code", "phone", "disabled", "must_change_password", "version", "created_at", "updated_at"}
	assignmentCols = []string{"enterprise_id", "specialist_id", "assigned_at", "reason", "assigned_by"}
	dayCols        = []string{"held_on", "district_code", "place", "theme", "created_by", "created_at"}
	visitCols      = []string{"enterprise_id", "specialist_id", "visited_on", "kind", "participants", "summary", "service_day_id", "recorded_by", "created_at"}
	demandCols     = []string{"enterprise_id", "visit_id", "district_code", "specialist_id", "category", "description", "department",
		"raised_on", "due_on", "status", "is_open", "resolution", "return_reason", "satisfaction", "closed_on", "version", "created_at", "updated_at"}
)

var (
	visitSummaries = []string{"了解企业生产经营和订单情况", "宣讲专精特新扶持政策并核对申报材料", "走访研发中心，了解新产品进展",
		"了解企业扩产计划和用工需求", "回访前期诉求办理情况", "了解企业融资需求和上市规划", "协调解决园区配套问题"}
	demandTexts = map[domain.DemandCategory][]string{
		domain.DemandFinance:  {"需要流动资金贷款支持", "希望对接政府引导基金", "申请知识产权质押融资"},
		domain.DemandLand:     {"扩产需要新增厂房", "研发场地租金补贴咨询"},
		domain.DemandTalent:   {"核心技术人员落户", "人才公寓申请", "高技能人才培训补贴"},
		domain.DemandPolicy:   {"专精特新奖励资金未到账", "研发费用加计扣除政策咨询", "免申即享政策核对"},
		domain.DemandMarket:   {"希望进入首台套目录", "对接大企业采购需求"},
		domain.DemandTech:     {"专利侵权维权支持", "对接高校开展联合攻关"},
		domain.DemandListing:  {"上市辅导与股改咨询", "科创板申报前合规辅导"},
		domain.DemandEnergy:   {"增容用电申请", "用水用气报装协调"},
		domain.DemandOverseas: {"境外展会补贴咨询", "海外知识产权布局", "AEO认证辅导"},
		domain.DemandOther:    {"周边交通配套问题", "企业宣传推介需求"},
	}
	resolutions = []string{"已协调相关部门办理完毕", "已对接银行完成授信", "已完成政策兑现", "已安排专人跟进并解决", "已组织供需对接会"}
)

type specialistRow struct {
	username, name, district string
	id                       int64
}

// insertService writes the service data for d (ids already stored) inside tx.
func insertService(ctx context.Context, tx *gorm.DB, dialect store.Dialect, d *Data, seed int64, today domain.Date, now time.Time) error {
	rng := rand.New(rand.NewPCG(uint64(seed), 0x5e7c1ce))
	chance := func(p float64) bool { return rng.Float64() < p }
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }

	// Which enterprises get a specialist, per district.
	served := map[string][]int{}
	for i := range d.Enterprises {
		e := &d.Enterprises[i]
		if domain.NeedsSpecialist(e.Tier) || (e.Tier == domain.TierInnovative && chance(0.5)) {
			served[e.DistrictCode] = append(served[e.DistrictCode], i)
		}
	}
	var specs []specialistRow
	byDistrict := map[string][]int{} // district → indexes into specs
	for _, dist := range domain.Districts {
		n := max(1, (len(served[dist.Code])+perSpecialist-1)/perSpecialist)
		for k := range n {
			name := "服务专员 " + string(surnames[rng.IntN(len(surnames))]) + pick(givenNames)
			username := fmt.Sprintf("spec-%s-%02d", dist.Code, k+1)
			if dist.Code == DemoDistrict && k == 0 {
				username, name = "specialist", "服务专员 王芳" // the demo login (CreateAccounts sets its password)
			}
			byDistrict[dist.Code] = append(byDistrict[dist.Code], len(specs))
			specs = append(specs, specialistRow{username: username, name: name, district: dist.Code})
		}
	}
	// An empty hash matches no password: these accounts cannot log in until one is set.
	err := store.BulkInsert(ctx, tx, dialect, "users", userCols, len(specs), func(i int, a []any) []any {
		s := specs[i]
		return append(a, s.username, s.name, "", string(domain.RoleSpecialist), s.district, "021-5"+fmt.Sprintf("%07d", i), false, false, 1, now, now)
	})
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	rows, err := tx.Table("users").Select("id", "username").Where("role = ?", string(domain.RoleSpecialist)).Rows()
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var u string
		if err := rows.Scan(&id, &u); err != nil {
			rows.Close()
			return err
		}
		ids[u] = id
	}
	rows.Close()
	for i := range specs {
		specs[i].id = ids[specs[i].username]
	}

	// Assignments: round-robin within the district.
	specOf := make([]int64, len(d.Enterprises))
	type asg struct {
		ent, spec int64
		at        time.Time
	}
	var asgs []asg
	for _, dist := range domain.Districts {
		for k, i := range served[dist.Code] {
			s := specs[byDistrict[dist.Code][k%len(byDistrict[dist.Code])]]
			specOf[i] = s.id
			asgs = append(asgs, asg{d.Enterprises[i].ID, s.id, now.AddDate(0, 0, -400-rng.IntN(300))})
		}
	}
	err = store.BulkInsert(ctx, tx, dialect, "assignments", assignmentCols, len(asgs), func(i int, a []any) []any {
		return append(a, asgs[i].ent, asgs[i].spec, asgs[i].at, "", "演示数据")
	})
	if err != nil {
		return err
	}

	// Four service days per district over the year.
	type day struct {
		on       domain.Date
		district string
	}
	var days []day
	for _, dist := range domain.Districts {
		for q := range 4 {
			days = append(days, day{today.AddDays(-30 - 91*q - rng.IntN(30)), dist.Code})
		}
	}
	themes := []string{"融资对接", "政策宣讲", "人才服务", "知识产权", "上市辅导", "出海服务"}
	err = store.BulkInsert(ctx, tx, dialect, "service_days", dayCols, len(days), func(i int, a []any) []any {
		dd := days[i]
		return append(a, dd.on, dd.district, domain.DistrictName(dd.district)+"企业服务中心", "专精特新专属服务日·"+themes[i%len(themes)], "演示数据", now)
	})
	if err != nil {
		return err
	}
	var dayIDs []int64
	if err := tx.Table("service_days").Order("id").Pluck("id", &dayIDs).Error; err != nil {
		return err
	}
	dayOf := map[string][]int{}
	for i, dd := range days {
		dayOf[dd.district] = append(dayOf[dd.district], i)
	}

	// Visits, then demands raised at about three in ten of them.
	type visit struct {
		ent, spec int64
		on        domain.Date
		kind      domain.VisitKind
		day       int // index into days, -1 for none
		pos       int // enterprise position
	}
	kinds := []domain.VisitKind{domain.VisitOnSite, domain.VisitOnSite, domain.VisitOnSite, domain.VisitPhone, domain.VisitPhone,
		domain.VisitOnline, domain.VisitServiceDay, domain.VisitEvent}
	var visits []visit
	for i := range d.Enterprises {
		e := &d.Enterprises[i]
		mean := 4
		switch {
		case domain.NeedsSpecialist(e.Tier):
			mean = 9
		case e.Tier == domain.TierInnovative:
			mean = 6
		}
		n := rng.IntN(2*mean + 1)
		for range n {
			v := visit{ent: e.ID, spec: specOf[i], on: today.AddDays(-rng.IntN(365)), kind: kinds[rng.IntN(len(kinds))], day: -1, pos: i}
			if v.kind == domain.VisitServiceDay {
				v.day = dayOf[e.DistrictCode][rng.IntN(4)]
				v.on = days[v.day].on
			}
			visits = append(visits, v)
		}
	}
	err = store.BulkInsert(ctx, tx, dialect, "visits", visitCols, len(visits), func(i int, a []any) []any {
		v := visits[i]
		var spec, dayID any
		if v.spec != 0 {
			spec = v.spec
		}
		if v.day >= 0 {
			dayID = dayIDs[v.day]
		}
		return append(a, v.ent, spec, v.on, string(v.kind), "企业负责人", visitSummaries[i%len(visitSummaries)], dayID, "演示数据", now)
	})
	if err != nil {
		return err
	}
	// Visit ids follow insertion order in a fresh table on both databases (one writer, one transaction).
	var firstVisit int64
	if err := tx.Table("visits").Select("MIN(id)").Scan(&firstVisit).Error; err != nil {
		return err
	}
	type demand struct {
		v                       int
		cat                     domain.CategoryRule
		due, closed             domain.Date
		status                  domain.DemandStatus
		resolution, reason, sat string
	}
	var demands []demand
	sats := []domain.Satisfaction{domain.Satisfied, domain.Satisfied, domain.Satisfied, domain.FairlySatisfied, domain.Dissatisfied}
	for i, v := range visits {
		if !chance(0.3) {
			continue
		}
		r := domain.DemandCategories[rng.IntN(len(domain.DemandCategories))]
		dm := demand{v: i, cat: r, due: domain.AddWorkingDays(v.on, r.WorkingDays)}
		// How long it took relative to its time limit: most within, some late, a few still open.
		took := domain.AddWorkingDays(v.on, int(float64(r.WorkingDays)*(0.3+rng.Float64()*1.1)))
		switch {
		case chance(0.05):
			dm.status, dm.reason = domain.DemandReturned, "不属于受理范围，已告知企业咨询渠道"
		case took.After(today) || chance(0.06):
			dm.status = domain.DemandInProgress
			if today.DaysUntil(v.on) > -3 {
				dm.status = domain.DemandPending
			}
		default:
			dm.status, dm.closed, dm.resolution = domain.DemandClosed, took, resolutions[rng.IntN(len(resolutions))]
			dm.sat = string(sats[rng.IntN(len(sats))])
		}
		demands = append(demands, dm)
	}
	return store.BulkInsert(ctx, tx, dialect, "demands", demandCols, len(demands), func(i int, a []any) []any {
		dm := demands[i]
		v := visits[dm.v]
		e := &d.Enterprises[v.pos]
		var spec any
		if v.spec != 0 {
			spec = v.spec
		}
		texts := demandTexts[dm.cat.Category]
		return append(a, v.ent, firstVisit+int64(dm.v), e.DistrictCode, spec, string(dm.cat.Category), texts[i%len(texts)],
			dm.cat.Department, v.on, dm.due, string(dm.status), dm.status.Open(), dm.resolution, dm.reason, dm.sat, dm.closed, 1, now, now)
	})
}
