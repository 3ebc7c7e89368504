#!/usr/bin/env bash
# test/stream/run.sh: pgcdc through the streaming replication protocol (pg_recvlogical -P pgcdc),
# where the SQL-function suite cannot reach: options given without a value, option errors
# reported to a replication client, a walsender session's own DateStyle/TimeZone settings,
# batch-bytes writing the same file as one record per message, the slot moving past
# transactions that were all filtered out, a filtered-out transaction that takes longer to decode
# than wal_sender_timeout, and records longer than max-record-bytes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

dir=$(server_tmpdir stream)
cleanup() {
	stop_cluster "$dir"
	[ -n "${PGCDC_KEEP_TMP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
start_cluster "$dir" "$(free_port 57432)"

psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
recv() { "$PG_BINDIR/pg_recvlogical" -d postgres "$@"; }
wal_lsn() { psql_q -c "SELECT pg_current_wal_lsn()"; }
lines() { wc -l <"$1" | tr -d ' '; }

psql_q <<'SQL'
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, at timestamptz, span interval,
                    ratio float8, period tstzrange, blob bytea);
CREATE TABLE noise (id int PRIMARY KEY);
SQL
for slot in stream novalue errors plain styled quiet batch64 batch64k batchfiltered; do
	recv -S "$slot" --create-slot -P pgcdc
done
psql_q <<'SQL'
INSERT INTO items VALUES (1, 'ann', 1.50, '2026-11-21 23:30:00.5+00', '1 day 02:00:00', 1.0/3,
                          '[2026-01-01 00:00:00+00,2026-02-01 00:00:00+00)', '\x0102');
UPDATE items SET name = 'bob', price = -0.01 WHERE id = 1;
INSERT INTO noise SELECT g FROM generate_series(1, 10) g;
DELETE FROM items;
SELECT pg_logical_emit_message(true, 'app', 'hello') \g /dev/null
SQL
end=$(wal_lsn)

# 1. The stream carries exactly the SQL interface's records; options arrive as -o name=value.
psql_q -c "SELECT data FROM pg_logical_slot_peek_changes('stream', NULL, NULL, 'include-lsn', 'true',
           'exclude-tables', 'public.noise')" >"$dir/sql.jsonl"
recv -S stream --start -E "$end" -f "$dir/stream.jsonl" -o include-lsn=true -o exclude-tables=public.noise
check "pg_recvlogical and the SQL functions write the same records" cmp -s "$dir/stream.jsonl" "$dir/sql.jsonl"
check "4 transactions of B, one record, C: 12 records" test "$(lines "$dir/stream.jsonl")" -eq 12
check "the first record is a B with xid, lsn and ts" \
	grep -Eq '^\{"op":"B","xid":[0-9]+,"lsn":"[0-9A-F]+/[0-9A-F]+","ts":"[0-9-]+T[0-9:.]+Z"\}$' \
	<(head -n 1 "$dir/stream.jsonl")

# 2. An option without a value means true (only the replication protocol can say that).
recv -S novalue --start -E "$end" -f "$dir/novalue.jsonl" -o include-lsn -o include-transaction=off \
	-o exclude-tables=public.noise
check "-o include-lsn (no value) puts lsn in all 4 change records" \
	test "$(grep -c '^{"op":"[IUDM]","lsn":"' "$dir/novalue.jsonl")" -eq 4 -a "$(lines "$dir/novalue.jsonl")" -eq 4

# 3. Option errors reach a replication client with the option's name and what it accepts, and
#    lose nothing.
rc=0
recv -S errors --start -E "$end" -f /dev/null --no-loop -o bogus=1 2>"$dir/err1" || rc=$?
check "an unknown option fails pg_recvlogical" test "$rc" -ne 0
check "the unknown option is named" grep -q 'unrecognized pgcdc option "bogus"' "$dir/err1"
recv -S errors --start -E "$end" -f /dev/null --no-loop -o numeric 2>"$dir/err2" || true
check "an enum option without a value is an error naming it" \
	grep -q 'parameter "numeric" requires a value' "$dir/err2"
recv -S errors --start -E "$end" -f /dev/null --no-loop -o include-tables=public 2>"$dir/err3" || true
check "a bad pattern names the option and the position" \
	grep -q 'invalid pattern in parameter "include-tables" at position 1: missing dot' "$dir/err3"
check "nothing was consumed by the failed starts: all 24 records are still there" \
	test "$(psql_q -c "SELECT count(*) FROM pg_logical_slot_peek_changes('errors', NULL, NULL)")" -eq 24

# 4. A walsender's own session settings do not change the records (the settings that output
#    functions read are pinned while decoding).
recv -S plain --start -E "$end" -f "$dir/plain.jsonl"
PGOPTIONS="-c DateStyle=SQL,DMY -c TimeZone=Asia/Kolkata -c IntervalStyle=sql_standard -c extra_float_digits=-3 -c bytea_output=escape" \
	recv -S styled --start -E "$end" -f "$dir/styled.jsonl"
check "the same records under DateStyle/TimeZone/IntervalStyle/extra_float_digits/bytea_output" \
	cmp -s "$dir/plain.jsonl" "$dir/styled.jsonl"
check "timestamptz is UTC ISO there" grep -q '"at":"2026-11-21T23:30:00.5Z"' "$dir/styled.jsonl"
check "a range (rendered by its output function) uses the pinned settings there" \
	grep -qF '"period":"[\"2026-01-01 00:00:00+00\",\"2026-02-01 00:00:00+00\")"' "$dir/styled.jsonl"
check "float8 is shortest-exact there" grep -q '"ratio":0.3333333333333333' "$dir/styled.jsonl"

# 5. batch-bytes packs whole records into fewer messages, '\n' between them and none at the end;
#    pg_recvlogical ends every message with a newline, so it writes the same file, byte for byte,
#    whether a message holds one record or many (64 bytes: records alone and in twos; 64 kB: one
#    message per transaction), and the slots end where the unbatched one did.
recv -S batch64 --start -E "$end" -f "$dir/batch64.jsonl" -o batch-bytes=64
recv -S batch64k --start -E "$end" -f "$dir/batch64k.jsonl" -o batch-bytes=65536
recv -S batchfiltered --start -E "$end" -f "$dir/batchfiltered.jsonl" -o batch-bytes=64 -o include-lsn=true \
	-o exclude-tables=public.noise
check "batch-bytes=64 puts several records in some messages, and fewer messages in all" test "$(psql_q -c "
	SELECT count(*) FILTER (WHERE data LIKE E'%\\n%') > 0 AND count(*) < 24
	FROM pg_logical_slot_peek_changes('errors', NULL, NULL, 'batch-bytes', '64')")" = t
check "batch-bytes=64 writes the same file as no batching" cmp "$dir/plain.jsonl" "$dir/batch64.jsonl"
check "batch-bytes=65536 writes the same file as no batching" cmp "$dir/plain.jsonl" "$dir/batch64k.jsonl"
check "batch-bytes=64 with include-lsn and exclude-tables writes the same file as without batching" \
	cmp "$dir/stream.jsonl" "$dir/batchfiltered.jsonl"
check "the batched slots confirmed what the unbatched one did" test "$(psql_q -c "
	SELECT count(DISTINCT confirmed_flush_lsn) FROM pg_replication_slots WHERE slot_name IN ('plain', 'batch64', 'batch64k')")" -eq 1
rc=0
recv -S errors --start -E "$end" -f /dev/null --no-loop -o batch-bytes 2>"$dir/err4" || rc=$?
check "batch-bytes without a value is an error naming it" \
	test "$rc" -ne 0 -a "$(grep -c 'parameter "batch-bytes" requires a value' "$dir/err4")" -eq 1
recv -S errors --start -E "$end" -f /dev/null --no-loop -o batch-bytes=1MB 2>"$dir/err5" || true
check "a bad batch-bytes is an error saying what is accepted" \
	grep -q 'could not parse value "1MB" for parameter "batch-bytes"' "$dir/err5"

# 6. Transactions whose changes are all filtered out write nothing, and the slot still moves past
#    them while streaming.
recv -S quiet --start -E "$end" -f /dev/null -o exclude-tables=public.noise
for i in $(seq 1 20); do psql_q -c "INSERT INTO noise VALUES (100 + $i)"; done
end2=$(wal_lsn)
recv -S quiet --start -E "$end2" -f "$dir/quiet.jsonl" -o exclude-tables=public.noise
confirmed=$(psql_q -c "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = 'quiet'")
check "20 filtered-out transactions write nothing" test ! -s "$dir/quiet.jsonl"
check "the slot moved past them (confirmed $confirmed, end $end2)" \
	test "$(psql_q -c "SELECT '$confirmed'::pg_lsn >= '$end2'::pg_lsn")" = t

# 7. A transaction whose changes are all filtered out, and that takes longer to decode than
#    wal_sender_timeout (1 s for this walsender; 3,000,000 rows take about 3.5 s here): before
#    PostgreSQL 16 the walsender sends keepalives while decoding only when the plugin reports
#    progress (pgcdc does every 100 skipped changes), so without that it reads no reply for the
#    whole transaction and ends the connection ("terminating walsender process due to replication
#    timeout"), at the same place on every retry.
recv -S slow --create-slot -P pgcdc
psql_q -c "INSERT INTO noise SELECT g FROM generate_series(1000, 3000999) g"
end3=$(wal_lsn)
log_before=$(wc -c <"$dir/server.log")
rc=0
started=$(date +%s%3N)
PGOPTIONS="-c wal_sender_timeout=1s" recv -S slow --start -E "$end3" -f "$dir/slow.jsonl" --no-loop \
	-o exclude-tables=public.noise 2>"$dir/slow.err" || rc=$?
took=$(($(date +%s%3N) - started))
check "a filtered-out transaction decoded for ${took} ms, past a wal_sender_timeout of 1 s: the consumer is not cut off (exit $rc)" \
	test "$rc" -eq 0
check "no replication timeout in the server log" \
	test "$(tail -c +"$((log_before + 1))" "$dir/server.log" | grep -c 'replication timeout')" -eq 0
check "that took longer than 1.5 times the timeout, so the test can fail" test "$took" -gt 1500
check "nothing was written for it" test ! -s "$dir/slow.jsonl"
check "the slot moved past it" test "$(psql_q -c "SELECT confirmed_flush_lsn >= '$end3' FROM pg_replication_slots
	WHERE slot_name = 'slow'")" = t

# 8. max-record-bytes through a walsender: the limit is the record's own length (the protocol's
#    header before it in the message does not count); a longer record is an error that reaches the
#    client with the hint naming the way through, at the same place on every retry; with
#    oversized-records=omit-values pg_recvlogical writes what the SQL functions return, batched or not.
for slot in overexact over overbatch overtwin; do
	recv -S "$slot" --create-slot -P pgcdc
done
psql_q <<'SQL'
CREATE TABLE over (id int PRIMARY KEY, a text, b text);
INSERT INTO over VALUES (1, 'a', repeat(chr(1), 300));
SQL
end_first=$(wal_lsn)
len=$(psql_q -c "SELECT max(octet_length(data)) FROM pg_logical_slot_peek_changes('overexact', '$end_first', NULL)")
for try in 1 2; do
	rc=0
	recv -S overexact --start -E "$end_first" -f "$dir/overerr.jsonl" --no-loop -o max-record-bytes=$((len - 1)) \
		2>"$dir/overerr$try.err" || rc=$?
	check "a record one byte over max-record-bytes ($((len - 1))) stops pg_recvlogical (try $try)" \
		bash -c "test $rc -ne 0 && grep -q 'exceeds max-record-bytes ($((len - 1)) bytes)' '$dir/overerr$try.err'"
done
check "... with the hint naming the way through" grep -q 'oversized-records=omit-values' "$dir/overerr1.err"
check "... and nothing consumed" test "$(psql_q -c "SELECT count(*) FROM pg_logical_slot_peek_changes('overexact', '$end_first', NULL)")" -eq 3
recv -S overexact --start -E "$end_first" -f "$dir/overexact.jsonl" --no-loop -o max-record-bytes="$len"
check "a record of exactly max-record-bytes ($len) goes through" \
	test "$(awk '{ n = length($0) > n ? length($0) : n } END { print n }' "$dir/overexact.jsonl")" -eq "$len"
psql_q <<'SQL'
SELECT pg_logical_emit_message(false, 'ops', repeat(chr(1), 2000)) \g /dev/null
BEGIN;
INSERT INTO over SELECT g, 'row', 'row' FROM generate_series(10, 30) g;
INSERT INTO over VALUES (2, repeat(chr(2), 1000), 'b');
UPDATE over SET a = 'changed' WHERE id = 10;
COMMIT;
SQL
end4=$(wal_lsn)
psql_q -c "SELECT data FROM pg_logical_slot_peek_changes('overtwin', '$end4', NULL, 'max-record-bytes', '2048',
           'oversized-records', 'omit-values')" >"$dir/overtwin.jsonl"
recv -S over --start -E "$end4" -f "$dir/over.jsonl" -o max-record-bytes=2048 -o oversized-records=omit-values
recv -S overbatch --start -E "$end4" -f "$dir/overbatch.jsonl" -o max-record-bytes=2048 \
	-o oversized-records=omit-values -o batch-bytes=256
check "with omit-values pg_recvlogical writes what the SQL functions return" cmp -s "$dir/overtwin.jsonl" "$dir/over.jsonl"
check "... also with batch-bytes" cmp -s "$dir/overtwin.jsonl" "$dir/overbatch.jsonl"
check "... two of which list what they left out (the message's content, a of id 2)" \
	test "$(grep -c '"omitted":' "$dir/over.jsonl"),$(grep -c '"omitted":\["content"\]' "$dir/over.jsonl"),$(grep -c '"id":2,"b":"b"},"omitted":\["a"\]' "$dir/over.jsonl")" = 2,1,1
check "... and no record is longer than 2048 bytes" \
	test "$(awk '{ n = length($0) > n ? length($0) : n } END { print n }' "$dir/over.jsonl")" -le 2048
rc=0
recv -S overtwin --start -E "$end4" -f /dev/null --no-loop -o max-record-bytes 2>"$dir/overerr3.err" || rc=$?
check "max-record-bytes without a value is an error naming it" \
	bash -c "test $rc -ne 0 && grep -q 'parameter \"max-record-bytes\" requires a value' '$dir/overerr3.err'"

if [ "$failures" -ne 0 ]; then
	echo "$failures check(s) failed; files are in $dir" >&2
	PGCDC_KEEP_TMP=1
	exit 1
fi
echo "all stream checks passed"
