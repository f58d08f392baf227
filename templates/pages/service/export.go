package service

import "strings"

// ExportURL is path (an export route) with the board's filters, paging left out.
func (q BoardQuery) ExportURL(path string) string {
	return path + strings.TrimPrefix(q.URL(1), "/service/demands")
}
