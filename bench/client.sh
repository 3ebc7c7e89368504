#!/usr/bin/env bash
# bench/client.sh: the pgcdc client against pg_recvlogical, consuming the same slot backlog into a
# file in one run: time, CPU and peak RSS of the consuming process, with fsync settings made equal
# (every 10 s and at the end: pg_recvlogical -F 10, pgcdc stream --fsync-interval 10). Then the
# client's memory against transaction size: its peak RSS for one transaction of PGCDC_BENCH_SMALL
# rows and one of PGCDC_BENCH_LARGE rows. A benchmark, not a test: it prints figures and ratios.
#
#   bash bench/client.sh          # as root, after scripts/test.sh or make install + cmake --install
#
# Settings (environment):
#   PGCDC_BENCH_ROWS   rows inserted, then updated, then deleted, 1000 per transaction (default 100000)
#   PGCDC_BENCH_REPS   runs per configuration; medians                              (default 5)
#   PGCDC_BENCH_SMALL  rows of the small transaction                                (default 1000)
#   PGCDC_BENCH_LARGE  rows of the large transaction                                (default 1000000)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/test/lib.sh"

ROWS=${PGCDC_BENCH_ROWS:-100000}
REPS=${PGCDC_BENCH_REPS:-5}
SMALL=${PGCDC_BENCH_SMALL:-1000}
LARGE=${PGCDC_BENCH_LARGE:-1000000}
for v in ROWS REPS SMALL LARGE; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "client.sh: PGCDC_BENCH_$v must be a positive integer" >&2; exit 2; }
done
say() { echo "== $*" >&2; }

"$top/scripts/deps.sh" bench
PGCDC=$(command -v pgcdc) || { echo "client.sh: pgcdc is not on PATH (cmake --install build)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "client.sh: /usr/bin/time is missing (Debian package time)" >&2; exit 1; }

work=$(server_tmpdir bench-client)
port=$(free_port 55532)
cleanup() {
	stop_cluster "$work"
	if [ -n "${PGCDC_KEEP_TMP:-}" ]; then echo "client.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cat >"$work/bench.conf" <<CONF
logical_decoding_work_mem = 64MB
autovacuum = off
checkpoint_timeout = 1h
max_wal_size = 8GB
CONF
chmod 644 "$work/bench.conf"
start_cluster "$work" "$port" "pgoutput, test_decoding, pgcdc, wal2json" "$work/bench.conf"
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
out=$work/out
as_server_user mkdir -p "$out"
chmod 777 "$out"

# The configurations: name|plugin|command (the slot is $slot, the end $end, the file $file).
CONFIGS=(
	"pgcdc stream|pgcdc|$PGCDC stream --slot \$slot --endpos \$end --no-loop --fsync-interval 10 -f \$file"
	"pg_recvlogical + pgoutput|pgoutput|$PG_BINDIR/pg_recvlogical -d postgres -S \$slot --start -E \$end -F 10 -f \$file -o proto_version=1 -o publication_names=bench_pub"
	"pg_recvlogical + wal2json-2|wal2json|$PG_BINDIR/pg_recvlogical -d postgres -S \$slot --start -E \$end -F 10 -f \$file -o format-version=2"
	"pg_recvlogical + pgcdc|pgcdc|$PG_BINDIR/pg_recvlogical -d postgres -S \$slot --start -E \$end -F 10 -f \$file"
	"pg_recvlogical + pgcdc batch|pgcdc|$PG_BINDIR/pg_recvlogical -d postgres -S \$slot --start -E \$end -F 10 -f \$file -o batch-bytes=65536"
)

psql_q -f "$here/workload.sql" >/dev/null
for p in pgcdc pgoutput wal2json; do
	psql_q -c "SELECT 'created' FROM pg_create_logical_replication_slot('bench_$p', '$p')" >/dev/null
done
say "workload: $ROWS inserts, updates and deletes in transactions of 1000 rows"
psql_q -c "CALL bench_workload($ROWS, 1000)"
end=$(psql_q -c "SELECT pg_current_wal_flush_lsn()")
psql_q -c "CHECKPOINT"

# measure NAME PLUGIN COMMAND: one run on a fresh copy of bench_PLUGIN; appends
# "name<TAB>seconds<TAB>cpu seconds<TAB>peak kB<TAB>bytes" to $work/results.
measure() {
	local name=$1 plugin=$2 cmd=$3 slot=bench_run file=$out/run.jsonl
	rm -f "$file" "$file.checkpoint"
	psql_q -c "SELECT 'copied' FROM pg_copy_logical_replication_slot('bench_$plugin', '$slot')" >/dev/null
	cmd=${cmd//\$slot/$slot}
	cmd=${cmd//\$end/$end}
	cmd=${cmd//\$file/$file}
	# shellcheck disable=SC2086
	if ! /usr/bin/time -f '%e %U %S %M' -o "$work/time" $cmd 2>"$work/err"; then
		cat "$work/err" >&2
		echo "client.sh: $name failed" >&2
		exit 1
	fi
	read -r wall user sys rss <"$work/time"
	printf '%s\t%s\t%s\t%s\t%s\n' "$name" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" "$rss" \
		"$(stat -c %s "$file")" >>"$work/results"
	psql_q -c "SELECT 'dropped' FROM pg_drop_replication_slot('$slot')" >/dev/null
}

say "$REPS rounds over ${#CONFIGS[@]} configurations (a fresh copy of the slot each run)"
: >"$work/results"
for round in $(seq 1 "$REPS"); do
	for k in "${!CONFIGS[@]}"; do
		c=${CONFIGS[$(( (k + round - 1) % ${#CONFIGS[@]} ))]}
		IFS='|' read -r name plugin cmd <<<"$c"
		measure "$name" "$plugin" "$cmd"
	done
done

# Memory against transaction size: the client's peak RSS for one small and one large transaction.
say "one transaction of $SMALL rows, one of $LARGE rows"
psql_q -c "CREATE TABLE big_txn (id bigint PRIMARY KEY, body text)"
psql_q -c "SELECT 'created' FROM pg_create_logical_replication_slot('mem_small', 'pgcdc')" >/dev/null
psql_q -c "INSERT INTO big_txn SELECT g, md5(g::text) FROM generate_series(1, $SMALL) g"
end_small=$(psql_q -c "SELECT pg_current_wal_flush_lsn()")
psql_q -c "SELECT 'created' FROM pg_create_logical_replication_slot('mem_large', 'pgcdc')" >/dev/null
psql_q -c "INSERT INTO big_txn SELECT g, md5(g::text) FROM generate_series($SMALL + 1, $SMALL + $LARGE) g"
end_large=$(psql_q -c "SELECT pg_current_wal_flush_lsn()")
mem_run() { # mem_run SLOT END: peak kB of pgcdc stream over the slot's changes up to END, and records
	local file=$out/mem.jsonl
	rm -f "$file" "$file.checkpoint"
	/usr/bin/time -f '%M' -o "$work/mem" "$PGCDC" stream --slot "$1" --endpos "$2" --no-loop -f "$file" 2>"$work/err" ||
		{ cat "$work/err" >&2; exit 1; }
	echo "$(cat "$work/mem") $(wc -l <"$file")"
}
read -r mem_small_kb small_records < <(mem_run mem_small "$end_small")
read -r mem_large_kb large_records < <(mem_run mem_large "$end_large")

{
	echo
	echo "pgcdc client benchmark"
	echo "  server:    $(psql_q -c 'SHOW server_version'), $(nproc) cores, load average now $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "  workload:  bench_rows, $ROWS inserts, $ROWS updates, $ROWS deletes in transactions of 1000 rows"
	echo "  runs:      $REPS per configuration (median), each on a fresh copy of the slot, up to the same end LSN;"
	echo "             timed with /usr/bin/time around the consuming process (connection set-up included)"
	echo
	printf '%-30s %10s %10s %10s %12s %14s\n' "consumer" "median ms" "min ms" "cpu ms" "peak RSS kB" "bytes written"
}
awk -F'\t' -v order="$(printf '%s\n' "${CONFIGS[@]}" | cut -d'|' -f1)" '
function med(a, n,    i, j, t) {
	for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{ n = ++cnt[$1]; wall[$1, n] = $2 * 1000; cpu[$1, n] = $3 * 1000; rss[$1, n] = $4; bytes[$1] = $5 }
END {
	k = split(order, names, "\n")
	for (i = 1; i <= k; i++) {
		nm = names[i]; n = cnt[nm]
		for (j = 1; j <= n; j++) { w[j] = wall[nm, j]; cc[j] = cpu[nm, j]; r[j] = rss[nm, j] }
		mw[nm] = med(w, n); lo = w[1]
		printf "%-30s %10.0f %10.0f %10.0f %12.0f %14d\n", nm, mw[nm], lo, med(cc, n), med(r, n), bytes[nm]
	}
	t = mw["pgcdc stream"]
	print ""
	printf "  %-48s %6.3fx   target <= 0.6x    %s\n", "pgcdc stream vs pg_recvlogical + pgoutput", t / mw["pg_recvlogical + pgoutput"],
	       (t / mw["pg_recvlogical + pgoutput"] <= 0.6) ? "met" : "NOT met"
	printf "  %-48s %6.3fx   target <= 0.45x   %s\n", "pgcdc stream vs pg_recvlogical + wal2json-2", t / mw["pg_recvlogical + wal2json-2"],
	       (t / mw["pg_recvlogical + wal2json-2"] <= 0.45) ? "met" : "NOT met"
	printf "  %-48s %6.3fx\n", "pgcdc stream vs pg_recvlogical + pgcdc", t / mw["pg_recvlogical + pgcdc"]
	printf "  %-48s %6.3fx\n", "pgcdc stream vs pg_recvlogical + pgcdc batch", t / mw["pg_recvlogical + pgcdc batch"]
}' "$work/results"
echo
echo "Client memory against transaction size (pgcdc stream, peak RSS):"
printf '  one transaction of %8d rows: %7d kB (%d records)\n' "$SMALL" "$mem_small_kb" "$small_records"
printf '  one transaction of %8d rows: %7d kB (%d records)\n' "$LARGE" "$mem_large_kb" "$large_records"
printf '  difference: %d kB\n' $((mem_large_kb - mem_small_kb))
