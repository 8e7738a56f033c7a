#!/usr/bin/env bash
# Runs every test: .NET test projects, web unit tests, config validation, and the browser end-to-end test against
# a second copy of the platform on other ports. Prints a summary and exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
RESULTS="$ROOT/.state/test-results"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
passed=0; failed=0; failures=(); flaky=(); suite_started=$(date +%s)

step() { printf '\n==> %s\n' "$*"; }
record() { # name passed failed
  passed=$((passed + $2)); failed=$((failed + $3))
  [ "$3" -gt 0 ] && failures+=("$1 ($3 failed)")
  printf '    %s: %s passed, %s failed\n' "$1" "$2" "$3"
}

if [ "${DERP_SKIP_INFRA:-}" != "1" ]; then
step "infrastructure"
scripts/infra.sh up || { echo "infrastructure did not start"; exit 1; }
# Once installed, starting again must not need the package mirrors: an apt-get that always fails proves it.
offline_bin=$(mktemp -d); printf '#!/bin/sh\necho "apt-get called: $*" >&2\nexit 100\n' >"$offline_bin/apt-get"; chmod +x "$offline_bin/apt-get"
if PATH="$offline_bin:$PATH" scripts/infra.sh up >"$RESULTS/infra-offline.log" 2>&1; then record "infra restarts without package mirrors" 1 0
else tail -5 "$RESULTS/infra-offline.log"; record "infra restarts without package mirrors" 0 1; fi
rm -rf "$offline_bin"
fi

step "build (warnings are errors)"
build_targets=(Derp.sln)
[ "${DERP_FAST_ONLY:-}" = "1" ] && mapfile -t build_targets < <(git ls-files '*UnitTests.csproj')
for target in "${build_targets[@]}"; do
  dotnet build "$target" -c Release -nologo -v quiet -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }
done

run_tests() { # project
  local project=$1 name; name=$(basename "$project" .csproj)
  step "$name"
  dotnet test "$project" -c Release --no-build --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS" 2>&1 | tee "$RESULTS/$name.log" | grep -E '^\s+Failed |Passed!|Failed!|error' || true
  summary=$(grep -E '(Passed|Failed)!' "$RESULTS/$name.log" | tail -1)
  p=$(sed -nE 's/.*Passed: *([0-9]+).*/\1/p' <<<"$summary"); f=$(sed -nE 's/.*Failed: *([0-9]+),.*/\1/p' <<<"$summary")
  # A few failures are run once more, alone: on this two-core machine a timing-sensitive test (real containers, real
  # broker) can time out under load. A test that passes the second time is still reported by name in the summary as
  # flaky (a defect to fix, not a pass to forget); one that fails again fails the run.
  if [ -n "$p" ] && [ "${f:-0}" -gt 0 ] && [ "${f:-0}" -le 3 ] && grep -qE '^\s+Failed ' "$RESULTS/$name.log"; then
    mapfile -t again < <(grep -E '^\s+Failed ' "$RESULTS/$name.log" | sed -E 's/^\s+Failed ([^ (\[]+).*/\1/' | sort -u)
    filter=$(printf 'FullyQualifiedName=%s|' "${again[@]}"); filter=${filter%|}
    echo "    running again alone: ${again[*]}"
    dotnet test "$project" -c Release --no-build --filter "$filter" >"$RESULTS/$name.rerun.log" 2>&1
    rerun=$(grep -E '(Passed|Failed)!' "$RESULTS/$name.rerun.log" | tail -1)
    if grep -q 'Passed!' <<<"$rerun"; then
      flaky+=("$name: ${again[*]}")
      record "$name" "$((p + f))" 0
      return
    fi
  fi
  if [ -z "$p" ]; then record "$name" 0 1; else record "$name" "$p" "${f:-0}"; fi
}

# The fast loop first: pure rules, no infrastructure (`make test-fast` runs only these).
fast_started=$(date +%s.%N)
for project in $(git ls-files '*UnitTests.csproj' | sort); do run_tests "$project"; done
fast_seconds=$(awk -v s="$fast_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
printf '    fast loop (unit tests): %s s\n' "$fast_seconds"
[ "${DERP_FAST_ONLY:-}" = "1" ] && { echo "results: $passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit; }

for project in $(git ls-files '*Tests.csproj' '*Tests/*.csproj' | grep -v 'UnitTests.csproj$' | sort -u); do run_tests "$project"; done

step "web: install, type-check, unit tests, build"
(cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || record "web install" 0 1
if (cd web && npx tsc -b); then record "web typecheck" 1 0; else record "web typecheck" 0 1; fi
(cd web && npx vitest run --reporter=default --reporter=json --outputFile="$RESULTS/vitest.json") >"$RESULTS/vitest.log" 2>&1
if [ -f "$RESULTS/vitest.json" ]; then
  read -r p f < <(node -e 'const r=require(process.argv[1]); console.log(r.numPassedTests, r.numFailedTests + r.numFailedTestSuites)' "$RESULTS/vitest.json")
  record "web unit tests" "$p" "$f"
else
  tail -20 "$RESULTS/vitest.log"; record "web unit tests (no result)" 0 1
fi
if (cd web && npm run build --silent >/dev/null); then record "web build" 1 0; else record "web build" 0 1; fi

step "docker-compose.yml and Dockerfiles"
compose_env="$RESULTS/compose.env"
sed -e 's/^DERP_JWT_SIGNING_KEY=$/DERP_JWT_SIGNING_KEY=test-key/' -e 's/^POSTGRES_PASSWORD=$/POSTGRES_PASSWORD=test/' \
    -e 's/^RABBITMQ_PASSWORD=$/RABBITMQ_PASSWORD=test/' -e 's/^SERIALS_ENCRYPTION_KEY=$/SERIALS_ENCRYPTION_KEY=test/' \
    -e 's/^VALIDATE_SIGNING_KEY_PEM=$/VALIDATE_SIGNING_KEY_PEM=test/' -e 's/^ADMISSION_SECRET=$/ADMISSION_SECRET=test/' \
    -e 's/^SERVERS_ENCRYPTION_KEY=$/SERVERS_ENCRYPTION_KEY=test/' -e 's/^DERPER_IMAGE=$/DERPER_IMAGE=test/' \
    -e 's#^DERP_ADMISSION_URL=$#DERP_ADMISSION_URL=https://derp.example.com/api/acl/derp/admit#' .env.example >"$compose_env"
sed -i -e 's/^PROMETHEUS_DISCOVERY_TOKEN=$/PROMETHEUS_DISCOVERY_TOKEN=test/' -e 's/^GRAFANA_ADMIN_PASSWORD=$/GRAFANA_ADMIN_PASSWORD=test/' "$compose_env" # monitoring (issue 13, prom)
if docker-compose --env-file "$compose_env" -f docker-compose.yml config -q; then record "docker-compose config" 1 0; else record "docker-compose config" 0 1; fi
# Without secrets it must refuse to start rather than run with defaults.
if docker-compose --env-file /dev/null -f docker-compose.yml config -q 2>/dev/null; then record "docker-compose refuses missing secrets" 0 1; else record "docker-compose refuses missing secrets" 1 0; fi
for dockerfile in $(git ls-files '*Dockerfile'); do
  grep -q '^FROM ' "$dockerfile" && grep -q '^ENTRYPOINT' "$dockerfile" && record "$dockerfile" 1 0 || record "$dockerfile" 0 1
done

# --- monitoring (issue 13, prom): Prometheus configs, alert rules and their promtool tests, Grafana dashboards
step "prometheus and grafana: configs, alert rules and their tests, dashboards against Grafana's schema"
monitoring_check() { # name log command...
  local name=$1 log=$2; shift 2
  if "$@" >"$log" 2>&1; then record "$name" 1 0; else tail -20 "$log"; record "$name" 0 1; fi
}
scripts/platform.sh prometheus-config >"$RESULTS/prometheus.yml"
monitoring_check "promtool check config (make up's Prometheus)" "$RESULTS/promtool-config.log" promtool check config "$RESULTS/prometheus.yml"
monitoring_check "promtool check config (docker-compose's Prometheus)" "$RESULTS/promtool-config-compose.log" promtool check config deploy/prometheus/prometheus.compose.yml
monitoring_check "promtool check rules" "$RESULTS/promtool-rules.log" promtool check rules deploy/prometheus/rules/*.yml
# one `promtool test rules` run per file, its cases counted: every alert fires in one case and stays quiet in another
for rule_test in deploy/prometheus/tests/*.yml; do
  cases=$(grep -c '^  - name:' "$rule_test")
  if (cd deploy/prometheus && promtool test rules "tests/$(basename "$rule_test")") >"$RESULTS/promtool-$(basename "$rule_test" .yml).log" 2>&1
  then record "promtool test rules $(basename "$rule_test")" "$cases" 0
  else grep -v '^$' "$RESULTS/promtool-$(basename "$rule_test" .yml).log" | head -30; record "promtool test rules $(basename "$rule_test")" 0 "$cases"; fi
done
monitoring_check "every alert has severity, summary, description, dashboard and a firing and a quiet test" "$RESULTS/rule-coverage.log" /usr/bin/python3 deploy/prometheus/check_rule_tests.py
# rendered as its container does, with a password full of shell characters
SMTP_HOST=smtp.example.com SMTP_PORT=587 SMTP_FROM='Derp <no-reply@example.com>' ALERT_MAIL_TO=ops@example.com SMTP_PASSWORD='p&|$`x;' \
  deploy/prometheus/render-alertmanager.sh "$RESULTS/alertmanager.yml" 2>"$RESULTS/amtool-render.log"
monitoring_check "amtool check-config (docker-compose's Alertmanager)" "$RESULTS/amtool.log" \
  sh -c 'amtool check-config "$1" && grep -qF "smtp_auth_password: \"p&|\$\`x;\"" "$1"' - "$RESULTS/alertmanager.yml"
/usr/bin/python3 deploy/grafana/check_dashboards.py schema >"$RESULTS/dashboards-schema.log" 2>&1
p=$(grep -c '^ok' "$RESULTS/dashboards-schema.log"); f=$(grep -c '^FAILED' "$RESULTS/dashboards-schema.log")
awk '/^FAILED/ { shown = 1; print; next } /^ / { if (shown) print; next } { shown = 0 }' "$RESULTS/dashboards-schema.log" | head -40
if grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$RESULTS/dashboards-schema.log"; then record "grafana dashboards (schema)" "$p" "$f"
else tail -10 "$RESULTS/dashboards-schema.log"; record "grafana dashboards (schema: did not run)" 0 1; fi
# --- end monitoring
# --- Kubernetes (deploy/k8s): every overlay rendered by kustomize and validated offline (schemas with unknown fields
# refused, every service of Derp.sln deployed with probes), the validator's own tests, the PrometheusRule drift check.
step "kubernetes manifests (deploy/k8s)"
if (cd deploy/k8s/validate && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  k8s_counts() { sed -nE 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/p' "$1" | tail -1; }
  (cd deploy/k8s/validate && node validate.mjs) >"$RESULTS/k8s-validate.log" 2>&1
  grep -E '^not ok|^    ' "$RESULTS/k8s-validate.log" | head -20
  read -r p f < <(k8s_counts "$RESULTS/k8s-validate.log"; echo "0 1")
  record "k8s overlays validated" "$p" "$f"
  (cd deploy/k8s/validate && node generate-prometheus-rule.mjs --check) >"$RESULTS/k8s-prometheusrule.log" 2>&1
  grep '^not ok' "$RESULTS/k8s-prometheusrule.log"
  read -r p f < <(k8s_counts "$RESULTS/k8s-prometheusrule.log"; echo "0 1")
  record "k8s PrometheusRule matches deploy/prometheus/rules" "$p" "$f"
  (cd deploy/k8s/validate && node --test) >"$RESULTS/k8s-validator-tests.log" 2>&1
  grep -E '^not ok' "$RESULTS/k8s-validator-tests.log" | head -10
  p=$(sed -nE 's/^# pass ([0-9]+)/\1/p' "$RESULTS/k8s-validator-tests.log"); f=$(sed -nE 's/^# fail ([0-9]+)/\1/p' "$RESULTS/k8s-validator-tests.log")
  record "k8s validator tests" "${p:-0}" "${f:-1}"
else
  record "k8s validator install" 0 1
fi
# --- end Kubernetes

step "end to end: the platform on ports 18080/15101-15106, driven by Chromium"
export DERP_STATE_DIR="$ROOT/.state/e2e" DERP_GATEWAY_PORT=18080 DERP_USERS_PORT=15101 DERP_SERIALS_PORT=15102 DERP_ACL_PORT=15103 DERP_SERVERS_PORT=15104 DERP_FINANCE_PORT=15105 DERP_DISTRIBUTION_PORT=15106 DERP_RELAY_FIRST_PORT=34000 DERP_DB_SUFFIX=_e2e DERP_NO_BUILD=1
export DERP_ADMIN_EMAIL=e2e-admin@derp.local DERP_ADMIN_PASSWORD=e2e-Admin-pass-1
# monitoring (issue 13, prom): the copy's own Prometheus, scraping every 5 s, started by `platform.sh up` with it
export DERP_PROMETHEUS_PORT=19090 DERP_PROMETHEUS_SCRAPE_INTERVAL=5s
# Every browser and API sign-in of the e2e files comes from 127.0.0.1; the per-address limit has its own functional test.
export DERP_USERS_SETTINGS="Users__LoginAttemptsPerIpPerWindow=1000"
# --- browser (issue 14): the copy checks its hosts every 5 s (not every minute), so the host the operator journey
# (web/e2e/journeys.test.mjs) cuts off turns unhealthy within seconds; services inherit it, only servers reads it
export Servers__Jobs__Health='0/5 * * * * ?'
# --- end browser
rm -rf "$DERP_STATE_DIR"
remove_e2e_relays() { # the e2e copy's relay containers on this machine's engine
  curl -fsS --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/json?all=true&filters=%7B%22label%22%3A%5B%22derp.managed%3Dderp_e2e%22%5D%7D" 2>/dev/null \
    | grep -o '"Id":"[0-9a-f]*"' | cut -d'"' -f4 | while read -r id; do curl -fsS -X DELETE --unix-socket /run/podman/podman.sock "http://d/v1.41/containers/$id?force=true" >/dev/null; done || true
}
remove_e2e_relays
for db in derp_users_e2e derp_serials_e2e derp_acl_e2e derp_servers_e2e derp_finance_e2e derp_distribution_e2e; do
  runuser -u postgres -- psql -q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
done
e2e_started=$(date +%s) # monitoring (issue 13, prom): the window the dashboards' queries look at
if scripts/platform.sh up >"$RESULTS/e2e-platform.log" 2>&1; then
  (cd web && BASE_URL=http://127.0.0.1:18080 MAIL_DIR="${DERP_MAIL_DIR:-/var/tmp/derp/mail}" SCREENSHOT_DIR="$RESULTS" \
     ADMIN_EMAIL="$DERP_ADMIN_EMAIL" ADMIN_PASSWORD="$DERP_ADMIN_PASSWORD" \
     node --test e2e/) >"$RESULTS/e2e.log" 2>&1
  cat "$RESULTS/e2e.log" | grep -E '^# (pass|fail)|^not ok|Error' | head -20
  p=$(sed -nE 's/^# pass ([0-9]+)/\1/p' "$RESULTS/e2e.log"); f=$(sed -nE 's/^# fail ([0-9]+)/\1/p' "$RESULTS/e2e.log")
  record "browser end-to-end" "${p:-0}" "${f:-1}"
  # --- monitoring (issue 13, prom): every dashboard panel's query against the Prometheus that scraped this copy while
  # the browser test used it (two more scrapes first, so the last figures are in)
  step "prometheus targets and grafana dashboards: the e2e copy's Prometheus (127.0.0.1:19090)"
  sleep 10
  curl -fsS http://127.0.0.1:19090/api/v1/targets >"$RESULTS/e2e-prometheus-targets.json" 2>/dev/null || true
  /usr/bin/python3 deploy/prometheus/check_targets.py http://127.0.0.1:19090 $(( $(date +%s) - e2e_started + 60 )) >"$RESULTS/prometheus-targets.log" 2>&1
  p=$(grep -c '^ok' "$RESULTS/prometheus-targets.log"); f=$(grep -c '^FAILED' "$RESULTS/prometheus-targets.log")
  grep '^FAILED' "$RESULTS/prometheus-targets.log"
  if grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$RESULTS/prometheus-targets.log"; then record "prometheus targets up (every service, gateway, node, rabbitmq, relays)" "$p" "$f"
  else tail -10 "$RESULTS/prometheus-targets.log"; record "prometheus targets (did not run)" 0 1; fi
  /usr/bin/python3 deploy/grafana/check_dashboards.py queries http://127.0.0.1:19090 $(( $(date +%s) - e2e_started + 60 )) \
    >"$RESULTS/dashboards-queries.log" 2>&1
  p=$(grep -c '^ok' "$RESULTS/dashboards-queries.log"); f=$(grep -c '^FAILED' "$RESULTS/dashboards-queries.log")
  awk '/^FAILED/ { shown = 1; print; next } /^ / { if (shown) print; next } { shown = 0 }' "$RESULTS/dashboards-queries.log" | head -60
  if grep -qE '^[0-9]+ passed, [0-9]+ failed$' "$RESULTS/dashboards-queries.log"; then record "grafana dashboards (live queries)" "$p" "$f"
  else tail -10 "$RESULTS/dashboards-queries.log"; record "grafana dashboards (live queries: did not run)" 0 1; fi
  # --- end monitoring
else
  tail -30 "$RESULTS/e2e-platform.log"; record "browser end-to-end (platform start)" 0 1
fi
# ---- restore drill (issue 13, backups): last before the teardown, because it stops the copy's services ----------
if ls "$DERP_STATE_DIR"/pids/*.pid >/dev/null 2>&1; then
  step "restore drill: the e2e copy backed up, its databases dropped and restored, every row and invariant compared"
  scripts/restore-drill.sh >"$RESULTS/restore-drill.log" 2>&1
  grep -E '^\[drill\]' "$RESULTS/restore-drill.log" | sed 's/^/    /'
  p=$(sed -nE 's/^drill: ([0-9]+) passed, ([0-9]+) failed$/\1/p' "$RESULTS/restore-drill.log")
  f=$(sed -nE 's/^drill: ([0-9]+) passed, ([0-9]+) failed$/\2/p' "$RESULTS/restore-drill.log")
  if [ -z "$p" ]; then tail -20 "$RESULTS/restore-drill.log"; record "restore drill" 0 1; else record "restore drill" "$p" "$f"; fi
fi
# ---- end of restore drill -----------------------------------------------------------------------------------------
scripts/platform.sh destroy >/dev/null 2>&1 || true
remove_e2e_relays

echo
echo "================ summary ================"
[ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
[ ${#flaky[@]} -gt 0 ] && printf 'flaky (failed, then passed alone; fix them): %s\n' "${flaky[@]}"
echo "fast loop (unit tests): $fast_seconds s; whole suite: $(( $(date +%s) - suite_started )) s"
echo "results: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
