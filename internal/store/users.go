package store

import (
	"context"
	"database/sql"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Users stores accounts, sessions and login failures.
type Users struct{ db *DB }

func NewUsers(db *DB) *Users { return &Users{db: db} }

const (
	tUsers         = "users"
	tSessions      = "sessions"
	tLoginFailures = "login_failures"
)

// Get loads a user by id.
func (s *Users) Get(ctx context.Context, id int64) (domain.User, error) {
	var u domain.User
	err := s.db.R.WithContext(ctx).Table(tUsers).Where("id = ?", id).Take(&u).Error
	return u, mapErr(err)
}

// GetByUsername loads a user by login name.
func (s *Users) GetByUsername(ctx context.Context, username string) (domain.User, error) {
	var u domain.User
	err := s.db.R.WithContext(ctx).Table(tUsers).Where("username = ?", username).Take(&u).Error
	return u, mapErr(err)
}

// UserFilter selects users for the admin list.
type UserFilter struct {
	Role     domain.Role
	District string
	Query    string
}

// List returns users ordered by role then username.
func (s *Users) List(ctx context.Context, f UserFilter) ([]domain.User, error) {
	q := s.db.R.WithContext(ctx).Table(tUsers)
	if f.Role != "" {
		q = q.Where("role = ?", string(f.Role))
	}
	if f.District != "" {
		q = q.Where("district_code = ?", f.District)
	}
	if f.Query != "" {
		like := "%" + escapeLike(f.Query) + "%"
		q = q.Where("username LIKE ? ESCAPE '\\' OR display_name LIKE ? ESCAPE '\\'", like, like)
	}
	var us []domain.User
	err := q.Order("role").Order("username").Limit(1000).Find(&us).Error
	return us, err
}

// Create adds an account (PasswordHash already set); a taken username gives ErrConflict.
func (s *Users) Create(ctx context.Context, actor Actor, u *domain.User) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		if err := CreateUser(tx, u); err != nil {
			return err
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "user", EntityID: u.ID,
			Summary: "创建用户 " + u.Username, Changes: Diff(nil, userSnapshot(*u))})
	})
}

// CreateUser inserts within a caller's transaction.
func CreateUser(tx *gorm.DB, u *domain.User) error {
	u.Version = 1
	now := tx.NowFunc()
	u.CreatedAt, u.UpdatedAt = now, now
	return mapErr(tx.Table(tUsers).Create(u).Error)
}

// Update saves role, binding, name, phone and the disabled flag under the version check.
// Disabling an account ends its sessions in the same transaction.
func (s *Users) Update(ctx context.Context, actor Actor, u *domain.User) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before domain.User
		if err := tx.Table(tUsers).Where("id = ?", u.ID).Take(&before).Error; err != nil {
			return mapErr(err)
		}
		res := tx.Table(tUsers).Where("id = ? AND version = ?", u.ID, u.Version).Updates(map[string]any{
			"display_name": u.DisplayName, "role": string(u.Role), "district_code": u.DistrictCode,
			"enterprise_id": u.EnterpriseID, "phone": u.Phone, "disabled": u.Disabled,
			"version": u.Version + 1, "updated_at": tx.NowFunc(),
		})
		if err := mapErr(res.Error); err != nil {
			return err
		}
		if res.RowsAffected == 0 {
			return ErrStale
		}
		u.Version++
		if u.Disabled || u.Role != before.Role {
			if err := tx.Table(tSessions).Where("user_id = ?", u.ID).Delete(nil).Error; err != nil {
				return err
			}
		}
		return WriteAudit(tx, actor, Audit{Action: "update", EntityType: "user", EntityID: u.ID,
			Summary: "修改用户 " + before.Username, Changes: Diff(userSnapshot(before), userSnapshot(*u))})
	})
}

// SetPassword stores a new hash, ends the user's other sessions (keepSession, if any,
// survives) and records whether the user must change it at next login.
func (s *Users) SetPassword(ctx context.Context, actor Actor, userID int64, hash string, mustChange bool, keepSession string) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Table(tUsers).Where("id = ?", userID).Updates(map[string]any{
			"password_hash": hash, "must_change_password": mustChange, "updated_at": tx.NowFunc(),
			"version": gorm.Expr("version + 1"),
		})
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := tx.Table(tSessions).Where("user_id = ? AND id <> ?", userID, keepSession).Delete(nil).Error; err != nil {
			return err
		}
		summary := "修改密码"
		if mustChange {
			summary = "重置密码"
		}
		return WriteAudit(tx, actor, Audit{Action: "password", EntityType: "user", EntityID: userID, Summary: summary})
	})
}

func userSnapshot(u domain.User) Snapshot {
	s := Snapshot{{"用户名", u.Username}, {"姓名", u.DisplayName}, {"角色", u.Role.Label()},
		{"所在区", domain.DistrictName(u.DistrictCode)}, {"电话", u.Phone}}
	if u.Disabled {
		s.add("状态", "已停用")
	} else {
		s.add("状态", "正常")
	}
	if u.EnterpriseID != nil {
		s.add("绑定企业ID", itoa(*u.EnterpriseID))
	}
	return s
}

// Session is a logged-in browser.
type Session struct {
	ID         string // SHA-256 of the cookie token
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	IP         string
	UserAgent  string
}

// CreateSession stores a new session.
func (s *Users) CreateSession(ctx context.Context, sess *Session) error {
	return s.db.W.WithContext(ctx).Table(tSessions).Create(sess).Error
}

// SessionUser loads a live session and its enabled user; an expired, idle or
// unknown session, or a disabled user, gives ErrNotFound.
//
// Every request asks this, so on SQLite the session row and its user are memoized:
// writes to sessions or users through this process (login, logout, password change,
// disabling or editing a user, the throttled TouchSession) drop the entry at once, and
// a SQLite file has no second server writing it (other processes, such as
// `zjtx user add`, only add accounts; any other write is seen within memoTTL). On
// PostgreSQL several instances may share the database, and a logout on one must end
// the session on all at once, so there the row is read every time.
func (s *Users) SessionUser(ctx context.Context, id string, now time.Time, idle time.Duration) (Session, domain.User, error) {
	var su sessionWithUser
	var err error
	if s.db.Dialect == SQLite {
		su, err = memoized(s.db.memo, "session:"+id, sessionTables, func() (sessionWithUser, error) {
			return s.loadSessionUser(ctx, id)
		})
	} else {
		su, err = s.loadSessionUser(ctx, id)
	}
	if err != nil {
		return Session{}, domain.User{}, err
	}
	// The liveness checks are done here rather than in SQL so a memoized row serves.
	if !su.sess.ExpiresAt.After(now) || !su.sess.LastSeenAt.After(now.Add(-idle)) {
		return Session{}, domain.User{}, ErrNotFound
	}
	u := su.user
	if u.EnterpriseID != nil { // the memoized user is shared: hand out a copy of what it points to
		eid := *u.EnterpriseID
		u.EnterpriseID = &eid
	}
	if u.Disabled {
		return su.sess, u, ErrNotFound
	}
	return su.sess, u, nil
}

// sessionTables are what a session lookup reads.
var sessionTables = []string{tSessions, tUsers}

type sessionWithUser struct {
	sess Session
	user domain.User
}

// loadSessionUser reads a session and its user with one statement and typed scans.
func (s *Users) loadSessionUser(ctx context.Context, id string) (sessionWithUser, error) {
	var su sessionWithUser
	rows, err := s.db.R.WithContext(ctx).Raw(`SELECT s.id, s.user_id, s.csrf_token, s.created_at, s.last_seen_at,
	s.expires_at, s.ip, s.user_agent, u.id, u.username, u.display_name, u.password_hash, u.role, u.district_code,
	u.enterprise_id, u.phone, u.disabled, u.must_change_password, u.version, u.created_at, u.updated_at
FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`, id).Rows()
	if err != nil {
		return su, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return su, err
		}
		return su, ErrNotFound
	}
	var role string
	var enterpriseID sql.NullInt64
	ss, u := &su.sess, &su.user
	if err := rows.Scan(&ss.ID, &ss.UserID, &ss.CSRFToken, &ss.CreatedAt, &ss.LastSeenAt, &ss.ExpiresAt, &ss.IP, &ss.UserAgent,
		&u.ID, &u.Username, &u.DisplayName, &u.PasswordHash, &role, &u.DistrictCode, &enterpriseID, &u.Phone,
		&u.Disabled, &u.MustChangePassword, &u.Version, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return su, err
	}
	u.Role = domain.Role(role)
	if enterpriseID.Valid {
		u.EnterpriseID = &enterpriseID.Int64
	}
	return su, rows.Err()
}

// TouchSession moves last_seen_at forward (callers throttle this to spare the writer).
func (s *Users) TouchSession(ctx context.Context, id string, now time.Time) error {
	return s.db.W.WithContext(ctx).Table(tSessions).Where("id = ?", id).Update("last_seen_at", now).Error
}

// DeleteSession ends one session.
func (s *Users) DeleteSession(ctx context.Context, id string) error {
	return s.db.W.WithContext(ctx).Table(tSessions).Where("id = ?", id).Delete(nil).Error
}

// PurgeSessions removes expired sessions and old login failures.
func (s *Users) PurgeSessions(ctx context.Context, now time.Time) error {
	g := s.db.W.WithContext(ctx)
	if err := g.Table(tSessions).Where("expires_at < ?", now).Delete(nil).Error; err != nil {
		return err
	}
	return g.Table(tLoginFailures).Where("at < ?", now.Add(-24*time.Hour)).Delete(nil).Error
}

// RecordLoginFailure notes a failed login under each key (per IP, per user and IP).
func (s *Users) RecordLoginFailure(ctx context.Context, now time.Time, keys ...string) error {
	rows := make([]map[string]any, len(keys))
	for i, k := range keys {
		rows[i] = map[string]any{"key": k, "at": now}
	}
	return s.db.W.WithContext(ctx).Table(tLoginFailures).Create(rows).Error
}

// LoginFailures counts failures under key since a time.
func (s *Users) LoginFailures(ctx context.Context, key string, since time.Time) (int64, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Table(tLoginFailures).Where("key = ? AND at > ?", key, since).Count(&n).Error
	return n, err
}

// ClearLoginFailures forgets failures under key after a successful login.
func (s *Users) ClearLoginFailures(ctx context.Context, key string) error {
	return s.db.W.WithContext(ctx).Table(tLoginFailures).Where("key = ?", key).Delete(nil).Error
}

// Count returns how many accounts exist.
func (s *Users) Count(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.R.WithContext(ctx).Table(tUsers).Count(&n).Error
	return n, err
}

// RecordLogin audits a successful login.
func (s *Users) RecordLogin(ctx context.Context, actor Actor, userID int64) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		return WriteAudit(tx, actor, Audit{Action: "login", EntityType: "user", EntityID: userID, Summary: "登录"})
	})
}
