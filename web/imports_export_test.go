package web

import "time"

// SetImportWait sets how long a request waits for a dry run before showing progress; it
// returns a func restoring the old wait.
func SetImportWait(d time.Duration) (restore func()) {
	old := importWait
	importWait = d
	return func() { importWait = old }
}
