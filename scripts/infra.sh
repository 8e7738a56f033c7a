#!/usr/bin/env bash
# Installs (apt) and starts, on loopback, the infrastructure Derp needs: PostgreSQL, RabbitMQ, Redis, an SMTP
# sink, and this machine as DERP host stand-ins (sshd + podman's Docker API: scripts/relay-hosts.sh). Idempotent: whatever already runs is left alone. No systemd on these machines.
#   scripts/infra.sh up      install what is missing and start what is stopped
#   scripts/infra.sh down    stop what this script started (by pid file)
set -euo pipefail

# Shared by every copy of the platform on this machine (the end-to-end copy too), so not DERP_STATE_DIR.
STATE_DIR="${DERP_INFRA_STATE_DIR:-$(cd "$(dirname "$0")/.." && pwd)/.state}"
# The SMTP sink is machine-wide (one port), so its mailbox is too: every checkout on this machine reads the same one.
MAIL_DIR="${DERP_MAIL_DIR:-/var/tmp/derp/mail}"
mkdir -p "$STATE_DIR" "$MAIL_DIR"

log() { printf '[infra] %s\n' "$*"; }

STARTED="$STATE_DIR/infra-started"
started() { grep -qx "$1" "$STARTED" 2>/dev/null || echo "$1" >>"$STARTED"; }

need_packages() {
  local missing=()
  [ -x /usr/lib/postgresql/15/bin/postgres ] || missing+=(postgresql) # the server, not just the client
  command -v rabbitmq-server >/dev/null || missing+=(rabbitmq-server)
  command -v redis-server >/dev/null || missing+=(redis-server)
  /usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
  command -v chromium >/dev/null || missing+=(chromium)
  command -v docker-compose >/dev/null || missing+=(docker-compose)
  command -v wrk >/dev/null || missing+=(wrk)
  command -v nc >/dev/null || missing+=(netcat-openbsd)
  command -v openssl >/dev/null || missing+=(openssl)
  # `grep -q` would stop reading early and, under pipefail, turn the writer's SIGPIPE into a false "missing".
  fc-list 2>/dev/null | grep -i 'wqy\|noto.*cjk' >/dev/null || missing+=(fonts-wqy-zenhei) # readable Chinese in screenshots
  # --- monitoring (issue 13, prom): Prometheus + promtool, the node exporter, and what `make test` checks dashboards with
  command -v prometheus >/dev/null && command -v promtool >/dev/null || missing+=(prometheus)
  command -v prometheus-node-exporter >/dev/null || missing+=(prometheus-node-exporter)
  command -v amtool >/dev/null || missing+=(prometheus-alertmanager) # amtool checks compose's alertmanager.yml
  /usr/bin/python3 -c 'import jsonschema' 2>/dev/null || missing+=(python3-jsonschema)
  /usr/bin/python3 -c 'import yaml' 2>/dev/null || missing+=(python3-yaml)
  # --- end monitoring
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

port_open() { nc -z 127.0.0.1 "$1" 2>/dev/null; }

start_postgres() {
  if pg_isready -h 127.0.0.1 -q 2>/dev/null; then log "postgresql already running"; return; fi
  pg_lsclusters -h | grep '^15 *main' >/dev/null || pg_createcluster 15 main >/dev/null
  local conf=/etc/postgresql/15/main
  # Listen on loopback only; local password auth for the platform's own role.
  sed -i "s/^#\?listen_addresses.*/listen_addresses = '127.0.0.1'/" "$conf/postgresql.conf"
  grep -q '^max_connections = 300' "$conf/postgresql.conf" || sed -i "s/^max_connections.*/max_connections = 300/" "$conf/postgresql.conf"
  pg_ctlcluster 15 main start
  started postgresql
  for _ in $(seq 1 60); do pg_isready -h 127.0.0.1 -q && break; sleep 0.5; done
  runuser -u postgres -- psql -q -c "DO \$\$BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='derp') THEN CREATE ROLE derp LOGIN SUPERUSER PASSWORD 'derp'; END IF; END\$\$;"
  log "postgresql ready on 127.0.0.1:5432 (role derp)"
}

start_rabbitmq() {
  if rabbitmqctl -q await_startup --timeout 5 >/dev/null 2>&1; then log "rabbitmq already running"; return; fi
  mkdir -p /etc/rabbitmq
  cat > /etc/rabbitmq/rabbitmq.conf <<CONF
listeners.tcp.default = 127.0.0.1:5672
management.tcp.ip = 127.0.0.1
management.tcp.port = 15672
prometheus.tcp.ip = 127.0.0.1
prometheus.tcp.port = 15692
loopback_users = none
CONF
  rabbitmq-plugins enable --offline rabbitmq_management rabbitmq_prometheus >/dev/null
  rabbitmq-server -detached
  started rabbitmq
  # await_startup fails at once until the node has registered with epmd: retry until it answers.
  for _ in $(seq 1 60); do rabbitmqctl -q await_startup --timeout 120 >/dev/null 2>&1 && break; sleep 1; done
  rabbitmqctl -q await_startup --timeout 10
  log "rabbitmq ready on 127.0.0.1:5672 (guest/guest)"
}

start_redis() {
  if redis-cli -h 127.0.0.1 ping >/dev/null 2>&1; then log "redis already running"; return; fi
  install -d -o redis -g redis /run/redis
  runuser -u redis -- redis-server /etc/redis/redis.conf --bind 127.0.0.1 --daemonize yes
  started redis
  for _ in $(seq 1 40); do redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && break; sleep 0.25; done
  log "redis ready on 127.0.0.1:6379"
}

start_smtp() {
  if port_open 2525; then log "smtp sink already running"; return; fi
  mkdir -p "$MAIL_DIR"/{new,cur,tmp}
  nohup /usr/bin/python3 -m aiosmtpd -n -l 127.0.0.1:2525 -c aiosmtpd.handlers.Mailbox "$MAIL_DIR" \
    >"$STATE_DIR/smtp.log" 2>&1 &
  echo $! > "$STATE_DIR/smtp.pid"
  started smtp
  for _ in $(seq 1 40); do port_open 2525 && break; sleep 0.25; done
  log "smtp sink on 127.0.0.1:2525, mails in $MAIL_DIR/new"
}

# --- monitoring (issue 13, prom)
# RabbitMQ's metrics for Prometheus (per queue on /metrics/per-object: the error queues). A broker that was already
# running without the plugin gets it enabled in place (never restarted: other copies and tests use it), listening on
# loopback like the management plugin.
enable_rabbitmq_prometheus() {
  if port_open 15692; then log "rabbitmq prometheus plugin already on 127.0.0.1:15692"; return; fi
  rabbitmqctl -q eval 'application:set_env(rabbitmq_prometheus, tcp_config, [{port, 15692}, {ip, "127.0.0.1"}]).' >/dev/null
  rabbitmq-plugins -q enable rabbitmq_prometheus >/dev/null
  for _ in $(seq 1 40); do port_open 15692 && break; sleep 0.25; done
  log "rabbitmq prometheus plugin on 127.0.0.1:15692"
}

# Machine-wide like the SMTP sink: one node exporter on 127.0.0.1:9100 for every copy, reading the textfiles that
# scripts/backup.sh writes (the last backup's time, size, result).
TEXTFILE_DIR="${DERP_METRICS_TEXTFILE_DIR:-/var/tmp/derp/metrics}"
start_node_exporter() {
  mkdir -p "$TEXTFILE_DIR"
  if port_open 9100; then log "node exporter already running"; return; fi
  nohup prometheus-node-exporter --web.listen-address=127.0.0.1:9100 \
    --collector.textfile.directory="$TEXTFILE_DIR" >"$STATE_DIR/node-exporter.log" 2>&1 &
  echo $! > "$STATE_DIR/node-exporter.pid"
  started node-exporter
  for _ in $(seq 1 40); do port_open 9100 && break; sleep 0.25; done
  log "node exporter on 127.0.0.1:9100 (textfiles from $TEXTFILE_DIR)"
}
# --- end monitoring

case "${1:-up}" in
  up)
    need_packages
    start_postgres
    start_rabbitmq
    start_redis
    start_smtp
    enable_rabbitmq_prometheus # monitoring (issue 13, prom)
    start_node_exporter # monitoring (issue 13, prom)
    "$(dirname "$0")/relay-hosts.sh" up
    ;;
  down)
    # Only what `up` started; a PostgreSQL or Redis that was already running is left alone.
    while read -r component; do
      case "$component" in
        smtp) [ -f "$STATE_DIR/smtp.pid" ] && kill "$(cat "$STATE_DIR/smtp.pid")" 2>/dev/null; rm -f "$STATE_DIR/smtp.pid" ;;
        node-exporter) [ -f "$STATE_DIR/node-exporter.pid" ] && kill "$(cat "$STATE_DIR/node-exporter.pid")" 2>/dev/null; rm -f "$STATE_DIR/node-exporter.pid" ;;
        redis) redis-cli -h 127.0.0.1 shutdown nosave >/dev/null 2>&1 || true ;;
        rabbitmq) rabbitmqctl -q stop >/dev/null 2>&1 || true ;;
        postgresql) pg_ctlcluster 15 main stop >/dev/null 2>&1 || true ;;
      esac
      log "stopped $component"
    done < <(cat "$STARTED" 2>/dev/null)
    rm -f "$STARTED"
    "$(dirname "$0")/relay-hosts.sh" down
    ;;
  *) echo "usage: $0 up|down" >&2; exit 2 ;;
esac
