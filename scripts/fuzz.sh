#!/usr/bin/env bash
# Runs every `func FuzzX` in a tracked _test.go file for FUZZTIME (default 30s) and fails
# on a finding. Used by `make fuzz` and CI (.ci/run); see docs/reliability.md §1.
#
# - A finding is a new file under <package>/testdata/fuzz/<FuzzName>/ (go test writes
#   the failing input there): the run fails and names it. Commit it with the fix so it
#   stays a regression test.
# - Go 1.26's fuzzing coordinator can fail a target at the end of its time budget with a
#   bare "context deadline exceeded", having found nothing and written no input
#   (golang/go#75804, fixed in Go 1.27; seen once here on a loaded machine). That
#   signature, and only that, is retried once; failing the same way twice fails the run.
# - Any other failure (a build error, a seed corpus entry that fails) fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-30s}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT

new_inputs() { # dir name: untracked files in the target's corpus directory
  git ls-files --others --exclude-standard -- "$1/testdata/fuzz/$2"
}

failed=()
for f in $(git ls-files '*_test.go' | xargs grep -l '^func Fuzz'); do
  dir=$(dirname "$f")
  for name in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
    before=$(new_inputs "$dir" "$name")
    for attempt in 1 2; do
      echo "-- $name ($dir), $fuzztime, attempt $attempt"
      if go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./$dir" 2>&1 | tee "$log"; then
        break
      fi
      found=$(comm -13 <(echo "$before") <(new_inputs "$dir" "$name"))
      if [ -n "$found" ] || grep -q 'Failing input written to' "$log"; then
        echo "FUZZ FINDING in $name ($dir): ${found:-see the log above}"
        failed+=("$name (finding)")
        break
      fi
      if [ "$attempt" = 1 ] && grep -q 'context deadline exceeded' "$log"; then
        echo "$name: 'context deadline exceeded' with no input written (golang/go#75804): retrying once"
        continue
      fi
      if grep -q 'context deadline exceeded' "$log"; then
        failed+=("$name (context deadline exceeded again on the retry)")
      else
        failed+=("$name (failed without a finding, see the log above)")
      fi
      break
    done
  done
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${#failed[@]} target(s) failed:"
  printf '  %s\n' "${failed[@]}"
  exit 1
fi
echo "fuzz: every target ran $fuzztime without a finding"
