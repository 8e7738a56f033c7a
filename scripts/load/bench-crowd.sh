#!/usr/bin/env bash
# Provisioning under a crowd (issue 15, ADR-030): one renter alone, then 30 renters redeeming a rental serial at the
# same moment on the copy's three demo hosts; each is timed from its redeem to three running relays and policy v1.
# Prints p50, p95, max time to ready and the failures, and the crowd's p50 against the lone renter's time (ratio).
# Called at the end of scripts/load-validate.sh; runs alone against any running copy given:
#   DERP_BENCH_BASE (gateway URL), DERP_BENCH_ADMIN_TOKEN (an admin's access token), DERP_STATE_DIR, DERP_DB_SUFFIX;
#   optional DERP_USERS_PORT (renters log in at the users service itself, each from its own documentation address in
#   X-Forwarded-For, which services believe from loopback: the per-IP login limit, 30 per 5 minutes, is for people),
#   DERP_MAIL_DIR (the SMTP sink's maildir, /var/tmp/derp/mail), DERP_BENCH_RENTERS (30), DERP_BENCH_READY_TIMEOUT (300 s).
# The copy's gateway should have its per-IP limit lifted as load-validate.sh's copy has (every renter polls from here
# twice a second); a 429 only delays a renter's readiness, it is not counted as a failure.
set -euo pipefail
: "${DERP_BENCH_BASE:?gateway URL}" "${DERP_BENCH_ADMIN_TOKEN:?admin access token}" "${DERP_STATE_DIR:?scratch directory}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BASE_URL="$DERP_BENCH_BASE" MAIL_DIR="${DERP_MAIL_DIR:-/var/tmp/derp/mail}" exec node "$ROOT/scripts/load/bench-crowd.mjs"
