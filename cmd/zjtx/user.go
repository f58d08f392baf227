package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"zjtx/internal/auth"
	"zjtx/internal/domain"
	"zjtx/internal/store"
)

func init() {
	register("user", "账户管理：zjtx user add --username … --role …", runUser)
	register("healthcheck", "检查本机服务是否健康（供容器健康检查）", runHealthcheck)
}

func runUser(ctx context.Context, args []string, e env) error {
	if len(args) == 0 || args[0] != "add" {
		fmt.Fprintln(e.stderr, "usage: zjtx user add --db … --username … --role admin|city|district|specialist|enterprise [--district CODE|--enterprise USCC] [--name 姓名]\n密码从标准输入读取（一行）；标准输入为空时自动生成并打印一次。")
		return errUsage
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	dsn := fs.String("db", defaultDB(e), "SQLite file or postgres:// URL")
	username := fs.String("username", "", "login name")
	role := fs.String("role", "", "admin, city, district, specialist or enterprise")
	district := fs.String("district", "", "district code (district officers; optional for specialists)")
	enterprise := fs.String("enterprise", "", "USCC of the enterprise (enterprise accounts)")
	name := fs.String("name", "", "display name")
	if err := fs.Parse(args[1:]); err != nil {
		return errUsage
	}
	db, err := openDB(ctx, *dsn, newLogger(e))
	if err != nil {
		return err
	}
	defer db.Close()

	u := domain.User{Username: *username, DisplayName: *name, Role: domain.Role(*role), DistrictCode: *district}
	if *enterprise != "" {
		chk, err := domain.ParseUSCC(*enterprise)
		if err != nil {
			return fmt.Errorf("--enterprise: %w", err)
		}
		ent, err := store.NewEnterprises(db).GetByUSCC(ctx, chk.Code)
		if err != nil {
			return fmt.Errorf("--enterprise %s: 未找到该企业", chk.Code)
		}
		u.EnterpriseID = &ent.ID
	}
	if errs := u.Validate(); len(errs) > 0 {
		for field, msg := range errs {
			fmt.Fprintf(e.stderr, "--%s: %s\n", field, msg)
		}
		return errUsage
	}
	password, generated, err := readPassword(e.stdin)
	if err != nil {
		return err
	}
	if msg := domain.CheckPassword(password, u.Username); msg != "" {
		return errors.New(msg)
	}
	if u.PasswordHash, err = auth.HashPassword(password); err != nil {
		return err
	}
	u.MustChangePassword = generated
	if err := store.NewUsers(db).Create(ctx, store.Actor{Name: "命令行"}, &u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return fmt.Errorf("用户名 %s 已存在", u.Username)
		}
		return err
	}
	fmt.Fprintf(e.stdout, "已创建用户 %s（%s）\n", u.Username, u.Role.Label())
	if generated {
		fmt.Fprintf(e.stdout, "初始密码（只显示这一次，首次登录须修改）：%s\n", password)
	}
	return nil
}

// readPassword takes the first line of stdin; empty input means "generate one".
func readPassword(r io.Reader) (pw string, generated bool, err error) {
	if r != nil {
		line, err := bufio.NewReader(r).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", false, err
		}
		if pw = strings.TrimRight(line, "\r\n"); pw != "" {
			return pw, false, nil
		}
	}
	return auth.GeneratePassword(), true, nil
}

func runHealthcheck(ctx context.Context, args []string, e env) error {
	addr := envOr(e, "ZJTX_ADDR", "127.0.0.1:8080")
	addr = strings.Replace(addr, "0.0.0.0", "127.0.0.1", 1)
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/healthz", nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz: %s", res.Status)
	}
	return nil
}
