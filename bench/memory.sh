#!/usr/bin/env bash
# bench/memory.sh: peak memory of the decoding process, pgcdc against test_decoding, in one run on
# one cluster, on the workloads that stress a per-relation cache:
#
#   tables   PGCDC_MEM_TABLES tables of 4 columns (default 20000), one insert into each, decoded
#            through pg_recvlogical: the walsender's peak RSS
#   wide     PGCDC_MEM_WIDE tables of 100 columns (default 1000), one insert into each, decoded
#            through the SQL interface: the backend's peak RSS
#   cycles   PGCDC_MEM_CYCLES transactions (default 3000) that each create a 4-column table,
#            insert into it and drop it (a checkpoint after every 100), decoded through the SQL
#            interface twice: up to the first third of the cycles and up to the end; the growth
#            per cycle is the difference of the two peaks over the cycles between them
#
# Each case has a slot per plugin, created just before its workload, and both plugins decode the
# same WAL up to the same end, each in a fresh process. Peak RSS is VmHWM of /proc/PID/status; it
# counts the shared buffers the process touched as well as its own memory, so the script also
# prints, at the end of each decode, the private memory (RssAnon) and the shared memory touched
# (RssShmem) apart. A benchmark, not a test: it prints figures and ratios and fails only when
# something cannot run.
#
#   bash bench/memory.sh           # as root, with pgcdc installed (make install)
#
# PGCDC_KEEP_TMP keeps the cluster directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/test/lib.sh"

TABLES=${PGCDC_MEM_TABLES:-20000}
WIDE=${PGCDC_MEM_WIDE:-1000}
CYCLES=${PGCDC_MEM_CYCLES:-3000}
for v in TABLES WIDE CYCLES; do
	[[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "memory.sh: PGCDC_MEM_$v must be a positive integer" >&2; exit 2; }
done
[ "$CYCLES" -ge 3 ] || { echo "memory.sh: PGCDC_MEM_CYCLES must be at least 3" >&2; exit 2; }
[ -f "$PG_PKGLIBDIR/pgcdc.so" ] || { echo "memory.sh: $PG_PKGLIBDIR/pgcdc.so is missing; run make install first" >&2; exit 1; }

say() { echo "== $*" >&2; }
PLUGINS=(test_decoding pgcdc)

work=$(server_tmpdir memory)
port=$(free_port 55532)
recv_pid=
cleanup() {
	if [ -n "$recv_pid" ]; then kill "$recv_pid" 2>/dev/null || true; fi
	stop_cluster "$work"
	if [ -n "${PGCDC_KEEP_TMP:-}" ]; then echo "memory.sh: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Shared buffers that hold every catalog page the decodes read, so that what a process touches
# of them does not depend on which decode ran first (see the warm-up below).
cat >"$work/bench.conf" <<CONF
shared_buffers = 512MB
autovacuum = off
checkpoint_timeout = 1h
max_wal_size = 8GB
max_locks_per_transaction = 256
CONF
chmod 644 "$work/bench.conf"
say "starting a cluster in $work (port $port)"
start_cluster "$work" "$port" "pgoutput, test_decoding, pgcdc" "$work/bench.conf"
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
lsn() { psql_q -c "SELECT pg_current_wal_lsn()"; }

# --- the schema: the many tables exist before the slots, so decoding sees only their inserts ----
say "creating $TABLES tables of 4 columns and $WIDE tables of 100 columns"
wide_cols=$(awk 'BEGIN {
	split("integer text numeric timestamptz boolean bigint jsonb date float8 varchar(40)", t, " ")
	for (i = 1; i < 100; i++) printf ", c%d %s", i, t[(i - 1) % 10 + 1] }')
wide_vals=$(awk 'BEGIN {
	split("1|'"'"'text value'"'"'|12.50|'"'"'2026-11-21 10:00:00+00'"'"'|true|123456789012|'"'"'{\"a\": 1}'"'"'|'"'"'2026-11-21'"'"'|0.5|'"'"'short'"'"'", v, "|")
	for (i = 1; i < 100; i++) printf ", %s", v[(i - 1) % 10 + 1] }')
psql_q <<SQL
CREATE PROCEDURE make_tables(n int, cols text, prefix text)
LANGUAGE plpgsql AS \$\$
BEGIN
	FOR i IN 1..n LOOP
		EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY%s)', prefix || i, cols);
		IF i % 500 = 0 THEN COMMIT; END IF;
	END LOOP;
END \$\$;
CREATE PROCEDURE fill_tables(n int, vals text, prefix text)
LANGUAGE plpgsql AS \$\$
BEGIN
	FOR i IN 1..n LOOP
		EXECUTE format('INSERT INTO %I VALUES (%s%s)', prefix || i, i, vals);
		IF i % 100 = 0 THEN COMMIT; END IF;
	END LOOP;
END \$\$;
CREATE PROCEDURE cycles(n int)
LANGUAGE plpgsql AS \$\$
BEGIN
	FOR i IN 1..n LOOP
		EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, name text, amount numeric, at timestamptz)', 'cycle' || i);
		EXECUTE format('INSERT INTO %I VALUES (1, ''a name'', 1.5, now())', 'cycle' || i);
		EXECUTE format('DROP TABLE %I', 'cycle' || i);
		COMMIT;
	END LOOP;
END \$\$;
CALL make_tables($TABLES, ', name text, amount numeric, at timestamptz', 'narrow');
SQL
psql_q -v cols="$wide_cols" <<<"CALL make_tables($WIDE, :'cols', 'wide')"

run_cycles() {
	local left=$1 n
	while [ "$left" -gt 0 ]; do
		n=$((left < 100 ? left : 100))
		psql_q -c "CALL cycles($n)" -c "CHECKPOINT"
		left=$((left - n))
	done
}

# --- the slots, then each workload; every slot sees what follows its creation, and is read up to
# its workload's end ---------------------------------------------
# tables comes last: pg_recvlogical is stopped once it has the end message, and the walsender
# must have nothing after that to decode.
for c in wide cycles tables; do
	for p in "${PLUGINS[@]}"; do
		psql_q -c "SELECT 'created' FROM pg_create_logical_replication_slot('${c}_$p', '$p')" >/dev/null
	done
	case $c in
	tables)
		say "workload: one insert into each of the $TABLES narrow tables"
		psql_q -c "CALL fill_tables($TABLES, ', ''a name'', 1.5, now()', 'narrow')"
		;;
	wide)
		say "workload: one insert into each of the $WIDE wide tables"
		psql_q -v vals="$wide_vals" <<<"CALL fill_tables($WIDE, :'vals', 'wide')"
		;;
	cycles)
		# In rounds of at most 100 cycles, each followed by a checkpoint: its running-transactions
		# record lets decoding forget the committed catalog transactions (whose list every
		# historic snapshot copies), so that PostgreSQL's own memory does not grow with the
		# number of cycles and the growth left is the plugins'.
		third=$((CYCLES / 3))
		say "workload: $CYCLES create/insert/drop cycles"
		run_cycles "$third"
		CYCLES_MID=$(lsn)
		run_cycles $((CYCLES - third))
		;;
	esac
	# A last transaction the consumer can recognise.
	psql_q -c "SELECT pg_logical_emit_message(true, 'pgcdc-memory-end', '$c')" >/dev/null
	eval "END_$c=\$(lsn)"
done

# The memory figures of a process, in kB: peak RSS (VmHWM), then its private memory (RssAnon) and
# the shared memory it has touched (RssShmem, mostly shared buffers) now.
MEM_RE='VmHWM:\s+(\d+).*RssAnon:\s+(\d+).*RssShmem:\s+(\d+)'

# peak_sql SLOT UPTO: a fresh backend decodes the slot up to UPTO (peek: the slot stays where it
# is), then reads its own /proc status; prints "hwm anon shmem records".
peak_sql() {
	psql_q -F ' ' <<SQL
SELECT count(*) AS n FROM pg_logical_slot_peek_changes('$1', '$2', NULL) \gset
SELECT m[1], m[2], m[3], :n FROM regexp_match(pg_read_file('/proc/self/status'), '$MEM_RE') AS m;
SQL
}

# peak_recv SLOT: pg_recvlogical consumes a copy of the slot until the end message arrives; the
# walsender's /proc status is read then, before the consumer stops. Prints "hwm anon shmem records".
peak_recv() {
	local copy=$1_copy out=$work/recv.out mem pid i
	psql_q -c "SELECT 'copied' FROM pg_copy_logical_replication_slot('$1', '$copy')" >/dev/null
	rm -f "$out"
	"$PG_BINDIR/pg_recvlogical" -d postgres -S "$copy" --start -F 0 -f "$out" 2>"$work/recv.err" &
	recv_pid=$!
	for ((i = 0; i < 12000; i++)); do
		grep -q 'pgcdc-memory-end' "$out" 2>/dev/null && break
		kill -0 "$recv_pid" 2>/dev/null || { cat "$work/recv.err" >&2; echo "memory.sh: pg_recvlogical died" >&2; exit 1; }
		sleep 0.1
	done
	grep -q 'pgcdc-memory-end' "$out" || { echo "memory.sh: pg_recvlogical did not finish in 20 minutes" >&2; exit 1; }
	pid=$(psql_q -c "SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$copy'")
	mem=$(awk '/^(VmHWM|RssAnon|RssShmem):/ { v[$1] = $2 } END { print v["VmHWM:"], v["RssAnon:"], v["RssShmem:"] }' "/proc/$pid/status")
	kill -INT "$recv_pid"
	wait "$recv_pid" 2>/dev/null || true
	recv_pid=
	for ((i = 0; i < 100; i++)); do
		[ -z "$(psql_q -c "SELECT active_pid FROM pg_replication_slots WHERE slot_name = '$copy'")" ] && break
		sleep 0.1
	done
	psql_q -c "SELECT 'dropped' FROM pg_drop_replication_slot('$copy')" >/dev/null
	echo "$mem $(wc -l <"$out")"
}

# Warm-up, not measured: one decode of every case reads the catalog pages into shared buffers and
# sets their hint bits; a checkpoint before each measurement leaves no dirty buffer that a decode
# would have to write out (which would count as memory it touched).
say "warm-up: every case decoded once"
for c in tables wide cycles; do
	psql_q -c "SELECT count(*) FROM pg_logical_slot_peek_changes('${c}_test_decoding', NULL, NULL)" >/dev/null
done
checkpoint() { psql_q -c "CHECKPOINT"; }

results=$work/results
: >"$results"
for p in "${PLUGINS[@]}"; do
	checkpoint
	say "tables: $p through pg_recvlogical"
	echo "tables $p $(peak_recv "tables_$p")" >>"$results"
	say "wide: $p through the SQL interface"
	checkpoint
	echo "wide $p $(peak_sql "wide_$p" "$END_wide")" >>"$results"
	say "cycles: $p through the SQL interface, up to a third of the cycles, then up to the end"
	checkpoint
	echo "cycles_third $p $(peak_sql "cycles_$p" "$CYCLES_MID")" >>"$results"
	checkpoint
	echo "cycles_all $p $(peak_sql "cycles_$p" "$END_cycles")" >>"$results"
done

load=$(cut -d' ' -f1-3 /proc/loadavg)
{
	echo
	echo "pgcdc memory benchmark"
	echo "  server:   $(psql_q -c 'SHOW server_version'), $(nproc) cores, load average now $load"
	echo "  memory:   of the decoding process (walsender or backend), in kB, each decode in a fresh process:"
	echo "            peak RSS (VmHWM); at the end of the decode, private memory (RssAnon) and the"
	echo "            shared memory the process has touched (RssShmem: shared buffers, mostly)"
	echo
}
awk -v tables="$TABLES" -v wide="$WIDE" -v cycles="$CYCLES" -v third=$((CYCLES / 3)) '
{ hwm[$1, $2] = $3; anon[$1, $2] = $4; shm[$1, $2] = $5; recs[$1, $2] = $6 }
function row(label, itf, key,    t, p) {
	t = hwm[key, "test_decoding"]; p = hwm[key, "pgcdc"]
	printf "%-34s %-14s %9d %9d %6.2fx   %8d %8d   %8d %8d   %d / %d\n", label, itf, t, p, (t > 0) ? p / t : 0,
		anon[key, "test_decoding"], anon[key, "pgcdc"], shm[key, "test_decoding"], shm[key, "pgcdc"],
		recs[key, "test_decoding"], recs[key, "pgcdc"]
}
END {
	printf "%-34s %-14s %9s %9s %7s   %17s   %17s   %s\n", "", "", "peak RSS", "", "", "private at end", "shared at end", ""
	printf "%-34s %-14s %9s %9s %7s   %8s %8s   %8s %8s   %s\n", "case", "interface", "test_dec", "pgcdc", "ratio",
		"test_dec", "pgcdc", "test_dec", "pgcdc", "records (td / pgcdc)"
	row(tables " tables x 4 columns", "pg_recvlogical", "tables")
	row(wide " tables x 100 columns", "SQL", "wide")
	row(third " create/insert/drop cycles", "SQL", "cycles_third")
	row(cycles " create/insert/drop cycles", "SQL", "cycles_all")
	printf "\nGrowth per create/insert/drop cycle (after %d cycles minus after %d, over %d cycles), bytes:\n",
		cycles, third, cycles - third
	printf "  %-14s %10s %10s\n", "", "peak RSS", "private"
	for (i = 1; i <= 2; i++) {
		p = (i == 1) ? "test_decoding" : "pgcdc"
		printf "  %-14s %10.0f %10.0f\n", p, (hwm["cycles_all", p] - hwm["cycles_third", p]) * 1024 / (cycles - third),
			(anon["cycles_all", p] - anon["cycles_third", p]) * 1024 / (cycles - third)
	}
}' "$results"
