// Package tiers renders the tier lifecycle pages: decision records, the review list,
// promotion candidates and the recommendation queues.
package tiers

import (
	"strconv"

	"zjtx/internal/domain"
	"zjtx/internal/domain/eligibility"
	"zjtx/templates/layout"
)

// DecisionView is one immutable decision record.
type DecisionView struct {
	Meta       layout.Meta
	Decision   domain.Decision
	Enterprise domain.Enterprise
	Verdict    *eligibility.Verdict // nil for decisions without an evaluation (revocation)
	FactsJSON  string               // indented
	Replay     string               // the outcome of re-evaluating the stored facts
}

// ReviewRow is a title expiring soon.
type ReviewRow struct {
	Enterprise domain.Enterprise
	DaysLeft   int
}

// ReviewView lists titles due for review (复核).
type ReviewView struct {
	Meta     layout.Meta
	Rows     []ReviewRow
	Until    domain.Date
	CanRenew bool
}

// Candidate is an enterprise whose facts meet its next rung today.
type Candidate struct {
	Enterprise domain.Enterprise
	Next       domain.Tier
	Score      eligibility.OptNum
}

// CandidatesView is the batch "who could move up now".
type CandidatesView struct {
	Meta       layout.Meta
	District   string
	Tier       string
	Candidates []Candidate
	Evaluated  int
	Truncated  bool
	Districts  []domain.District
}

// ApplicationRow is an open recommendation in a queue.
type ApplicationRow struct {
	Application  domain.Application
	Name, USCC   string
	DistrictCode string
	Tier         domain.Tier
}

// ApplicationsView is the recommendation queues.
type ApplicationsView struct {
	Meta     layout.Meta
	District []ApplicationRow
	MIIT     []ApplicationRow
}

func idPath(prefix string, id int64, suffix string) string {
	return prefix + strconv.FormatInt(id, 10) + suffix
}

func itoa(n int) string { return strconv.Itoa(n) }
