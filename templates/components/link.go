package components

import (
	"net/url"
	"strconv"
	"strings"
)

// Link builds a URL from a path and key/value pairs, skipping empty values; a key
// given twice keeps its last value. The query is what url.Values.Encode writes (keys
// sorted, query-escaped), built without the map: a dashboard makes a hundred links.
func Link(path string, kv ...string) string {
	var buf [12]int // indexes into kv of the keys kept, sorted by key
	keep := buf[:0]
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			continue
		}
		replaced := false
		for j, k := range keep {
			if kv[k] == kv[i] {
				keep[j], replaced = i, true
				break
			}
		}
		if !replaced {
			keep = append(keep, i)
		}
	}
	if len(keep) == 0 {
		return path
	}
	for i := 1; i < len(keep); i++ { // insertion sort: a handful of keys
		for j := i; j > 0 && kv[keep[j]] < kv[keep[j-1]]; j-- {
			keep[j], keep[j-1] = keep[j-1], keep[j]
		}
	}
	n := len(path) + 1
	for _, k := range keep {
		n += len(kv[k]) + len(kv[k+1]) + 2
	}
	var b strings.Builder
	b.Grow(n + 16)
	b.WriteString(path)
	for i, k := range keep {
		if i == 0 {
			b.WriteByte('?')
		} else {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[k]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[k+1]))
	}
	return b.String()
}

// PageLink is Link for page n of a paged list (page 1 carries no page parameter).
func PageLink(path string, page int, kv ...string) string {
	if page > 1 {
		kv = append(kv, "page", strconv.Itoa(page))
	}
	return Link(path, kv...)
}
