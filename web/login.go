package web

import (
	"context"
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/pages/account"
)

func (s *Server) showLogin(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, "/")
	}
	v := account.LoginView{Meta: s.meta(c, "登录", "login"), Next: safeNext(c.QueryParam("next")), Demo: s.demo}
	return render(c, http.StatusOK, account.LoginPage(v))
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func (s *Server) login(c echo.Context) error {
	ctx := c.Request().Context()
	username := strings.TrimSpace(c.FormValue("username"))
	password := c.FormValue("password")
	next := safeNext(c.FormValue("next"))
	fail := func(status int, msg string) error {
		v := account.LoginView{Meta: s.meta(c, "登录", "login"), Username: username, Next: next, Error: msg, Demo: s.demo}
		return render(c, status, account.LoginPage(v))
	}

	// Throttle per address, and per username at that address: an attacker elsewhere
	// cannot lock a user out, and one address cannot try many passwords.
	now := s.now()
	ipKey, userKey := "ip:"+c.RealIP(), "user:"+strings.ToLower(username)+"|ip:"+c.RealIP()
	since := now.Add(-throttleWindow)
	if n, err := s.users.LoginFailures(ctx, ipKey, since); err != nil {
		return err
	} else if n >= maxFailsPerIP {
		return fail(http.StatusTooManyRequests, "登录失败次数过多，请15分钟后再试。")
	}
	if n, err := s.users.LoginFailures(ctx, userKey, since); err != nil {
		return err
	} else if n >= maxFailsUserAtIP {
		return fail(http.StatusTooManyRequests, "该账号登录失败次数过多，请15分钟后再试。")
	}

	u, err := s.users.GetByUsername(ctx, username)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !auth.CheckPassword(u.PasswordHash, password) || u.Disabled {
		if err := s.users.RecordLoginFailure(ctx, now, ipKey, userKey); err != nil {
			return err
		}
		return fail(http.StatusUnauthorized, "用户名或密码错误，或账号已停用。")
	}
	_ = s.users.ClearLoginFailures(ctx, userKey)

	// A fresh session at every login: a token planted before login is worthless after it.
	if old, err := c.Cookie(sessionCookie); err == nil && old.Value != "" {
		_ = s.users.DeleteSession(ctx, auth.HashToken(old.Value))
	}
	token := auth.NewToken()
	sess := store.Session{ID: auth.HashToken(token), UserID: u.ID, CSRFToken: auth.NewToken(),
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(sessionLifetime), IP: c.RealIP(),
		UserAgent: truncateString(c.Request().UserAgent(), 200)}
	if err := s.users.CreateSession(ctx, &sess); err != nil {
		return err
	}
	s.setSessionCookie(c, token)
	c.Set("user", &u)
	if err := s.users.RecordLogin(ctx, s.actor(c), u.ID); err != nil {
		return err
	}
	if u.MustChangePassword {
		return c.Redirect(http.StatusSeeOther, "/account/password")
	}
	return c.Redirect(http.StatusSeeOther, next)
}

func (s *Server) logout(c echo.Context) error {
	if sess := currentSession(c); sess != nil {
		if err := s.users.DeleteSession(context.WithoutCancel(c.Request().Context()), sess.ID); err != nil {
			return err
		}
	}
	s.clearSessionCookie(c)
	return c.Redirect(http.StatusSeeOther, "/login")
}

func (s *Server) editPassword(c echo.Context) error {
	v := account.PasswordView{Meta: s.meta(c, "修改密码", "password"), Errors: domain.FieldErrors{}, Forced: currentUser(c).MustChangePassword}
	return render(c, http.StatusOK, account.PasswordPage(v))
}

func (s *Server) updatePassword(c echo.Context) error {
	u := currentUser(c)
	errs := domain.FieldErrors{}
	current, next, confirm := c.FormValue("current"), c.FormValue("new"), c.FormValue("confirm")
	if !auth.CheckPassword(u.PasswordHash, current) {
		errs.Add("current", "当前密码不正确")
	}
	if msg := domain.CheckPassword(next, u.Username); msg != "" {
		errs.Add("new", msg)
	} else if next == current {
		errs.Add("new", "新密码不能与当前密码相同")
	}
	if confirm != next {
		errs.Add("confirm", "两次输入的新密码不一致")
	}
	if len(errs) > 0 {
		v := account.PasswordView{Meta: s.meta(c, "修改密码", "password"), Errors: errs, Forced: u.MustChangePassword}
		return render(c, http.StatusUnprocessableEntity, account.PasswordPage(v))
	}
	hash, err := auth.HashPassword(next)
	if err != nil {
		return err
	}
	if err := s.users.SetPassword(c.Request().Context(), s.actor(c), u.ID, hash, false, currentSession(c).ID); err != nil {
		return err
	}
	setFlash(c, "ok", "密码已修改，其他设备上的登录已退出。")
	return redirect(c, "/")
}

func truncateString(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
