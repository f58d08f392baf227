// Package reliability holds the process-level tests of issue #12, which run the real
// zjtx binary as a subprocess: SIGKILL during an import and during promotions
// (crash_test.go), 50 concurrent writers over HTTP, and a backup/restore round trip
// under that load (writers_test.go). See docs/reliability.md.
package reliability
