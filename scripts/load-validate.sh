#!/usr/bin/env bash
# Load test of the platform's hottest paths, through the gateway, next to GET /api/validate/baseline (one trivial
# PostgreSQL query behind the same gateway and middleware), measured in the same run: POST /api/validate on an
# active, bound licence, and POST /api/acl/derp/admit (what every relay asks on every client connection) for a
# renter's registered device. The ratios are the figures; absolute numbers depend on the machine.
#   scripts/load-validate.sh [seconds per run, default 15] [connections, default 32]
# Runs its own copy of the platform on ports 28080/25101-25104 (loopback only) and stops it afterwards.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-15}"
CONNECTIONS="${2:-32}"

export DERP_STATE_DIR="$ROOT/.state/load" DERP_GATEWAY_PORT=28080 DERP_USERS_PORT=25101 DERP_SERIALS_PORT=25102 DERP_ACL_PORT=25103 DERP_SERVERS_PORT=25104 DERP_FINANCE_PORT=25105 DERP_DISTRIBUTION_PORT=25106 \
  DERP_RELAY_FIRST_PORT=37000 DERP_DB_SUFFIX=_load
export DERP_ADMIN_EMAIL=load-admin@derp.local DERP_ADMIN_PASSWORD=load-Admin-pass-1
# Lift the per-IP and per-code limits: wrk is one client hammering one code.
export DERP_SERIALS_SETTINGS="Serials__BenchmarkBaseline=true Serials__ValidatePerIp=1000000000 Serials__ValidatePerCode=1000000000 Logging__LogLevel__Default=Warning"
export DERP_GATEWAY_SETTINGS="Gateway__RateLimit__PermitPerMinute=1000000000 Gateway__RateLimit__AdmissionPermitPerMinute=1000000000 Logging__LogLevel__Default=Warning"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

trap 'scripts/platform.sh destroy >/dev/null 2>&1 || true' EXIT
scripts/platform.sh up >/dev/null
BASE="http://127.0.0.1:$DERP_GATEWAY_PORT"

token=$(curl -fsS -X POST "$BASE/api/users/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$DERP_ADMIN_EMAIL\",\"password\":\"$DERP_ADMIN_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
batch=$(curl -fsS -X POST "$BASE/api/serials/batches" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"prefix":"LOAD","count":1,"kind":"licence","durationDays":365}' | sed -E 's/.*"batchId":"([^"]+)".*/\1/')
code=$(curl -fsS "$BASE/api/serials?batchId=$batch" -H "Authorization: Bearer $token" | sed -E 's/.*"fullCode":"([^"]+)".*/\1/')
export DERP_LOAD_CODE="$code"
# First call binds and activates; every later call is the steady state being measured.
curl -fsS -X POST "$BASE/api/validate" -H 'Content-Type: application/json' -d "{\"code\":\"$code\",\"machine_code\":\"LOAD-MACHINE\"}" >/dev/null

run() { # name url [lua]
  local name=$1 url=$2; shift 2
  wrk -t2 -c2 -d3s "$@" "$url" >/dev/null # warm-up
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$DERP_STATE_DIR/$name.wrk"
  local rps p50 p99
  rps=$(awk '/Requests\/sec/ {print $2}' "$DERP_STATE_DIR/$name.wrk")
  p50=$(awk '$1=="50%" {print $2}' "$DERP_STATE_DIR/$name.wrk")
  p99=$(awk '$1=="99%" {print $2}' "$DERP_STATE_DIR/$name.wrk")
  local errors; errors=$(grep -E 'Non-2xx|Socket errors' "$DERP_STATE_DIR/$name.wrk" | tr '\n' ' ' || true)
  printf '%-36s %10s req/s   p50 %8s   p99 %8s   %s\n' "$name" "$rps" "$p50" "$p99" "$errors"
  echo "$rps" >"$DERP_STATE_DIR/$name.rps"
}

# Admission: a renter with an active rental and one device in acl's projection (what the events would have written),
# and a relay token minted as the servers service does: userId.containerId.HMAC-SHA256(secret) in base64url, 32 chars.
user=$(cat /proc/sys/kernel/random/uuid | tr -d -); container=$(cat /proc/sys/kernel/random/uuid | tr -d -)
node_key="nodekey:$(openssl rand -hex 32)"
PGPASSWORD=derp psql -q -h 127.0.0.1 -U derp -d derp_acl_load -c "
  INSERT INTO renters (user_id, rental_active, expires_at, over_quota, deregistered, current_version, updated_at)
  VALUES ('$user', true, now() + interval '30 days', false, false, 0, now());
  INSERT INTO renter_devices (node_key, device_id, user_id) VALUES ('$node_key', gen_random_uuid(), '$user');" >/dev/null
secret=$(sed -n 's/^DERP_ADMISSION_SECRET=//p' "$DERP_STATE_DIR/secrets.env")
mac=$(printf 'derp-admit/v1/%s/%s' "$user" "$container" | openssl dgst -sha256 -hmac "$secret" -binary | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-32)
export DERP_LOAD_NODE_KEY="$node_key"
ADMIT_URL="$BASE/api/acl/derp/admit?token=$user.$container.$mac"
curl -fsS -X POST "$ADMIT_URL" -H 'Content-Type: application/json' -d "{\"NodePublic\":\"$node_key\",\"Source\":\"203.0.113.1\"}" \
  | grep -q '"Allow":true' || { echo "admission did not allow the load renter's device" >&2; exit 1; }

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s through the gateway on loopback ($(nproc) cores)"
run "baseline (one PostgreSQL query)" "$BASE/api/validate/baseline"
run "validate (active, bound licence)" "$BASE/api/validate" -s scripts/load/validate.lua
awk -v v="$(cat "$DERP_STATE_DIR/validate (active, bound licence).rps")" -v b="$(cat "$DERP_STATE_DIR/baseline (one PostgreSQL query).rps")" \
  'BEGIN { printf "validate / baseline throughput ratio: %.2f\n", v / b }'
run "admit (registered device)" "$ADMIT_URL" -s scripts/load/admit.lua
awk -v v="$(cat "$DERP_STATE_DIR/admit (registered device).rps")" -v b="$(cat "$DERP_STATE_DIR/baseline (one PostgreSQL query).rps")" \
  'BEGIN { printf "admit / baseline throughput ratio: %.2f\n", v / b }'
