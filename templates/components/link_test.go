package components

import (
	"net/url"
	"testing"
)

// linkByValues is what Link must equal: url.Values with Set, then Encode.
func linkByValues(path string, kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			q.Set(kv[i], kv[i+1])
		}
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

func TestLinkEncodesLikeURLValues(t *testing.T) {
	cases := [][]string{
		{},
		{"q", ""},
		{"q", "精密 仪器&x=1"},
		{"tier", "specialized", "district", "310115", "at_least", "", "page", "2"},
		{"b", "1", "a", "2", "b", "3"},
		{"b", "1", "a", "2", "b", ""},
		{"z", "1", "y", "2", "x", "3", "w", "4", "v", "5", "u", "6", "t", "7", "s", "8", "r", "9", "q", "10", "p", "11", "o", "12", "n", "13"},
		{"k y", "a+b/c?d", "odd"},
		{"held_on", "2026-12-31", "held", "little_giant"},
	}
	for _, kv := range cases {
		if got, want := Link("/enterprises", kv...), linkByValues("/enterprises", kv...); got != want {
			t.Errorf("Link(%q) = %q, want %q", kv, got, want)
		}
	}
	if got := PageLink("/service/demands", 3, "status", "all"); got != "/service/demands?page=3&status=all" {
		t.Errorf("PageLink = %q", got)
	}
}
