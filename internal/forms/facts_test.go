package forms_test

import (
	"net/url"
	"reflect"
	"testing"

	"zjtx/internal/domain"
	"zjtx/internal/forms"
)

var today = domain.MustDate("2026-06-30")

// A stored sheet shown in the form and submitted unchanged comes back the same.
func TestFactsRoundTrip(t *testing.T) {
	yes, no, three, rank := true, false, int64(3), int64(2)
	share, inst, q := 12.5, "national", ""
	x := domain.EnterpriseFacts{EnterpriseID: 7, RegisteredInShanghai: &yes, AbnormalOperation: &no, IPClass1: &three,
		RDInstitution: &inst, MarketShareDomestic: &share, Quality: &q, AwardsReported: true, Version: 4}
	awards := []domain.Award{{Level: "national", Rank: &rank, Year: 2024, Name: "国家科技进步奖"}}
	scores := []domain.DevScore{{Year: 2025, Score: 58.5}}

	f := forms.FactsFromDomain(x, awards, scores, today)
	v := url.Values{"version": {f.Version}}
	for k, s := range f.Values {
		v.Set(k, s)
	}
	if f.QualityReported {
		v.Set("quality_reported", "on")
	}
	if f.AwardsReported {
		v.Set("awards_reported", "on")
	}
	for i, r := range f.Awards {
		v.Set(forms.AwardField(i, "level"), r.Level)
		v.Set(forms.AwardField(i, "rank"), r.Rank)
		v.Set(forms.AwardField(i, "year"), r.Year)
		v.Set(forms.AwardField(i, "name"), r.Name)
	}
	for i, r := range f.DevScores {
		v.Set(forms.DevScoreField(i, "year"), r.Year)
		v.Set(forms.DevScoreField(i, "score"), r.Score)
	}
	g := forms.FactsFromValues(v)
	got := domain.EnterpriseFacts{EnterpriseID: 7}
	gotAwards, gotScores, ok := g.Apply(&got, today)
	if !ok {
		t.Fatalf("errors: %v", g.Errors)
	}
	if !reflect.DeepEqual(got, x) {
		t.Errorf("facts\n got %+v\nwant %+v", got, x)
	}
	if !reflect.DeepEqual(gotAwards, awards) || !reflect.DeepEqual(gotScores, scores) {
		t.Errorf("rows: %+v %+v", gotAwards, gotScores)
	}
	if len(f.Awards) != 3 || len(f.DevScores) != 3 || f.DevScores[0].Year != "2026" || f.DevScores[1].Score != "58.5" {
		t.Errorf("rows offered: %+v %+v", f.Awards, f.DevScores)
	}
}

func TestFactsRanges(t *testing.T) {
	for _, tc := range []struct {
		field, value string
		ok           bool
	}{
		{"digital_level", "1", true}, {"digital_level", "4", true}, {"digital_level", "0", false}, {"digital_level", "5", false},
		{"local_score", "0", true}, {"local_score", "15", true}, {"local_score", "15.01", false}, {"local_score", "-1", false},
		{"market_share_domestic", "100", true}, {"market_share_domestic", "１００％", true}, {"market_share_domestic", "100.5", false},
		{"market_rank_domestic", "1", true}, {"market_rank_domestic", "0", false},
		{"ip_class2", "0", true}, {"ip_class2", "-1", false}, {"ip_class2", "1,200", true},
		{"chain_role", "supporting", true}, {"chain_role", "boss", false},
		{"own_brand", "yes", true}, {"own_brand", "true", false},
	} {
		f := forms.FactsFromValues(url.Values{tc.field: {tc.value}})
		_, _, ok := f.Apply(&domain.EnterpriseFacts{}, today)
		if ok != tc.ok {
			t.Errorf("%s = %q: ok = %v, want %v (%v)", tc.field, tc.value, ok, tc.ok, f.Errors)
		}
	}
}
