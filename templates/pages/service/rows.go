package service

import "zjtx/internal/domain"

// View models of the service pages; web maps the store's rows into them, so templates
// never import the store.

// Visit is a visit with its enterprise's and specialist's names.
type Visit struct {
	domain.Visit
	EnterpriseName string
	SpecialistName string
}

// Demand is a demand with its enterprise's name.
type Demand struct {
	domain.Demand
	EnterpriseName string
}

// Assignment is an assignment with its specialist's name and district.
type Assignment struct {
	domain.Assignment
	SpecialistName     string
	SpecialistDistrict string
}

// WorkloadRow is one enterprise in a specialist's portfolio.
type WorkloadRow struct {
	ID           int64
	Name         string
	DistrictCode string
	Tier         domain.Tier
	LastVisit    domain.Date
	OpenDemands  int
	Overdue      int
}

// CoverageRow is one district's or specialist's visit coverage.
type CoverageRow struct {
	Key, Name, District               string
	Total, Quarter, Stale, Unassigned int64
}

// Percent is the share visited this quarter, in whole percent.
func (r CoverageRow) Percent() int {
	if r.Total == 0 {
		return 0
	}
	return int(r.Quarter * 100 / r.Total)
}

// ServiceDay is a service day with how many enterprises were served and demands raised.
type ServiceDay struct {
	domain.ServiceDay
	Enterprises, Demands int64
}

// Paging is where a page sits in a filtered list.
type Paging struct {
	Page, Pages int
	Total       int64
}
