package eligibility

import (
	"os"
	"testing"
)

func loadFixture(tb testing.TB, name string) Facts {
	tb.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		tb.Fatal(err)
	}
	fs, err := DecodeFacts(b)
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return fs[0]
}

// BenchmarkEvaluate measures one enterprise-verdict (all three tiers, messages included).
func BenchmarkEvaluate(b *testing.B) {
	for _, name := range []string{"strong_2022.json", "strong_2026.json"} {
		f := loadFixture(b, name)
		ps := DefaultParameters()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Evaluate(f, ps)
			}
		})
	}
}

// BenchmarkDecide is the same evaluation without explanations (bulk use).
func BenchmarkDecide(b *testing.B) {
	for _, name := range []string{"strong_2022.json", "strong_2026.json"} {
		f := loadFixture(b, name)
		ps := DefaultParameters()
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Decide(&f, ps)
			}
		})
	}
}
