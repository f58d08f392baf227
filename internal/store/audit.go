package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"gorm.io/gorm"
)

// Actor is who performs a write, recorded in the audit log.
type Actor struct {
	UserID    int64
	Name      string
	RequestID string
	IP        string
}

// System is the actor for writes made by the program itself (demo data, expiry jobs).
var System = Actor{Name: "系统"}

// Change is one field's before and after, as displayed.
type Change struct {
	Field  string `json:"field"`
	Before string `json:"before"`
	After  string `json:"after"`
}

// AuditEntry is one append-only audit row.
type AuditEntry struct {
	ID           int64
	At           time.Time
	ActorID      *int64
	ActorName    string
	Action       string
	EntityType   string
	EntityID     *int64
	EnterpriseID *int64
	Summary      string
	Changes      string // JSON array of Change
	RequestID    string
	IP           string
}

// ChangeList decodes Changes.
func (a AuditEntry) ChangeList() []Change {
	var cs []Change
	_ = json.Unmarshal([]byte(a.Changes), &cs)
	return cs
}

const tAudit = "audit_log"

// Audit describes a write for WriteAudit.
type Audit struct {
	Action       string // create, update, delete, login, …
	EntityType   string
	EntityID     int64
	EnterpriseID int64 // 0 when the entity is not about one enterprise
	Summary      string
	Changes      []Change
}

// WriteAudit appends a row inside the caller's transaction, so the audit and the write commit together.
func WriteAudit(tx *gorm.DB, actor Actor, a Audit) error {
	row := AuditEntry{
		At: tx.NowFunc(), ActorName: actor.Name, Action: a.Action, EntityType: a.EntityType,
		Summary: a.Summary, RequestID: actor.RequestID, IP: actor.IP,
	}
	if actor.UserID != 0 {
		row.ActorID = &actor.UserID
	}
	if a.EntityID != 0 {
		row.EntityID = &a.EntityID
	}
	if a.EnterpriseID != 0 {
		row.EnterpriseID = &a.EnterpriseID
	}
	if len(a.Changes) > 0 {
		b, err := json.Marshal(a.Changes)
		if err != nil {
			return err
		}
		row.Changes = string(b)
	}
	return tx.Table(tAudit).Create(&row).Error
}

// Snapshot is a record as the audit log shows it: labelled display values in form order.
type Snapshot []Field

// Field is one labelled value of a Snapshot.
type Field struct{ Label, Value string }

// add appends a field; snapshots are built in the order forms show them.
func (s *Snapshot) add(label, value string) { *s = append(*s, Field{label, value}) }

func (s Snapshot) get(label string) (string, bool) {
	for _, f := range s {
		if f.Label == label {
			return f.Value, true
		}
	}
	return "", false
}

// Diff lists the fields whose values differ between two snapshots, in after's order.
func Diff(before, after Snapshot) []Change {
	var cs []Change
	for _, f := range after {
		if b, _ := before.get(f.Label); b != f.Value {
			cs = append(cs, Change{Field: f.Label, Before: b, After: f.Value})
		}
	}
	for _, f := range before {
		if _, ok := after.get(f.Label); !ok && f.Value != "" {
			cs = append(cs, Change{Field: f.Label, Before: f.Value})
		}
	}
	return cs
}

// AuditFilter selects audit rows.
type AuditFilter struct {
	EnterpriseID int64
	ActorID      int64
	EntityType   string
	Action       string
	From, To     time.Time // To is exclusive
	Page         int
	PerPage      int
}

// AuditLog reads the audit trail.
type AuditLog struct{ db *DB }

func NewAuditLog(db *DB) *AuditLog { return &AuditLog{db: db} }

// List returns matching rows newest first, and the total.
func (s *AuditLog) List(ctx context.Context, f AuditFilter) ([]AuditEntry, int64, error) {
	if f.PerPage <= 0 || f.PerPage > 200 {
		f.PerPage = 50
	}
	if f.Page < 1 {
		f.Page = 1
	}
	q := s.db.R.WithContext(ctx).Table(tAudit)
	if f.EnterpriseID != 0 {
		q = q.Where("enterprise_id = ?", f.EnterpriseID)
	}
	if f.ActorID != 0 {
		q = q.Where("actor_id = ?", f.ActorID)
	}
	if f.EntityType != "" {
		q = q.Where("entity_type = ?", f.EntityType)
	}
	if f.Action != "" {
		q = q.Where("action = ?", f.Action)
	}
	if !f.From.IsZero() {
		q = q.Where("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("at < ?", f.To)
	}
	var total int64
	if err := q.Session(&gorm.Session{}).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	var rows []AuditEntry
	err := q.Order("id DESC").Limit(f.PerPage).Offset((f.Page - 1) * f.PerPage).Find(&rows).Error
	return rows, total, err
}

// Recent is an enterprise's latest n audit rows, newest first, without the total that
// List counts: the enterprise page shows the rows only.
func (s *AuditLog) Recent(ctx context.Context, enterpriseID int64, n int) ([]AuditEntry, error) {
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT id, at, actor_id, actor_name, action, entity_type, entity_id,
 enterprise_id, summary, changes, request_id, ip FROM audit_log WHERE enterprise_id = ? ORDER BY id DESC LIMIT ?`,
		enterpriseID, n).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([]AuditEntry, 0)
	for rows.Next() {
		var a AuditEntry
		var actor, entity, enterprise sql.NullInt64
		if err := rows.Scan(&a.ID, &a.At, &actor, &a.ActorName, &a.Action, &a.EntityType, &entity,
			&enterprise, &a.Summary, &a.Changes, &a.RequestID, &a.IP); err != nil {
			return nil, err
		}
		a.ActorID, a.EntityID, a.EnterpriseID = intP(actor), intP(entity), intP(enterprise)
		out = append(out, a)
	}
	return out, rows.Err()
}
