package store

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm"

	"zjtx/internal/domain"
)

// Bulk writes for the import: multi-row INSERTs through prepared statements, and the
// name-gram index of many enterprises at once.

// maxParams keeps a statement under SQLite's 32766 bound parameters (PostgreSQL allows 65535).
const maxParams = 32000

// BulkInsert inserts n rows into table with multi-row INSERTs of up to 1000 rows through
// one prepared statement, keeping under maxParams; row appends row i's values to a and
// returns it. For the import and the demo fill, inside a DB.Tx: the rows skip gorm, so the
// table is marked written for the memoized reads here.
func BulkInsert(ctx context.Context, tx *gorm.DB, d Dialect, table string, cols []string, n int, row func(i int, a []any) []any) error {
	if n == 0 {
		return nil
	}
	touch(tx, table)
	per := min(1000, maxParams/len(cols), n)
	pool := tx.Statement.ConnPool
	full, err := pool.PrepareContext(ctx, multiInsertSQL(d, table, cols, per))
	if err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	defer full.Close()
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(start+per, n)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		for i, a := range args {
			args[i] = driverValue(a)
		}
		if end-start == per {
			_, err = full.ExecContext(ctx, args...)
		} else {
			_, err = pool.ExecContext(ctx, multiInsertSQL(d, table, cols, end-start), args...)
		}
		if err != nil {
			return mapErr(fmt.Errorf("insert %s: %w", table, err))
		}
	}
	return nil
}

// prepared is one statement executed many times inside the import's transaction.
type prepared struct {
	ctx  context.Context
	stmt *sql.Stmt
}

func prepare(ctx context.Context, tx *gorm.DB, d Dialect, query string) (*prepared, error) {
	if d == Postgres {
		query = dollarParams(query)
	}
	st, err := tx.Statement.ConnPool.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &prepared{ctx, st}, nil
}

// exec runs the statement and returns the rows it affected.
func (p *prepared) exec(args ...any) (int64, error) {
	for i, a := range args {
		args[i] = driverValue(a)
	}
	res, err := p.stmt.ExecContext(p.ctx, args...)
	if err != nil {
		return 0, mapErr(err)
	}
	return res.RowsAffected()
}

func (p *prepared) Close() error { return p.stmt.Close() }

// dollarParams numbers ? placeholders as PostgreSQL's $1, $2, … (the queries here
// have no ? inside literals).
func dollarParams(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// driverValue unwraps typed nil pointers the database/sql converter would reject.
func driverValue(a any) any {
	switch v := a.(type) {
	case *int64:
		if v == nil {
			return nil
		}
		return *v
	case *domain.Money:
		if v == nil {
			return nil
		}
		return int64(*v)
	}
	return a
}

func multiInsertSQL(d Dialect, table string, cols []string, rows int) string {
	var b strings.Builder
	b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
	p := 0
	for r := range rows {
		if r > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('(')
		for c := range cols {
			if c > 0 {
				b.WriteByte(',')
			}
			p++
			if d == Postgres {
				fmt.Fprintf(&b, "$%d", p)
			} else {
				b.WriteByte('?')
			}
		}
		b.WriteByte(')')
	}
	return b.String()
}

// gramOwner is an enterprise whose name is (re)indexed.
type gramOwner struct {
	id   int64
	name string
}

// packedGram is one name_grams row: the gram's UTF-8 bytes (two runes fit in eight)
// and its owner's place in its chunk. 16 bytes a row.
type packedGram struct {
	gram  uint64
	owner uint32
	n     uint8
}

func packGram(g string) (uint64, uint8) {
	var k uint64
	for i := 0; i < 8; i++ {
		k <<= 8
		if i < len(g) {
			k |= uint64(g[i])
		}
	}
	return k, uint8(len(g))
}

func (p packedGram) text() string {
	var b [8]byte
	for i := range b {
		b[i] = byte(p.gram >> (56 - 8*i))
	}
	return string(b[:p.n])
}

// insertNameGrams writes the name grams of owners (whose old grams are gone) in the
// primary key's (gram, name, enterprise_id) order: each index page is then visited
// about once per chunk instead of once per row. Owners go in name order, in chunks of
// gramChunk, so each chunk continues where the last one left off in every gram's run.
func insertNameGrams(ctx context.Context, tx *gorm.DB, d Dialect, owners []gramOwner) error {
	slices.SortFunc(owners, func(a, b gramOwner) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		return cmp.Compare(a.id, b.id)
	})
	var rows []packedGram
	for start := 0; start < len(owners); start += gramChunk {
		chunk := owners[start:min(start+gramChunk, len(owners))]
		rows = rows[:0]
		for i, o := range chunk {
			for _, g := range NameGrams(o.name) {
				if len(g) > 8 {
					return fmt.Errorf("name gram %q longer than two runes", g)
				}
				k, n := packGram(g)
				rows = append(rows, packedGram{k, uint32(i), n})
			}
		}
		slices.SortFunc(rows, func(a, b packedGram) int {
			if c := cmp.Compare(a.gram, b.gram); c != 0 {
				return c
			}
			if c := cmp.Compare(a.n, b.n); c != 0 {
				return c
			}
			return cmp.Compare(a.owner, b.owner)
		})
		err := BulkInsert(ctx, tx, d, tGrams, []string{"gram", "name", "enterprise_id"}, len(rows), func(i int, a []any) []any {
			o := chunk[rows[i].owner]
			return append(a, rows[i].text(), o.name, o.id)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// gramChunk bounds the sorted grams held at once (~15 a name, 16 bytes each: 6 MB).
const gramChunk = 25_000
