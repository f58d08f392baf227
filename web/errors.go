package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/store"
	errpages "zjtx/templates/pages/errors"
)

// handleError is the one place errors become responses: typed store errors map to
// statuses, anything unexpected is logged and shown as a plain 500.
// statusClientClosed is logged for requests the client abandoned (nginx's convention).
const statusClientClosed = 499

func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, msg := http.StatusInternalServerError, "服务器内部错误，请稍后重试。"
	var he *echo.HTTPError
	switch {
	case c.Request().Context().Err() != nil:
		// The client closed the connection mid-request: nobody reads the answer, and it
		// is no server fault. 499 is the usual name for it in access logs.
		c.Response().WriteHeader(statusClientClosed)
		return
	case errors.Is(err, store.ErrNotFound):
		status, msg = http.StatusNotFound, "找不到该记录。"
	case errors.As(err, &he):
		status = he.Code
		msg = statusMessage(status, he)
	default:
		s.log.ErrorContext(c.Request().Context(), "unhandled error", "err", err, "path", c.Request().URL.Path,
			"id", c.Response().Header().Get(echo.HeaderXRequestID))
	}
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		_ = c.JSON(status, map[string]any{"error": map[string]any{"code": http.StatusText(status), "message": msg}})
		return
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(status)
		return
	}
	m := s.meta(c, http.StatusText(status), "")
	m.Title = statusTitle(status)
	_ = render(c, status, errpages.Page(m, status, msg))
}

func statusTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusForbidden:
		return "无权访问"
	case http.StatusTooManyRequests:
		return "请求过于频繁"
	case http.StatusRequestEntityTooLarge:
		return "提交内容过大"
	case http.StatusBadRequest:
		return "请求有误"
	}
	if status >= 500 {
		return "服务器错误"
	}
	return http.StatusText(status)
}

func statusMessage(status int, he *echo.HTTPError) string {
	if m, ok := he.Message.(string); ok && m != "" && !strings.EqualFold(m, http.StatusText(status)) {
		return m
	}
	switch status {
	case http.StatusNotFound:
		return "找不到您要访问的页面或记录。"
	case http.StatusForbidden:
		return "您没有权限执行此操作。"
	case http.StatusMethodNotAllowed:
		return "不支持该请求方式。"
	case http.StatusRequestEntityTooLarge:
		return "提交的内容超过大小限制。"
	case http.StatusTooManyRequests:
		return "请求过于频繁，请稍后再试。"
	case http.StatusBadRequest:
		return "请求格式有误。"
	}
	return http.StatusText(status)
}
