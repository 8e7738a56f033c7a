#!/bin/sh
# Writes alertmanager.yml (beside this script) to $1 with the ${...} placeholders taken from the environment:
# Alertmanager itself reads no environment variables. A here-document expands each value once (no value is
# re-expanded), so passwords may hold any character but a double quote or a backslash; the template's own comment
# lines are dropped first (they are not shell-safe).
set -eu
: "${SMTP_HOST:?}" "${SMTP_PORT:?}" "${SMTP_FROM:?}" "${ALERT_MAIL_TO:?}"
SMTP_USERNAME="${SMTP_USERNAME:-}" SMTP_PASSWORD="${SMTP_PASSWORD:-}" SMTP_ENABLE_SSL="${SMTP_ENABLE_SSL:-true}"
template="$(dirname "$0")/alertmanager.yml"
{ echo "cat <<DERP_ALERTMANAGER_EOF"; sed '/^ *#/d' "$template"; echo "DERP_ALERTMANAGER_EOF"; } | \
  SMTP_USERNAME="$SMTP_USERNAME" SMTP_PASSWORD="$SMTP_PASSWORD" SMTP_ENABLE_SSL="$SMTP_ENABLE_SSL" sh >"$1"
