package listing

// ExportURL is path (an export route) with the table's filters, paging left out.
func (f Filter) ExportURL(path string) string {
	g := f
	g.PerPage = 0
	return g.URL(path, 1)
}
