package store

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"gorm.io/gorm"
)

const tGrams = "name_grams"

// NameGrams are the distinct two-character grams of a name, lower-cased the way
// SQLite's lower() does (ASCII only), as migration 0005 computes them.
func NameGrams(name string) []string {
	rs := []rune(asciiLower(name))
	if len(rs) < 2 {
		return nil
	}
	seen := make(map[string]struct{}, len(rs))
	out := make([]string, 0, len(rs)-1)
	for i := 0; i+1 < len(rs); i++ {
		g := string(rs[i : i+2])
		if _, dup := seen[g]; !dup {
			seen[g] = struct{}{}
			out = append(out, g)
		}
	}
	return out
}

func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// indexName replaces an enterprise's grams; called wherever a name is written.
func indexName(tx *gorm.DB, id int64, name string) error {
	if err := tx.Table(tGrams).Where("enterprise_id = ?", id).Delete(nil).Error; err != nil {
		return err
	}
	grams := NameGrams(name)
	if len(grams) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(grams))
	for i, g := range grams {
		rows[i] = map[string]any{"gram": g, "name": name, "enterprise_id": id}
	}
	return tx.Table(tGrams).Create(rows).Error
}

// stopGrams occur in most company names; a posting list of one is nearly the whole table.
var stopGrams = map[string]bool{"上海": true, "有限": true, "限公": true, "公司": true, "科技": true, "技有": true,
	"股份": true, "份有": true, "海市": true}

// searchGram picks the gram whose posting list drives a search: the last one that is
// not a stop gram (later characters of a term tend to be rarer), else the first.
func searchGram(grams []string) string {
	for i := len(grams) - 1; i >= 0; i-- {
		if !stopGrams[grams[i]] {
			return grams[i]
		}
	}
	return grams[0]
}

// gramQuery selects the ids of names containing term from one posting list, in name
// order; ok is false for a one-character term, which has no gram.
func gramQuery(g *gorm.DB, d Dialect, term string) (q *gorm.DB, ok bool) {
	where, args, ok := gramWhere(d, term)
	if !ok {
		return nil, false
	}
	return g.Table(tGrams).Where(where, args...), true
}

// gramWhere is gramQuery's condition on name_grams, as SQL with its arguments.
func gramWhere(d Dialect, term string) (where string, args []any, ok bool) {
	grams := NameGrams(term)
	if utf8.RuneCountInString(term) < 2 || len(grams) == 0 {
		return "", nil, false
	}
	if len(grams) == 1 {
		return "gram = ?", []any{grams[0]}, true
	}
	// Other grams are checked on the stored name: adjacency and order, not just presence.
	return "gram = ? AND " + d.ilike("name", term), []any{searchGram(grams), likePattern(term)}, true
}

// likePattern is a substring pattern for ilike.
func likePattern(term string) string { return "%" + escapeLike(asciiLower(term)) + "%" }

// ilike is a case-insensitive LIKE on col for term: SQLite's LIKE already is (for
// ASCII, as NameGrams lower-cases), PostgreSQL needs ILIKE — but only when term has a
// letter with case: most searches are Chinese, and ILIKE's case folding costs PostgreSQL
// about three times LIKE's time per row. No function on the column, so a scan can read
// it straight from an index.
func (d Dialect) ilike(col, term string) string {
	if d == Postgres && hasCase(term) {
		return col + " ILIKE ? ESCAPE '\\'"
	}
	return col + " LIKE ? ESCAPE '\\'"
}

// hasCase reports whether s has a character whose upper and lower case differ.
func hasCase(s string) bool {
	for _, r := range s {
		if unicode.ToLower(r) != unicode.ToUpper(r) {
			return true
		}
	}
	return false
}

// nameSearch restricts an enterprises query to names containing term.
func nameSearch(q *gorm.DB, d Dialect, term string) *gorm.DB {
	if sub, ok := gramQuery(q.Session(&gorm.Session{NewDB: true}), d, term); ok {
		return q.Where("enterprises.id IN (?)", sub.Select("enterprise_id"))
	}
	return q.Where(d.ilike("enterprises.name", term), likePattern(term))
}
