package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Service stores 一企一专员 assignments, visits, demands and service days.
type Service struct{ db *DB }

func NewService(db *DB) *Service { return &Service{db: db} }

const (
	tAssignments = "assignments"
	tVisits      = "visits"
	tDemands     = "demands"
	tServiceDays = "service_days"
)

var (
	// ErrNotSpecialist: the chosen account is not an active specialist who may serve the enterprise.
	ErrNotSpecialist = errors.New("not a specialist for this enterprise")
	// ErrReasonRequired: replacing a specialist needs a reason.
	ErrReasonRequired = errors.New("reason required")
)

// scopedEnterpriseIDs is the subquery of enterprise ids sc may see.
func scopedEnterpriseIDs(g *gorm.DB, sc domain.Scope) *gorm.DB {
	return applyScope(g.Table(tEnterprises).Select("id"), sc)
}

// onScope restricts a query on a table with enterprise_id (and, for demands, district_code).
func onScope(q *gorm.DB, table string, sc domain.Scope) *gorm.DB {
	switch {
	case sc.All:
		return q
	case sc.District != "" && table == tDemands:
		return q.Where("demands.district_code = ?", sc.District)
	case sc.EnterpriseID != 0:
		return q.Where(table+".enterprise_id = ?", sc.EnterpriseID)
	case sc.SpecialistID != 0:
		return q.Where(table+".enterprise_id IN (SELECT enterprise_id FROM assignments WHERE specialist_id = ? AND ended_at IS NULL)", sc.SpecialistID)
	case sc.District != "":
		return q.Where(table+".enterprise_id IN (SELECT id FROM enterprises WHERE district_code = ?)", sc.District)
	}
	return q.Where("1 = 0")
}

// ---- Specialists and assignments ----

// Specialists lists the active specialists who may serve enterprises of district
// (its own and the city-level ones); "" lists every specialist.
// Every enterprise page offers them for reassignment, so the list is memoized until
// the users table changes; the returned slice is shared and must not be modified.
func (s *Service) Specialists(ctx context.Context, district string) ([]domain.User, error) {
	return memoized(s.db.memo, memoKey("specialists", district), []string{tUsers}, func() ([]domain.User, error) {
		q := s.db.R.WithContext(ctx).Table(tUsers).Where("role = ? AND disabled = ?", string(domain.RoleSpecialist), false)
		if district != "" {
			q = q.Where("district_code IN ?", []string{district, ""})
		}
		var us []domain.User
		err := q.Order("district_code").Order("display_name").Order("id").Limit(2000).Find(&us).Error
		return us, err
	})
}

// specialistFor loads a specialist who may serve an enterprise in district.
func specialistFor(tx *gorm.DB, id int64, district string) (domain.User, error) {
	var u domain.User
	err := tx.Table(tUsers).Where("id = ?", id).Take(&u).Error
	if err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return u, ErrNotSpecialist
		}
		return u, err
	}
	if u.Role != domain.RoleSpecialist || u.Disabled || (u.DistrictCode != "" && u.DistrictCode != district) {
		return u, ErrNotSpecialist
	}
	return u, nil
}

// AssignmentRow is an assignment with the specialist's name.
type AssignmentRow struct {
	domain.Assignment
	SpecialistName     string
	SpecialistDistrict string
}

func (s *Service) assignmentRows(ctx context.Context) *gorm.DB {
	return s.db.R.WithContext(ctx).Table(tAssignments).
		Select("assignments.*, COALESCE(NULLIF(users.display_name, ''), users.username) AS specialist_name, users.district_code AS specialist_district").
		Joins("JOIN users ON users.id = assignments.specialist_id")
}

// Current is the enterprise's open assignment, or ErrNotFound.
func (s *Service) Current(ctx context.Context, enterpriseID int64) (AssignmentRow, error) {
	var a AssignmentRow
	err := s.assignmentRows(ctx).Where("assignments.enterprise_id = ? AND assignments.ended_at IS NULL", enterpriseID).Take(&a).Error
	return a, mapErr(err)
}

// AssignmentHistory lists every assignment of an enterprise, newest first.
func (s *Service) AssignmentHistory(ctx context.Context, enterpriseID int64) ([]AssignmentRow, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT a.id, a.enterprise_id, a.specialist_id, a.assigned_at, a.ended_at,
		a.reason, a.assigned_by, COALESCE(NULLIF(u.display_name, ''), u.username), u.district_code
		FROM assignments a JOIN users u ON u.id = a.specialist_id
		WHERE a.enterprise_id = ? ORDER BY a.assigned_at DESC, a.id DESC`, enterpriseID).Rows()
	return scanAll(rows, err, func(rows *sql.Rows) (AssignmentRow, error) {
		var r AssignmentRow
		var ended sql.NullTime
		err := rows.Scan(&r.ID, &r.EnterpriseID, &r.SpecialistID, &r.AssignedAt, &ended, &r.Reason, &r.AssignedBy,
			&r.SpecialistName, &r.SpecialistDistrict)
		if ended.Valid {
			r.EndedAt = &ended.Time
		}
		return r, err
	})
}

// Assign gives each of the enterprises (all within sc and without a specialist) to one
// specialist. If any of them has one already — assigned meanwhile by someone else — nothing
// is written and ErrConflict is returned; the unique index on open assignments guarantees
// this even when two requests race.
func (s *Service) Assign(ctx context.Context, actor Actor, sc domain.Scope, enterpriseIDs []int64, specialistID int64) (int, error) {
	if len(enterpriseIDs) == 0 {
		return 0, nil
	}
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var ents []domain.Enterprise
		if err := applyScope(tx.Table(tEnterprises), sc).Select("id", "name", "district_code").
			Where("id IN ?", enterpriseIDs).Find(&ents).Error; err != nil {
			return err
		}
		if len(ents) != len(uniq(enterpriseIDs)) {
			return ErrNotFound
		}
		for _, e := range ents {
			u, err := specialistFor(tx, specialistID, e.DistrictCode)
			if err != nil {
				return err
			}
			if err := insertAssignment(tx, actor, e, u, "", nil); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(enterpriseIDs), nil
}

func uniq(ids []int64) map[int64]bool {
	m := make(map[int64]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func insertAssignment(tx *gorm.DB, actor Actor, e domain.Enterprise, u domain.User, reason string, before *AssignmentRow) error {
	a := domain.Assignment{EnterpriseID: e.ID, SpecialistID: u.ID, AssignedAt: tx.NowFunc(), Reason: reason, AssignedBy: actor.Name}
	if err := mapErr(tx.Table(tAssignments).Omit("ended_at").Create(&a).Error); err != nil {
		return err
	}
	summary := "分配服务专员 " + u.Name()
	var old Snapshot
	if before != nil {
		summary = "更换服务专员：" + before.SpecialistName + " → " + u.Name()
		old = Snapshot{{"服务专员", before.SpecialistName}}
	}
	after := Snapshot{{"服务专员", u.Name()}}
	if reason != "" {
		after.add("更换原因", reason)
	}
	return WriteAudit(tx, actor, Audit{Action: "assign", EntityType: "assignment", EntityID: a.ID, EnterpriseID: e.ID,
		Summary: summary, Changes: Diff(old, after)})
}

// Reassign gives an enterprise within sc to a specialist, ending its current assignment
// (which needs a reason). Giving it to its current specialist changes nothing.
func (s *Service) Reassign(ctx context.Context, actor Actor, sc domain.Scope, enterpriseID, specialistID int64, reason string) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		e, err := LoadEnterprise(tx, sc, enterpriseID)
		if err != nil {
			return err
		}
		u, err := specialistFor(tx, specialistID, e.DistrictCode)
		if err != nil {
			return err
		}
		var cur []AssignmentRow
		if err := tx.Table(tAssignments).
			Select("assignments.*, COALESCE(NULLIF(users.display_name, ''), users.username) AS specialist_name").
			Joins("JOIN users ON users.id = assignments.specialist_id").
			Where("assignments.enterprise_id = ? AND assignments.ended_at IS NULL", e.ID).Find(&cur).Error; err != nil {
			return err
		}
		var before *AssignmentRow
		if len(cur) > 0 {
			before = &cur[0]
			if before.SpecialistID == u.ID {
				return nil
			}
			if reason == "" {
				return ErrReasonRequired
			}
			res := tx.Table(tAssignments).Where("id = ? AND ended_at IS NULL", before.ID).
				Updates(map[string]any{"ended_at": tx.NowFunc()})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrConflict // ended by a concurrent reassignment
			}
		}
		return insertAssignment(tx, actor, e, u, reason, before)
	})
}

// UnassignedFilter selects the queue of enterprises without a specialist.
type UnassignedFilter struct {
	Scope    domain.Scope
	District string
	Tier     domain.Tier // "" means specialized and above (those that must have one)
	Page     int
	PerPage  int
}

// Unassigned lists enterprises within the filter that have no open assignment, by name.
func (s *Service) Unassigned(ctx context.Context, f UnassignedFilter) (EnterprisePage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 100
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := EnterprisePage{Page: f.Page, PerPage: f.PerPage}
	q := func() *gorm.DB {
		q := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), f.Scope).
			Where("NOT EXISTS (SELECT 1 FROM assignments WHERE assignments.enterprise_id = enterprises.id AND assignments.ended_at IS NULL)")
		if f.District != "" {
			q = q.Where("district_code = ?", f.District)
		}
		if f.Tier != "" {
			q = q.Where("tier = ?", string(f.Tier))
		} else {
			q = q.Where("tier IN ?", []string{string(domain.TierSpecialized), string(domain.TierLittleGiant)})
		}
		return q
	}
	if err := q().Count(&page.Total).Error; err != nil {
		return page, err
	}
	err := q().Select(listColumns).Order("name").Order("id").
		Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&page.Items).Error
	return page, err
}

// WorkloadRow is one enterprise in a specialist's portfolio.
type WorkloadRow struct {
	ID             int64
	Name           string
	DistrictCode   string
	Tier           domain.Tier
	TierValidUntil domain.Date
	LastVisit      domain.Date
	OpenDemands    int
	Overdue        int
}

// workloadLimit caps a portfolio; callers can tell a full portfolio by its length.
const workloadLimit = 2000

// workloadSQL: the last visit is kept on the enterprise row and open demands are counted,
// both by triggers (migrations 0013, 0012); the overdue ones, a short range of the
// demands_enterprise index (enterprise_id, is_open, due_on), are looked for only where
// some demand is open. workloadNoOverdueSQL leaves them to a caller that counts them.
const (
	workloadSQL = workloadCols +
		`CASE WHEN c.n > 0 THEN (SELECT COUNT(*) FROM demands d WHERE d.enterprise_id = e.id AND d.is_open = ? AND d.due_on < ?) ELSE 0 END` +
		workloadFrom
	workloadNoOverdueSQL = workloadCols + `0` + workloadFrom

	workloadCols = `SELECT e.id, e.name, e.district_code, e.tier, e.tier_valid_until, e.last_visit_on, COALESCE(c.n, 0), `
	workloadFrom = `
FROM assignments a JOIN enterprises e ON e.id = a.enterprise_id
LEFT JOIN open_demands c ON c.k = 'e:' || e.id
WHERE a.specialist_id = ? AND a.ended_at IS NULL
ORDER BY e.name LIMIT ?`
)

// Workload lists a specialist's current enterprises (at most workloadLimit, by name)
// with their last visit and open demands, least recently visited first.
func (s *Service) Workload(ctx context.Context, specialistID int64, today domain.Date) ([]WorkloadRow, error) {
	return s.workload(ctx, workloadSQL, true, today, specialistID, workloadLimit)
}

// Workbench is a specialist's home: their Workload and their open demands due by dueBy
// (DueSoon, at most dueLimit). Every overdue demand is due before dueBy, so when the due
// list is complete the overdue counts are taken from it rather than by looking into each
// enterprise's demands a second time.
func (s *Service) Workbench(ctx context.Context, specialistID int64, today, dueBy domain.Date, dueLimit int) ([]WorkloadRow, []DemandRow, error) {
	due, err := s.DueSoon(ctx, specialistID, dueBy, dueLimit)
	if err != nil {
		return nil, nil, err
	}
	if len(due) >= dueLimit || dueBy.Before(today) {
		rows, err := s.Workload(ctx, specialistID, today)
		return rows, due, err
	}
	rows, err := s.workload(ctx, workloadNoOverdueSQL, specialistID, workloadLimit)
	if err != nil {
		return nil, nil, err
	}
	overdue := map[int64]int{}
	for _, d := range due {
		if d.DueOn.Before(today) {
			overdue[d.EnterpriseID]++
		}
	}
	for i := range rows {
		rows[i].Overdue = overdue[rows[i].ID]
	}
	return rows, due, nil
}

func (s *Service) workload(ctx context.Context, query string, args ...any) ([]WorkloadRow, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(query, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkloadRow
	for rows.Next() {
		var r WorkloadRow
		var tier string
		if err := rows.Scan(&r.ID, &r.Name, &r.DistrictCode, &tier, &r.TierValidUntil,
			&r.LastVisit, &r.OpenDemands, &r.Overdue); err != nil {
			return nil, err
		}
		r.Tier = domain.Tier(tier)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Never visited first, then the longest ago (NULLs sort differently on the two databases).
	slices.SortStableFunc(out, func(a, b WorkloadRow) int {
		switch {
		case a.LastVisit.IsZero() || b.LastVisit.IsZero():
			return cmpBool(!a.LastVisit.IsZero(), !b.LastVisit.IsZero())
		case a.LastVisit.Before(b.LastVisit):
			return -1
		case b.LastVisit.Before(a.LastVisit):
			return 1
		}
		return 0
	})
	return out, nil
}

// ExpiringIn picks, from a whole portfolio (fewer than workloadLimit rows), the
// enterprises whose title ends between from and to (inclusive), soonest first — what
// Enterprises.Expiring returns for the specialist's scope, without reading them again.
// ok is false when the portfolio may have been cut at workloadLimit.
func ExpiringIn(rows []WorkloadRow, from, to domain.Date, limit int) (es []domain.Enterprise, ok bool) {
	if len(rows) >= workloadLimit {
		return nil, false
	}
	for _, r := range rows {
		if r.Tier != domain.TierBase && !r.TierValidUntil.IsZero() && !r.TierValidUntil.Before(from) && !r.TierValidUntil.After(to) {
			es = append(es, domain.Enterprise{ID: r.ID, Name: r.Name, DistrictCode: r.DistrictCode, Tier: r.Tier, TierValidUntil: r.TierValidUntil})
		}
	}
	slices.SortFunc(es, func(a, b domain.Enterprise) int {
		switch {
		case a.TierValidUntil.Before(b.TierValidUntil):
			return -1
		case b.TierValidUntil.Before(a.TierValidUntil):
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(es) > limit {
		es = es[:limit]
	}
	return es, true
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// ---- Visits and demands ----

// VisitRow is a visit with the enterprise and specialist names.
type VisitRow struct {
	domain.Visit
	EnterpriseName string
	SpecialistName string
}

// CreateVisit records a visit to an enterprise within sc with its demands, all in one
// transaction with their audit rows. A specialist records under their own name.
func (s *Service) CreateVisit(ctx context.Context, actor Actor, sc domain.Scope, v *domain.Visit, demands []domain.Demand) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		e, err := LoadEnterprise(tx, sc, v.EnterpriseID)
		if err != nil {
			return err
		}
		if v.SpecialistID == nil {
			var cur []int64
			if err := tx.Table(tAssignments).Where("enterprise_id = ? AND ended_at IS NULL", e.ID).Pluck("specialist_id", &cur).Error; err != nil {
				return err
			}
			if len(cur) > 0 {
				v.SpecialistID = &cur[0]
			}
		}
		if v.ServiceDayID != nil {
			var n int64
			if err := tx.Table(tServiceDays).Where("id = ?", *v.ServiceDayID).Count(&n).Error; err != nil {
				return err
			}
			if n == 0 {
				return ErrNotFound
			}
		}
		v.RecordedBy, v.CreatedAt = actor.Name, tx.NowFunc()
		if err := tx.Table(tVisits).Create(v).Error; err != nil {
			return err
		}
		if err := WriteAudit(tx, actor, Audit{Action: "create", EntityType: "visit", EntityID: v.ID, EnterpriseID: e.ID,
			Summary: fmt.Sprintf("记录走访（%s，%s）", v.Kind.Label(), v.VisitedOn), Changes: Diff(nil, visitSnapshot(*v))}); err != nil {
			return err
		}
		for i := range demands {
			d := &demands[i]
			d.EnterpriseID, d.VisitID, d.DistrictCode, d.SpecialistID = e.ID, &v.ID, e.DistrictCode, v.SpecialistID
			if d.RaisedOn.IsZero() {
				d.RaisedOn = v.VisitedOn
			}
			if err := createDemand(tx, actor, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func createDemand(tx *gorm.DB, actor Actor, d *domain.Demand) error {
	d.FillDefaults()
	d.IsOpen = d.Status.Open()
	now := tx.NowFunc()
	d.Version, d.CreatedAt, d.UpdatedAt = 1, now, now
	if err := tx.Table(tDemands).Create(d).Error; err != nil {
		return err
	}
	return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "demand", EntityID: d.ID, EnterpriseID: d.EnterpriseID,
		Summary: "登记诉求（" + d.Category.Label() + "）", Changes: Diff(nil, demandSnapshot(*d))})
}

func visitSnapshot(v domain.Visit) Snapshot {
	return Snapshot{{"走访日期", v.VisitedOn.String()}, {"方式", v.Kind.Label()}, {"参加人员", v.Participants}, {"走访情况", v.Summary}}
}

func demandSnapshot(d domain.Demand) Snapshot {
	s := Snapshot{{"类别", d.Category.Label()}, {"诉求内容", d.Description}, {"承办部门", d.Department},
		{"办理期限", d.DueOn.String()}, {"状态", d.Status.Label()}}
	if d.Resolution != "" {
		s.add("办理结果", d.Resolution)
	}
	if d.ReturnReason != "" {
		s.add("退回原因", d.ReturnReason)
	}
	if d.Satisfaction != "" {
		s.add("企业满意度", d.Satisfaction.Label())
	}
	return s
}

func (s *Service) visitRows(ctx context.Context) *gorm.DB {
	return s.db.R.WithContext(ctx).Table(tVisits).
		Select("visits.*, enterprises.name AS enterprise_name, COALESCE(NULLIF(users.display_name, ''), users.username, '') AS specialist_name").
		Joins("JOIN enterprises ON enterprises.id = visits.enterprise_id").
		Joins("LEFT JOIN users ON users.id = visits.specialist_id")
}

// visitCols are the columns scanVisit reads, from visits v, enterprises e and users u.
const visitCols = `v.id, v.enterprise_id, v.specialist_id, v.visited_on, v.kind, v.participants, v.summary,
	v.service_day_id, v.recorded_by, v.created_at, e.name, COALESCE(NULLIF(u.display_name, ''), u.username, '')`

func scanVisit(rows *sql.Rows) (VisitRow, error) {
	var r VisitRow
	var kind string
	var spec, day sql.NullInt64
	err := rows.Scan(&r.ID, &r.EnterpriseID, &spec, &r.VisitedOn, &kind, &r.Participants, &r.Summary,
		&day, &r.RecordedBy, &r.CreatedAt, &r.EnterpriseName, &r.SpecialistName)
	r.Kind, r.SpecialistID, r.ServiceDayID = domain.VisitKind(kind), nullID(spec), nullID(day)
	return r, err
}

func nullID(n sql.NullInt64) *int64 {
	if !n.Valid {
		return nil
	}
	return &n.Int64
}

// scanAll reads every row with scan; the hot pages' lists skip gorm's reflection.
func scanAll[T any](rows *sql.Rows, err error, scan func(*sql.Rows) (T, error)) ([]T, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		r, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// VisitsFor lists an enterprise's visits, newest first.
func (s *Service) VisitsFor(ctx context.Context, enterpriseID int64, limit int) ([]VisitRow, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT `+visitCols+` FROM visits v
		JOIN enterprises e ON e.id = v.enterprise_id LEFT JOIN users u ON u.id = v.specialist_id
		WHERE v.enterprise_id = ? ORDER BY v.visited_on DESC, v.id DESC LIMIT ?`, enterpriseID, limit).Rows()
	return scanAll(rows, err, scanVisit)
}

// DemandRow is a demand with its enterprise's name.
type DemandRow struct {
	domain.Demand
	EnterpriseName string
}

func (s *Service) demandRows(g *gorm.DB) *gorm.DB {
	return g.Table(tDemands).Select("demands.*, enterprises.name AS enterprise_name").
		Joins("JOIN enterprises ON enterprises.id = demands.enterprise_id")
}

// demandCols are the columns scanDemand reads, from demands d and enterprises e.
const demandCols = `d.id, d.enterprise_id, d.visit_id, d.district_code, d.specialist_id, d.category, d.description,
	d.department, d.raised_on, d.due_on, d.status, d.is_open, d.resolution, d.return_reason, d.satisfaction,
	d.closed_on, d.version, d.created_at, d.updated_at, e.name`

// demandColsNamed are demandCols for queries that name the tables (onScope's conditions do).
const demandColsNamed = `demands.id, demands.enterprise_id, demands.visit_id, demands.district_code, demands.specialist_id,
	demands.category, demands.description, demands.department, demands.raised_on, demands.due_on, demands.status,
	demands.is_open, demands.resolution, demands.return_reason, demands.satisfaction, demands.closed_on, demands.version,
	demands.created_at, demands.updated_at, enterprises.name`

func scanDemand(rows *sql.Rows) (DemandRow, error) {
	var r DemandRow
	var category, status, satisfaction string
	var visit, spec sql.NullInt64
	err := rows.Scan(&r.ID, &r.EnterpriseID, &visit, &r.DistrictCode, &spec, &category, &r.Description,
		&r.Department, &r.RaisedOn, &r.DueOn, &status, &r.IsOpen, &r.Resolution, &r.ReturnReason, &satisfaction,
		&r.ClosedOn, &r.Version, &r.CreatedAt, &r.UpdatedAt, &r.EnterpriseName)
	r.Category, r.Status, r.Satisfaction = domain.DemandCategory(category), domain.DemandStatus(status), domain.Satisfaction(satisfaction)
	r.VisitID, r.SpecialistID = nullID(visit), nullID(spec)
	return r, err
}

// DemandsFor lists an enterprise's demands, newest first.
func (s *Service) DemandsFor(ctx context.Context, enterpriseID int64, limit int) ([]DemandRow, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT `+demandCols+` FROM demands d
		JOIN enterprises e ON e.id = d.enterprise_id
		WHERE d.enterprise_id = ? ORDER BY d.id DESC LIMIT ?`, enterpriseID, limit).Rows()
	return scanAll(rows, err, scanDemand)
}

// GetDemand loads one demand within sc.
func (s *Service) GetDemand(ctx context.Context, sc domain.Scope, id int64) (DemandRow, error) {
	var d DemandRow
	err := onScope(s.demandRows(s.db.R.WithContext(ctx)), tDemands, sc).Where("demands.id = ?", id).Take(&d).Error
	return d, mapErr(err)
}

// MoveDemand applies a checked transition to a demand within sc under its version.
// The caller has validated t with domain.CheckTransition against the status it showed;
// the version check makes sure that is still the stored status.
func (s *Service) MoveDemand(ctx context.Context, actor Actor, sc domain.Scope, id, version int64, t domain.Transition, today domain.Date) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before domain.Demand
		if err := onScope(tx.Table(tDemands), tDemands, sc).Where("demands.id = ?", id).Take(&before).Error; err != nil {
			return mapErr(err)
		}
		if before.Version != version {
			return ErrStale
		}
		if fe := domain.CheckTransition(before.Status, &t); len(fe) > 0 {
			return ErrStale
		}
		after := before
		after.Status, after.IsOpen = t.To, t.To.Open()
		vals := map[string]any{"status": string(t.To), "is_open": after.IsOpen, "version": version + 1, "updated_at": tx.NowFunc()}
		switch t.To {
		case domain.DemandClosed:
			after.Resolution, after.Satisfaction, after.ClosedOn = t.Resolution, t.Satisfaction, today
			vals["resolution"], vals["satisfaction"], vals["closed_on"] = t.Resolution, string(t.Satisfaction), today
		case domain.DemandReturned:
			after.ReturnReason = t.Reason
			vals["return_reason"] = t.Reason
		}
		res := tx.Table(tDemands).Where("id = ? AND version = ?", id, version).Updates(vals)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return WriteAudit(tx, actor, Audit{Action: "status", EntityType: "demand", EntityID: id, EnterpriseID: before.EnterpriseID,
			Summary: "诉求" + before.Status.Label() + " → " + t.To.Label(), Changes: Diff(demandSnapshot(before), demandSnapshot(after))})
	})
}

// RouteDemands sends open demands within sc to a department; pending ones are accepted
// (待受理 → 办理中) at the same time. Closed or returned ones are skipped. Returns how many moved.
func (s *Service) RouteDemands(ctx context.Context, actor Actor, sc domain.Scope, ids []int64, department string) (int, error) {
	n := 0
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var ds []domain.Demand
		if err := onScope(tx.Table(tDemands), tDemands, sc).Where("demands.id IN ? AND demands.is_open = ?", ids, true).
			Order("id").Find(&ds).Error; err != nil {
			return err
		}
		for _, before := range ds {
			after := before
			after.Department, after.Status = department, domain.DemandInProgress
			res := tx.Table(tDemands).Where("id = ? AND version = ?", before.ID, before.Version).Updates(map[string]any{
				"department": department, "status": string(domain.DemandInProgress), "is_open": true,
				"version": before.Version + 1, "updated_at": tx.NowFunc(),
			})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrStale
			}
			if err := WriteAudit(tx, actor, Audit{Action: "route", EntityType: "demand", EntityID: before.ID, EnterpriseID: before.EnterpriseID,
				Summary: "诉求转办至 " + department, Changes: Diff(demandSnapshot(before), demandSnapshot(after))}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// BoardFilter selects demands for the board. Status "" means open (待受理 and 办理中);
// "all" means every status.
type BoardFilter struct {
	Scope      domain.Scope
	Status     string
	Category   domain.DemandCategory
	District   string
	Department string
	Overdue    bool
	OnTime     bool   // open and not overdue
	Satisfied  string // a domain.Satisfaction, or "unrated": none of them
	Today      domain.Date
	Page       int
	PerPage    int
}

// BoardPage is one page of the board.
type BoardPage struct {
	Items   []DemandRow
	Total   int64
	Page    int
	PerPage int
}

func (p BoardPage) Pages() int {
	return int((p.Total + int64(p.PerPage) - 1) / int64(max(p.PerPage, 1)))
}

// Board lists demands by due date, most urgent first.
func (s *Service) Board(ctx context.Context, f BoardFilter) (BoardPage, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	page := BoardPage{Page: f.Page, PerPage: f.PerPage}
	q := func(g *gorm.DB) *gorm.DB {
		g = onScope(g, tDemands, f.Scope)
		if f.District != "" {
			g = g.Where("demands.district_code = ?", f.District)
		}
		switch st := domain.DemandStatus(f.Status); {
		case f.Overdue:
			g = g.Where("demands.is_open = ? AND demands.due_on < ?", true, f.Today)
			if st.Open() {
				g = g.Where("demands.status = ?", string(st))
			}
		case f.OnTime:
			g = g.Where("demands.is_open = ? AND demands.due_on >= ?", true, f.Today)
		case f.Status == "all":
		case st.Valid():
			g = g.Where("demands.status = ?", string(st))
		default:
			g = g.Where("demands.is_open = ?", true)
		}
		if f.Category != "" {
			g = g.Where("demands.category = ?", string(f.Category))
		}
		if f.Department != "" {
			g = g.Where("demands.department = ?", f.Department)
		}
		if domain.Satisfaction(f.Satisfied).Valid() {
			g = g.Where("demands.satisfaction = ?", f.Satisfied)
		} else if f.Satisfied == "unrated" {
			g = g.Where("demands.satisfaction NOT IN ?", []string{string(domain.Satisfied), string(domain.FairlySatisfied), string(domain.Dissatisfied)})
		}
		return g
	}
	r := s.db.R.WithContext(ctx)
	if where, args, ok := openTotalFilter(f); ok {
		// Open demands per district are counted by triggers (migration 0012): no memo,
		// which every recorded visit would drop, and no pass over the open demands.
		if err := r.Raw("SELECT COALESCE(SUM(n), 0) FROM open_demands WHERE "+where, args...).Row().Scan(&page.Total); err != nil {
			return page, err
		}
		return page, s.boardRows(r, f, q, &page)
	}
	countable := f
	countable.Page, countable.PerPage = 0, 0
	total, err := memoized(s.db.memo, memoKey("board", countable), []string{tDemands, tAssignments, tEnterprises}, func() (n int64, err error) {
		err = q(r.Table(tDemands)).Count(&n).Error
		return n, err
	})
	if err != nil {
		return page, err
	}
	page.Total = total
	return page, s.boardRows(r, f, q, &page)
}

// boardRows reads the page's rows of the board.
func (s *Service) boardRows(r *gorm.DB, f BoardFilter, q func(*gorm.DB) *gorm.DB, page *BoardPage) error {
	rows, err := q(r.Table(tDemands).Select(demandColsNamed).Joins("JOIN enterprises ON enterprises.id = demands.enterprise_id")).
		Order("demands.due_on").Order("demands.id").Limit(page.PerPage).Offset((page.Page - 1) * page.PerPage).Rows()
	page.Items, err = scanAll(rows, err, scanDemand)
	return err
}

// openTotalFilter is the condition on open_demands giving the board's total when f asks
// for all open demands of the city or a district; ok is false for any other filter,
// which is counted from the demands themselves.
func openTotalFilter(f BoardFilter) (where string, args []any, ok bool) {
	if f.Status != "" || f.Overdue || f.OnTime || f.Category != "" || f.Department != "" || f.Satisfied != "" {
		return "", nil, false
	}
	district := f.District
	switch sc := f.Scope; {
	case sc.All:
	case sc.District != "" && !sc.None:
		if district != "" && district != sc.District {
			return "1 = 0", nil, true
		}
		district = sc.District
	default:
		return "", nil, false
	}
	if district != "" {
		return "k = ?", []any{"d:" + district}, true
	}
	// Every district's row ("d:…") and no enterprise's ("e:…"); bounds of whole letters
	// hold in any collation (an ICU one orders "d:3…" after "d;").
	return "k >= 'd' AND k < 'e'", nil, true
}

// DueSoon lists open demands of a specialist's current enterprises due by until (overdue included), soonest first.
func (s *Service) DueSoon(ctx context.Context, specialistID int64, until domain.Date, limit int) ([]DemandRow, error) {
	// CROSS JOIN keeps SQLite driving from the specialist's few assignments instead of
	// walking every open demand in due order, and reading only the names of enterprises
	// with a demand due; PostgreSQL plans them as ordinary joins.
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT `+demandCols+` FROM assignments a
		CROSS JOIN demands d CROSS JOIN enterprises e
		WHERE d.enterprise_id = a.enterprise_id AND e.id = d.enterprise_id AND a.specialist_id = ? AND a.ended_at IS NULL
		AND d.is_open = ? AND d.due_on <= ?
		ORDER BY d.due_on, d.id LIMIT ?`, specialistID, true, until, limit).Rows()
	return scanAll(rows, err, scanDemand)
}

// ---- Coverage ----

// CoverageRow is one district's or specialist's visit coverage of enterprises at
// specialized and above.
type CoverageRow struct {
	Key        string // district code, or specialist id
	Name       string
	District   string
	Total      int64 // enterprises that must be served
	Quarter    int64 // visited since the quarter began
	Stale      int64 // not visited in the last N days
	Unassigned int64
}

// Percent is the share visited this quarter, in whole percent.
func (r CoverageRow) Percent() int {
	if r.Total == 0 {
		return 0
	}
	return int(r.Quarter * 100 / r.Total)
}

// coverageCols: visited since D is last_visit_on >= D (migration 0013); never visited is NULL.
const coverageCols = `COUNT(*) AS total,
	SUM(CASE WHEN enterprises.last_visit_on >= ? THEN 1 ELSE 0 END) AS quarter,
	SUM(CASE WHEN enterprises.last_visit_on >= ? THEN 0 ELSE 1 END) AS stale`

// CoverageByDistrict counts, per district within sc, enterprises at specialized and above,
// how many were visited this quarter, how many not in staleDays, and how many lack a specialist.
func (s *Service) CoverageByDistrict(ctx context.Context, sc domain.Scope, today domain.Date, staleDays int) ([]CoverageRow, error) {
	var rows []CoverageRow
	err := applyScope(s.db.R.WithContext(ctx).Table(tEnterprises), sc).
		Select(`enterprises.district_code AS key, `+coverageCols+`,
			SUM(CASE WHEN EXISTS (SELECT 1 FROM assignments a WHERE a.enterprise_id = enterprises.id AND a.ended_at IS NULL) THEN 0 ELSE 1 END) AS unassigned`,
			domain.QuarterStart(today), today.AddDays(-staleDays)).
		Where("enterprises.tier IN ?", []string{string(domain.TierSpecialized), string(domain.TierLittleGiant)}).
		Group("enterprises.district_code").Order("enterprises.district_code").Find(&rows).Error
	for i := range rows {
		rows[i].Name, rows[i].District = domain.DistrictName(rows[i].Key), rows[i].Key
	}
	return rows, err
}

// CoverageBySpecialist is the same per specialist (their current enterprises at specialized
// and above), within district ("" = all).
func (s *Service) CoverageBySpecialist(ctx context.Context, district string, today domain.Date, staleDays int) ([]CoverageRow, error) {
	var rows []CoverageRow
	q := s.db.R.WithContext(ctx).Table(tAssignments).
		Select(`assignments.specialist_id AS key, COALESCE(NULLIF(users.display_name, ''), users.username) AS name,
			users.district_code AS district, `+coverageCols, domain.QuarterStart(today), today.AddDays(-staleDays)).
		Joins("JOIN enterprises ON enterprises.id = assignments.enterprise_id").
		Joins("JOIN users ON users.id = assignments.specialist_id").
		Where("assignments.ended_at IS NULL").
		Where("enterprises.tier IN ?", []string{string(domain.TierSpecialized), string(domain.TierLittleGiant)})
	if district != "" {
		q = q.Where("enterprises.district_code = ?", district)
	}
	err := q.Group("assignments.specialist_id, users.display_name, users.username, users.district_code").
		Order("stale DESC").Order("assignments.specialist_id").Limit(1000).Find(&rows).Error
	return rows, err
}

// ---- Service days ----

// ServiceDayRow is a service day with how many enterprises were served and demands raised.
type ServiceDayRow struct {
	domain.ServiceDay
	Enterprises int64
	Demands     int64
}

// CreateServiceDay records a 专属服务日 and a visit of kind 专属服务日 for each enterprise
// served (all within sc), with their audit rows.
func (s *Service) CreateServiceDay(ctx context.Context, actor Actor, sc domain.Scope, d *domain.ServiceDay, enterpriseIDs []int64) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		d.CreatedBy, d.CreatedAt = actor.Name, tx.NowFunc()
		if err := tx.Table(tServiceDays).Create(d).Error; err != nil {
			return err
		}
		if err := WriteAudit(tx, actor, Audit{Action: "create", EntityType: "service_day", EntityID: d.ID,
			Summary: "登记专属服务日：" + d.Theme, Changes: Diff(nil, Snapshot{{"日期", d.HeldOn.String()},
				{"地点", d.Place}, {"主题", d.Theme}, {"服务企业数", strconv.Itoa(len(enterpriseIDs))}})}); err != nil {
			return err
		}
		for _, id := range enterpriseIDs {
			e, err := LoadEnterprise(tx, sc, id)
			if err != nil {
				return err
			}
			v := domain.Visit{EnterpriseID: e.ID, VisitedOn: d.HeldOn, Kind: domain.VisitServiceDay, ServiceDayID: &d.ID,
				Summary: "参加专属服务日：" + d.Theme, RecordedBy: actor.Name, CreatedAt: tx.NowFunc()}
			var cur []int64
			if err := tx.Table(tAssignments).Where("enterprise_id = ? AND ended_at IS NULL", e.ID).Pluck("specialist_id", &cur).Error; err != nil {
				return err
			}
			if len(cur) > 0 {
				v.SpecialistID = &cur[0]
			}
			if err := tx.Table(tVisits).Create(&v).Error; err != nil {
				return err
			}
			if err := WriteAudit(tx, actor, Audit{Action: "create", EntityType: "visit", EntityID: v.ID, EnterpriseID: e.ID,
				Summary: "专属服务日走访：" + d.Theme, Changes: Diff(nil, visitSnapshot(v))}); err != nil {
				return err
			}
		}
		return nil
	})
}

// ServiceDays lists service days newest first, those of sc's district and city-wide ones
// (or all for a city-wide scope).
func (s *Service) ServiceDays(ctx context.Context, sc domain.Scope, limit int) ([]ServiceDayRow, error) {
	var rows []ServiceDayRow
	q := s.db.R.WithContext(ctx).Table(tServiceDays).Select(`service_days.*,
		(SELECT COUNT(DISTINCT enterprise_id) FROM visits WHERE visits.service_day_id = service_days.id) AS enterprises,
		(SELECT COUNT(*) FROM demands JOIN visits ON visits.id = demands.visit_id WHERE visits.service_day_id = service_days.id) AS demands`)
	if !sc.All && sc.District != "" {
		q = q.Where("district_code IN ?", []string{sc.District, ""})
	}
	err := q.Order("held_on DESC").Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// RecentServiceDays lists service days for pickers, newest first, without the counts.
func (s *Service) RecentServiceDays(ctx context.Context, sc domain.Scope, limit int) ([]ServiceDayRow, error) {
	var rows []ServiceDayRow
	q := s.db.R.WithContext(ctx).Table(tServiceDays)
	if !sc.All && sc.District != "" {
		q = q.Where("district_code IN ?", []string{sc.District, ""})
	}
	err := q.Order("held_on DESC").Order("id DESC").Limit(limit).Find(&rows).Error
	return rows, err
}

// ServiceDay loads one service day.
func (s *Service) ServiceDay(ctx context.Context, id int64) (domain.ServiceDay, error) {
	var d domain.ServiceDay
	err := s.db.R.WithContext(ctx).Table(tServiceDays).Where("id = ?", id).Take(&d).Error
	return d, mapErr(err)
}

// ServiceDayVisits lists the visits of a service day within sc.
func (s *Service) ServiceDayVisits(ctx context.Context, sc domain.Scope, id int64) ([]VisitRow, error) {
	var vs []VisitRow
	err := onScope(s.visitRows(ctx), tVisits, sc).Where("visits.service_day_id = ?", id).
		Order("enterprises.name").Limit(1000).Find(&vs).Error
	return vs, err
}

// ServiceDayDemands lists demands raised at a service day within sc.
func (s *Service) ServiceDayDemands(ctx context.Context, sc domain.Scope, id int64) ([]DemandRow, error) {
	var ds []DemandRow
	err := onScope(s.demandRows(s.db.R.WithContext(ctx)), tDemands, sc).
		Where("demands.visit_id IN (SELECT id FROM visits WHERE service_day_id = ?)", id).
		Order("demands.id").Limit(1000).Find(&ds).Error
	return ds, err
}

// AssignedEnterprises lists a specialist's current enterprises (id and name), for pickers.
func (s *Service) AssignedEnterprises(ctx context.Context, specialistID int64) ([]domain.Enterprise, error) {
	var es []domain.Enterprise
	err := s.db.R.WithContext(ctx).Table(tEnterprises).Select("id", "name", "district_code", "tier").
		Where("id IN (SELECT enterprise_id FROM assignments WHERE specialist_id = ? AND ended_at IS NULL)", specialistID).
		Order("name").Limit(2000).Find(&es).Error
	return es, err
}
