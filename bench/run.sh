#!/usr/bin/env bash
# bench/run.sh: decodes one workload with pgcdc (one record per message, and with
# batch-bytes=65536), wal2json (format 1 and 2), test_decoding, pgoutput, decoderbufs and three
# floor plugins, through the SQL interface and through pg_recvlogical, and prints time, records
# and bytes for each, and pgcdc's ratios next to its targets. A benchmark, not a test: it fails
# only when something cannot run, never on time.
#
#   bash bench/run.sh            # as root on Debian 12 (installs wal2json/decoderbufs if missing)
#
# Settings (environment):
#   PGCDC_BENCH_ROWS       rows inserted, then updated, then deleted      (default 100000)
#   PGCDC_BENCH_BATCH      rows per transaction                           (default 1000)
#   PGCDC_BENCH_REPS       repetitions per plugin and interface; median   (default 5)
#   PGCDC_BENCH_RECV_REPS  repetitions through pg_recvlogical             (default PGCDC_BENCH_REPS)
#   PGCDC_BENCH_WORK_MEM   logical_decoding_work_mem of the cluster       (default 64MB)
#   PGCDC_KEEP_TMP         set to keep the cluster directory afterwards
#
# pgcdc must already be installed (make install at the top level); the floors are built and
# installed from bench/floors by this script.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/test/lib.sh"

ROWS=${PGCDC_BENCH_ROWS:-100000}
BATCH=${PGCDC_BENCH_BATCH:-1000}
REPS=${PGCDC_BENCH_REPS:-5}
RECV_REPS=${PGCDC_BENCH_RECV_REPS:-$REPS}
WORK_MEM=${PGCDC_BENCH_WORK_MEM:-64MB}
for v in ROWS BATCH REPS; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: PGCDC_BENCH_$v must be a positive integer" >&2; exit 2; }
done
[[ $RECV_REPS =~ ^[0-9]+$ ]] || { echo "run.sh: PGCDC_BENCH_RECV_REPS must be an integer" >&2; exit 2; }

say() { echo "== $*" >&2; }

# --- dependencies and the floor plugins ------------------------------------------------------
"$top/scripts/deps.sh" bench
[ -f "$PG_PKGLIBDIR/pgcdc.so" ] || { echo "run.sh: $PG_PKGLIBDIR/pgcdc.so is missing; run make install first" >&2; exit 1; }
say "building bench/floors"
floors_log=$(mktemp)
if ! { make -C "$here/floors" PG_CONFIG="$PG_CONFIG" && make -C "$here/floors" PG_CONFIG="$PG_CONFIG" install; } >"$floors_log" 2>&1; then
	cat "$floors_log" >&2
	rm -f "$floors_log"
	exit 1
fi
rm -f "$floors_log"
# The library decoderbufs ships under (its Debian package calls it decoderbufs.so).
DECODERBUFS=decoderbufs
for name in decoderbufs decoderbufs_plugin; do
	if [ -f "$PG_PKGLIBDIR/$name.so" ]; then DECODERBUFS=$name; break; fi
done

# --- the cluster --------------------------------------------------------------------------------
work=$(server_tmpdir bench)
port=$(free_port 55432)
# Server messages (decoderbufs says INFO at every startup) go to psql.err, shown on failure.
cleanup() {
	local rc=$?
	if [ $rc -ne 0 ] && [ -s "$work/psql.err" ]; then tail -n 30 "$work/psql.err" >&2; fi
	stop_cluster "$work"
	if [ -n "${PGCDC_KEEP_TMP:-}" ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

cat >"$work/bench.conf" <<CONF
logical_decoding_work_mem = $WORK_MEM
autovacuum = off
checkpoint_timeout = 1h
max_wal_size = 8GB
max_replication_slots = 30
CONF
chmod 644 "$work/bench.conf"
say "starting a cluster in $work (port $port)"
start_cluster "$work" "$port" \
	"pgoutput, test_decoding, pgcdc, wal2json, $DECODERBUFS, pgcdc_floor_null, pgcdc_floor_outfuncs, pgcdc_floor_write" \
	"$work/bench.conf"
export PGDATABASE=postgres

psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@" 2>>"$work/psql.err"; }

# The configurations: name|plugin|output (text or binary)|options as name=value,...
CONFIGS=(
	"pgcdc|pgcdc|text|"
	"pgcdc-batch|pgcdc|text|batch-bytes=65536"
	"wal2json-1|wal2json|text|format-version=1"
	"wal2json-2|wal2json|text|format-version=2"
	"test_decoding|test_decoding|text|"
	"pgoutput|pgoutput|binary|proto_version=1,publication_names=bench_pub"
	"decoderbufs|$DECODERBUFS|binary|"
	"floor_null|pgcdc_floor_null|text|"
	"floor_outfuncs|pgcdc_floor_outfuncs|text|"
	"floor_write|pgcdc_floor_write|text|"
)
PLUGINS=(pgcdc wal2json test_decoding pgoutput "$DECODERBUFS" pgcdc_floor_null pgcdc_floor_outfuncs pgcdc_floor_write)

# --- schema, slots, workload ----------------------------------------------------------------------
psql_q -f "$here/workload.sql"
psql_q <<'SQL'
-- Runs one peek through the SQL interface and times it on the server.
CREATE FUNCTION bench_peek(slot name, is_binary boolean, upto pg_lsn, upto_n int, opts text[],
                           OUT ms float8, OUT n bigint, OUT bytes bigint)
LANGUAGE plpgsql AS $$
DECLARE
	t0 timestamptz;
BEGIN
	t0 := clock_timestamp();
	IF is_binary THEN
		SELECT count(*), coalesce(sum(octet_length(data)), 0) INTO n, bytes
		FROM pg_logical_slot_peek_binary_changes(slot, upto, upto_n, VARIADIC opts);
	ELSE
		SELECT count(*), coalesce(sum(octet_length(data)), 0) INTO n, bytes
		FROM pg_logical_slot_peek_changes(slot, upto, upto_n, VARIADIC opts);
	END IF;
	ms := extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

SQL

for p in "${PLUGINS[@]}"; do
	psql_q -c "SELECT 'created' FROM pg_create_logical_replication_slot('bench_$p', '$p')" >/dev/null
done

say "workload: $ROWS inserts, $ROWS updates, $ROWS deletes, $BATCH rows per transaction"
t0=$EPOCHREALTIME
psql_q -c "CALL bench_workload($ROWS, $BATCH)"
t1=$EPOCHREALTIME
END_LSN=$(psql -XAt -c "SELECT pg_current_wal_flush_lsn()")
START_LSN=$(psql -XAt -c "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'bench_pgcdc'")
WAL_BYTES=$(psql -XAt -c "SELECT pg_wal_lsn_diff('$END_LSN', '$START_LSN')::bigint")
psql_q -c "CHECKPOINT"
workload_ms=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) * 1000 }')

results=$work/results.tsv
: >"$results"

# SQL array literal and pg_recvlogical -o arguments of a configuration's options.
sql_opts() {
	local opts=$1 out="" kv
	[ -n "$opts" ] || { echo "ARRAY[]::text[]"; return; }
	IFS=, read -ra kvs <<<"$opts"
	for kv in "${kvs[@]}"; do out+="${out:+,}'${kv%%=*}','${kv#*=}'"; done
	echo "ARRAY[$out]"
}
recv_opts() {
	local opts=$1 kv
	[ -n "$opts" ] || return 0
	IFS=, read -ra kvs <<<"$opts"
	for kv in "${kvs[@]}"; do printf '%s\0%s\0' -o "$kv"; done
}

# --- SQL interface: one session, a warm-up peek per configuration, then rounds over all ------
say "SQL interface: $REPS rounds over ${#CONFIGS[@]} configurations"
{
	echo "SET client_min_messages = warning;"
	# Round 0 is the warm-up, not counted: a whole decode with floor_null (the WAL into the page
	# cache, the session's memory grown), then a first transaction with each configuration (the
	# plugin loaded, the session's caches filled).
	echo "SELECT 'warm-up', 'sql', 0, 0, 0, 0 FROM bench_peek('bench_pgcdc_floor_null', false, '$END_LSN', NULL, ARRAY[]::text[]);"
	for round in $(seq 0 "$REPS"); do
		# Each round starts with the next configuration, so none is always first.
		for k in "${!CONFIGS[@]}"; do
			c=${CONFIGS[$(( (k + round) % ${#CONFIGS[@]} ))]}
			IFS='|' read -r name plugin kind opts <<<"$c"
			bin=false; [ "$kind" = binary ] && bin=true
			upto_n=NULL; [ "$round" -eq 0 ] && upto_n=1
			echo "SELECT '$name', 'sql', $round, round(ms::numeric, 3), n, bytes FROM bench_peek('bench_$plugin', $bin, '$END_LSN', $upto_n, $(sql_opts "$opts"));"
		done
	done
} >"$work/peek.sql"
psql -X -q -At -F $'\t' -v ON_ERROR_STOP=1 -f "$work/peek.sql" 2>>"$work/psql.err" | awk -F'\t' '$3 > 0' >>"$results"

# --- a sanity check of pgcdc's records (untimed): every one is JSON, one per change ------------
if ! check=$(psql -X -q -At -F ' ' -v ON_ERROR_STOP=1 2>>"$work/psql.err" -c "
	SELECT count(*) FILTER (WHERE r->>'op' = 'I'), count(*) FILTER (WHERE r->>'op' = 'U'),
	       count(*) FILTER (WHERE r->>'op' = 'D'), count(*) FILTER (WHERE r->>'op' = 'B'),
	       count(*) FILTER (WHERE r->>'op' = 'C')
	FROM (SELECT data::jsonb AS r FROM pg_logical_slot_peek_changes('bench_pgcdc', '$END_LSN', NULL)) s"); then
	tail -n 5 "$work/psql.err" >&2
	echo "run.sh: pgcdc's records could not be read as JSON; is the installed plugin broken?" >&2
	exit 1
fi
ntx=$(( 3 * ((ROWS + BATCH - 1) / BATCH) ))
if [ "$check" != "$ROWS $ROWS $ROWS $ntx $ntx" ]; then
	PGCDC_CHECK_WARNING="warning: pgcdc wrote I U D B C = $check records, expected $ROWS $ROWS $ROWS $ntx $ntx"
	echo "run.sh: $PGCDC_CHECK_WARNING" >&2
fi

# --- pg_recvlogical: a fresh copy of the slot per run, the same end LSN for all --------------
if [ "$RECV_REPS" -gt 0 ]; then
	say "pg_recvlogical: $RECV_REPS rounds over ${#CONFIGS[@]} configurations (a fresh copy of the slot each run)"
fi
for round in $(seq 1 "$RECV_REPS"); do
	for k in "${!CONFIGS[@]}"; do
		c=${CONFIGS[$(( (k + round - 1) % ${#CONFIGS[@]} ))]}
		IFS='|' read -r name plugin kind opts <<<"$c"
		slot="bench_run_${plugin}"
		out="$work/recv.out"
		rm -f "$out"
		psql_q -c "SELECT 'copied' FROM pg_copy_logical_replication_slot('bench_$plugin', '$slot')" >/dev/null
		mapfile -d '' ropts < <(recv_opts "$opts")
		times >"$work/cpu0"
		t0=$EPOCHREALTIME
		if ! pg_recvlogical -d "$PGDATABASE" -S "$slot" --start -E "$END_LSN" -F 0 -f "$out" \
			"${ropts[@]}" 2>"$work/recv.err"; then
			cat "$work/recv.err" >&2
			echo "run.sh: pg_recvlogical failed for $name" >&2
			exit 1
		fi
		t1=$EPOCHREALTIME
		times >"$work/cpu1"
		psql_q -c "SELECT 'dropped' FROM pg_drop_replication_slot('$slot')" >/dev/null
		size=$(stat -c %s "$out" 2>/dev/null || echo 0)
		if [ "$kind" = text ]; then
			lines=$(wc -l <"$out")
		else
			# Binary messages may hold newline bytes: take the message count of the SQL run.
			lines=$(awk -F'\t' -v n="$name" '$1 == n && $2 == "sql" { print $5; exit }' "$results")
			lines=${lines:-0}
		fi
		# pg_recvlogical ends each message with a newline of its own. Its CPU time (user + system)
		# is the difference of the shell's children times around it.
		cpu=$(awk 'function ms(t,  m) { m = t; sub(/m.*/, "", m); sub(/^[0-9]+m/, "", t); sub(/s$/, "", t); return (m * 60 + t) * 1000 }
			FNR == 2 { c[FILENAME] = ms($1) + ms($2) } END { printf "%.0f", c[ARGV[2]] - c[ARGV[1]] }' "$work/cpu0" "$work/cpu1")
		awk -v n="$name" -v r="$round" -v a="$t0" -v b="$t1" -v l="$lines" -v s="$size" -v c="$cpu" \
			'BEGIN { printf "%s\trecv\t%d\t%.3f\t%d\t%d\t%d\n", n, r, (b - a) * 1000, l, s - l, c }' >>"$results"
		rm -f "$out"
	done
done

# --- the report ------------------------------------------------------------------------------------
load=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo
	echo "pgcdc benchmark"
	echo "  server:    $(psql -XAt -c 'SHOW server_version'), $(nproc) cores, load average now $load"
	echo "  workload:  bench_rows (bigint pk, text, numeric, boolean, timestamptz, jsonb, text[]);"
	echo "             $ROWS inserts, $ROWS updates, $ROWS deletes in transactions of $BATCH rows"
	echo "             ($ntx transactions, $((ROWS * 3)) changes, $((WAL_BYTES / 1024)) kB of WAL, generated in $workload_ms ms)"
	echo "  decoding:  slot start $START_LSN, end $END_LSN; logical_decoding_work_mem $WORK_MEM"
	echo "  reps:      SQL $REPS (median; one session, after a warm-up; each round starts with the next plugin),"
	echo "             pg_recvlogical $RECV_REPS (median; a fresh copy of the slot per run)"
	echo "  sql:       SELECT count(*), sum(octet_length(data)) FROM pg_logical_slot_peek_[binary_]changes(...),"
	echo "             timed with clock_timestamp() in the server"
	echo "  recv:      pg_recvlogical --start -E <end> -F 0 -f <file>, timed around the process;"
	echo "             bytes exclude the newline it adds per message"
	if [ -n "${PGCDC_CHECK_WARNING:-}" ]; then echo "  $PGCDC_CHECK_WARNING"; fi
	echo
}
awk -F'\t' -v configs="$(printf '%s\n' "${CONFIGS[@]}")" -v changes=$((ROWS * 3)) '
function sortv(key, col,    m, i, j, t) {
	m = cnt[key]
	for (i = 1; i <= m; i++) v[i] = vals[key, col, i]
	for (i = 2; i <= m; i++) { t = v[i]; for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]; v[j + 1] = t }
	return m
}
function median(key, col,    m) {
	m = sortv(key, col)
	return (m % 2) ? v[(m + 1) / 2] : (v[m / 2] + v[m / 2 + 1]) / 2
}
function ratio(a, b) { return (b > 0) ? a / b : 0 }
function target(label, x, limit) {
	printf "  %-52s %7.3fx   target <= %.1fx   %s\n", label, x, limit, (x <= limit) ? "met" : "NOT met"
}
function info(label, x) { printf "  %-52s %7.3fx\n", label, x }
{
	key = $1 SUBSEP $2
	n = ++cnt[key]; vals[key, 4, n] = $4; vals[key, 7, n] = $7
	if (!(key in recs)) { recs[key] = $5; bytes[key] = $6 }
	else if (recs[key] != $5 || bytes[key] != $6) odd[key] = 1
	seen[$2] = 1
}
END {
	nc = split(configs, cl, "\n")
	for (i = 1; i <= nc; i++) {
		split(cl[i], f, "|"); names[i] = f[1]; kind[f[1]] = f[3]
		opts[f[1]] = ((f[4] == "") ? "defaults" : f[4]) ((f[3] == "binary") ? ", binary" : "")
	}
	split("sql recv", ifs, " ")
	for (x = 1; x <= 2; x++) {
		itf = ifs[x]
		if (!(itf in seen)) continue
		if (itf == "sql") {
			print "Through the SQL interface (time measured in the server):"
			printf "%-15s %10s %10s %10s %10s %13s %8s  %s\n", "plugin", "median ms", "min ms", "max ms", "records", "bytes", "B/change", "options"
		} else {
			print "Through pg_recvlogical (wall time of the process; client cpu = its user+system time):"
			printf "%-15s %10s %10s %10s %10s %13s %8s %10s  %s\n", "plugin", "median ms", "min ms", "max ms", "records", "bytes", "B/change", "client cpu", "options"
		}
		for (i = 1; i <= nc; i++) {
			key = names[i] SUBSEP itf
			if (!(key in cnt)) continue
			med[key] = median(key, 4)
			m = sortv(key, 4); lo = v[1]; hi = v[m]
			printf "%-15s %10.1f %10.1f %10.1f %10d %13d %8.1f", names[i], med[key], lo, hi, recs[key], bytes[key], bytes[key] / changes
			if (itf == "recv") printf " %10.0f", median(key, 7)
			printf "  %s%s\n", opts[names[i]], (key in odd) ? "  (records/bytes varied between runs!)" : ""
			if (itf == "sql" && opts[names[i]] ~ /batch-bytes/) batched = batched (batched == "" ? "" : ", ") names[i]
		}
		if (itf == "sql" && batched != "")
			printf "(%s: records are rows of several records, bytes include the \\n between them)\n", batched
		print ""
	}
	for (i = 1; i <= nc; i++) {
		a = names[i] SUBSEP "sql"; b = names[i] SUBSEP "recv"
		if ((a in cnt) && (b in cnt) && (recs[a] != recs[b] || bytes[a] != bytes[b]) && opts[names[i]] !~ /batch-bytes/)
			printf "note: %s wrote different records or bytes through the SQL interface and pg_recvlogical\n\n", names[i]
	}
	for (x = 1; x <= 2; x++) {
		itf = ifs[x]
		if (!(itf in seen)) continue
		p = "pgcdc" SUBSEP itf
		printf "pgcdc ratios, %s (medians):\n", (itf == "sql") ? "SQL interface" : "pg_recvlogical"
		target("time vs pgoutput", ratio(med[p], med["pgoutput" SUBSEP itf]), 1.0)
		target("time vs wal2json format 2", ratio(med[p], med["wal2json-2" SUBSEP itf]), 0.5)
		target("bytes vs wal2json format 2", ratio(bytes[p], bytes["wal2json-2" SUBSEP itf]), 0.6)
		info("time vs wal2json format 1", ratio(med[p], med["wal2json-1" SUBSEP itf]))
		info("time vs test_decoding", ratio(med[p], med["test_decoding" SUBSEP itf]))
		info("time vs decoderbufs", ratio(med[p], med["decoderbufs" SUBSEP itf]))
		info("time vs floor_null (decodes, writes nothing)", ratio(med[p], med["floor_null" SUBSEP itf]))
		info("time vs floor_outfuncs (output functions)", ratio(med[p], med["floor_outfuncs" SUBSEP itf]))
		info("time vs floor_write (a 2-byte message per change)", ratio(med[p], med["floor_write" SUBSEP itf]))
		n0 = med["floor_null" SUBSEP itf]
		if (med["pgoutput" SUBSEP itf] > n0)
			info("time above floor_null vs pgoutput'"'"'s", ratio(med[p] - n0, med["pgoutput" SUBSEP itf] - n0))
		if (med["wal2json-2" SUBSEP itf] > n0)
			info("time above floor_null vs wal2json-2'"'"'s", ratio(med[p] - n0, med["wal2json-2" SUBSEP itf] - n0))
		w0 = med["floor_write" SUBSEP itf]
		if (med["pgoutput" SUBSEP itf] > w0)
			info("time above floor_write vs pgoutput'"'"'s", ratio(med[p] - w0, med["pgoutput" SUBSEP itf] - w0))
		if (med["wal2json-2" SUBSEP itf] > w0)
			info("time above floor_write vs wal2json-2'"'"'s", ratio(med[p] - w0, med["wal2json-2" SUBSEP itf] - w0))
		q = "pgcdc-batch" SUBSEP itf
		if (q in med) {
			info("pgcdc-batch: time vs pgcdc", ratio(med[q], med[p]))
			info("pgcdc-batch: time vs pgoutput", ratio(med[q], med["pgoutput" SUBSEP itf]))
			info("pgcdc-batch: time vs wal2json format 2", ratio(med[q], med["wal2json-2" SUBSEP itf]))
		}
		print ""
	}
	print "Targets are for the default workload; they are reported, never enforced."
}' "$results"
