#!/usr/bin/env bash
# Load figures of the platform's hot paths (issue 15, ADR-029), all measured in one run against the same reference:
# tools/Derp.Bench.Baseline, a bare minimal API doing one Npgsql SELECT by code on the serials table (no middleware).
#   - POST /api/validate on an active, bound licence: straight at serials (goal >= 1.0x the baseline, p99 no worse)
#     and through the gateway (goal >= 0.5x);
#   - POST /api/acl/derp/admit for a renter's registered device (what every relay asks on every client connection):
#     straight at acl (goal >= 1.0x) and through the gateway (goal >= 0.5x);
#   - the gateway's own ceiling: GET /ping on the baseline app, straight and through a load-only gateway route that only
#     this script configures (nothing new in the production configuration);
#   - the resident memory (VmRSS) of every service, the gateway and the baseline, idle and after the load.
# Every wrk run counts non-2xx answers and socket errors: a figure made of refusals is worthless.
#   scripts/load-validate.sh [seconds per run, default 15] [connections, default 64]     (wrk -t2 -cN -dS)
# Runs its own copy of the platform on ports 28080/25101-25106 and the baseline on 25190 (loopback only) and stops
# everything afterwards. At the end it runs scripts/load/bench-bulk.sh and scripts/load/bench-crowd.sh when they exist,
# against the same copy, with DERP_BENCH_BASE (the gateway URL), DERP_BENCH_ADMIN_TOKEN (an admin's access token),
# DERP_STATE_DIR (scratch) and DERP_DB_SUFFIX. (serials' GET /api/validate/baseline is no longer used here.)
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
DURATION="${1:-15}"
CONNECTIONS="${2:-64}"
BASELINE_PORT=25190

# Relay ports below the kernel's ephemeral range (32768-60999): after wrk's connections, ports there can be taken
# (TIME_WAIT), and podman then fails to publish a relay port (slirp_add_hostfwd failed).
export DERP_STATE_DIR="$ROOT/.state/load" DERP_GATEWAY_PORT=28080 DERP_USERS_PORT=25101 DERP_SERIALS_PORT=25102 DERP_ACL_PORT=25103 DERP_SERVERS_PORT=25104 DERP_FINANCE_PORT=25105 DERP_DISTRIBUTION_PORT=25106 \
  DERP_RELAY_FIRST_PORT=21000 DERP_DB_SUFFIX=_load DERP_PROMETHEUS_PORT=off
export DERP_ADMIN_EMAIL=load-admin@derp.local DERP_ADMIN_PASSWORD=load-Admin-pass-1
# Lift the per-IP and per-code limits: wrk is one client hammering one code.
export DERP_SERIALS_SETTINGS="Serials__ValidatePerIp=1000000000 Serials__ValidatePerCode=1000000000 Logging__LogLevel__Default=Warning"
# The load-only route to the baseline's constant endpoint: the gateway's own ceiling (same middleware as every route).
export DERP_GATEWAY_SETTINGS="Gateway__RateLimit__PermitPerMinute=1000000000 Gateway__RateLimit__AdmissionPermitPerMinute=1000000000 Logging__LogLevel__Default=Warning \
  ReverseProxy__Routes__bench-ping__ClusterId=bench ReverseProxy__Routes__bench-ping__Order=1 ReverseProxy__Routes__bench-ping__AuthorizationPolicy=anonymous \
  ReverseProxy__Routes__bench-ping__Match__Path=/ping ReverseProxy__Clusters__bench__Destinations__primary__Address=http://127.0.0.1:$BASELINE_PORT/"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
mkdir -p "$DERP_STATE_DIR/pids" "$DERP_STATE_DIR/logs"

cleanup() {
  [ -f "$DERP_STATE_DIR/pids/baseline.pid" ] && kill "$(cat "$DERP_STATE_DIR/pids/baseline.pid")" 2>/dev/null || true
  scripts/platform.sh destroy >/dev/null 2>&1 || true
}
trap cleanup EXIT

# The baseline first: the gateway's readiness probes every cluster, the bench one included.
dotnet build tools/Derp.Bench.Baseline -c Release -v quiet -nologo -clp:ErrorsOnly >/dev/null
(cd tools/Derp.Bench.Baseline/bin/Release/net10.0 && exec env ASPNETCORE_ENVIRONMENT=Production "Urls=http://127.0.0.1:$BASELINE_PORT" \
  "ConnectionStrings__Serials=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_serials$DERP_DB_SUFFIX;Maximum Pool Size=100" \
  nohup dotnet Derp.Bench.Baseline.dll >"$DERP_STATE_DIR/logs/baseline.log" 2>&1) &
echo $! >"$DERP_STATE_DIR/pids/baseline.pid"
scripts/platform.sh up >/dev/null
BASE="http://127.0.0.1:$DERP_GATEWAY_PORT"
SERIALS="http://127.0.0.1:$DERP_SERIALS_PORT"
ACL="http://127.0.0.1:$DERP_ACL_PORT"
BASELINE="http://127.0.0.1:$BASELINE_PORT"

token=$(curl -fsS -X POST "$BASE/api/users/login" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$DERP_ADMIN_EMAIL\",\"password\":\"$DERP_ADMIN_PASSWORD\"}" | sed -E 's/.*"accessToken":"([^"]+)".*/\1/')
batch=$(curl -fsS -X POST "$BASE/api/serials/batches" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d '{"prefix":"LOAD","count":1,"kind":"licence","durationDays":365}' | sed -E 's/.*"batchId":"([^"]+)".*/\1/')
code=$(curl -fsS "$BASE/api/serials?batchId=$batch" -H "Authorization: Bearer $token" | sed -E 's/.*"fullCode":"([^"]+)".*/\1/')
export DERP_LOAD_CODE="$code"
# First call binds and activates; every later call is the steady state being measured.
curl -fsS -X POST "$BASE/api/validate" -H 'Content-Type: application/json' -d "{\"code\":\"$code\",\"machine_code\":\"LOAD-MACHINE\"}" >/dev/null
curl -fsS -X POST "$BASELINE/validate" -H 'Content-Type: application/json' -d "{\"code\":\"$code\"}" | grep -q '"status":"active"' \
  || { echo "the baseline did not find the load licence" >&2; exit 1; }

# Admission: a renter with an active rental and one device in acl's projection (what the events would have written),
# and a relay token minted as the servers service does: userId.containerId.HMAC-SHA256(secret) in base64url, 32 chars.
user=$(cat /proc/sys/kernel/random/uuid | tr -d -); container=$(cat /proc/sys/kernel/random/uuid | tr -d -)
node_key="nodekey:$(openssl rand -hex 32)"
PGPASSWORD=derp psql -q -h 127.0.0.1 -U derp -d "derp_acl$DERP_DB_SUFFIX" -c "
  INSERT INTO renters (user_id, rental_active, expires_at, over_quota, deregistered, current_version, updated_at)
  VALUES ('$user', true, now() + interval '30 days', false, false, 0, now());
  INSERT INTO renter_devices (node_key, device_id, user_id) VALUES ('$node_key', gen_random_uuid(), '$user');" >/dev/null
secret=$(sed -n 's/^DERP_ADMISSION_SECRET=//p' "$DERP_STATE_DIR/secrets.env")
mac=$(printf 'derp-admit/v1/%s/%s' "$user" "$container" | openssl dgst -sha256 -hmac "$secret" -binary | base64 | tr '+/' '-_' | tr -d '=\n' | cut -c1-32)
export DERP_LOAD_NODE_KEY="$node_key"
ADMIT_QUERY="/api/acl/derp/admit?token=$user.$container.$mac"
for target in "$BASE" "$ACL"; do
  curl -fsS -X POST "$target$ADMIT_QUERY" -H 'Content-Type: application/json' -d "{\"NodePublic\":\"$node_key\",\"Source\":\"203.0.113.1\"}" \
    | grep -q '"Allow":true' || { echo "admission at $target did not allow the load renter's device" >&2; exit 1; }
done

rss() { # label: VmRSS of every process of the copy, in MiB
  local line="RSS $1 (MiB):"
  for name in users serials acl servers finance distribution gateway baseline; do
    local pid_file="$DERP_STATE_DIR/pids/$name.pid" kb=""
    [ -f "$pid_file" ] && kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$(cat "$pid_file")/status" 2>/dev/null || true)
    if [ -n "$kb" ]; then line="$line $name $((kb / 1024))"; else line="$line $name ?"; fi
  done
  echo "$line"
}

ms() { # wrk's latency (850.00us, 22.24ms, 1.20s) in milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

declare -A RPS P99
run() { # key label url [lua]
  local key=$1 label=$2 url=$3; shift 3
  wrk -t2 -c2 -d2s "$@" "$url" >/dev/null # warm-up (JIT, pools)
  local out="$DERP_STATE_DIR/$key.wrk"
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$out"
  local rps p50 p99 bad socket
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  bad=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$out"); bad=${bad:-0}
  socket=$(grep -E 'Socket errors' "$out" | sed 's/^ *//' || true)
  RPS[$key]=$rps; P99[$key]=$(ms "$p99")
  printf '%-40s %10s req/s   p50 %9s   p99 %9s   non-2xx %s %s\n' "$label" "$rps" "$p50" "$p99" "$bad" "$socket"
}

ratio() { # label key goal [p99-check]
  awk -v label="$1" -v r="${RPS[$2]}" -v b="${RPS[baseline]}" -v goal="$3" -v p="${P99[$2]}" -v bp="${P99[baseline]}" -v check="${4:-}" 'BEGIN {
    x = r / b; verdict = (x >= goal) ? "met" : "MISSED"
    line = sprintf("%-40s %5.2fx the baseline (goal >= %.1fx: %s)", label, x, goal, verdict)
    if (check != "") line = line sprintf("; p99 %.2f ms vs %.2f ms (%s)", p, bp, p <= bp ? "no worse" : "WORSE")
    print line }'
}

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s on loopback ($(nproc) cores, everything on this machine)"
rss idle
run baseline "baseline (one Npgsql SELECT by code)" "$BASELINE/validate" -s scripts/load/validate.lua
run validate "validate straight at serials" "$SERIALS/api/validate" -s scripts/load/validate.lua
run validate_gw "validate through the gateway" "$BASE/api/validate" -s scripts/load/validate.lua
run admit "admit straight at acl" "$ACL$ADMIT_QUERY" -s scripts/load/admit.lua
run admit_gw "admit through the gateway" "$BASE$ADMIT_QUERY" -s scripts/load/admit.lua
run ping "constant straight (baseline /ping)" "$BASELINE/ping"
run ping_gw "gateway ceiling (gateway -> /ping)" "$BASE/ping"
rss "after the load"
echo
ratio "validate straight at serials" validate 1.0 p99
ratio "validate through the gateway" validate_gw 0.5
ratio "admit straight at acl" admit 1.0 p99
ratio "admit through the gateway" admit_gw 0.5
awk -v g="${RPS[ping_gw]}" -v d="${RPS[ping]}" 'BEGIN { printf "%-40s %5.2fx the constant endpoint straight\n", "gateway ceiling", g / d }'

export DERP_BENCH_BASE="$BASE" DERP_BENCH_ADMIN_TOKEN="$token"
for helper in scripts/load/bench-bulk.sh scripts/load/bench-crowd.sh; do
  if [ -f "$helper" ]; then echo; bash "$helper"; fi
done
