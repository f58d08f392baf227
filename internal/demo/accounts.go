package demo

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

// Password is the demo accounts' password (demo mode only; README lists it).
const Password = "demo-zjtx"

// DemoDistrict is the district the demo district officer and specialist work in (浦东新区).
const DemoDistrict = "310115"

// Account names one demo login.
type Account struct {
	Username string
	Role     domain.Role
}

// Accounts lists the demo logins, one per role.
var Accounts = []Account{
	{"admin", domain.RoleAdmin}, {"city", domain.RoleCity}, {"district", domain.RoleDistrict},
	{"specialist", domain.RoleSpecialist}, {"enterprise", domain.RoleEnterprise},
}

// maxDemoAssignments bounds the demo specialist's portfolio to a plausible size.
const maxDemoAssignments = 60

// CreateAccounts adds one account per role to a database filled by Fill: the district
// officer and specialist in 浦东新区, the specialist serving its highest-tier enterprises,
// and the enterprise account bound to one of those.
func CreateAccounts(ctx context.Context, db *store.DB) error {
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *gorm.DB) error {
		// Fill created the specialists (the demo one among them) with their portfolios:
		// they get the demo password, and the demo specialist serves what Fill gave it.
		if err := tx.Table("users").Where("role = ? AND password_hash = ''", string(domain.RoleSpecialist)).
			Update("password_hash", hash).Error; err != nil {
			return err
		}
		var existing domain.User
		if err := tx.Table("users").Where("username = ?", "specialist").Limit(1).Find(&existing).Error; err != nil {
			return err
		}
		var served []int64
		if existing.ID != 0 {
			if err := tx.Table("enterprises").Where("id IN (SELECT enterprise_id FROM assignments WHERE specialist_id = ? AND ended_at IS NULL)", existing.ID).
				Order("CASE tier WHEN 'little_giant' THEN 0 WHEN 'specialized' THEN 1 WHEN 'innovative' THEN 2 ELSE 3 END").
				Order("name").Limit(1).Pluck("id", &served).Error; err != nil {
				return err
			}
		}
		if existing.ID == 0 {
			err := tx.Table("enterprises").Where("district_code = ?", DemoDistrict).
				Order("CASE tier WHEN 'little_giant' THEN 0 WHEN 'specialized' THEN 1 WHEN 'innovative' THEN 2 ELSE 3 END").
				Order("name").Limit(maxDemoAssignments).Pluck("id", &served).Error
			if err != nil {
				return err
			}
		}
		if len(served) == 0 {
			return fmt.Errorf("demo accounts: no enterprise in district %s; run Fill first", DemoDistrict)
		}
		names := map[domain.Role]string{
			domain.RoleAdmin: "系统管理员（演示）", domain.RoleCity: "市经信委 李明", domain.RoleDistrict: "浦东新区 张华",
			domain.RoleSpecialist: "服务专员 王芳", domain.RoleEnterprise: "企业联络员 陈静",
		}
		var specialistID int64
		for _, a := range Accounts {
			if a.Role == domain.RoleSpecialist && existing.ID != 0 {
				specialistID = existing.ID
				continue
			}
			u := domain.User{Username: a.Username, DisplayName: names[a.Role], PasswordHash: hash, Role: a.Role, Phone: "021-50000000"}
			switch a.Role {
			case domain.RoleDistrict, domain.RoleSpecialist:
				u.DistrictCode = DemoDistrict
			case domain.RoleEnterprise:
				u.EnterpriseID = &served[0]
			}
			if err := store.CreateUser(tx, &u); err != nil {
				return fmt.Errorf("demo account %s: %w", a.Username, err)
			}
			if a.Role == domain.RoleSpecialist {
				specialistID = u.ID
			}
		}
		if existing.ID != 0 {
			return nil
		}
		now := tx.NowFunc()
		rows := make([]map[string]any, len(served))
		for i, id := range served {
			rows[i] = map[string]any{"enterprise_id": id, "specialist_id": specialistID, "assigned_at": now, "assigned_by": "演示数据"}
		}
		return tx.Table("assignments").CreateInBatches(rows, 100).Error
	})
}
