package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"zjtx/internal/auth"
	"zjtx/internal/store"
	"zjtx/templates/pages/data"
)

func (s *Server) tokens() *store.Tokens { return store.NewTokens(s.db) }

func (s *Server) listTokens(c echo.Context) error {
	return s.renderTokens(c, http.StatusOK, data.TokensView{})
}

func (s *Server) renderTokens(c echo.Context, status int, v data.TokensView) error {
	ts, err := s.tokens().List(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	stamp := func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return t.In(shanghai).Format("2006-01-02 15:04")
	}
	for _, t := range ts {
		r := data.TokenRow{ID: t.ID, Name: t.Name, Prefix: t.Prefix, Created: stamp(&t.CreatedAt), LastUsed: stamp(t.LastUsedAt), Revoked: stamp(t.RevokedAt)}
		if r.LastUsed == "" {
			r.LastUsed = "从未使用"
		}
		v.Tokens = append(v.Tokens, r)
	}
	v.Meta = s.meta(c, "API 令牌", "tokens")
	return render(c, status, data.TokensPage(v))
}

// createToken makes a token and shows its secret on this response only; just its hash is stored.
func (s *Server) createToken(c echo.Context) error {
	name := strings.TrimSpace(c.FormValue("name"))
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		return s.renderTokens(c, http.StatusUnprocessableEntity, data.TokensView{Name: name, Error: "请填写令牌名称，说明它的用途"})
	case n > 60:
		return s.renderTokens(c, http.StatusUnprocessableEntity, data.TokensView{Name: name, Error: "令牌名称不超过60字"})
	case !utf8.ValidString(name) || strings.ContainsRune(name, 0):
		// Not text: PostgreSQL refuses such bytes (a 500), SQLite would store them.
		return s.renderTokens(c, http.StatusUnprocessableEntity, data.TokensView{Name: strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), ""), Error: "令牌名称含有无法识别的字符"})
	}
	secret := auth.NewToken()
	t := store.APIToken{UserID: currentUser(c).ID, Name: name, TokenHash: auth.HashToken(secret), Prefix: secret[:6]}
	if err := s.tokens().Create(c.Request().Context(), s.actor(c), &t); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.renderTokens(c, http.StatusOK, data.TokensView{NewToken: secret, NewName: name})
}

func (s *Server) revokeToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("tid"), 10, 64)
	if err != nil || id <= 0 {
		return store.ErrNotFound
	}
	if err := s.tokens().Revoke(c.Request().Context(), s.actor(c), currentUser(c).ID, id); err != nil {
		return err
	}
	setFlash(c, "ok", "已吊销该令牌，使用它的请求将被拒绝")
	return redirect(c, "/account/tokens")
}
