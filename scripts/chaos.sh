#!/usr/bin/env bash
# Fault cases on a copy of the platform, printed as a table (scripts/chaos/chaos.mjs says what each case does).
#   scripts/chaos.sh                       every case (about 10 minutes)
#   CHAOS_CASES=redis-hung,smtp-down scripts/chaos.sh
#   CHAOS_OUTAGE_SECONDS=60 CHAOS_SOAK_SECONDS=300 scripts/chaos.sh
# The copy runs on ports 27080/27101-27104 (relays 39000+) with its own databases (suffix _chaos), its own RabbitMQ
# virtual host, and its own forwarders in front of Redis and SMTP, so faults touch nothing else on the machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"

export DERP_STATE_DIR="$ROOT/.state/chaos" DERP_GATEWAY_PORT=27080 DERP_USERS_PORT=27101 DERP_SERIALS_PORT=27102 \
  DERP_ACL_PORT=27103 DERP_SERVERS_PORT=27104 DERP_FINANCE_PORT=27105 DERP_DISTRIBUTION_PORT=27106 DERP_RELAY_FIRST_PORT=39000 DERP_DB_SUFFIX=_chaos
export DERP_ADMIN_EMAIL=chaos-admin@derp.local DERP_ADMIN_PASSWORD=chaos-Admin-pass-1
export CHAOS_VHOST=derp_chaos DERP_RABBITMQ_VHOST=derp_chaos
REDIS_FORWARD_PORT=27379 SMTP_FORWARD_PORT=27525
export DERP_REDIS="127.0.0.1:$REDIS_FORWARD_PORT" DERP_SMTP_PORT=$SMTP_FORWARD_PORT
export DERP_GATEWAY_SETTINGS="Gateway__RateLimit__PermitPerMinute=1000000000"
# Every scripted client comes from 127.0.0.1: lift the per-address limits (the cases are about faults, not guessing).
export DERP_SERIALS_SETTINGS="Serials__ValidatePerIp=1000000000 Serials__ValidatePerCode=1000000000"
export DERP_USERS_SETTINGS="Users__LoginAttemptsPerIpPerWindow=1000000"

command -v socat >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq socat >/dev/null; }
scripts/infra.sh up >/dev/null

remove_relays() {
  curl -fsS --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/json?all=true&filters=%7B%22label%22%3A%5B%22derp.managed%3Dderp_chaos%22%5D%7D" 2>/dev/null \
    | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 | while read -r id; do curl -fsS -X DELETE --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/$id?force=true" >/dev/null; done || true
}
cleanup() {
  for name in redis smtp; do
    [ -f "$DERP_STATE_DIR/$name-forwarder.pid" ] && { kill -CONT -- "-$(cat "$DERP_STATE_DIR/$name-forwarder.pid")" 2>/dev/null; kill -- "-$(cat "$DERP_STATE_DIR/$name-forwarder.pid")" 2>/dev/null; }
  done
  rabbitmqctl -q set_permissions -p "$CHAOS_VHOST" guest '.*' '.*' '.*' >/dev/null 2>&1 || true
  scripts/platform.sh destroy >/dev/null 2>&1 || true
  remove_relays
}
trap cleanup EXIT

rm -rf "$DERP_STATE_DIR"; mkdir -p "$DERP_STATE_DIR"
remove_relays
for db in derp_users_chaos derp_serials_chaos derp_acl_chaos derp_servers_chaos derp_finance_chaos derp_distribution_chaos; do
  runuser -u postgres -- psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
done
# Forwarders of this copy's own, each in its own process group (setsid) so that stopping the group (SIGSTOP) pauses
# the forked connection handlers too: a hung server for this copy only.
setsid socat TCP-LISTEN:$REDIS_FORWARD_PORT,bind=127.0.0.1,reuseaddr,fork TCP:127.0.0.1:6379 & echo $! >"$DERP_STATE_DIR/redis-forwarder.pid"
setsid socat TCP-LISTEN:$SMTP_FORWARD_PORT,bind=127.0.0.1,reuseaddr,fork TCP:127.0.0.1:2525 & echo $! >"$DERP_STATE_DIR/smtp-forwarder.pid"

echo "[chaos] starting the platform copy on 127.0.0.1:$DERP_GATEWAY_PORT"
scripts/platform.sh up >"$DERP_STATE_DIR/platform.log" 2>&1 || { tail -20 "$DERP_STATE_DIR/platform.log"; exit 1; }
BASE_URL="http://127.0.0.1:$DERP_GATEWAY_PORT" ADMIN_EMAIL="$DERP_ADMIN_EMAIL" ADMIN_PASSWORD="$DERP_ADMIN_PASSWORD" \
  MAIL_DIR="${DERP_MAIL_DIR:-/var/tmp/derp/mail}" node scripts/chaos/chaos.mjs
