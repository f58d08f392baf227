package enterprises

import "strings"

// ExportURL is path (an export route) with this filter's query, paging left out.
func (f ListFilter) ExportURL(path string) string {
	u := f.URL(1)
	return path + strings.TrimPrefix(u, "/enterprises")
}
