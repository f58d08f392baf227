package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

func runDemoCmd(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), append([]string{"demo"}, args...), env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" },
	})
	return out.String(), errOut.String(), err
}

func TestDemoFillsEmptyDatabaseOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "demo.db")
	out, stderr, err := runDemoCmd(t, "--db", path, "--enterprises", "60", "--seed", "3", "--today", "2026-11-20")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	if !strings.HasPrefix(out, "已生成演示数据：60 家企业") || !strings.Contains(out, "用时") || strings.Count(out, "\n") != 1 {
		t.Errorf("summary = %q", out)
	}

	_, _, err = runDemoCmd(t, "--db", path, "--enterprises", "60")
	if err == nil || !strings.Contains(err.Error(), "已有企业数据") {
		t.Fatalf("second run on a filled database: %v, want a refusal", err)
	}
}

func TestDemoFlags(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--enterprises", "0", "--db", filepath.Join(dir, "a.db")},
		{"--bogus"},
		{"--db", filepath.Join(dir, "b.db"), "extra"},
	} {
		if _, _, err := runDemoCmd(t, args...); err == nil {
			t.Errorf("demo %v: accepted", args)
		}
	}
	if _, _, err := runDemoCmd(t, "--db", filepath.Join(dir, "c.db"), "--today", "2026-13-01"); err == nil {
		t.Error("bad --today accepted")
	}
}
