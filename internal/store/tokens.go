package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Tokens stores personal API tokens; only their SHA-256 is kept (auth.HashToken).
type Tokens struct{ db *DB }

func NewTokens(db *DB) *Tokens { return &Tokens{db: db} }

const tTokens = "api_tokens"

// APIToken is one personal token as listed on the account page.
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	TokenHash  string
	Prefix     string // the first characters, to recognise it
	CreatedAt  time.Time
	LastUsedAt *time.Time
	RevokedAt  *time.Time
}

// Create stores a new token for userID; hash is auth.HashToken of the secret shown once.
func (s *Tokens) Create(ctx context.Context, actor Actor, t *APIToken) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		t.CreatedAt = tx.NowFunc()
		if err := tx.Table(tTokens).Create(t).Error; err != nil {
			return mapErr(err)
		}
		return WriteAudit(tx, actor, Audit{Action: "create", EntityType: "api_token", EntityID: t.ID,
			Summary: "创建 API 令牌 " + t.Name + "（" + t.Prefix + "…）"})
	})
}

// List returns the user's tokens, newest first.
func (s *Tokens) List(ctx context.Context, userID int64) ([]APIToken, error) {
	var ts []APIToken
	err := s.db.R.WithContext(ctx).Table(tTokens).Where("user_id = ?", userID).Order("id DESC").Find(&ts).Error
	return ts, err
}

// Revoke ends one of the user's tokens; ErrNotFound when it is not theirs or already revoked.
func (s *Tokens) Revoke(ctx context.Context, actor Actor, userID, id int64) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		res := tx.Table(tTokens).Where("id = ? AND user_id = ? AND revoked_at IS NULL", id, userID).Update("revoked_at", tx.NowFunc())
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return WriteAudit(tx, actor, Audit{Action: "revoke", EntityType: "api_token", EntityID: id, Summary: "吊销 API 令牌"})
	})
}

// UserByToken finds the enabled user owning a live token with this hash.
func (s *Tokens) UserByToken(ctx context.Context, hash string, now time.Time) (domain.User, error) {
	var t APIToken
	g := s.db.R.WithContext(ctx)
	if err := g.Table(tTokens).Where("token_hash = ? AND revoked_at IS NULL", hash).Take(&t).Error; err != nil {
		return domain.User{}, mapErr(err)
	}
	var u domain.User
	if err := g.Table(tUsers).Where("id = ? AND disabled = ?", t.UserID, false).Take(&u).Error; err != nil {
		return domain.User{}, mapErr(err)
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > time.Minute {
		_ = s.db.W.WithContext(context.WithoutCancel(ctx)).Table(tTokens).Where("id = ?", t.ID).Update("last_used_at", now).Error
	}
	return u, nil
}
