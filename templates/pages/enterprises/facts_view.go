package enterprises

import (
	"zjtx/internal/domain"
	"zjtx/internal/forms"
	"zjtx/templates/layout"
)

// FactsFormView is the fact-sheet form: the eligibility inputs beyond profile and figures.
type FactsFormView struct {
	Meta       layout.Meta
	Enterprise domain.Enterprise
	Form       forms.Facts
	Saved      bool // a fact sheet exists (false: nothing reported yet)
}
