package web

import (
	"zjtx/internal/store"
	"zjtx/templates/pages/service"
)

// The store's service rows mapped into the service templates' view models.

func mapRows[T, U any](xs []T, f func(T) U) []U {
	if xs == nil {
		return nil
	}
	out := make([]U, len(xs))
	for i, x := range xs {
		out[i] = f(x)
	}
	return out
}

func visitView(r store.VisitRow) service.Visit {
	return service.Visit{Visit: r.Visit, EnterpriseName: r.EnterpriseName, SpecialistName: r.SpecialistName}
}

func demandView(r store.DemandRow) service.Demand {
	return service.Demand{Demand: r.Demand, EnterpriseName: r.EnterpriseName}
}

func assignmentView(r store.AssignmentRow) service.Assignment {
	return service.Assignment{Assignment: r.Assignment, SpecialistName: r.SpecialistName, SpecialistDistrict: r.SpecialistDistrict}
}

func workloadView(r store.WorkloadRow) service.WorkloadRow {
	return service.WorkloadRow{ID: r.ID, Name: r.Name, DistrictCode: r.DistrictCode, Tier: r.Tier,
		LastVisit: r.LastVisit, OpenDemands: r.OpenDemands, Overdue: r.Overdue}
}

func coverageView(r store.CoverageRow) service.CoverageRow {
	return service.CoverageRow{Key: r.Key, Name: r.Name, District: r.District, Total: r.Total, Quarter: r.Quarter,
		Stale: r.Stale, Unassigned: r.Unassigned}
}

func serviceDayView(r store.ServiceDayRow) service.ServiceDay {
	return service.ServiceDay{ServiceDay: r.ServiceDay, Enterprises: r.Enterprises, Demands: r.Demands}
}
