package components

import (
	"net/url"
	"strconv"
)

// Link builds a URL from a path and key/value pairs, skipping empty values.
func Link(path string, kv ...string) string {
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

// PageLink is Link for page n of a paged list (page 1 carries no page parameter).
func PageLink(path string, page int, kv ...string) string {
	if page > 1 {
		kv = append(kv, "page", strconv.Itoa(page))
	}
	return Link(path, kv...)
}
