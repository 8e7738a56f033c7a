#!/usr/bin/env bash
# Builds and runs the platform natively on loopback (what `make up` / `make down` call).
#   scripts/platform.sh up     build, start every service and the gateway, wait until ready, print where things are
#   scripts/platform.sh down   stop what `up` started (by pid file, nothing else)
# Ports and the state directory can be overridden (the end-to-end test runs a second copy this way):
#   DERP_STATE_DIR, DERP_GATEWAY_PORT (8080), DERP_USERS_PORT (5101), DERP_SERIALS_PORT (5102), DERP_ACL_PORT (5103),
#   DERP_SERVERS_PORT (5104), DERP_FINANCE_PORT (5105), DERP_DISTRIBUTION_PORT (5106), DERP_RELAY_FIRST_PORT (30000: the demo hosts' relay ports), DERP_DB_SUFFIX,
#   DERP_NO_BUILD=1, DERP_SERIALS_SETTINGS / DERP_USERS_SETTINGS / DERP_FINANCE_SETTINGS (extra KEY=VALUE pairs, e.g. for the load script),
#   DERP_REDIS (host:port), DERP_SMTP_PORT (the chaos script puts forwarders of its own there)
#   scripts/platform.sh destroy  `down`, then delete the copy's RabbitMQ virtual host (copies made for a test or a load run)
# Prometheus (deploy/prometheus) runs beside a copy on DERP_PROMETHEUS_PORT: 9090 for the default copy; a copy on other
# ports starts one only when given its own DERP_PROMETHEUS_PORT (the e2e copy: 19090), `off` starts none;
# DERP_PROMETHEUS_SCRAPE_INTERVAL (15s).
# Every copy has a RabbitMQ virtual host of its own (DERP_RABBITMQ_VHOST, default derp$DERP_DB_SUFFIX): MassTransit
# declares one exchange per message type, so copies sharing a virtual host would receive each other's events.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
STATE_DIR="${DERP_STATE_DIR:-$ROOT/.state}"
GATEWAY_PORT="${DERP_GATEWAY_PORT:-8080}"
USERS_PORT="${DERP_USERS_PORT:-5101}"
SERIALS_PORT="${DERP_SERIALS_PORT:-5102}"
ACL_PORT="${DERP_ACL_PORT:-5103}"
SERVERS_PORT="${DERP_SERVERS_PORT:-5104}"
FINANCE_PORT="${DERP_FINANCE_PORT:-5105}"
DISTRIBUTION_PORT="${DERP_DISTRIBUTION_PORT:-5106}"
RELAY_FIRST_PORT="${DERP_RELAY_FIRST_PORT:-30000}"
DB_SUFFIX="${DERP_DB_SUFFIX:-}"
VHOST="${DERP_RABBITMQ_VHOST:-derp$DB_SUFFIX}"
CONFIGURATION="${DERP_CONFIGURATION:-Release}"
PID_DIR="$STATE_DIR/pids"
LOG_DIR="$STATE_DIR/logs"
SECRETS="$STATE_DIR/secrets.env"
MAIL_DIR="${DERP_MAIL_DIR:-/var/tmp/derp/mail}" # where scripts/infra.sh points the SMTP sink
# --- monitoring (issue 13, prom)
PROMETHEUS_PORT="${DERP_PROMETHEUS_PORT:-$([ "$GATEWAY_PORT" = 8080 ] && echo 9090 || echo off)}"
PROMETHEUS_DIR="$STATE_DIR/prometheus"
# --- end monitoring

log() { printf '[platform] %s\n' "$*"; }

wait_ready() { # name url seconds
  local name=$1 url=$2 seconds=$3
  for _ in $(seq 1 $((seconds * 4))); do
    if curl -fsS -o /dev/null "$url" 2>/dev/null; then return 0; fi
    if ! kill -0 "$(cat "$PID_DIR/$name.pid")" 2>/dev/null; then
      log "$name exited during start-up; last lines of $LOG_DIR/$name.log:"; tail -20 "$LOG_DIR/$name.log" >&2; return 1
    fi
    sleep 0.25
  done
  log "$name did not become ready at $url within ${seconds}s; see $LOG_DIR/$name.log"; return 1
}

start() { # name dll [env...]
  local name=$1 dll=$2; shift 2
  if [ -f "$PID_DIR/$name.pid" ] && kill -0 "$(cat "$PID_DIR/$name.pid")" 2>/dev/null; then
    log "$name already running (pid $(cat "$PID_DIR/$name.pid"))"; return
  fi
  # exec keeps one pid from the subshell to the service, so `down` stops exactly what `up` started.
  (cd "$(dirname "$dll")" && exec env "$@" nohup dotnet "$dll" >"$LOG_DIR/$name.log" 2>&1) &
  echo $! >"$PID_DIR/$name.pid"
}

ensure_vhost() {
  rabbitmqctl -q list_vhosts name | grep -x "$VHOST" >/dev/null || rabbitmqctl -q add_vhost "$VHOST"
  rabbitmqctl -q set_permissions -p "$VHOST" guest '.*' '.*' '.*'
}

secrets() {
  # Generated once and kept (mode 600) so restarts keep sessions and signatures valid and the operator can look the
  # password up. Keys added by later versions are appended to an existing file.
  umask 077
  touch "$SECRETS"
  add_secret() { grep -q "^$1=" "$SECRETS" || echo "$1=$2" >>"$SECRETS"; }
  if ! grep -q '^DERP_ADMIN_PASSWORD=' "$SECRETS"; then
    local password="${DERP_ADMIN_PASSWORD:-}"
    if [ -z "$password" ]; then password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=' | cut -c1-16)9a"; FIRST_PASSWORD="$password"; fi
    add_secret DERP_ADMIN_PASSWORD "$password"
  fi
  add_secret DERP_ADMIN_EMAIL "${DERP_ADMIN_EMAIL:-admin@derp.local}"
  add_secret DERP_JWT_SIGNING_KEY "$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
  add_secret DERP_SERIALS_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  add_secret DERP_LICENCE_DATA_KEY "$(head -c 24 /dev/urandom | base64 | tr -d '\n')"
  add_secret DERP_ADMISSION_SECRET "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  add_secret DERP_SERVERS_ENCRYPTION_KEY "$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
  add_secret DERP_PROMETHEUS_DISCOVERY_TOKEN "$(head -c 24 /dev/urandom | base64 | tr -d '/+=\n')" # monitoring: relays' service discovery
  [ -s "$STATE_DIR/validate-signing-key.pem" ] || \
    openssl ecparam -name prime256v1 -genkey -noout 2>/dev/null | openssl pkcs8 -topk8 -nocrypt -out "$STATE_DIR/validate-signing-key.pem"
  # shellcheck disable=SC1090
  . "$SECRETS"
}

up() {
  mkdir -p "$PID_DIR" "$LOG_DIR"
  "$ROOT/scripts/infra.sh" up
  FIRST_PASSWORD=""
  secrets
  ensure_vhost

  if [ "${DERP_NO_BUILD:-}" != "1" ]; then
    log "building the web portal"
    (cd "$ROOT/web" && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build --silent >/dev/null)
    log "building the services ($CONFIGURATION)"
    dotnet build "$ROOT/Derp.sln" -c "$CONFIGURATION" -v quiet -nologo -clp:ErrorsOnly >/dev/null
  fi

  local common=(
    "ASPNETCORE_ENVIRONMENT=Production"
    "Jwt__SigningKey=$DERP_JWT_SIGNING_KEY"
    "ConnectionStrings__RabbitMq=amqp://guest:guest@127.0.0.1:5672/$VHOST"
    "ConnectionStrings__Redis=${DERP_REDIS:-127.0.0.1:6379}"
    "Smtp__Port=${DERP_SMTP_PORT:-2525}"
  )
  # shellcheck disable=SC2086
  start users "$ROOT/services/users/Derp.Users.Api/bin/$CONFIGURATION/net10.0/Derp.Users.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$USERS_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_users$DB_SUFFIX" \
    "Redis__KeyPrefix=derp$DB_SUFFIX:" "Messaging__EndpointPrefix=users$DB_SUFFIX" \
    "Admin__Email=$DERP_ADMIN_EMAIL" "Admin__Password=$DERP_ADMIN_PASSWORD" \
    "Finance__BaseUrl=http://127.0.0.1:$FINANCE_PORT/" ${DERP_USERS_SETTINGS:-}
  wait_ready users "http://127.0.0.1:$USERS_PORT/health/ready" 120

  # shellcheck disable=SC2086
  start serials "$ROOT/services/serials/Derp.Serials.Api/bin/$CONFIGURATION/net10.0/Derp.Serials.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$SERIALS_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_serials$DB_SUFFIX" \
    "Redis__KeyPrefix=derp$DB_SUFFIX:" "Messaging__EndpointPrefix=serials$DB_SUFFIX" \
    "Serials__EncryptionKey=$DERP_SERIALS_ENCRYPTION_KEY" "Serials__DataKey=$DERP_LICENCE_DATA_KEY" \
    "Serials__SigningKeyPem=$(cat "$STATE_DIR/validate-signing-key.pem")" ${DERP_SERIALS_SETTINGS:-}
  wait_ready serials "http://127.0.0.1:$SERIALS_PORT/health/ready" 120

  start acl "$ROOT/services/acl/Derp.Acl.Api/bin/$CONFIGURATION/net10.0/Derp.Acl.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$ACL_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_acl$DB_SUFFIX" \
    "Redis__KeyPrefix=derp$DB_SUFFIX:" "Messaging__EndpointPrefix=acl$DB_SUFFIX" \
    "Admission__Secret=$DERP_ADMISSION_SECRET"
  wait_ready acl "http://127.0.0.1:$ACL_PORT/health/ready" 120

  # This machine as three demo hosts (scripts/relay-hosts.sh): relays run the stand-in image, probed over HTTP; on
  # slirp4netns they reach this machine's loopback as 10.0.2.2, so they ask the gateway for admission as derper does.
  start servers "$ROOT/services/servers/Derp.Servers.Api/bin/$CONFIGURATION/net10.0/Derp.Servers.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$SERVERS_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_servers$DB_SUFFIX" \
    "Redis__KeyPrefix=derp$DB_SUFFIX:" "Messaging__EndpointPrefix=servers$DB_SUFFIX" \
    "Admission__Secret=$DERP_ADMISSION_SECRET" "Servers__EncryptionKey=$DERP_SERVERS_ENCRYPTION_KEY" \
    "Servers__InstanceLabel=derp$DB_SUFFIX" "Servers__RuntimeDirectory=/tmp/derp-servers$DB_SUFFIX" \
    "Servers__DemoHosts__Enabled=true" "Servers__DemoHosts__FirstPort=$RELAY_FIRST_PORT" \
    "Servers__Relay__ProbeScheme=http" "Servers__Relay__BindAddress=127.0.0.1" \
    "Servers__Relay__NetworkMode=slirp4netns:allow_host_loopback=true,port_handler=slirp4netns" \
    "Servers__Relay__AdmissionUrl=http://10.0.2.2:$GATEWAY_PORT/api/acl/derp/admit" \
    "Servers__PrometheusDiscoveryToken=$DERP_PROMETHEUS_DISCOVERY_TOKEN"
  wait_ready servers "http://127.0.0.1:$SERVERS_PORT/health/ready" 120

  # distribution keeps a projection of finance's plans (PlanChanged): it starts first so its queue exists when
  # finance seeds the plans on a fresh database, as serials does.
  start distribution "$ROOT/services/distribution/Derp.Distribution.Api/bin/$CONFIGURATION/net10.0/Derp.Distribution.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$DISTRIBUTION_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_distribution$DB_SUFFIX" \
    "Redis__KeyPrefix=derp$DB_SUFFIX:" "Messaging__EndpointPrefix=distribution$DB_SUFFIX"
  wait_ready distribution "http://127.0.0.1:$DISTRIBUTION_PORT/health/ready" 120

  # shellcheck disable=SC2086
  start finance "$ROOT/services/finance/Derp.Finance.Api/bin/$CONFIGURATION/net10.0/Derp.Finance.Api.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$FINANCE_PORT" \
    "ConnectionStrings__Database=Host=127.0.0.1;Username=derp;Password=derp;Database=derp_finance$DB_SUFFIX" \
    "Messaging__EndpointPrefix=finance$DB_SUFFIX" ${DERP_FINANCE_SETTINGS:-}
  wait_ready finance "http://127.0.0.1:$FINANCE_PORT/health/ready" 120

  start gateway "$ROOT/gateway/Derp.Gateway/bin/$CONFIGURATION/net10.0/Derp.Gateway.dll" "${common[@]}" \
    "Urls=http://127.0.0.1:$GATEWAY_PORT" \
    "Gateway__WebRoot=$ROOT/web/dist" \
    "ReverseProxy__Clusters__users__Destinations__primary__Address=http://127.0.0.1:$USERS_PORT/" \
    "ReverseProxy__Clusters__serials__Destinations__primary__Address=http://127.0.0.1:$SERIALS_PORT/" \
    "ReverseProxy__Clusters__acl__Destinations__primary__Address=http://127.0.0.1:$ACL_PORT/" \
    "ReverseProxy__Clusters__servers__Destinations__primary__Address=http://127.0.0.1:$SERVERS_PORT/" \
    "ReverseProxy__Clusters__finance__Destinations__primary__Address=http://127.0.0.1:$FINANCE_PORT/" \
    "ReverseProxy__Clusters__distribution__Destinations__primary__Address=http://127.0.0.1:$DISTRIBUTION_PORT/" ${DERP_GATEWAY_SETTINGS:-}
  wait_ready gateway "http://127.0.0.1:$GATEWAY_PORT/health/live" 60
  start_prometheus # monitoring (issue 13, prom)

  echo
  echo "Derp is running."
  echo "  portal:       http://127.0.0.1:$GATEWAY_PORT/"
  echo "  admin login:  $DERP_ADMIN_EMAIL"
  if [ -n "$FIRST_PASSWORD" ]; then
    echo "  admin password (generated, shown once; also kept in $SECRETS): $FIRST_PASSWORD"
  else
    echo "  admin password: as configured (DERP_ADMIN_PASSWORD), or see $SECRETS"
  fi
  echo "  dev mail:     $MAIL_DIR/new (one file per mail; the SMTP sink listens on 127.0.0.1:2525)"
  [ "$PROMETHEUS_PORT" != off ] && echo "  prometheus:   http://127.0.0.1:$PROMETHEUS_PORT/ (targets: /classic/targets, alerts: /classic/alerts)"
  echo "  logs:         $LOG_DIR"
  echo "  stop with:    make down"
}

down() {
  [ -d "$PID_DIR" ] || { log "nothing to stop"; return; }
  for pid_file in "$PID_DIR"/*.pid; do
    [ -e "$pid_file" ] || continue
    local pid; pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"; for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      log "stopped $(basename "$pid_file" .pid) (pid $pid)"
    fi
    rm -f "$pid_file"
  done
}

# --- monitoring (issue 13, prom)
# deploy/prometheus/prometheus.yml.tmpl with this copy's ports, virtual host and paths (`platform.sh prometheus-config`
# prints it: make test checks it with promtool).
prometheus_config() {
  sed -e "s#@USERS_PORT@#$USERS_PORT#g" -e "s#@SERIALS_PORT@#$SERIALS_PORT#g" -e "s#@ACL_PORT@#$ACL_PORT#g" \
      -e "s#@SERVERS_PORT@#$SERVERS_PORT#g" -e "s#@FINANCE_PORT@#$FINANCE_PORT#g" -e "s#@DISTRIBUTION_PORT@#$DISTRIBUTION_PORT#g" \
      -e "s#@GATEWAY_PORT@#$GATEWAY_PORT#g" -e "s#@VHOST@#$VHOST#g" -e "s#@RULES_DIR@#$ROOT/deploy/prometheus/rules#g" \
      -e "s#@DISCOVERY_TOKEN_FILE@#$PROMETHEUS_DIR/discovery-token#g" \
      -e "s#@SCRAPE_INTERVAL@#${DERP_PROMETHEUS_SCRAPE_INTERVAL:-15s}#g" \
      "$ROOT/deploy/prometheus/prometheus.yml.tmpl"
}

# Prometheus for this copy: its config from deploy/prometheus/prometheus.yml.tmpl with this copy's ports, the rules
# read from the checkout, its data under the copy's state directory; `down` stops it with the services (pid file).
start_prometheus() {
  [ "$PROMETHEUS_PORT" = off ] && return 0
  local pid_file="$PID_DIR/prometheus.pid"
  if [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; then log "prometheus already running (pid $(cat "$pid_file"))"; return; fi
  if nc -z 127.0.0.1 "$PROMETHEUS_PORT" 2>/dev/null; then
    log "port $PROMETHEUS_PORT is taken by another process: give this copy its own DERP_PROMETHEUS_PORT (or off)"; return 1
  fi
  mkdir -p "$PROMETHEUS_DIR/data"
  (umask 077; printf '%s' "$DERP_PROMETHEUS_DISCOVERY_TOKEN" >"$PROMETHEUS_DIR/discovery-token")
  prometheus_config >"$PROMETHEUS_DIR/prometheus.yml"
  (cd "$PROMETHEUS_DIR" && exec nohup prometheus --config.file="$PROMETHEUS_DIR/prometheus.yml" \
     --storage.tsdb.path="$PROMETHEUS_DIR/data" --storage.tsdb.retention.time=15d \
     --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" >"$LOG_DIR/prometheus.log" 2>&1) &
  echo $! >"$pid_file"
  wait_ready prometheus "http://127.0.0.1:$PROMETHEUS_PORT/-/ready" 60
}
# --- end monitoring

destroy() {
  down
  # The copy's relay containers on this machine's engine (labelled derp.managed=derp<suffix>): a destroyed copy leaves none.
  curl -fsS --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/json?all=true&filters=%7B%22label%22%3A%5B%22derp.managed%3Dderp${DB_SUFFIX}%22%5D%7D" 2>/dev/null \
    | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 | while read -r id; do curl -fsS -X DELETE --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/$id?force=true" >/dev/null; done || true
  if rabbitmqctl -q list_vhosts name 2>/dev/null | grep -x "$VHOST" >/dev/null; then
    rabbitmqctl -q delete_vhost "$VHOST" && log "deleted RabbitMQ virtual host $VHOST"
  fi
}

case "${1:-up}" in
  up) up ;;
  down) down ;;
  destroy) destroy ;;
  prometheus-config) prometheus_config ;; # monitoring (issue 13, prom)
  *) echo "usage: $0 up|down|destroy|prometheus-config" >&2; exit 2 ;;
esac
