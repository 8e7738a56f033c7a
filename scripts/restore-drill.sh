#!/usr/bin/env bash
# The restore drill `make test` runs (scripts/test.sh) on the end-to-end platform copy once the browser tests have
# filled it (users, serials, rentals, policies, orders, wallets, distribution): stop the copy's services, back it up
# with scripts/backup.sh, record every table's rows (count and a digest of their content), every sequence, the
# schema's shape and the cross-service invariants, drop the databases, restore with scripts/restore.sh, and compare.
# Then a corrupt and a partial backup must be refused with the databases left untouched. ADR-026.
#   DERP_DB_SUFFIX (the copy, e.g. _e2e), DERP_STATE_DIR (its state directory: backups and metrics go there)
# Prints each check and ends with "drill: N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
SUFFIX="${DERP_DB_SUFFIX:?set DERP_DB_SUFFIX: the drill drops databases, never those of the default copy}"
STATE_DIR="${DERP_STATE_DIR:?set DERP_STATE_DIR}"
SERVICES="users serials acl servers finance distribution"
WORK="$STATE_DIR/restore-drill"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-derp}" PGPASSWORD="${PGPASSWORD:-derp}"
export DERP_BACKUP_METRICS_FILE="$WORK/metrics/derp_backup.prom" # not the machine's textfile: a drill is no backup

passed=0; failed=0; started=$(date +%s.%N)
say() { printf "[drill] %5.1fs %s\n" "$(awk -v s="$started" -v e="$(date +%s.%N)" "BEGIN { print e - s }")" "$*"; }
check() { # description, then a command that succeeds when the check holds
  local description=$1; shift
  if "$@"; then passed=$((passed + 1)); say "ok    $description"; else failed=$((failed + 1)); say "FAIL  $description"; return 1; fi
}
invariant_holds() { # name, file: the invariant's line says it holds
  grep -q -F -x "$1: holds" <(sed -E 's/ \([0-9]+ rows\)$//' "$2")
}
finish() {
  say "took $(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }') s"
  echo "drill: $passed passed, $failed failed"
  [ "$failed" -eq 0 ]; exit
}
q() { psql -X -qAt -v ON_ERROR_STOP=1 -d "derp_$1$SUFFIX" -c "$2"; } # service, sql

rm -rf "$WORK"; mkdir -p "$WORK"

# ---- the invariants: sets read from two services that must agree (or rows that must not exist) ---------------------
# Each query prints one id (or "id value") a line; they are compared sorted as text.
# Redeemed rental serials <=> rental periods made from a serial (exactly once each).
redeemed_rental_serials() { q serials "SELECT id FROM serials WHERE kind = 'rental' AND user_id IS NOT NULL"; }
serial_periods() { q users "SELECT serial_id FROM rental_periods WHERE source = 'serial'"; }
# Fulfilled plan orders <=> rental periods made from an order.
fulfilled_plan_orders() { q finance "SELECT id FROM orders WHERE type IN ('new', 'renewal') AND status = 'fulfilled'"; }
order_periods() { q users "SELECT order_id FROM rental_periods WHERE source = 'order'"; }
# Policy versions: 1..n without gaps per renter, and the renter's rental knows the newest one.
policy_version_gaps() { q acl "SELECT user_id FROM policy_versions GROUP BY user_id HAVING min(version) <> 1 OR max(version) <> count(*) OR count(DISTINCT version) <> count(*)"; }
newest_policy_versions() { q acl "SELECT user_id || ' ' || max(version) FROM policy_versions GROUP BY user_id"; }
rental_policy_versions() { q users "SELECT user_id || ' ' || policy_version FROM rentals WHERE policy_version IS NOT NULL"; }
# Wallets: the ledger sums to the balance, and the newest entry's running balance is the balance.
wallet_mismatches() { q finance "SELECT w.id FROM wallets w LEFT JOIN LATERAL (SELECT coalesce(sum(amount_cents), 0) AS total FROM ledger_entries l WHERE l.wallet_id = w.id) s ON true LEFT JOIN LATERAL (SELECT balance_after_cents FROM ledger_entries l WHERE l.wallet_id = w.id ORDER BY created_at DESC, id DESC LIMIT 1) n ON true WHERE s.total <> w.balance_cents OR coalesce(n.balance_after_cents, 0) <> w.balance_cents"; }
# Distribution: stock is serials' distributor serials, and a stock serial is redeemed exactly when serials has it used.
distributor_serials() { q serials "SELECT id FROM serials WHERE distributor_id IS NOT NULL"; }
stock_serials() { q distribution "SELECT serial_id FROM stock_serials"; }
used_stock_serials() { comm -12 <(q serials "SELECT id FROM serials WHERE distributor_id IS NOT NULL AND user_id IS NOT NULL" | LC_ALL=C sort) <(stock_serials | LC_ALL=C sort); }
redeemed_stock() { q distribution "SELECT serial_id FROM stock_serials WHERE redeemed_at IS NOT NULL"; }
# Commissions: each earned on an order that finance has as paid.
commission_orders() { q distribution "SELECT DISTINCT order_id FROM commissions"; }
paid_orders() { q finance "SELECT id FROM orders WHERE paid_at IS NOT NULL"; }

invariants() { # writes one block per invariant: "holds (N rows)", or what breaks it
  local out=$1
  {
    read_sorted() { local rows; rows=$($1) || { echo "query failed: $1"; return; }; LC_ALL=C sort <<<"$rows" | grep .; }
    same() { local name=$1 left right; left=$(read_sorted "$2"); right=$(read_sorted "$3")
      if [ "$left" = "$right" ]; then echo "$name: holds ($(grep -c . <<<"$left") rows)"
      else echo "$name: DIFFERS ($2 < > $3)"; diff <(echo "$left") <(echo "$right") | grep '^[<>]' | sed 's/^/    /'; fi; }
    subset() { local name=$1 extra; extra=$(comm -23 <(read_sorted "$2") <(read_sorted "$3"))
      if [ -z "$extra" ]; then echo "$name: holds ($(read_sorted "$2" | grep -c .) rows)"
      else echo "$name: BROKEN by ($2 not in $3)"; sed 's/^/    /' <<<"$extra"; fi; }
    empty() { local name=$1 rows; rows=$(read_sorted "$2")
      if [ -z "$rows" ]; then echo "$name: holds"; else echo "$name: BROKEN by"; sed 's/^/    /' <<<"$rows"; fi; }
    same "redeemed rental serials = rental periods from serials" redeemed_rental_serials serial_periods
    same "fulfilled plan orders = rental periods from orders" fulfilled_plan_orders order_periods
    empty "policy versions 1..n per renter, no gaps" policy_version_gaps
    same "each rental knows its newest policy version" newest_policy_versions rental_policy_versions
    empty "wallet ledger sums and running balances = balances" wallet_mismatches
    subset "distributor stock only of distributor serials" stock_serials distributor_serials
    same "stock redeemed = its serials used" used_stock_serials redeemed_stock
    subset "commissions only on paid orders" commission_orders paid_orders
  } >"$out"
}

snapshot() { # every table: rows and a digest of their text; every sequence; the counts of indexes and constraints
  local out=$1 service database tables sql
  : >"$out"
  for service in $SERVICES; do
    database="derp_$service$SUFFIX"
    tables=$(q "$service" "SELECT quote_ident(tablename) FROM pg_tables WHERE schemaname = 'public' ORDER BY 1") || { echo "$database: unreadable" >>"$out"; continue; }
    sql=""
    for table in $tables; do
      sql+="SELECT '$database $table rows=' || count(*) || ' md5=' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM $table t UNION ALL "
    done
    sql+="SELECT '$database sequence ' || sequencename || ' last=' || coalesce(last_value::text, 'unused') FROM pg_sequences WHERE schemaname = 'public' UNION ALL "
    sql+="SELECT '$database indexes=' || count(*) FROM pg_indexes WHERE schemaname = 'public' UNION ALL "
    sql+="SELECT '$database constraints=' || count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'"
    q "$service" "$sql" | sort >>"$out" || echo "$database: unreadable" >>"$out"
  done
}

# ---- 1. the copy's data is settled: every event of the browser tests has been consumed -----------------------------
say "waiting for the copy's events to settle (the invariants hold while its services still run)"
deadline=$(( $(date +%s) + 60 ))
while :; do
  invariants "$WORK/invariants-live.txt"
  grep -q -v ': holds' "$WORK/invariants-live.txt" || break
  [ "$(date +%s)" -ge "$deadline" ] && break
  sleep 1
done
check "invariants hold on the live copy before the backup" bash -c "! grep -v ': holds' '$WORK/invariants-live.txt' | grep -q ." \
  || cat "$WORK/invariants-live.txt"

# ---- 2. stop the services, record, back up -------------------------------------------------------------------------
say "stopping the copy's services"
"$ROOT/scripts/platform.sh" down >"$WORK/platform-down.log" 2>&1
snapshot "$WORK/before.txt"
invariants "$WORK/invariants-before.txt"
say "recorded $(grep -c ' rows=' "$WORK/before.txt") tables ($(grep -o 'rows=[0-9]*' "$WORK/before.txt" | cut -d= -f2 | awk '{ n += $1 } END { print n + 0 }') rows), $(grep -c ' sequence ' "$WORK/before.txt") sequences"
check "the copy has data to lose: users, serials, rentals, policy versions, orders, wallets, distributors" bash -c '
  for pair in "users users" "serials serials" "users rental_periods" "acl policy_versions" "finance orders" "finance ledger_entries" "distribution distributors"; do
    set -- $pair; grep -Eq "^derp_$1'"$SUFFIX"' $2 rows=[1-9]" "'"$WORK"'/before.txt" || { echo "    derp_$1'"$SUFFIX"'.$2 is empty"; exit 1; }
  done'

# Earlier backups for retention to judge (empty stand-ins: retention goes by name): with --keep 3 --max-age-days 7
# the new one, yesterday's and the 2020-01-02 one stay (the 3 newest), 2020-01-01 goes; another copy's backup and a
# running backup's partial directory are not retention's business; a partial directory untouched for two days (a run
# that was killed) goes.
yesterday="derp$SUFFIX-$(date -u -d '1 day ago' +%Y%m%dT%H%M%SZ)"
for old in "$yesterday" "derp$SUFFIX-20200102T000000Z" "derp$SUFFIX-20200101T000000Z" "derp-20200101T000000Z" ".partial-derp$SUFFIX-20200101T000000Z"; do
  mkdir -p "$WORK/backups/$old"
done
mkdir -p "$WORK/backups/.partial-derp$SUFFIX-20200103T000000Z" && touch -d '2 days ago' "$WORK/backups/.partial-derp$SUFFIX-20200103T000000Z"
backup_started=$(date +%s)
"$ROOT/scripts/backup.sh" --suffix "$SUFFIX" --dir "$WORK/backups" --keep 3 --max-age-days 7 >"$WORK/backup.log" 2>&1
backup_status=$?
sed 's/^/    /' "$WORK/backup.log"
check "backup.sh succeeds" test "$backup_status" -eq 0
check "retention keeps the 3 newest and removes older ones past 7 days, leaving other copies and running backups alone, removing a killed run's leftovers" bash -c '
  cd "'"$WORK/backups"'" && [ -d "'"$yesterday"'" ] && [ -d derp'"$SUFFIX"'-20200102T000000Z ] && [ ! -e derp'"$SUFFIX"'-20200101T000000Z ] \
    && [ -d derp-20200101T000000Z ] && [ -d .partial-derp'"$SUFFIX"'-20200101T000000Z ] && [ ! -e .partial-derp'"$SUFFIX"'-20200103T000000Z ]'
backup=$(find "$WORK/backups" -mindepth 1 -maxdepth 1 -type d -name "derp$SUFFIX-*" | sort | tail -1)
check "the backup has a dump per database, a manifest and SHA256SUMS that sha256sum -c accepts" bash -c '
  cd "'"$backup"'" && for s in '"$SERVICES"'; do [ -s "derp_${s}'"$SUFFIX"'.dump" ] || exit 1; done && [ -s manifest ] && sha256sum --check --strict --quiet SHA256SUMS'
metrics="$DERP_BACKUP_METRICS_FILE"
check "the result is written for Prometheus: result 1, a success time and size per database" bash -c '
  m="'"$metrics"'"; grep -qx "derp_backup_last_result 1" "$m" || exit 1
  for s in '"$SERVICES"'; do
    t=$(sed -n "s/^derp_backup_last_success_timestamp_seconds{database=\"derp_${s}'"$SUFFIX"'\"} //p" "$m"); [ -n "$t" ] && [ "$t" -ge '"$backup_started"' ] || exit 1
    grep -Eq "^derp_backup_last_size_bytes\{database=\"derp_${s}'"$SUFFIX"'\"\} [1-9]" "$m" || exit 1
  done
  grep -Eq "^derp_backup_last_duration_seconds [0-9.]+$" "$m" && grep -Eq "^derp_backup_last_run_timestamp_seconds [0-9]+$" "$m"'

"$ROOT/scripts/backup.sh" --suffix "$SUFFIX" --services "users nosuchservice" --dir "$WORK/backups-failed" >"$WORK/backup-failed.log" 2>&1
failed_status=$?
sed 's/^/    /' "$WORK/backup-failed.log"
check "a failed backup exits non-zero, says why, leaves no directory, reports result 0 and keeps the last success times" bash -c '
  [ '"$failed_status"' -ne 0 ] && grep -q "derp_nosuchservice'"$SUFFIX"' does not exist" "'"$WORK/backup-failed.log"'" \
    && [ -z "$(ls -A "'"$WORK/backups-failed"'")" ] && grep -qx "derp_backup_last_result 0" "'"$metrics"'" \
    && grep -q "^derp_backup_last_success_timestamp_seconds{database=\"derp_finance'"$SUFFIX"'\"} [0-9]" "'"$metrics"'"'

# ---- 3. lose everything, restore, compare ---------------------------------------------------------------------------
say "dropping the copy's databases"
# At once: each DROP DATABASE waits for a checkpoint, and concurrent ones share it.
for service in $SERVICES; do
  psql -X -q -d postgres -c "DROP DATABASE IF EXISTS derp_$service$SUFFIX WITH (FORCE)" >/dev/null &
done
wait
gone=$(psql -X -qAt -d postgres -c "SELECT count(*) FROM pg_database WHERE datname LIKE 'derp\\_%$SUFFIX'")
check "the databases are gone" test "$gone" -eq 0

"$ROOT/scripts/restore.sh" --yes "$backup" >"$WORK/restore.log" 2>&1
restore_status=$?
sed 's/^/    /' "$WORK/restore.log"
check "restore.sh succeeds" test "$restore_status" -eq 0
snapshot "$WORK/after.txt"
invariants "$WORK/invariants-after.txt"
check "every table came back with the same rows ($(grep -c ' rows=' "$WORK/before.txt") tables, compared by count and content digest)" \
  bash -c "diff <(grep ' rows=' '$WORK/before.txt') <(grep ' rows=' '$WORK/after.txt') | sed 's/^/    /'; [ \${PIPESTATUS[0]} -eq 0 ]"
check "every sequence continues where it was ($(grep -c ' sequence ' "$WORK/before.txt") sequences)" \
  bash -c "diff <(grep ' sequence ' '$WORK/before.txt') <(grep ' sequence ' '$WORK/after.txt') | sed 's/^/    /'; [ \${PIPESTATUS[0]} -eq 0 ]"
check "every index and constraint is back" \
  bash -c "diff <(grep -E ' (indexes|constraints)=' '$WORK/before.txt') <(grep -E ' (indexes|constraints)=' '$WORK/after.txt') | sed 's/^/    /'; [ \${PIPESTATUS[0]} -eq 0 ]"
while read -r line; do
  name="${line%%: *}"
  check "invariant after restore: $name" invariant_holds "$name" "$WORK/invariants-after.txt" \
    || awk -v n="$name: " 'index($0, n) == 1 { on = 1; print; next } /^[^ ]/ { on = 0 } on' "$WORK/invariants-after.txt"
done < <(grep -v '^    ' "$WORK/invariants-before.txt")
check "the invariants read the same before and after (same row counts behind each)" diff -q "$WORK/invariants-before.txt" "$WORK/invariants-after.txt"

# ---- 4. a corrupt and a partial backup are refused, and nothing is touched -------------------------------------------
corrupt="$WORK/corrupt/$(basename "$backup")"
mkdir -p "$WORK/corrupt" && cp -r "$backup" "$corrupt"
size=$(stat -c %s "$corrupt/derp_users$SUFFIX.dump")
printf '\xff' | dd of="$corrupt/derp_users$SUFFIX.dump" bs=1 seek=$((size / 2)) conv=notrunc status=none
"$ROOT/scripts/restore.sh" --yes "$corrupt" >"$WORK/restore-corrupt.log" 2>&1
corrupt_status=$?
sed 's/^/    /' "$WORK/restore-corrupt.log"
check "a backup with one flipped byte is refused, naming the file" \
  bash -c "[ $corrupt_status -ne 0 ] && grep -q 'REFUSED' '$WORK/restore-corrupt.log' && grep -q 'derp_users$SUFFIX.dump: FAILED' '$WORK/restore-corrupt.log'"

partial="$WORK/partial/$(basename "$backup")"
mkdir -p "$WORK/partial" && cp -r "$backup" "$partial" && rm "$partial/derp_finance$SUFFIX.dump"
"$ROOT/scripts/restore.sh" --yes "$partial" >"$WORK/restore-partial.log" 2>&1
partial_status=$?
sed 's/^/    /' "$WORK/restore-partial.log"
check "a backup missing a dump is refused" bash -c "[ $partial_status -ne 0 ] && grep -q 'REFUSED' '$WORK/restore-partial.log'"

rm "$partial/SHA256SUMS"
"$ROOT/scripts/restore.sh" --yes "$partial" >"$WORK/restore-unfinished.log" 2>&1
unfinished_status=$?
sed 's/^/    /' "$WORK/restore-unfinished.log"
check "a backup without its checksums (an unfinished run) is refused" bash -c "[ $unfinished_status -ne 0 ] && grep -q 'no SHA256SUMS' '$WORK/restore-unfinished.log'"

snapshot "$WORK/after-refusals.txt"
check "the refused restores touched no database" diff -q "$WORK/after.txt" "$WORK/after-refusals.txt"

finish
