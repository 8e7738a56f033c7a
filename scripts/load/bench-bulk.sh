#!/usr/bin/env bash
# Bulk generation (issue 15, ADR-030): 100 000 serials through the API (POST /api/serials/batches, through the gateway)
# against a psql \copy of the same number of rows (the same columns, codes generated beforehand) into the same table,
# measured in the same run. Prints both times and the ratio (goal: the API at most 2x the \copy).
# Called at the end of scripts/load-validate.sh; runs alone against any running copy given:
#   DERP_BENCH_BASE (gateway URL), DERP_BENCH_ADMIN_TOKEN (an admin's access token), DERP_STATE_DIR (scratch files go
#   under it), DERP_DB_SUFFIX (the copy's databases: derp_serials$DERP_DB_SUFFIX); optional DERP_BENCH_BULK_COUNT.
# The \copy rows (and their batch row) are deleted afterwards; the API batch stays, as any admin's batch would.
set -euo pipefail
: "${DERP_BENCH_BASE:?gateway URL}" "${DERP_BENCH_ADMIN_TOKEN:?admin access token}" "${DERP_STATE_DIR:?scratch directory}"
COUNT="${DERP_BENCH_BULK_COUNT:-100000}"
DB="derp_serials${DERP_DB_SUFFIX:-}"
export PGPASSWORD="${PGPASSWORD:-derp}"
PSQL=(psql -q -X -v ON_ERROR_STOP=1 -h 127.0.0.1 -U derp -d "$DB")
dir="$DERP_STATE_DIR/bench-bulk"; mkdir -p "$dir"
now() { date +%s.%N; }

# Through the API: the request the admin portal sends.
api_prefix="BLK$((RANDOM % 90000 + 10000))"
started=$(now)
status=$(curl -sS -o "$dir/api.json" -w '%{http_code}' -X POST "$DERP_BENCH_BASE/api/serials/batches" \
  -H "Authorization: Bearer $DERP_BENCH_ADMIN_TOKEN" -H 'Content-Type: application/json' \
  -d "{\"prefix\":\"$api_prefix\",\"count\":$COUNT,\"kind\":\"rental\",\"durationDays\":30,\"codeLength\":10}")
api_seconds=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
[ "$status" = 201 ] || { echo "bench-bulk: the API answered $status: $(cat "$dir/api.json")" >&2; exit 1; }

# \copy: a batch row of its own (serials reference their batch), the rows written to a file before the clock starts.
copy_prefix="CPY$((RANDOM % 90000 + 10000))"
batch_id=$(cat /proc/sys/kernel/random/uuid)
"${PSQL[@]}" -c "INSERT INTO serial_batches (id, prefix, kind, count, code_length, duration_days, valid_days, binding_policy, created_by, created_at)
  VALUES ('$batch_id', '$copy_prefix', 'rental', $COUNT, 10, 30, 30, 'strict', gen_random_uuid(), now())"
python3 - "$dir/rows.csv" "$COUNT" "$copy_prefix" "$batch_id" <<'PY'
import secrets, sys, uuid, datetime
path, count, prefix, batch = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
now = datetime.datetime.now(datetime.timezone.utc)
until = now + datetime.timedelta(days=30)
codes = set()
while len(codes) < count:
    codes.add("".join(secrets.choice(alphabet) for _ in range(10)))
with open(path, "w") as f:
    for code in codes:
        f.write(f"{uuid.uuid4()},{prefix},{code},{prefix}-{code},rental,unused,{batch},,,30,,,,strict,,{now.isoformat()},{until.isoformat()}\n")
PY
started=$(now)
"${PSQL[@]}" -c "\copy serials (id, prefix, code, full_code, kind, status, batch_id, distributor_id, plan_id, duration_days, duration_hours, traffic_quota_gb, value_cents, binding_policy, remark, created_at, valid_until) FROM '$dir/rows.csv' WITH (FORMAT csv)"
copy_seconds=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }')
"${PSQL[@]}" -c "DELETE FROM serials WHERE batch_id = '$batch_id'; DELETE FROM serial_batches WHERE id = '$batch_id'"
rm -f "$dir/rows.csv"

printf '%-36s %8s s\n' "$COUNT serials through the API" "$api_seconds" "$COUNT rows by psql \\copy" "$copy_seconds"
awk -v a="$api_seconds" -v c="$copy_seconds" 'BEGIN { printf "bulk API / \\copy time ratio: %.2f (goal <= 2)\n", a / c }'
