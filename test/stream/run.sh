#!/usr/bin/env bash
# test/stream/run.sh: pgcdc through the streaming replication protocol (pg_recvlogical -P pgcdc),
# where the SQL-function suite cannot reach: options given without a value, option errors
# reported to a replication client, a walsender session's own DateStyle/TimeZone/search_path/
# lc_monetary settings, and those settings put back when decoding fails half way, batch-bytes
# writing the same file as one record per message, the slot moving past transactions that were
# all filtered out, LATIN1 and SQL_ASCII databases, where non-transactional messages are decoded
# outside any transaction, a filtered-out transaction that takes longer to decode than
# wal_sender_timeout, and records longer than max-record-bytes.
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
CREATE SCHEMA hid;
CREATE TYPE hid.mood AS ENUM ('ok');
CREATE TABLE hid.thing ();
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, at timestamptz, span interval,
                    ratio float8, period tstzrange, blob bytea, cost money, mood hid.mood, rel regclass,
                    typ regtype);
CREATE TABLE noise (id int PRIMARY KEY);
SQL
for slot in stream novalue errors plain styled typed typedstyled quiet batch64 batch64k batchfiltered; do
	recv -S "$slot" --create-slot -P pgcdc
done
psql_q <<'SQL'
INSERT INTO items VALUES (1, 'ann', 1.50, '2026-11-21 23:30:00.5+00', '1 day 02:00:00', 1.0/3,
                          '[2026-01-01 00:00:00+00,2026-02-01 00:00:00+00)', '\x0102', 1234.5, 'ok',
                          'hid.thing', 'hid.mood');
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
#    functions read are pinned while decoding): names outside pg_catalog are schema-qualified
#    whatever search_path says, money is written as lc_monetary C writes it. lc_monetary needs a
#    locale that writes money differently; scripts/deps.sh makes de_DE.UTF-8.
monetary=C
if locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
	monetary=de_DE.UTF-8
else
	echo "# no de_DE.UTF-8 locale (scripts/deps.sh makes it): lc_monetary is tested with C only"
fi
styles="-c DateStyle=SQL,DMY -c TimeZone=Asia/Kolkata -c IntervalStyle=sql_standard -c extra_float_digits=-3"
styles+=" -c bytea_output=escape -c search_path=hid,public -c lc_monetary=$monetary"
recv -S plain --start -E "$end" -f "$dir/plain.jsonl"
PGOPTIONS="$styles" recv -S styled --start -E "$end" -f "$dir/styled.jsonl"
check "the same records under DateStyle/TimeZone/IntervalStyle/extra_float_digits/bytea_output/search_path/lc_monetary" \
	cmp -s "$dir/plain.jsonl" "$dir/styled.jsonl"
psql_q -c "SET search_path = hid, public" \
	-c "SELECT data FROM pg_logical_slot_peek_changes('typed', '$end', NULL, 'include-types', 'on')" >"$dir/typed.sql.jsonl"
recv -S typed --start -E "$end" -f "$dir/typed.jsonl" -o include-types
check "pg_recvlogical and the SQL functions (under another search_path) write the same include-types records" \
	cmp -s "$dir/typed.jsonl" "$dir/typed.sql.jsonl"
PGOPTIONS="$styles" recv -S typedstyled --start -E "$end" -f "$dir/typedstyled.jsonl" -o include-types
check "the same include-types records under another search_path" cmp -s "$dir/typed.jsonl" "$dir/typedstyled.jsonl"
check "include-types qualifies a type outside pg_catalog there" grep -qF '"mood":"hid.mood"' "$dir/typedstyled.jsonl"
check "regclass and regtype values are qualified there" \
	grep -qF '"rel":"hid.thing","typ":"hid.mood"' "$dir/styled.jsonl"
check "money is written as lc_monetary C writes it there" grep -qF '"cost":"$1,234.50"' "$dir/styled.jsonl"
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

# 7. Settings put back after an error in a walsender. The walsender lives on after a
#    START_REPLICATION that failed, and takes other commands: its settings must be its own again.
#    The failure: a type whose output function fails (enum_out given a value no enum has), in a
#    database of its own so that no other slot meets it.
psql_q -c "CREATE DATABASE broken"
psql_q -d broken >/dev/null <<'SQL'
SET client_min_messages = warning;
CREATE TYPE broken;
CREATE FUNCTION broken_in(cstring) RETURNS broken LANGUAGE internal IMMUTABLE STRICT AS 'int4in';
CREATE FUNCTION broken_out(broken) RETURNS cstring LANGUAGE internal IMMUTABLE STRICT AS 'enum_out';
CREATE TYPE broken (INPUT = broken_in, OUTPUT = broken_out, LIKE = int4);
CREATE TABLE fails (id int, b broken);
SELECT 'init' FROM pg_create_logical_replication_slot('broken', 'pgcdc');
INSERT INTO fails VALUES (1, NULL);
INSERT INTO fails VALUES (2, '12345');
SQL
repl_session=${PGCDC_REPL_SESSION:-$top/build/repl_session}
"$repl_session" "dbname=broken replication=database options='$styles'" \
	"START_REPLICATION SLOT broken LOGICAL 0/0" "SHOW DateStyle" "SHOW TimeZone" "SHOW IntervalStyle" \
	"SHOW extra_float_digits" "SHOW bytea_output" "SHOW search_path" "SHOW lc_monetary" >"$dir/broken.out" 2>&1 || true
check "the first transaction was decoded" grep -qF 'data: {"op":"I","schema":"public","table":"fails","new":{"id":1,"b":null}}' "$dir/broken.out"
check "then decoding failed" grep -qF 'error: invalid internal value for enum: 12345' "$dir/broken.out"
settings=$(sed -n 's/^row: //p' "$dir/broken.out" | paste -sd '|')
check "and the walsender's settings are its own again ($settings)" \
	test "$settings" = "SQL, DMY|Asia/Kolkata|sql_standard|-3|escape|hid,public|$monetary"

# 8. Databases whose encoding is LATIN1 and SQL_ASCII, through a walsender (whose client_encoding
#    is the database's): non-transactional messages, decoded outside any transaction, convert
#    without the catalogs; message content is text when it is text in the database's encoding;
#    records are UTF-8 that jsonb accepts; nothing is lost (values that are not UTF-8 are base64,
#    names that are not are replaced and say so). The same records as the SQL functions write.
psql_q -c "CREATE DATABASE latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
psql_q -c "CREATE DATABASE sqlascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
for db in latin1 sqlascii; do
	psql_q -d "$db" -c "CREATE TABLE t (id int PRIMARY KEY, v text, j json)"
	"$PG_BINDIR/pg_recvlogical" -d "$db" -S "$db" --create-slot -P pgcdc
done
# In LATIN1: pré, and the two characters Ã© (whose bytes are the UTF-8 of é), given as LATIN1 bytes.
psql_q -d latin1 >/dev/null <<'SQL'
SELECT 'm' FROM pg_logical_emit_message(false, convert_from('\x7072e9', 'LATIN1'), convert_from('\xc3a9', 'LATIN1'));
SELECT 'm' FROM pg_logical_emit_message(true, convert_from('\x7072e9', 'LATIN1'), convert_from('\x636166e9', 'LATIN1'));
SELECT 'm' FROM pg_logical_emit_message(false, 'bin', '\x00ff'::bytea);
INSERT INTO t VALUES (1, convert_from('\x636166e9', 'LATIN1'), '{"a": "\u0000"}');
SQL
psql_q -d sqlascii >/dev/null <<'SQL'
SELECT 'm' FROM pg_logical_emit_message(false, E'pr\xe9', E'\xc3\xa9');
SELECT 'm' FROM pg_logical_emit_message(true, 'p', E'caf\xe9');
INSERT INTO t VALUES (1, E'caf\xe9', E'{"a": "\xe9"}');
INSERT INTO t VALUES (2, E'caf\xc3\xa9', '{"a": "\u0000"}');
SQL
for db in latin1 sqlascii; do
	end_db=$(psql_q -d "$db" -c "SELECT pg_current_wal_lsn()")
	psql_q -d "$db" -c "SELECT data FROM pg_logical_slot_peek_changes('$db', NULL, NULL, 'include-transaction', 'off')" \
		>"$dir/$db.sql.jsonl"
	rc=0
	"$PG_BINDIR/pg_recvlogical" -d "$db" -S "$db" --start -E "$end_db" -f "$dir/$db.jsonl" --no-loop -o include-transaction=off \
		2>"$dir/$db.err" || rc=$?
	check "$db: pg_recvlogical decodes it all (non-transactional messages included)" test "$rc" -eq 0 -a ! -s "$dir/$db.err"
	check "$db: the same records as the SQL functions" cmp -s "$dir/$db.jsonl" "$dir/$db.sql.jsonl"
	check "$db: every record is UTF-8" iconv -f UTF-8 -t UTF-8 "$dir/$db.jsonl" -o /dev/null
	check "$db: jsonb, in a UTF-8 database, accepts every record" test "$(psql_q -v recs="$(cat "$dir/$db.jsonl")" <<'SQL'
SELECT count(*) = count(r::jsonb) AND count(*) = 4 FROM regexp_split_to_table(:'recs', E'\n') r
SQL
)" = t
done
check "latin1: the non-transactional message's prefix and content are LATIN1 text" \
	grep -qxF '{"op":"M","transactional":false,"prefix":"pr\u00e9","content":"\u00c3\u00a9"}' "$dir/latin1.jsonl"
check "latin1: a transactional one too" \
	grep -qxF '{"op":"M","transactional":true,"prefix":"pr\u00e9","content":"caf\u00e9"}' "$dir/latin1.jsonl"
check "latin1: content that is not LATIN1 text (a NUL byte) is base64" \
	grep -qxF '{"op":"M","transactional":false,"prefix":"bin","content":"AP8=","encoding":"base64"}' "$dir/latin1.jsonl"
check "latin1: a json value that jsonb refuses is the base64 of its text" \
	grep -qxF '{"op":"I","schema":"public","table":"t","new":{"id":1,"v":"caf\u00e9","j":"eyJhIjogIlx1MDAwMCJ9"},"base64":["/new/j"]}' \
	"$dir/latin1.jsonl"
check "sqlascii: a prefix that is not UTF-8 is replaced, and the record says so; UTF-8 content is text" \
	grep -qxF '{"op":"M","transactional":false,"prefix":"pr\ufffd","content":"é","replaced":true}' "$dir/sqlascii.jsonl"
check "sqlascii: content that is not UTF-8 is base64" \
	grep -qxF '{"op":"M","transactional":true,"prefix":"p","content":"Y2Fm6Q==","encoding":"base64"}' "$dir/sqlascii.jsonl"
check "sqlascii: values that are not UTF-8 are the base64 of their bytes" \
	grep -qxF '{"op":"I","schema":"public","table":"t","new":{"id":1,"v":"Y2Fm6Q==","j":"eyJhIjogIukifQ=="},"base64":["/new/v","/new/j"]}' \
	"$dir/sqlascii.jsonl"
check "sqlascii: UTF-8 values are text, a json value that jsonb refuses is base64" \
	grep -qxF '{"op":"I","schema":"public","table":"t","new":{"id":2,"v":"café","j":"eyJhIjogIlx1MDAwMCJ9"},"base64":["/new/j"]}' \
	"$dir/sqlascii.jsonl"

# 9. A transaction whose changes are all filtered out, and that takes longer to decode than
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

# 10. max-record-bytes through a walsender: the limit is the record's own length (the protocol's
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
