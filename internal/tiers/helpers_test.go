package tiers_test

import "gorm.io/gorm"

type gormDB = gorm.DB
