package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"zjtx/internal/domain"
	"zjtx/internal/store"
	"zjtx/internal/store/storetest"
)

// A session lookup is asked on every request; logging out, changing the password,
// disabling the user or changing the role must end the session at the next request.
func TestSessionUserSeesWritesAtOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		users := store.NewUsers(db)
		now := time.Now().UTC().Truncate(time.Second)
		idle := 2 * time.Hour
		e := newEnterprise("91310000631696382C", "上海精密仪器有限公司", "310115")
		if err := store.NewEnterprises(db).Create(ctx, store.System, e); err != nil {
			t.Fatal(err)
		}
		u := &domain.User{Username: "zhang", DisplayName: "张三", PasswordHash: "x", Role: domain.RoleEnterprise, EnterpriseID: &e.ID}
		if err := users.Create(ctx, store.System, u); err != nil {
			t.Fatal(err)
		}
		newSession := func(id string) {
			t.Helper()
			if err := users.CreateSession(ctx, &store.Session{ID: id, UserID: u.ID, CSRFToken: "csrf-" + id,
				CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(12 * time.Hour)}); err != nil {
				t.Fatal(err)
			}
		}
		live := func(id string, at time.Time) bool {
			t.Helper()
			_, _, err := users.SessionUser(ctx, id, at, idle)
			if err != nil && !errors.Is(err, store.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}

		newSession("a")
		sess, got, err := users.SessionUser(ctx, "a", now, idle)
		if err != nil {
			t.Fatal(err)
		}
		if sess.CSRFToken != "csrf-a" || got.Username != "zhang" || got.Name() != "张三" || got.Role != domain.RoleEnterprise ||
			got.EnterpriseID == nil || *got.EnterpriseID != e.ID {
			t.Fatalf("session %+v user %+v", sess, got)
		}
		if live("nope", now) {
			t.Error("an unknown session is live")
		}
		if live("a", now.Add(idle+time.Minute)) {
			t.Error("an idle session is live")
		}
		if live("a", now.Add(13*time.Hour)) {
			t.Error("an expired session is live")
		}
		if err := users.TouchSession(ctx, "a", now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if !live("a", now.Add(time.Hour+idle-time.Minute)) {
			t.Error("a touched session is not kept alive")
		}

		if err := users.DeleteSession(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if live("a", now) {
			t.Error("session still live after logout")
		}

		newSession("b")
		newSession("c")
		if !live("b", now) || !live("c", now) {
			t.Fatal("new sessions not live")
		}
		if err := users.SetPassword(ctx, store.System, u.ID, "y", false, "c"); err != nil {
			t.Fatal(err)
		}
		if live("b", now) || !live("c", now) {
			t.Error("a password change must end the other sessions and keep the current one")
		}

		cur, _ := users.Get(ctx, u.ID)
		cur.Disabled = true
		if err := users.Update(ctx, store.System, &cur); err != nil {
			t.Fatal(err)
		}
		if live("c", now) {
			t.Error("session of a disabled user still live")
		}
	})
}
