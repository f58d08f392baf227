# The README's two commands are `make run` and `make test`; the rest are conveniences.
.PHONY: run test test-short generate build bench fmt fuzz

run:
	go run ./cmd/zjtx serve --demo

# Every test, including the PostgreSQL store tests (set ZJTX_TEST_POSTGRES) and the
# chromium browser tests; without those tools they skip with a reason, unless CI=true.
test:
	go test -count=1 -timeout 25m ./...

test-short:
	go test -short ./...

generate:
	go tool templ generate

build:
	CGO_ENABLED=1 go build -o zjtx ./cmd/zjtx

bench:
	go test -run '^$$' -bench . -benchmem ./...

fmt:
	gofmt -w $$(git ls-files '*.go' | grep -v _templ.go)

# Each fuzz target for FUZZTIME (CI: 30s); a finding (a new file in testdata/fuzz/<FuzzName>/)
# fails, the Go 1.26 coordinator-deadline flake is retried once (scripts/fuzz.sh).
FUZZTIME ?= 30s
fuzz:
	FUZZTIME=$(FUZZTIME) scripts/fuzz.sh
