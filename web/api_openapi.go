package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// openAPIPaths documents every /api/v1 route; a test checks it against the route table.
var openAPIPaths = map[string]map[string]apiOp{
	"/api/v1/eval":         {"post": {"评估资格（facts → verdict，见 ELIGIBILITY.md §7）", nil, "Verdict"}},
	"/api/v1/openapi.json": {"get": {"本文档", nil, ""}},
	"/api/v1/enterprises": {
		"get":  {"企业列表（按用户范围；q、district、tier、industry_group、label 过滤；page、per_page 分页）", []string{"q", "district", "tier", "industry_group", "label", "page", "per_page"}, "EnterprisePage"},
		"post": {"登记企业（字段同企业表单）", nil, "Enterprise"},
	},
	"/api/v1/enterprises/{id}": {
		"get": {"企业详情", nil, "Enterprise"},
		"put": {"修改企业资料（须带 version；未提供的字段保持不变）", nil, "Enterprise"},
	},
	"/api/v1/enterprises/{id}/years":        {"get": {"年度数据（金额单位：万元）", nil, "Years"}},
	"/api/v1/enterprises/{id}/years/{year}": {"put": {"新增或更正某年度数据（已有年度须带 version）", nil, "Year"}},
	"/api/v1/enterprises/{id}/tiers":        {"get": {"当前层级与认定历史", nil, "Tiers"}},
	"/api/v1/enterprises/{id}/visits":       {"get": {"走访记录", nil, "Items"}},
	"/api/v1/enterprises/{id}/demands":      {"get": {"诉求", nil, "Items"}},
}

type apiOp struct {
	Summary string
	Query   []string
	Schema  string
}

// OpenAPIPaths lists the documented (method, path) pairs in echo's :param form, for tests.
func OpenAPIPaths() map[string]bool {
	out := map[string]bool{}
	for p, ops := range openAPIPaths {
		ep := p
		for strings.Contains(ep, "{") {
			i, j := strings.Index(ep, "{"), strings.Index(ep, "}")
			ep = ep[:i] + ":" + ep[i+1:j] + ep[j+1:]
		}
		for m := range ops {
			out[strings.ToUpper(m)+" "+ep] = true
		}
	}
	return out
}

func (s *Server) openAPI(c echo.Context) error {
	errSchema := map[string]any{"type": "object", "properties": map[string]any{"error": map[string]any{"type": "object",
		"properties": map[string]any{"code": map[string]any{"type": "string"}, "message": map[string]any{"type": "string"}, "field": map[string]any{"type": "string"}},
		"required":   []string{"code", "message"}}}}
	paths := map[string]any{}
	for p, ops := range openAPIPaths {
		item := map[string]any{}
		for m, op := range ops {
			var params []any
			for _, seg := range strings.Split(p, "/") {
				if strings.HasPrefix(seg, "{") {
					params = append(params, map[string]any{"name": strings.Trim(seg, "{}"), "in": "path", "required": true, "schema": map[string]any{"type": "integer"}})
				}
			}
			for _, q := range op.Query {
				params = append(params, map[string]any{"name": q, "in": "query", "schema": map[string]any{"type": "string"}})
			}
			o := map[string]any{"summary": op.Summary, "responses": map[string]any{
				"200":     map[string]any{"description": "成功", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}},
				"default": map[string]any{"description": "错误", "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Error"}}}},
			}}
			if params != nil {
				o["parameters"] = params
			}
			if m == "post" || m == "put" {
				o["requestBody"] = map[string]any{"required": true, "content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"type": "object"}}}}
			}
			item[m] = o
		}
		paths[p] = item
	}
	doc := map[string]any{
		"openapi": "3.0.3",
		"info":    map[string]any{"title": "zjtx 专精特新梯度培育 API", "version": "1"},
		"servers": []any{map[string]any{"url": "/"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         map[string]any{"Error": errSchema},
			"securitySchemes": map[string]any{"bearer": map[string]any{"type": "http", "scheme": "bearer", "description": "个人 API 令牌（账户 → API 令牌）"}, "session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie}},
		},
		"security": []any{map[string]any{"bearer": []string{}}, map[string]any{"session": []string{}}},
	}
	return c.JSON(http.StatusOK, doc)
}
