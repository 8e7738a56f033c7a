#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh (ADR-026). Run with --help for the options.
set -euo pipefail

usage() {
  cat <<'HELP'
usage: scripts/restore.sh [options] <backup directory>

Checks the whole backup first: the manifest and SHA256SUMS are there, every database the manifest names has its
dump, every checksum matches and no file is missing or unlisted, and pg_restore can read each dump. A corrupt or
partial backup is refused before any database is touched. Then, for each database: drop it, create it empty, and
pg_restore it in one transaction (a failure leaves that database empty rather than half restored, and stops).

Stop the platform's services first: a database with other sessions is refused (pass --force to end them).

options:
  --suffix S         restore into the databases of another platform copy (derp_users<S>, ...) instead of the names
                     in the backup; e.g. --suffix _restorecheck to look at last night's backup beside production
  --verify-only      check the backup and stop (exit 0 when it is sound); touches no database
  --force            end other sessions on the databases being replaced
  --yes              do not ask before dropping databases (needed when there is no terminal)
  -h, --help         this text

PostgreSQL is reached with the usual libpq variables: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (derp),
PGPASSWORD (derp, the development password). The connecting role needs CREATEDB; objects are restored owned by it.
HELP
}

TARGET_SUFFIX=""; SUFFIX_GIVEN=0; VERIFY_ONLY=0; FORCE=0; YES=0; BACKUP=""
while [ $# -gt 0 ]; do
  case "$1" in
    --suffix) TARGET_SUFFIX="$2"; SUFFIX_GIVEN=1; shift 2 ;;
    --verify-only) VERIFY_ONLY=1; shift ;;
    --force) FORCE=1; shift ;;
    --yes) YES=1; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "restore: unknown option '$1' (see --help)" >&2; exit 2 ;;
    *) [ -z "$BACKUP" ] || { echo "restore: one backup at a time (see --help)" >&2; exit 2; }; BACKUP="$1"; shift ;;
  esac
done
[ -n "$BACKUP" ] || { usage >&2; exit 2; }
[[ "$TARGET_SUFFIX" =~ ^[a-z0-9_]*$ ]] || { echo "restore: the suffix may hold only a-z, 0-9 and _" >&2; exit 2; }

export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-derp}" PGPASSWORD="${PGPASSWORD:-derp}"

log() { printf '[restore] %s\n' "$*"; }
refuse() { printf '[restore] REFUSED: %s\n[restore] nothing was changed\n' "$*" >&2; exit 1; }
fail() { printf '[restore] FAILED: %s\n' "$*" >&2; exit 1; }
manifest_value() { sed -n "s/^$1=//p" "$BACKUP/manifest" | head -1; }

# ---- verify everything before touching anything --------------------------------------------------------------------
[ -d "$BACKUP" ] || refuse "$BACKUP is not a directory"
BACKUP="$(cd "$BACKUP" && pwd)"
case "$(basename "$BACKUP")" in .partial-*) refuse "$BACKUP is a backup still being written (or left by a failed run)" ;; esac
[ -f "$BACKUP/manifest" ] || refuse "$BACKUP has no manifest: not a complete backup made by scripts/backup.sh"
[ -f "$BACKUP/SHA256SUMS" ] || refuse "$BACKUP has no SHA256SUMS: the backup did not finish, or was copied in part"
log "verifying $BACKUP"

read -r -a databases <<<"$(manifest_value databases)"
[ ${#databases[@]} -gt 0 ] || refuse "the manifest names no databases"
source_suffix="$(manifest_value suffix)"

# Every line well formed, every file listed present and matching, and nothing in the directory that is not listed.
if ! problems=$(cd "$BACKUP" && sha256sum --check --strict --quiet SHA256SUMS 2>&1); then
  refuse "checksums do not match: the backup is corrupt or incomplete:
$(sed 's/^/    /' <<<"$problems")"
fi
grep -q '  manifest$' "$BACKUP/SHA256SUMS" || refuse "SHA256SUMS does not vouch for the manifest"
for database in "${databases[@]}"; do
  [[ "$database" =~ ^[a-z0-9_]+$ ]] || refuse "the manifest names a database '$database' that is not a plain name"
  grep -q "  $database.dump\$" "$BACKUP/SHA256SUMS" || refuse "$database.dump is named in the manifest but has no checksum (partial backup)"
  [ -f "$BACKUP/$database.dump" ] || refuse "$database.dump is missing (partial backup)"
  expected_size=$(manifest_value "database.$database" | awk '{print $2}')
  actual_size=$(stat -c %s "$BACKUP/$database.dump")
  [ "$expected_size" = "$actual_size" ] || refuse "$database.dump has $actual_size bytes, the manifest says $expected_size"
done
for file in "$BACKUP"/*; do
  name=$(basename "$file")
  [ "$name" = SHA256SUMS ] && continue
  grep -q "  $name\$" "$BACKUP/SHA256SUMS" || refuse "$name is in the backup but not in SHA256SUMS: it was changed or added afterwards"
done
for database in "${databases[@]}"; do
  pg_restore --list "$BACKUP/$database.dump" >/dev/null 2>&1 || refuse "$database.dump passes its checksum but pg_restore cannot read it"
done
log "backup sound: ${#databases[@]} databases, checksums match (made $(manifest_value created), pg_dump $(manifest_value pg_dump))"
[ "$VERIFY_ONLY" = 1 ] && { log "verify only: no database touched"; exit 0; }

# ---- the targets ---------------------------------------------------------------------------------------------------
declare -A target_of=()
targets=()
for database in "${databases[@]}"; do
  if [ "$SUFFIX_GIVEN" = 1 ]; then
    base="${database%"$source_suffix"}"
    target_of[$database]="$base$TARGET_SUFFIX"
  else
    target_of[$database]="$database"
  fi
  targets+=("${target_of[$database]}")
done

pg_isready -q -t 10 || fail "PostgreSQL at $PGHOST:$PGPORT does not answer"
sessions=""
for database in "${databases[@]}"; do
  # psql interpolates :'db' only in what it reads, not in -c: the names go in as variables, never pasted into SQL.
  count=$(psql -X -qAt -d postgres -v ON_ERROR_STOP=1 -v db="${target_of[$database]}" \
    <<<"SELECT count(*) FROM pg_stat_activity WHERE datname = :'db' AND pid <> pg_backend_pid()") || fail "cannot reach PostgreSQL as $PGUSER"
  [ "$count" -gt 0 ] && sessions+=" ${target_of[$database]} ($count)"
done
if [ -n "$sessions" ] && [ "$FORCE" != 1 ]; then
  refuse "databases in use:$sessions. Stop the platform's services first (make down / scripts/platform.sh down), or pass --force"
fi

if [ "$YES" != 1 ]; then
  [ -t 0 ] || refuse "this drops and replaces ${targets[*]}: pass --yes to confirm when there is no terminal"
  printf '[restore] this DROPS and replaces: %s\n[restore] type yes to go on: ' "${targets[*]}"
  read -r answer; [ "$answer" = yes ] || refuse "not confirmed"
fi

# ---- restore -------------------------------------------------------------------------------------------------------
started=$(date +%s.%N)
for database in "${databases[@]}"; do
  target="${target_of[$database]}"
  log "  $target: dropping and creating"
  printf '%s\n' 'SET client_min_messages = warning;' 'DROP DATABASE IF EXISTS :"db" WITH (FORCE);' 'CREATE DATABASE :"db";' \
    | psql -X -q -d postgres -v ON_ERROR_STOP=1 -v db="$target" >/dev/null \
    || fail "$target could not be dropped and created"
  one_started=$(date +%s.%N)
  log "  $target: restoring $database.dump ($(stat -c %s "$BACKUP/$database.dump") bytes)"
  if ! error=$(pg_restore --dbname="$target" --no-owner --no-privileges --single-transaction --exit-on-error "$BACKUP/$database.dump" 2>&1); then
    fail "$target: pg_restore failed (the database is left empty): $error"
  fi
  tables=$(psql -X -qAt -d "$target" -c "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog','information_schema')")
  log "  $target: restored, $tables tables, in $(awk -v s="$one_started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
done
log "restore complete: ${#databases[@]} databases from $(basename "$BACKUP") in $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s; start the services again"
