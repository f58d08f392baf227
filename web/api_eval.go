package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"zjtx/internal/domain/eligibility"
)

// evalBodyLimit bounds a POST /api/v1/eval body (the app-wide limit is larger, for forms).
const evalBodyLimit = 1 << 20

// apiError is the JSON error body of the API.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"` // the facts path, e.g. "years[0].revenue"
}

func writeAPIError(c echo.Context, status int, e apiError) error {
	return c.JSON(status, map[string]apiError{"error": e})
}

// evalAPI is `zjtx eval` over HTTP (ELIGIBILITY.md §7): one facts document or an array of
// them in, the verdict or an array of verdicts out, with the parameters in force here
// (administrator overrides applied).
func (s *Server) evalAPI(c echo.Context) error {
	body, err := io.ReadAll(io.LimitReader(c.Request().Body, evalBodyLimit+1))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return writeAPIError(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "请求体超过 1 MB 上限"})
		}
		return writeAPIError(c, http.StatusBadRequest, apiError{Code: "unreadable_body", Message: "无法读取请求体"})
	}
	if len(body) > evalBodyLimit {
		return writeAPIError(c, http.StatusRequestEntityTooLarge, apiError{Code: "too_large", Message: "请求体超过 1 MB 上限"})
	}
	facts, err := eligibility.DecodeFacts(body)
	if err != nil {
		e := apiError{Code: "invalid_facts", Message: err.Error()}
		var fe *eligibility.FieldError
		if errors.As(err, &fe) {
			e.Message, e.Field = fe.Message, fe.Path
		}
		return writeAPIError(c, http.StatusBadRequest, e)
	}
	ps, err := s.tiers.Parameters(c.Request().Context())
	if err != nil {
		return err
	}
	verdicts := make([]eligibility.Verdict, len(facts))
	for i := range facts {
		verdicts[i] = eligibility.Evaluate(facts[i], ps)
	}
	var out any = verdicts
	if !eligibility.IsArray(body) {
		out = verdicts[0]
	}
	buf := new(bytes.Buffer)
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return err
	}
	return c.JSONBlob(http.StatusOK, buf.Bytes())
}
