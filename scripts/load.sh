#!/usr/bin/env bash
# Load profile of issue #11: build (once) a 200k-enterprise demo database, serve it, drive it
# with cmd/zjtx-load from a second process on 127.0.0.1, print the table and the server's peak RSS.
#
#   scripts/load.sh                       # SQLite at ${DB:-/tmp/zjtx-load-200k.db}
#   DB=postgres://postgres:postgres@127.0.0.1:5432/zjtx_load?sslmode=disable scripts/load.sh
#
# Knobs (env): ENTERPRISES (200000), CLIENTS (32), DURATION (30s), REQUESTS (200000),
# RATE (requests/s offered, open loop; unset: closed loop, each client sends as fast as answered),
# PORT (18080), METRICS_PORT (19090), WARMUP (10s; 0 for none), MARKDOWN=1 for a Markdown table.
# Bounded: the load client stops after DURATION or REQUESTS and only talks to loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
ENTERPRISES=${ENTERPRISES:-200000}
DB=${DB:-/tmp/zjtx-load-${ENTERPRISES}.db}
CLIENTS=${CLIENTS:-32}
DURATION=${DURATION:-30s}
REQUESTS=${REQUESTS:-200000}
PORT=${PORT:-18080}
METRICS_PORT=${METRICS_PORT:-19090}
BIN=${BIN:-/tmp/zjtx-loadbin}
mkdir -p "$BIN"

go build -o "$BIN/zjtx" ./cmd/zjtx
go build -o "$BIN/zjtx-load" ./cmd/zjtx-load

fresh=0
case "$DB" in
  postgres://*|postgresql://*)
    # An empty database fills; one with enterprises is reused (demo refuses to mix).
    if "$BIN/zjtx" demo --db "$DB" --enterprises "$ENTERPRISES" --seed 1 --accounts 2>/dev/null; then fresh=1; fi ;;
  *)
    if [ ! -s "$DB" ]; then
      "$BIN/zjtx" demo --db "$DB" --enterprises "$ENTERPRISES" --seed 1 --accounts
      fresh=1
    fi ;;
esac
[ "$fresh" = 1 ] && echo "built $DB" || echo "reusing $DB"

log=$(mktemp /tmp/zjtx-load-server.XXXXXX.log)
"$BIN/zjtx" serve --db "$DB" --addr "127.0.0.1:$PORT" --metrics-addr "127.0.0.1:$METRICS_PORT" --slow-query 100ms 2>"$log" >/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
# Another server already on the port would answer the health check and be measured instead.
if ! kill -0 "$pid" 2>/dev/null; then
  echo "zjtx serve exited (port $PORT taken?):" >&2
  cat "$log" >&2
  exit 1
fi

# Warm-up, not measured: the first dashboard computation per scope, the page caches,
# and the start-up title-expiry pass (which writes, and so invalidates cached totals).
if [ "${WARMUP:-10s}" != 0 ]; then
  "$BIN/zjtx-load" --url "http://127.0.0.1:$PORT" --clients 4 --duration "${WARMUP:-10s}" \
    --enterprises "$ENTERPRISES" >/dev/null 2>&1 || true
fi

md=()
[ "${MARKDOWN:-}" = 1 ] && md=(--markdown)
[ -n "${RATE:-}" ] && md+=(--rate "$RATE")
"$BIN/zjtx-load" --url "http://127.0.0.1:$PORT" --clients "$CLIENTS" --duration "$DURATION" \
  --requests "$REQUESTS" --enterprises "$ENTERPRISES" --pid "$pid" "${md[@]}" || status=$?

echo "server log: $log"
echo "database is locked: $(grep -c 'database is locked' "$log" || true)  5xx lines: $(grep -c '"status":5' "$log" || true)  slow sql: $(grep -c 'slow sql' "$log" || true)"
curl -fsS "http://127.0.0.1:$METRICS_PORT/metrics" | grep -E '^go_sql_(open_connections|wait_count|in_use)' || true
exit "${status:-0}"
