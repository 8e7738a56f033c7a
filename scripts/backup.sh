#!/usr/bin/env bash
# Backs up every service database of one platform copy (ADR-026). Run with --help for the options.
set -euo pipefail

usage() {
  cat <<'HELP'
usage: scripts/backup.sh [options]

Dumps every service database (pg_dump custom format, one file per database, all dumps started at the same moment so
their snapshots lie milliseconds apart), checks each dump is readable, writes a manifest and SHA256SUMS, moves the
finished backup into place in one rename (a backup directory that exists is complete), then applies retention and
writes the result for Prometheus (node-exporter textfile). Exits non-zero, saying why, on any failure.

options (each also settable by the environment variable named after it):
  --dir DIR             where backups go                         DERP_BACKUP_DIR (.state/backups in the checkout)
  --keep N              always keep the N newest backups         DERP_BACKUP_KEEP (7)
  --max-age-days D      remove backups older than D days that     DERP_BACKUP_MAX_AGE_DAYS (30)
                        are not among the N newest (0: keep only the N newest)
  --suffix S            the platform copy's database suffix       DERP_DB_SUFFIX (none; the e2e copy is _e2e)
  --services "a b"      which services' databases                 DERP_BACKUP_SERVICES (users serials acl servers finance distribution)
  --metrics-file F      node-exporter textfile ('' for none)      DERP_BACKUP_METRICS_FILE (/var/tmp/derp/metrics/derp_backup.prom)
  --every SECONDS       run forever, one backup every SECONDS (a failed run is reported and the loop goes on;
                        the compose `backup` service uses this)
  -h, --help            this text

PostgreSQL is reached with the usual libpq variables: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (derp),
PGPASSWORD (derp, the development password scripts/infra.sh sets; production sets its own).

A backup is DIR/derp<suffix>-<UTC time>/ holding <database>.dump per database, `manifest` (what was dumped, when, by
which pg_dump, sizes) and SHA256SUMS (`sha256sum -c SHA256SUMS` checks it by hand). scripts/restore.sh restores one.
HELP
}

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BACKUP_DIR="${DERP_BACKUP_DIR:-$ROOT/.state/backups}"
KEEP="${DERP_BACKUP_KEEP:-7}"
MAX_AGE_DAYS="${DERP_BACKUP_MAX_AGE_DAYS:-30}"
SUFFIX="${DERP_DB_SUFFIX:-}"
SERVICES="${DERP_BACKUP_SERVICES:-users serials acl servers finance distribution}"
METRICS_FILE="${DERP_BACKUP_METRICS_FILE-/var/tmp/derp/metrics/derp_backup.prom}"
EVERY=""

while [ $# -gt 0 ]; do
  case "$1" in
    --dir) BACKUP_DIR="$2"; shift 2 ;;
    --keep) KEEP="$2"; shift 2 ;;
    --max-age-days) MAX_AGE_DAYS="$2"; shift 2 ;;
    --suffix) SUFFIX="$2"; shift 2 ;;
    --services) SERVICES="$2"; shift 2 ;;
    --metrics-file) METRICS_FILE="$2"; shift 2 ;;
    --every) EVERY="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done

# The dumps hold personal data and password hashes: readable by this user only (the metrics file is made readable).
umask 077
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-derp}" PGPASSWORD="${PGPASSWORD:-derp}"

log() { printf '[backup] %s\n' "$*"; }
fail() { printf '[backup] FAILED: %s\n' "$*" >&2; exit 1; }
human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "$1 B"; }

for number in "$KEEP" "$MAX_AGE_DAYS" ${EVERY:+"$EVERY"}; do
  [[ "$number" =~ ^[0-9]+$ ]] || { echo "backup: '$number' is not a whole number (see --help)" >&2; exit 2; }
done
[ "$KEEP" -ge 1 ] || { echo "backup: --keep must be at least 1: retention never removes the newest backup" >&2; exit 2; }
[[ "$SUFFIX" =~ ^[a-z0-9_]*$ ]] || { echo "backup: the suffix may hold only a-z, 0-9 and _" >&2; exit 2; }

if [ -n "$EVERY" ]; then
  # The schedule of the compose service: a failed run is reported (exit status, metrics) and the next one still comes.
  # As a container's first process bash ignores SIGTERM unless told: `docker stop` ends the wait at once.
  trap 'log "stopped"; kill "$sleeper" 2>/dev/null; exit 0' TERM INT
  sleeper=""
  while :; do
    "$0" --dir "$BACKUP_DIR" --keep "$KEEP" --max-age-days "$MAX_AGE_DAYS" --suffix "$SUFFIX" --services "$SERVICES" \
      --metrics-file "$METRICS_FILE" || log "this run failed; next attempt in $EVERY s"
    log "next backup at $(date -u -d "@$(( $(date +%s) + EVERY ))" +%FT%TZ)"
    sleep "$EVERY" & sleeper=$!; wait "$sleeper"
  done
fi

# ---- metrics (node-exporter textfile) ----------------------------------------------------------------------------
declare -A success_at=() size_of=()
started_at=$(date +%s.%N)

load_previous_metrics() {
  # A database that fails this time keeps its last success time and size: the alert on its age must keep counting.
  [ -n "$METRICS_FILE" ] && [ -f "$METRICS_FILE" ] || return 0
  local name labels value database
  while read -r name value; do
    [[ "$name" =~ ^(derp_backup_last_success_timestamp_seconds|derp_backup_last_size_bytes)\{database=\"([a-z0-9_]+)\"\}$ ]] || continue
    database="${BASH_REMATCH[2]}"
    if [ "${BASH_REMATCH[1]}" = derp_backup_last_success_timestamp_seconds ]; then success_at[$database]=$value; else size_of[$database]=$value; fi
  done <"$METRICS_FILE"
}

write_metrics() { # result (1 ok, 0 failed)
  [ -n "$METRICS_FILE" ] || return 0
  local directory tmp now duration database
  directory=$(dirname "$METRICS_FILE")
  (umask 022; mkdir -p "$directory") || { log "cannot create $directory: metrics not written"; return 0; } # node exporter reads it
  now=$(date +%s)
  duration=$(awk -v s="$started_at" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
  # Written beside the target and renamed over it: node exporter never reads half a file.
  tmp=$(mktemp "$directory/.derp_backup.prom.XXXXXX")
  {
    echo "# HELP derp_backup_last_run_timestamp_seconds When scripts/backup.sh last ran (succeeded or not)."
    echo "# TYPE derp_backup_last_run_timestamp_seconds gauge"
    echo "derp_backup_last_run_timestamp_seconds $now"
    echo "# HELP derp_backup_last_result 1 if the last backup run succeeded, 0 if it failed."
    echo "# TYPE derp_backup_last_result gauge"
    echo "derp_backup_last_result $1"
    echo "# HELP derp_backup_last_duration_seconds How long the last backup run took."
    echo "# TYPE derp_backup_last_duration_seconds gauge"
    echo "derp_backup_last_duration_seconds $duration"
    echo "# HELP derp_backup_last_success_timestamp_seconds When each database was last backed up successfully."
    echo "# TYPE derp_backup_last_success_timestamp_seconds gauge"
    for database in $(printf '%s\n' "${!success_at[@]}" | sort); do
      echo "derp_backup_last_success_timestamp_seconds{database=\"$database\"} ${success_at[$database]}"
    done
    echo "# HELP derp_backup_last_size_bytes Size of each database's last successful dump."
    echo "# TYPE derp_backup_last_size_bytes gauge"
    for database in $(printf '%s\n' "${!size_of[@]}" | sort); do
      echo "derp_backup_last_size_bytes{database=\"$database\"} ${size_of[$database]}"
    done
  } >"$tmp"
  chmod 644 "$tmp"
  mv -f "$tmp" "$METRICS_FILE"
}

# ---- the backup ---------------------------------------------------------------------------------------------------
load_previous_metrics
stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="derp$SUFFIX-$stamp"
partial=""

declare -A pid_of=() dump_started=()
on_exit() {
  local status=$? pid
  for pid in "${pid_of[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -n "$partial" ] && [ -d "$partial" ] && rm -rf "$partial"
  if [ "$status" -ne 0 ]; then
    write_metrics 0 || true
    printf '[backup] no backup was made (%s left as it was); see the message above\n' "$BACKUP_DIR" >&2
  fi
}
trap on_exit EXIT
trap 'exit 130' INT TERM

command -v pg_dump >/dev/null || fail "pg_dump is not installed (Debian: postgresql-client)"
mkdir -p "$BACKUP_DIR" || fail "cannot create the backup directory $BACKUP_DIR"
[ -w "$BACKUP_DIR" ] || fail "cannot write to the backup directory $BACKUP_DIR"
[ -e "$BACKUP_DIR/$name" ] && fail "$BACKUP_DIR/$name already exists (two runs in the same second?)"
pg_isready -q -t 10 || fail "PostgreSQL at $PGHOST:$PGPORT does not answer"

databases=()
for service in $SERVICES; do databases+=("derp_$service$SUFFIX"); done
[ ${#databases[@]} -gt 0 ] || fail "no services to back up"
existing=$(psql -X -qAt -d postgres -c "SELECT datname FROM pg_database") || fail "cannot list the databases on $PGHOST:$PGPORT as $PGUSER"
for database in "${databases[@]}"; do
  grep -qx "$database" <<<"$existing" || fail "database $database does not exist (wrong --suffix? services: $SERVICES)"
done

# A dot directory in the same file system: invisible to retention and restore until renamed into place.
partial="$BACKUP_DIR/.partial-$name"
mkdir "$partial"
log "backing up ${#databases[@]} databases of derp$SUFFIX on $PGHOST:$PGPORT into $BACKUP_DIR/$name"

# All dumps at once: each pg_dump takes its snapshot as it starts, so the databases are captured milliseconds apart
# rather than one after another (ADR-026 on the consistency between services this gives).
for database in "${databases[@]}"; do
  dump_started[$database]=$(date +%s.%N)
  pg_dump --format=custom --compress=6 --no-password --file="$partial/$database.dump" "$database" 2>"$partial/$database.err" &
  pid_of[$database]=$!
  log "  $database: dumping (pid ${pid_of[$database]})"
done
failures=()
for database in "${databases[@]}"; do
  if wait "${pid_of[$database]}"; then
    seconds=$(awk -v s="${dump_started[$database]}" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
    log "  $database: dumped, $(human "$(stat -c %s "$partial/$database.dump")") in ${seconds} s"
  else
    failures+=("$database ($(tr -s '\n' ' ' <"$partial/$database.err"))")
  fi
done
pid_of=() # all waited for: nothing left to stop
[ ${#failures[@]} -eq 0 ] || fail "pg_dump failed for ${failures[*]}"

# A dump pg_restore cannot read is no backup: read each one's table of contents back now, not on the day it is needed.
for database in "${databases[@]}"; do
  entries=$(pg_restore --list "$partial/$database.dump" 2>"$partial/$database.err" | grep -c -v '^;') \
    || fail "$database: the dump just written cannot be read back: $(cat "$partial/$database.err")"
  tables=$(pg_restore --list "$partial/$database.dump" | grep -c ' TABLE DATA ' || true)
  log "  $database: readable ($entries entries, $tables tables with data)"
  rm -f "$partial/$database.err"
done

{
  echo "# Derp backup (scripts/backup.sh; restore with scripts/restore.sh). Checksums: SHA256SUMS."
  echo "name=$name"
  echo "created=$(date -u +%FT%TZ)"
  echo "suffix=$SUFFIX"
  echo "format=pg_dump custom"
  echo "pg_dump=$(pg_dump --version | awk '{print $3}')"
  echo "server=$(psql -X -qAt -d postgres -c 'SHOW server_version' | awk '{print $1}')"
  echo "databases=${databases[*]}"
  for database in "${databases[@]}"; do
    echo "database.$database=$database.dump $(stat -c %s "$partial/$database.dump")"
  done
} >"$partial/manifest"
# The checksums last: a backup without them (or with a file they do not vouch for) is refused by restore.sh.
(cd "$partial" && sha256sum manifest derp_*.dump >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS)
sync -f "$partial/SHA256SUMS" 2>/dev/null || sync
mv "$partial" "$BACKUP_DIR/$name"
partial=""
total=$(du -sb "$BACKUP_DIR/$name" | cut -f1)
log "backup complete: $BACKUP_DIR/$name ($(human "$total"))"

now=$(date +%s)
for database in "${databases[@]}"; do
  success_at[$database]=$now
  size_of[$database]=$(stat -c %s "$BACKUP_DIR/$name/$database.dump")
done

# Retention: the KEEP newest always stay; older ones go once they are more than MAX_AGE_DAYS old. Only complete
# backups of this copy (its name prefix) are considered; a run's partial directory is removed by the run itself.
mapfile -t backups < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name "derp$SUFFIX-[0-9]*T[0-9]*Z" -printf '%f\n' | sort -r)
removed=0
for index in "${!backups[@]}"; do
  [ "$index" -lt "$KEEP" ] && continue
  old="${backups[$index]}"
  old_stamp="${old#derp"$SUFFIX"-}"
  old_epoch=$(date -u -d "$(sed -E 's/^([0-9]{4})([0-9]{2})([0-9]{2})T([0-9]{2})([0-9]{2})([0-9]{2})Z$/\1-\2-\3 \4:\5:\6/' <<<"$old_stamp")" +%s 2>/dev/null) || continue
  if [ $(( now - old_epoch )) -ge $(( MAX_AGE_DAYS * 86400 )) ]; then
    rm -rf "${BACKUP_DIR:?}/$old"
    log "retention: removed $old (older than $MAX_AGE_DAYS days, not among the $KEEP newest)"
    removed=$((removed + 1))
  fi
done
# A run killed outright (kill -9, power lost) could not remove its partial directory: one untouched for a day is no
# running backup's, and it is removed.
while IFS= read -r stale; do
  rm -rf "$stale"
  log "retention: removed $(basename "$stale") (left by a run that was killed)"
done < <(find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name ".partial-derp$SUFFIX-*" -mmin +1440)
log "retention: ${#backups[@]} backups before, $removed removed (keep $KEEP newest; remove older than $MAX_AGE_DAYS days)"

write_metrics 1
[ -n "$METRICS_FILE" ] && log "result written to $METRICS_FILE"
log "done in $(awk -v s="$started_at" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
