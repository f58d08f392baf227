package eligibility

import (
	"os"
	"path/filepath"
	"testing"
)

// Decide must agree with Evaluate on every fixture.
func TestDecideAgreesWithEvaluate(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.json")
	for _, file := range files {
		b, _ := os.ReadFile(file)
		fs, err := DecodeFacts(b)
		if err != nil {
			t.Fatal(err)
		}
		for _, renewal := range []bool{false, true} {
			f := fs[0]
			f.Renewal = &renewal
			v := Evaluate(f, nil)
			d := Decide(&f, nil)
			for i, pair := range []struct {
				r TierResult
				d TierDecision
			}{{v.Tiers.Innovative, d.Innovative}, {v.Tiers.Specialized, d.Specialized}, {v.Tiers.LittleGiant, d.LittleGiant}} {
				got := tierDecision(&pair.r)
				if got.Eligible != pair.d.Eligible || got.Score != pair.d.Score || got.Failed != pair.d.Failed ||
					got.Unmet != pair.d.Unmet || len(got.Routes) != len(pair.d.Routes) {
					t.Errorf("%s tier %d: Evaluate %+v, Decide %+v", file, i, got, pair.d)
				}
			}
			if d.RuleSet != v.RuleSet || d.ParamsVersion != v.ParamsVersion {
				t.Errorf("%s: header differs", file)
			}
		}
	}
}

func TestDecideDoesNotAllocate(t *testing.T) {
	f := loadFixture(t, "strong_2022.json")
	ps := DefaultParameters()
	if n := testing.AllocsPerRun(100, func() { _ = Decide(&f, ps) }); n != 0 {
		t.Errorf("Decide allocates %v times", n)
	}
}

// Evaluations share parameters and pools; run them concurrently under -race.
func TestConcurrentEvaluate(t *testing.T) {
	f := loadFixture(t, "strong_2026.json")
	want := Evaluate(f, nil)
	done := make(chan bool)
	for i := 0; i < 4; i++ {
		go func() {
			ok := true
			for j := 0; j < 200; j++ {
				v := Evaluate(f, nil)
				d := Decide(&f, nil)
				ok = ok && v.Tiers.LittleGiant.Eligible == want.Tiers.LittleGiant.Eligible && d.LittleGiant.Eligible &&
					v.Tiers.Innovative.Criteria[6].Message == want.Tiers.Innovative.Criteria[6].Message
			}
			done <- ok
		}()
	}
	for i := 0; i < 4; i++ {
		if !<-done {
			t.Error("concurrent evaluations disagree")
		}
	}
}
