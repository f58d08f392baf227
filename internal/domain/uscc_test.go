package domain

import (
	"errors"
	"testing"
)

// The spec's valid examples (DOMAIN.md §统一社会信用代码).
var specUSCCs = []string{
	"91310000631696382C", "91310115MA1K3BTP2B", "9131012056010553X5",
	"91110000600037341L", "121200004013590816",
}

func TestParseUSCCSpecExamples(t *testing.T) {
	for _, code := range specUSCCs {
		chk, err := ParseUSCC(code)
		if err != nil {
			t.Errorf("%s: %v", code, err)
			continue
		}
		if string(chk.Code) != code {
			t.Errorf("%s normalised to %s", code, chk.Code)
		}
	}
}

// Every single-character corruption of a valid code must be rejected: either the
// character leaves the alphabet or the check character no longer matches.
func TestParseUSCCRejectsEverySingleCharacterCorruption(t *testing.T) {
	for _, code := range specUSCCs {
		for pos := 0; pos < 18; pos++ {
			for _, c := range []byte(usccChars + "IOSVZ") {
				if c == code[pos] {
					continue
				}
				bad := code[:pos] + string(c) + code[pos+1:]
				if _, err := ParseUSCC(bad); err == nil {
					t.Errorf("%s (position %d → %c) accepted", bad, pos+1, c)
				}
			}
		}
	}
}

func TestParseUSCCNormalises(t *testing.T) {
	cases := map[string]string{
		"  91310115ma1k3btp2b\t":   "91310115MA1K3BTP2B",
		"９１３１００００６３１６９６３８２Ｃ":       "91310000631696382C",
		"\u300091310000631696382c": "91310000631696382C",
	}
	for in, want := range cases {
		chk, err := ParseUSCC(in)
		if err != nil || string(chk.Code) != want {
			t.Errorf("ParseUSCC(%q) = %q, %v; want %q", in, chk.Code, err, want)
		}
	}
}

func TestParseUSCCErrors(t *testing.T) {
	cases := []struct {
		in   string
		want error
	}{
		{"", ErrUSCCLength},
		{"91310115MA1K3BTP2", ErrUSCCLength},
		{"91310115MA1K3BTP2BB", ErrUSCCLength},
		{"91310115MA1K3BTPIB", ErrUSCCCharacter},
		{"9131011５MA1K3BTP2中", ErrUSCCCharacter},
		{"91310115MA1K3BTP2C", ErrUSCCCheck},
	}
	for _, tc := range cases {
		if _, err := ParseUSCC(tc.in); !errors.Is(err, tc.want) {
			t.Errorf("ParseUSCC(%q) = %v, want %v", tc.in, err, tc.want)
		}
	}
}

func TestOrganisationCodeMismatchWarns(t *testing.T) {
	// 91310115MA1K3BTP2B has a valid organisation code; change position 17 and
	// recompute the check character so only the organisation code is wrong.
	first := "91310115MA1K3BTP3"
	code := first + string(USCCCheckChar(first))
	chk, err := ParseUSCC(code)
	if err != nil {
		t.Fatalf("a code with a valid check character must be accepted: %v", err)
	}
	if chk.Warning == "" {
		t.Error("organisation-code mismatch should warn")
	}
	for _, good := range specUSCCs {
		if chk, _ := ParseUSCC(good); chk.Warning != "" {
			t.Errorf("%s: unexpected warning %q", good, chk.Warning)
		}
	}
}

func TestDivisionCode(t *testing.T) {
	if got := USCC("91310115MA1K3BTP2B").DivisionCode(); got != "310115" {
		t.Errorf("division = %s", got)
	}
}
