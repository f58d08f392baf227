package eligibility

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeFacts feeds arbitrary bytes to the facts decoder: it never panics, every error is a
// *FieldError, and whatever it accepts evaluates without panic under the default parameters.
func FuzzDecodeFacts(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{``, `[]`, `{}`, `null`, `[{}]`, `{"as_of":"2026-02-30"}`,
		`{"as_of":"2026-01-01","uscc":"91310000631696382C","industry_group":"industrial","current_tier":"none","years":[{"year":2025,"revenue":1e309}]}`,
		`{"as_of":"2026-01-01","uscc":"91310000631696382C","industry_group":"industrial","current_tier":"none","years":[{"year":-99999999999,"employees":9007199254740993}]}`} {
		f.Add([]byte(s))
	}
	ps := DefaultParameters()
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := DecodeFacts(data)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is not a *FieldError: %T %v", err, err)
			}
			return
		}
		for _, x := range facts {
			if err := Validate(x); err != nil {
				t.Fatalf("decoded facts fail Validate: %v", err)
			}
			_ = Evaluate(x, ps)
		}
	})
}
