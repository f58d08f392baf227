package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strings"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Requests stores enterprises' update requests (变更申请), their evidence files and the
// portal's field policy, and applies approved requests to the registry.
type Requests struct{ db *DB }

func NewRequests(db *DB) *Requests { return &Requests{db: db} }

const (
	tRequests = "update_requests"
	tItems    = "update_request_items"
	tFiles    = "update_request_files"
	tPolicy   = "portal_field_policy"
)

// ErrRequestState: the request is not in a status that allows the action.
var ErrRequestState = errors.New("request state")

// ReviewConflict is an approval refused because registry values changed after the
// request was made; Items carry the current values. Nothing was written.
type ReviewConflict struct{ Items []domain.RequestItem }

func (e *ReviewConflict) Error() string { return fmt.Sprintf("%d conflicting fields", len(e.Items)) }

// ReviewInvalid is an approval whose result would not be valid registry data.
type ReviewInvalid struct{ Fields domain.FieldErrors }

func (e *ReviewInvalid) Error() string { return "invalid approval" }

// loadRequest reads a request whose enterprise sc may see.
func loadRequest(g *gorm.DB, sc domain.Scope, id int64) (domain.UpdateRequest, error) {
	var r domain.UpdateRequest
	q := applyScope(g.Table(tRequests).Select(tRequests+".*").
		Joins("JOIN enterprises ON enterprises.id = "+tRequests+".enterprise_id"), sc)
	err := q.Where(tRequests+".id = ?", id).Take(&r).Error
	return r, mapErr(err)
}

func loadItems(g *gorm.DB, requestID int64) ([]domain.RequestItem, error) {
	var items []domain.RequestItem
	err := g.Table(tItems).Where("request_id = ?", requestID).Order("id").Find(&items).Error
	return items, err
}

// fileColumns leave the blob out of listings.
var fileColumns = []string{"id", "request_id", "field", "filename", "content_type", "size", "sha256", "uploaded_by", "created_at"}

// Get loads a request the scope may see, with its items and its files (without content).
func (s *Requests) Get(ctx context.Context, sc domain.Scope, id int64) (domain.UpdateRequest, error) {
	g := s.db.R.WithContext(ctx)
	r, err := loadRequest(g, sc, id)
	if err != nil {
		return r, err
	}
	if r.Items, err = loadItems(g, id); err != nil {
		return r, err
	}
	err = g.Table(tFiles).Select(fileColumns).Where("request_id = ?", id).Order("id").Find(&r.Files).Error
	return r, err
}

// Save stores the enterprise's proposal: a new request (r.ID == 0) or a new version of an
// editable one (r.Version must match). submit sends it to review; otherwise it stays a
// draft. The items replace the previous ones; their base values are the registry's now.
func (s *Requests) Save(ctx context.Context, actor Actor, sc domain.Scope, r *domain.UpdateRequest, submit bool) error {
	status := domain.RequestDraft
	if submit {
		status = domain.RequestSubmitted
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if _, err := LoadEnterprise(tx, sc, r.EnterpriseID); err != nil {
			return err
		}
		now := tx.NowFunc()
		var submittedAt *time.Time
		if submit {
			submittedAt = &now
		}
		action := "create"
		if r.ID == 0 {
			r.Status, r.Version, r.CreatedAt, r.UpdatedAt, r.SubmittedAt = status, 1, now, now, submittedAt
			if actor.UserID != 0 {
				r.CreatedBy = &actor.UserID
			}
			r.CreatedName = actor.Name
			if err := tx.Table(tRequests).Create(r).Error; err != nil {
				return err
			}
		} else {
			cur, err := loadRequest(tx, sc, r.ID)
			if err != nil {
				return err
			}
			if cur.EnterpriseID != r.EnterpriseID {
				return ErrNotFound
			}
			if !domain.CanMoveRequest(cur.Status, status) {
				return ErrRequestState
			}
			res := tx.Table(tRequests).Where("id = ? AND version = ?", r.ID, r.Version).Updates(map[string]any{
				"status": string(status), "year": r.Year, "note": r.Note, "submitted_at": submittedAt,
				"version": r.Version + 1, "updated_at": now,
			})
			if res.Error != nil {
				return res.Error
			}
			if res.RowsAffected == 0 {
				return ErrStale
			}
			if err := tx.Table(tItems).Where("request_id = ?", r.ID).Delete(&domain.RequestItem{}).Error; err != nil {
				return err
			}
			r.Status, r.Version, r.UpdatedAt, r.SubmittedAt = status, r.Version+1, now, submittedAt
			action = "update"
		}
		for i := range r.Items {
			r.Items[i].ID, r.Items[i].RequestID, r.Items[i].Outcome, r.Items[i].Current = 0, r.ID, "", nil
		}
		if len(r.Items) > 0 {
			if err := tx.Table(tItems).Create(&r.Items).Error; err != nil {
				return err
			}
		}
		summary := fmt.Sprintf("保存变更申请 #%d 草稿（%d 项）", r.ID, len(r.Items))
		if submit {
			action, summary = "submit", fmt.Sprintf("提交变更申请 #%d（%d 项）", r.ID, len(r.Items))
		}
		return WriteAudit(tx, actor, Audit{Action: action, EntityType: "update_request", EntityID: r.ID,
			EnterpriseID: r.EnterpriseID, Summary: summary, Changes: itemChanges(r.Items)})
	})
}

// itemChanges lists proposed fields as the audit log shows them.
func itemChanges(items []domain.RequestItem) []Change {
	cs := make([]Change, 0, len(items))
	for _, it := range items {
		label := it.Field
		if f, ok := domain.LookupPortalField(it.Field); ok {
			label = f.Label
		}
		after := domain.DisplayValue(it.Field, it.NewValue)
		if o := domain.ItemOutcomeLabel(it.Outcome); o != "" {
			after += "（" + o + "）"
		}
		cs = append(cs, Change{Field: label, Before: domain.DisplayValue(it.Field, it.BaseValue), After: after})
	}
	return cs
}

// Submit sends an editable request to review as it stands.
func (s *Requests) Submit(ctx context.Context, actor Actor, sc domain.Scope, id, version int64) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := loadRequest(tx, sc, id)
		if err != nil {
			return err
		}
		if !domain.CanMoveRequest(r.Status, domain.RequestSubmitted) {
			return ErrRequestState
		}
		var n int64
		if err := tx.Table(tItems).Where("request_id = ?", id).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return &ReviewInvalid{domain.FieldErrors{"items": "申请中没有需要审核的变更"}}
		}
		now := tx.NowFunc()
		res := tx.Table(tRequests).Where("id = ? AND version = ?", id, version).Updates(map[string]any{
			"status": string(domain.RequestSubmitted), "submitted_at": now, "version": version + 1, "updated_at": now})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		return WriteAudit(tx, actor, Audit{Action: "submit", EntityType: "update_request", EntityID: id,
			EnterpriseID: r.EnterpriseID, Summary: fmt.Sprintf("提交变更申请 #%d（%d 项）", id, n)})
	})
}

// Approve applies the chosen fields of a submitted request in one transaction, each
// registry write audited with the request's number; the other fields are not applied.
// A chosen field whose registry value changed since the request was made refuses the
// whole approval with *ReviewConflict; a result that would be invalid, with *ReviewInvalid.
func (s *Requests) Approve(ctx context.Context, actor Actor, sc domain.Scope, id, version int64, fields []string, note string, today domain.Date) error {
	chosen := map[string]bool{}
	for _, f := range fields {
		chosen[f] = true
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := loadRequest(tx, sc, id)
		if err != nil {
			return err
		}
		if r.Status != domain.RequestSubmitted {
			return ErrRequestState
		}
		if r.Version != version {
			return ErrStale
		}
		items, err := loadItems(tx, id)
		if err != nil {
			return err
		}
		e, err := LoadEnterprise(tx, domain.Scope{All: true}, r.EnterpriseID)
		if err != nil {
			return err
		}
		var year *domain.YearFigures
		if r.Year != nil {
			var ys []domain.YearFigures
			if err := tx.Table(tYears).Where("enterprise_id = ? AND year = ?", e.ID, *r.Year).Find(&ys).Error; err != nil {
				return err
			}
			if len(ys) == 1 {
				year = &ys[0]
			}
		}
		var conflicts []domain.RequestItem
		n := 0
		for i := range items {
			it := &items[i]
			cur := domain.CurrentValue(e, year, it.Field)
			conflict := !domain.SameValue(cur, it.BaseValue)
			switch {
			case chosen[it.Field] && conflict:
				it.Current, it.Outcome = cur, domain.OutcomeItemConflict
				conflicts = append(conflicts, *it)
			case chosen[it.Field]:
				it.Outcome = domain.OutcomeItemApproved
				n++
			case conflict:
				it.Current, it.Outcome = cur, domain.OutcomeItemConflict
			default:
				it.Outcome = domain.OutcomeItemRejected
			}
		}
		if len(conflicts) > 0 {
			return &ReviewConflict{Items: conflicts}
		}
		if n == 0 {
			return &ReviewInvalid{domain.FieldErrors{"fields": "请至少勾选一项予以采纳；全部不采纳请“退回”并说明理由"}}
		}
		ne := e
		var ny domain.YearFigures
		if year != nil {
			ny = *year
		} else if r.Year != nil {
			ny = domain.YearFigures{EnterpriseID: e.ID, Year: *r.Year}
		}
		profile, figures := false, false
		for _, it := range items {
			if it.Outcome != domain.OutcomeItemApproved {
				continue
			}
			if err := domain.ApplyItem(&ne, &ny, it); err != nil {
				return err
			}
			if strings.HasPrefix(it.Field, domain.YearKeyPrefix) {
				figures = true
			} else {
				profile = true
			}
		}
		invalid := domain.FieldErrors{}
		if profile {
			for k, m := range ne.Validate(today) {
				invalid.Add(k, m)
			}
		}
		if figures {
			for k, m := range ny.Validate(today) {
				invalid.Add(domain.YearKeyPrefix+k, m)
			}
		}
		if len(invalid) > 0 {
			return &ReviewInvalid{invalid}
		}
		if profile {
			if err := UpdateEnterprise(tx, &ne); err != nil {
				return err
			}
			if err := WriteAudit(tx, actor, Audit{Action: "update", EntityType: "enterprise", EntityID: e.ID, EnterpriseID: e.ID,
				Summary: fmt.Sprintf("依变更申请 #%d 修改企业资料", id), Changes: Diff(EnterpriseSnapshot(e), EnterpriseSnapshot(ne))}); err != nil {
				return err
			}
		}
		if figures {
			var before Snapshot
			action, summary := "create", fmt.Sprintf("依变更申请 #%d 新增 %d 年度数据", id, ny.Year)
			if year != nil {
				before = YearSnapshot(*year)
				action, summary = "update", fmt.Sprintf("依变更申请 #%d 更正 %d 年度数据", id, ny.Year)
			}
			if err := SaveYear(tx, &ny); err != nil {
				return err
			}
			if err := WriteAudit(tx, actor, Audit{Action: action, EntityType: "year_figures", EntityID: ny.ID, EnterpriseID: e.ID,
				Summary: summary, Changes: Diff(before, YearSnapshot(ny))}); err != nil {
				return err
			}
		}
		status := domain.RequestApproved
		if n < len(items) {
			status = domain.RequestPartial
		}
		if err := finishReview(tx, actor, &r, status, strings.TrimSpace(note)); err != nil {
			return err
		}
		for _, it := range items {
			if err := tx.Table(tItems).Where("id = ?", it.ID).
				Updates(map[string]any{"outcome": it.Outcome, "current_value": it.Current}).Error; err != nil {
				return err
			}
		}
		return WriteAudit(tx, actor, Audit{Action: "approve", EntityType: "update_request", EntityID: id, EnterpriseID: e.ID,
			Summary: fmt.Sprintf("审核变更申请 #%d：%s（采纳 %d / %d 项）", id, status.Label(), n, len(items)), Changes: itemChanges(items)})
	})
}

func finishReview(tx *gorm.DB, actor Actor, r *domain.UpdateRequest, status domain.RequestStatus, reason string) error {
	now := tx.NowFunc()
	vals := map[string]any{"status": string(status), "reviewer_name": actor.Name, "reviewed_at": now,
		"reason": reason, "version": r.Version + 1, "updated_at": now}
	if actor.UserID != 0 {
		vals["reviewer_id"] = actor.UserID
	}
	res := tx.Table(tRequests).Where("id = ? AND version = ?", r.ID, r.Version).Updates(vals)
	if res.Error != nil {
		return res.Error
	}
	if res.RowsAffected == 0 {
		return ErrStale
	}
	r.Status, r.Version = status, r.Version+1
	return nil
}

// Return sends a submitted request back to the enterprise with a reason; it may edit and resubmit.
func (s *Requests) Return(ctx context.Context, actor Actor, sc domain.Scope, id, version int64, reason string) error {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return &ReviewInvalid{domain.FieldErrors{"reason": "请填写退回理由，企业将看到该理由"}}
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := loadRequest(tx, sc, id)
		if err != nil {
			return err
		}
		if r.Status != domain.RequestSubmitted {
			return ErrRequestState
		}
		if r.Version != version {
			return ErrStale
		}
		if err := finishReview(tx, actor, &r, domain.RequestReturned, reason); err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "return", EntityType: "update_request", EntityID: id, EnterpriseID: r.EnterpriseID,
			Summary: fmt.Sprintf("退回变更申请 #%d：%s", id, reason)})
	})
}

// AddFile attaches an evidence file (already checked by domain.CheckEvidence) to an editable request.
func (s *Requests) AddFile(ctx context.Context, actor Actor, sc domain.Scope, f *domain.RequestFile) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		r, err := loadRequest(tx, sc, f.RequestID)
		if err != nil {
			return err
		}
		if !r.Status.Editable() {
			return ErrRequestState
		}
		f.ID, f.UploadedBy, f.CreatedAt = 0, actor.Name, tx.NowFunc()
		f.Size = int64(len(f.Data))
		if err := tx.Table(tFiles).Create(f).Error; err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "upload", EntityType: "update_request", EntityID: r.ID, EnterpriseID: r.EnterpriseID,
			Summary: fmt.Sprintf("变更申请 #%d 上传证明材料 %s（%d 字节，SHA-256 %s）", r.ID, f.Filename, f.Size, f.SHA256)})
	})
}

// File reads one evidence file, content included, of a request the scope may see.
func (s *Requests) File(ctx context.Context, sc domain.Scope, requestID, fileID int64) (domain.RequestFile, error) {
	g := s.db.R.WithContext(ctx)
	var f domain.RequestFile
	if _, err := loadRequest(g, sc, requestID); err != nil {
		return f, err
	}
	err := g.Table(tFiles).Where("id = ? AND request_id = ?", fileID, requestID).Take(&f).Error
	return f, mapErr(err)
}

// RequestFilter selects requests.
type RequestFilter struct {
	Scope        domain.Scope
	EnterpriseID int64
	Statuses     []domain.RequestStatus
	Page         int
	PerPage      int
}

// RequestRow is a request in a list, with its enterprise.
type RequestRow struct {
	domain.UpdateRequest
	EnterpriseName string
	USCC           string
	DistrictCode   string
	ItemCount      int
}

// List returns requests newest first, and the total.
func (s *Requests) List(ctx context.Context, f RequestFilter) ([]RequestRow, int64, error) {
	q := s.listQuery(ctx, &f)
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	rows, err := s.listPage(q, f)
	return rows, total, err
}

// Recent is List without the total, for pages that show only the newest few.
func (s *Requests) Recent(ctx context.Context, f RequestFilter) ([]RequestRow, error) {
	return s.listPage(s.listQuery(ctx, &f), f)
}

// listQuery selects the requests f asks for; it settles f's paging.
func (s *Requests) listQuery(ctx context.Context, f *RequestFilter) *gorm.DB {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	q := applyScope(s.db.R.WithContext(ctx).Table(tRequests).
		Joins("JOIN enterprises ON enterprises.id = "+tRequests+".enterprise_id"), f.Scope)
	if f.EnterpriseID != 0 {
		q = q.Where(tRequests+".enterprise_id = ?", f.EnterpriseID)
	}
	if len(f.Statuses) > 0 {
		ss := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			ss[i] = string(st)
		}
		q = q.Where(tRequests+".status IN ?", ss)
	}
	return q
}

func (s *Requests) listPage(q *gorm.DB, f RequestFilter) ([]RequestRow, error) {
	var rows []RequestRow
	err := q.Select(tRequests + ".*, enterprises.name AS enterprise_name, enterprises.uscc AS uscc, " +
		"enterprises.district_code AS district_code, " +
		"(SELECT COUNT(*) FROM " + tItems + " i WHERE i.request_id = " + tRequests + ".id) AS item_count").
		Order(tRequests + ".id DESC").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error
	return rows, err
}

type policyRow struct {
	Field     string
	Direct    bool
	UpdatedBy string
	UpdatedAt time.Time
}

// Policy reads which fields enterprises change directly. Every portal page asks and an
// administrator seldom changes it, so it is memoized; the caller gets its own copy.
func (s *Requests) Policy(ctx context.Context) (domain.FieldPolicy, error) {
	p, err := memoized(s.db.memo, "portal-field-policy", []string{tPolicy}, func() (domain.FieldPolicy, error) {
		rows, err := s.db.R.WithContext(ctx).Raw("SELECT field, direct FROM " + tPolicy).Rows()
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		p := domain.FieldPolicy{}
		for rows.Next() {
			var field string
			var direct bool
			if err := rows.Scan(&field, &direct); err != nil {
				return nil, err
			}
			p[field] = direct
		}
		return p, rows.Err()
	})
	return maps.Clone(p), err
}

// PolicyStale refuses a policy save made from a page showing a policy someone has
// changed since; Current is the policy as stored now.
type PolicyStale struct{ Current domain.FieldPolicy }

func (e *PolicyStale) Error() string { return "field policy changed since it was read" }
func (e *PolicyStale) Unwrap() error { return ErrStale }

// SetPolicy stores the policy for every direct-capable field and audits what changed.
// base is the policy the editor was shown: if the stored one differs from it on any
// direct-capable field, nothing is written and a *PolicyStale is returned, so one
// administrator's save cannot silently revert another's.
func (s *Requests) SetPolicy(ctx context.Context, actor Actor, base, p domain.FieldPolicy) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if s.db.Dialect == Postgres {
			// The policy is several rows, some maybe absent: a row lock cannot cover it.
			if err := tx.Exec("SELECT pg_advisory_xact_lock(7346202)").Error; err != nil {
				return err
			}
		}
		var rows []policyRow
		if err := tx.Table(tPolicy).Find(&rows).Error; err != nil {
			return err
		}
		old := domain.FieldPolicy{}
		for _, r := range rows {
			old[r.Field] = r.Direct
		}
		for _, f := range domain.ProfileFields {
			if f.DirectCapable && old.Direct(f.Key) != base.Direct(f.Key) {
				return &PolicyStale{Current: old}
			}
		}
		var changes []Change
		now := tx.NowFunc()
		for _, f := range domain.ProfileFields {
			if !f.DirectCapable || old[f.Key] == p[f.Key] {
				continue
			}
			changes = append(changes, Change{Field: f.Label, Before: domain.DirectLabel(old[f.Key]), After: domain.DirectLabel(p[f.Key])})
			if err := tx.Table(tPolicy).Where("field = ?", f.Key).Delete(&policyRow{}).Error; err != nil {
				return err
			}
			if err := tx.Table(tPolicy).Create(&policyRow{Field: f.Key, Direct: p[f.Key], UpdatedBy: actor.Name, UpdatedAt: now}).Error; err != nil {
				return err
			}
		}
		if len(changes) == 0 {
			return nil
		}
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "portal_field_policy", Summary: "修改企业免审字段清单", Changes: changes})
	})
}

// Contact is a person an enterprise can reach.
type Contact struct {
	Name  string
	Phone string
}

// Specialist is the enterprise's current 服务专员 (the open assignment), if any.
func (s *Requests) Specialist(ctx context.Context, enterpriseID int64) (*Contact, error) {
	var c Contact
	found, err := scanOne(s.db.R.WithContext(ctx),
		`SELECT CASE WHEN u.display_name <> '' THEN u.display_name ELSE u.username END, u.phone
 FROM assignments a JOIN users u ON u.id = a.specialist_id
 WHERE a.enterprise_id = ? AND a.ended_at IS NULL ORDER BY a.id DESC LIMIT 1`,
		[]any{enterpriseID}, []any{&c.Name, &c.Phone})
	if err != nil || !found {
		return nil, err
	}
	return &c, nil
}

// PortalDemand is one of the enterprise's demands (诉求), as the service module keeps them.
type PortalDemand struct {
	ID          int64
	Category    string
	Description string
	Status      string
	RaisedOn    domain.Date
	DueOn       domain.Date
}

// Demands lists the enterprise's demands (at most 20), newest first. The newest ids are
// picked from the enterprise index alone (on SQLite it holds the rowid), so only the 20
// rows shown are read, not all of a busy enterprise's demands.
func (s *Requests) Demands(ctx context.Context, enterpriseID int64) ([]PortalDemand, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT id, category, description, status, raised_on, due_on
 FROM demands WHERE id IN (SELECT id FROM demands WHERE enterprise_id = ? ORDER BY id DESC LIMIT 20)
 ORDER BY id DESC`, enterpriseID).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ds []PortalDemand
	for rows.Next() {
		var d PortalDemand
		if err := rows.Scan(&d.ID, &d.Category, &d.Description, &d.Status, &d.RaisedOn, &d.DueOn); err != nil {
			return nil, err
		}
		ds = append(ds, d)
	}
	return ds, rows.Err()
}

// AnnualTiers are the tiers that owe annual figures.
var AnnualTiers = []string{string(domain.TierInnovative), string(domain.TierSpecialized), string(domain.TierLittleGiant)}

// MissingAnnual lists enterprises in scope at innovative or above with no figures on
// record for year, by name, and the total; pending holds the ids of those with a
// request for that year awaiting review.
func (s *Requests) MissingAnnual(ctx context.Context, sc domain.Scope, year, page, perPage int) (items []domain.Enterprise, total int64, pending map[int64]bool, err error) {
	if perPage <= 0 || perPage > 200 {
		perPage = 50
	}
	if page < 1 {
		page = 1
	}
	g := s.db.R.WithContext(ctx)
	q := applyScope(g.Table(tEnterprises), sc).Where("tier IN ?", AnnualTiers).
		Where("NOT EXISTS (SELECT 1 FROM "+tYears+" y WHERE y.enterprise_id = enterprises.id AND y.year = ?)", year)
	if err = q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return
	}
	if err = q.Select(listColumns).Order("name").Order("id").Limit(perPage).Offset((page - 1) * perPage).Find(&items).Error; err != nil {
		return
	}
	pending = map[int64]bool{}
	if len(items) == 0 {
		return
	}
	ids := make([]int64, len(items))
	for i, e := range items {
		ids[i] = e.ID
	}
	var withReq []int64
	err = g.Table(tRequests).Where("enterprise_id IN ? AND year = ? AND status = ?", ids, year, string(domain.RequestSubmitted)).
		Distinct().Pluck("enterprise_id", &withReq).Error
	for _, id := range withReq {
		pending[id] = true
	}
	return
}
