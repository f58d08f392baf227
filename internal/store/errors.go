package store

import (
	"errors"
	"strings"

	"gorm.io/gorm"
)

var (
	// ErrNotFound: no row with that key (or none the caller may see).
	ErrNotFound = errors.New("not found")
	// ErrConflict: a unique key is already taken.
	ErrConflict = errors.New("conflict")
	// ErrStale: the row changed since the caller read it (optimistic lock).
	ErrStale = errors.New("stale")
)

// mapErr turns driver errors into the store's typed errors.
func mapErr(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return ErrNotFound
	case isUniqueViolation(err):
		return errors.Join(ErrConflict, err)
	}
	return err
}

func isUniqueViolation(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "UNIQUE constraint failed") || // SQLite
		strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "duplicate key value") // PostgreSQL
}
