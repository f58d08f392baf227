// Package db holds the schema migrations, embedded into the binary.
package db

import "embed"

// Migrations are forward-only SQL files named NNNN_description.sql. They are
// written once for both databases; {{id}}, {{ts}} and {{date}} stand for the
// dialect's identity column, timestamp and date types.
//
//go:embed migrations/*.sql
var Migrations embed.FS
