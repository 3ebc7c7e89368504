#!/usr/bin/env bash
# test/client/crash.sh: exactly once across kill -9. Three writers commit transactions of 1 to
# 3000 rows (inserts, updates, deletes, transactional and non-transactional messages) while pgcdc
# stream is killed with SIGKILL at random moments, PGCDC_KILLS times (default 60), with random fsync
# intervals; then writing stops and a last run with --endpos finishes the file. The file must then
# be exactly the records the plugin writes for the same changes through SQL (a second slot created
# beside the first): every committed transaction once, whole, in commit order, no partial line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$here/common.sh"

kills=${PGCDC_KILLS:-60}
start_suite client-crash "$(free_port 56532)"

psql_q <<'SQL'
CREATE TABLE log (writer int, txn int, n int, payload text, PRIMARY KEY (writer, txn, n));
CREATE TABLE counters (writer int PRIMARY KEY, value bigint);
INSERT INTO counters SELECT g, 0 FROM generate_series(1, 3) g;
SQL
"$PGCDC" slot create cdc >/dev/null
"$PGCDC" slot create twin >/dev/null

# A writer feeds one psql session a stream of transactions until $dir/stop appears.
writer() {
	local w=$1 i=0 n
	while [ ! -e "$dir/stop" ]; do
		i=$((i + 1))
		n=$((RANDOM % 20 + 1))
		[ $((RANDOM % 40)) -eq 0 ] && n=3000
		echo "BEGIN;"
		echo "INSERT INTO log SELECT $w, $i, g, md5(g::text) FROM generate_series(1, $n) g;"
		echo "UPDATE counters SET value = value + $n WHERE writer = $w;"
		[ $((RANDOM % 5)) -eq 0 ] && echo "UPDATE log SET payload = 'updated' WHERE writer = $w AND txn = $((i - 1));"
		[ $((RANDOM % 7)) -eq 0 ] && echo "DELETE FROM log WHERE writer = $w AND txn = $((i - 2)) AND n = 1;"
		[ $((RANDOM % 6)) -eq 0 ] && echo "SELECT pg_logical_emit_message(true, 'w$w', 'txn $i');"
		echo "COMMIT;"
		[ $((RANDOM % 10)) -eq 0 ] && echo "SELECT pg_logical_emit_message(false, 'w$w', 'after $i');"
		sleep 0.02
	done | psql -X -q -v ON_ERROR_STOP=1 >/dev/null 2>"$dir/writer$w.err"
}
for w in 1 2 3; do
	writer "$w" &
	writer_pids+=($!)
done

intervals=(0 0.05 0.2 1 5)
cuts=0
for i in $(seq 1 "$kills"); do
	f=${intervals[$((RANDOM % ${#intervals[@]}))]}
	"$PGCDC" stream --slot cdc -f "$dir/out.jsonl" --fsync-interval "$f" --status-interval 0.5 2>"$dir/run.err" &
	pid=$!
	sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q "bytes off" "$dir/run.err" && cuts=$((cuts + 1))
	if grep -E 'error|warning' "$dir/run.err" >/dev/null; then
		echo "run $i wrote to stderr:"
		sed 's/^/  /' "$dir/run.err"
		failures=$((failures + 1))
	fi
done
touch "$dir/stop"
wait "${writer_pids[@]}" 2>/dev/null || true
writer_pids=()
sleep 0.5
end=$(wal_lsn)
echo "# $kills kills; $cuts restarts cut a torn tail; $(psql_q -c "SELECT count(*) FROM log") rows in log"

rc=0
"$PGCDC" stream --slot cdc -f "$dir/out.jsonl" --endpos "$end" --no-loop 2>"$dir/final.err" || rc=$?
check "the last run reaches --endpos and exits 0 (got $rc)" test "$rc" -eq 0
twin_records twin "$end" >"$dir/twin.jsonl"
check "$(lines "$dir/twin.jsonl") records: the file is exactly the plugin's records for every committed change" \
	cmp -s "$dir/out.jsonl" "$dir/twin.jsonl"
check "no partial line: the file ends with a newline" test "$(tail -c 1 "$dir/out.jsonl" | od -An -c | tr -d ' ')" = '\n'
check "the kills landed in many places: $cuts of $kills restarts cut a torn tail" test "$cuts" -ge $((kills / 6))
# Independently of the twin: every row the writers committed was inserted exactly once in the file.
inserted=$(grep -c '"op":"I","schema":"public","table":"log"' "$dir/out.jsonl" || true)
check "every committed log row appears in exactly one I record ($inserted)" \
	test "$inserted" -eq "$(psql_q -c "SELECT sum(value) FROM counters")"
check "each transaction once: as many B as C, and as many C as distinct commit LSNs" \
	bash -c "b=\$(grep -c '^{\"op\":\"B\"' '$dir/out.jsonl'); c=\$(grep -c '^{\"op\":\"C\"' '$dir/out.jsonl');
	         u=\$(grep '^{\"op\":\"C\"' '$dir/out.jsonl' | sed 's/.*\"lsn\":\"\([^\"]*\)\".*/\1/' | sort -u | wc -l);
	         [ \$b -eq \$c ] && [ \$c -eq \$u ] && [ \$c -gt 100 ]"
finish
