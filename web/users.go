package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/templates/layout"
	"zjtx/templates/pages/admin"
)

var crumbUsers = layout.Crumb{Label: "用户管理", Href: "/admin/users"}

func (s *Server) listUsers(c echo.Context) error {
	ctx := c.Request().Context()
	f := store.UserFilter{Role: domain.Role(c.QueryParam("role")), Query: strings.TrimSpace(c.QueryParam("q"))}
	if !f.Role.Valid() {
		f.Role = ""
	}
	users, err := s.users.List(ctx, f)
	if err != nil {
		return err
	}
	var ids []int64
	for _, u := range users {
		if u.EnterpriseID != nil {
			ids = append(ids, *u.EnterpriseID)
		}
	}
	names, err := s.enterprises.Names(ctx, ids) // one query, not one per account
	if err != nil {
		return err
	}
	rows := make([]admin.UserRow, len(users))
	for i, u := range users {
		rows[i] = admin.UserRow{User: u}
		if u.EnterpriseID != nil {
			rows[i].EnterpriseName = names[*u.EnterpriseID]
		}
	}
	v := admin.UsersView{Meta: s.meta(c, "用户管理", "users"), Users: rows, Role: string(f.Role), Query: f.Query}
	return render(c, http.StatusOK, admin.UsersPage(v))
}

func (s *Server) newUser(c echo.Context) error {
	return s.renderUserForm(c, http.StatusOK, admin.UserForm{Errors: domain.FieldErrors{}})
}

func (s *Server) renderUserForm(c echo.Context, status int, f admin.UserForm) error {
	title := "新建用户"
	if f.ID != 0 {
		title = "编辑用户 " + f.Username
	}
	return render(c, status, admin.UserFormPage(admin.UserFormView{Meta: s.meta(c, title, "users", crumbUsers), Form: f}))
}

func userFormFromRequest(c echo.Context) admin.UserForm {
	return admin.UserForm{
		Version: c.FormValue("version"), Username: strings.TrimSpace(c.FormValue("username")),
		DisplayName: strings.TrimSpace(c.FormValue("display_name")), Role: c.FormValue("role"),
		District: c.FormValue("district"), Enterprise: domain.NormalizeUSCC(c.FormValue("enterprise")),
		Phone: strings.TrimSpace(c.FormValue("phone")), Disabled: c.FormValue("disabled") == "on",
		Password: c.FormValue("password"), Errors: domain.FieldErrors{},
	}
}

// applyUserForm validates the form onto u, resolving the enterprise binding by USCC.
func (s *Server) applyUserForm(c echo.Context, f *admin.UserForm, u *domain.User) {
	u.DisplayName, u.Role, u.DistrictCode, u.Phone, u.Disabled = f.DisplayName, domain.Role(f.Role), f.District, f.Phone, f.Disabled
	u.EnterpriseID = nil
	if f.Enterprise != "" && u.Role == domain.RoleEnterprise {
		e, err := s.enterprises.GetByUSCC(c.Request().Context(), domain.USCC(f.Enterprise))
		if err != nil {
			f.Errors.Add("enterprise", "未找到该统一社会信用代码对应的企业")
		} else {
			u.EnterpriseID = &e.ID
		}
	}
	for k, msg := range u.Validate() {
		f.Errors.Add(k, msg)
	}
}

func (s *Server) createUser(c echo.Context) error {
	f := userFormFromRequest(c)
	u := domain.User{Username: f.Username}
	s.applyUserForm(c, &f, &u)
	f.Username = u.Username
	password, generated := f.Password, false
	if password == "" {
		password, generated = auth.GeneratePassword(), true
	} else if msg := domain.CheckPassword(password, u.Username); msg != "" {
		f.Errors.Add("password", msg)
	}
	if len(f.Errors) > 0 {
		return s.renderUserForm(c, http.StatusUnprocessableEntity, f)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	u.PasswordHash, u.MustChangePassword = hash, true
	if err := s.users.Create(c.Request().Context(), s.actor(c), &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			f.Errors.Add("username", "该用户名已存在")
			return s.renderUserForm(c, http.StatusUnprocessableEntity, f)
		}
		return err
	}
	msg := "已创建用户 " + u.Username + "，首次登录须修改密码。"
	if generated {
		msg += "初始密码（只显示这一次）：" + password
	}
	setFlash(c, "ok", msg)
	return redirect(c, "/admin/users/"+strconv.FormatInt(u.ID, 10))
}

func (s *Server) loadUser(c echo.Context) (domain.User, error) {
	id, err := strconv.ParseInt(c.Param("uid"), 10, 64)
	if err != nil {
		return domain.User{}, store.ErrNotFound
	}
	return s.users.Get(c.Request().Context(), id)
}

func (s *Server) editUser(c echo.Context) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	f := admin.UserForm{ID: u.ID, Version: strconv.FormatInt(u.Version, 10), Username: u.Username,
		DisplayName: u.DisplayName, Role: string(u.Role), District: u.DistrictCode, Phone: u.Phone,
		Disabled: u.Disabled, Errors: domain.FieldErrors{}}
	if u.EnterpriseID != nil {
		if e, err := s.enterprises.Get(c.Request().Context(), domain.Scope{All: true}, *u.EnterpriseID); err == nil {
			f.Enterprise = string(e.USCC)
		}
	}
	return s.renderUserForm(c, http.StatusOK, f)
}

func (s *Server) updateUser(c echo.Context) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	f := userFormFromRequest(c)
	f.ID, f.Username = u.ID, u.Username
	s.applyUserForm(c, &f, &u)
	if v, err := strconv.ParseInt(f.Version, 10, 64); err != nil {
		f.Errors.Add("version", "表单已损坏，请刷新后重试")
	} else {
		u.Version = v
	}
	if me := currentUser(c); me.ID == u.ID && (u.Disabled || u.Role != domain.RoleAdmin) {
		f.Errors.Add("role", "不能停用自己或取消自己的管理员角色")
	}
	if len(f.Errors) > 0 {
		return s.renderUserForm(c, http.StatusUnprocessableEntity, f)
	}
	if err := s.users.Update(c.Request().Context(), s.actor(c), &u); err != nil {
		if errors.Is(err, store.ErrStale) {
			f.Errors.Add("version", "保存失败：该用户已被他人修改，请刷新后重试。")
			return s.renderUserForm(c, http.StatusConflict, f)
		}
		return err
	}
	setFlash(c, "ok", "已保存用户 "+u.Username)
	return redirect(c, "/admin/users")
}

func (s *Server) resetUserPassword(c echo.Context) error {
	u, err := s.loadUser(c)
	if err != nil {
		return err
	}
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	if err := s.users.SetPassword(c.Request().Context(), s.actor(c), u.ID, hash, true, ""); err != nil {
		return err
	}
	setFlash(c, "ok", "已重置 "+u.Username+" 的密码，其登录已全部退出。新密码（只显示这一次）："+password)
	return redirect(c, "/admin/users/"+strconv.FormatInt(u.ID, 10))
}
