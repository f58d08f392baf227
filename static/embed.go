// Package static holds the stylesheet, scripts and vendored libraries, embedded
// so the binary serves its whole UI without network access.
package static

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"sync"
)

//go:embed *.css *.js vendor
var FS embed.FS

var (
	hashOnce sync.Once
	hashes   map[string]string
)

// URL returns the path of an embedded file with a content hash, so browsers may
// cache it forever and still see a new release at once.
func URL(name string) string {
	hashOnce.Do(func() {
		hashes = map[string]string{}
		_ = fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := FS.ReadFile(p)
			if err != nil {
				return err
			}
			sum := sha256.Sum256(b)
			hashes[p] = hex.EncodeToString(sum[:6])
			return nil
		})
	})
	return "/static/" + name + "?v=" + hashes[name]
}
