#!/usr/bin/env bash
# Export benchmark: memory of the serials service while it streams an export of 1 000 rows and of 1 000 000 rows,
# in the same run. A streamed export needs about the same memory for both; the figure is the ratio of the peak
# resident memory gained during each export (1.0 = no more memory for a million rows than for a thousand).
#   scripts/bench-export.sh
# Runs its own copy of the platform on ports 29080/26101-26104 (loopback only) and destroys it afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

export DERP_STATE_DIR="$ROOT/.state/bench-export" DERP_GATEWAY_PORT=29080 DERP_USERS_PORT=26101 DERP_SERIALS_PORT=26102 \
  DERP_ACL_PORT=26103 DERP_SERVERS_PORT=26104 DERP_FINANCE_PORT=26105 DERP_DISTRIBUTION_PORT=26106 DERP_RELAY_FIRST_PORT=38000 DERP_DB_SUFFIX=_bench
export DERP_ADMIN_EMAIL=bench-admin@derp.local DERP_ADMIN_PASSWORD=bench-Admin-pass-1
export DERP_GATEWAY_SETTINGS="Gateway__RateLimit__PermitPerMinute=1000000000 Logging__LogLevel__Default=Warning"
trap 'scripts/platform.sh destroy >/dev/null 2>&1 || true' EXIT
for db in derp_users_bench derp_serials_bench derp_acl_bench derp_servers_bench derp_finance_bench derp_distribution_bench; do
  runuser -u postgres -- psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
done
scripts/platform.sh up >/dev/null
BASE="http://127.0.0.1:$DERP_GATEWAY_PORT"
SERIALS_PID=$(cat "$DERP_STATE_DIR/pids/serials.pid")

token=$(curl -fsS -X POST "$BASE/api/users/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$DERP_ADMIN_EMAIL\",\"password\":\"$DERP_ADMIN_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
batch() { # prefix count
  curl -fsS -X POST "$BASE/api/serials/batches" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
    -d "{\"prefix\":\"$1\",\"count\":$2,\"kind\":\"rental\",\"durationDays\":3,\"codeLength\":10}" >/dev/null
}
printf 'making serials: 1 000 (SMALL) and 1 000 000 (BIG, 10 batches of 100 000) ...\n'
batch SMALL 1000
for i in $(seq 1 10); do batch BIG 100000; printf '  %d / 10 batches\r' "$i"; done; echo

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SERIALS_PID/status"; }
measure() { # prefix -> prints "rows seconds base_kb peak_kb"
  local prefix=$1 samples="$DERP_STATE_DIR/rss-$1.txt"
  # Let the previous export's garbage go first, so each export starts from a comparable heap.
  curl -fsS "$BASE/api/serials?pageSize=1" -H "Authorization: Bearer $token" >/dev/null; sleep 2
  local base; base=$(rss_kb)
  ( while :; do rss_kb; sleep 0.05; done ) >"$samples" &
  local sampler=$!
  local start end
  start=$(date +%s.%N)
  local rows; rows=$(curl -fsS "$BASE/api/serials/export?status=unused&prefix=$prefix&format=txt" -H "Authorization: Bearer $token" | wc -l)
  end=$(date +%s.%N)
  kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
  local peak; peak=$(sort -n "$samples" | tail -1)
  echo "$rows $(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.2f", e-s}') $base $peak"
}
read -r small_rows small_s small_base small_peak < <(measure SMALL)
read -r big_rows big_s big_base big_peak < <(measure BIG)

printf '\n%-28s %10s %9s %14s %14s %14s\n' "export (streamed, txt)" rows seconds "RSS before" "RSS peak" "gained"
printf '%-28s %10s %9s %11s MiB %11s MiB %11s MiB\n' "1 000 serials" "$small_rows" "$small_s" $((small_base/1024)) $((small_peak/1024)) $(((small_peak-small_base)/1024))
printf '%-28s %10s %9s %11s MiB %11s MiB %11s MiB\n' "1 000 000 serials" "$big_rows" "$big_s" $((big_base/1024)) $((big_peak/1024)) $(((big_peak-big_base)/1024))
awk -v sp="$small_peak" -v bp="$big_peak" 'BEGIN { printf "peak RSS ratio, a million rows / a thousand rows: %.2f\n", bp / sp }'
[ "$big_rows" -eq 1000000 ] || { echo "expected 1000000 rows, got $big_rows" >&2; exit 1; }
