package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A backup whose pages are damaged is refused by restore (integrity_check), and the
// target is left as it was.
func TestRestoreRefusesCorruptBackup(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "z.db")
	if out, err := runCmd(t, "demo", "--db", dbPath, "--enterprises", "200"); err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	bak := filepath.Join(dir, "backup.db")
	if out, err := runCmd(t, "backup", "--db", dbPath, bak); err != nil {
		t.Fatalf("backup: %v\n%s", err, out)
	}
	data, err := os.ReadFile(bak)
	if err != nil {
		t.Fatal(err)
	}
	// Overwrite the second half of the file (table and index pages) with noise, keeping
	// the header and the schema page readable.
	for i := len(data) / 2; i < len(data); i++ {
		data[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(bak, data, 0o600); err != nil {
		t.Fatal(err)
	}
	target := filepath.Join(dir, "restored.db")
	out, err := runCmd(t, "restore", "--db", target, bak)
	if err == nil || !strings.Contains(err.Error(), "未恢复") {
		t.Fatalf("restore of a damaged backup: %v\n%s", err, out)
	}
	if _, err := os.Stat(target); err == nil {
		t.Fatal("restore wrote the target from a damaged backup")
	}
}
