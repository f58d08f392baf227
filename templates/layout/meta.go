// Package layout is the page shell: side navigation, top bar, flash messages.
package layout

// Flash is a one-time message shown at the top of the next page.
type Flash struct {
	Kind string // ok, warn, bad
	Text string
}

// NavItem is one entry of the side navigation.
type NavItem struct {
	Section string
	Label   string
	Href    string
	Group   string // heading shown above the first item of a group
}

// Meta is what every page tells the layout.
type Meta struct {
	Title     string
	Section   string // which nav item is active
	Crumbs    []Crumb
	Flash     *Flash
	CSRFToken string
	UserName  string
	RoleLabel string
	Nav       []NavItem
	Scripts   []string // extra static scripts this page loads (names under static/), deferred
}

// Crumb is one step of the breadcrumb above the title.
type Crumb struct {
	Label string
	Href  string
}

// DefaultNav is the navigation before accounts exist to tailor it.
var DefaultNav = []NavItem{
	{Section: "enterprises", Label: "企业名录", Href: "/enterprises", Group: "梯度培育"},
	{Section: "enterprise-new", Label: "新增企业", Href: "/enterprises/new"},
}
