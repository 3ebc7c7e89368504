#!/usr/bin/env bash
# test/client/basic.sh: the pgcdc command as a user meets it: help, usage errors and exit codes,
# slot commands, a mixed workload streamed into a file and onto standard output (compared with
# what the plugin writes through the SQL interface), records longer than max-record-bytes (an
# error, or "omitted" values), checkpoint files that must be refused,
# signals (SIGTERM: durable and confirmed; SIGHUP: log rotation) and the progress line.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$here/common.sh"

start_suite client-basic "$(free_port 56432)"

# run NAME EXPECTED_CODE ARGS...: runs pgcdc (see run_command).
run() { run_command "$PGCDC" 60 "$@"; }

# 1. Help, version, usage errors (exit 2, the message, then the command's help).
run version 0 --version
check "--version prints the version" grep -Eq '^pgcdc [0-9]+\.[0-9]+\.[0-9]+$' "$dir/version.out"
run help 0 --help
check "--help lists the commands" out_has help "pgcdc stream --slot=NAME"
for cmd in stream slot check; do
	run "help-$cmd" 0 "$cmd" --help
	check "$cmd --help shows its usage" out_has "help-$cmd" "pgcdc $cmd"
done
run no-command 2
check "no command: says so" err_has no-command "pgcdc: error: no command given"
run unknown-command 2 strem
check "an unknown command is named, with the help" err_has unknown-command 'unknown command "strem"'
check "... and the help follows" err_has unknown-command "pgcdc stream --slot=NAME"
run bad-flag 2 stream --slot s --bogus
check "an unknown flag is named" err_has bad-flag 'unrecognized option "--bogus"'
check "... followed by the command's help" err_has bad-flag "--fsync-interval=SECS"
run no-slot 2 stream
check "stream without --slot" err_has no-slot "no slot given: --slot is required"
run bad-seconds 2 stream --slot s --fsync-interval=soon
check "a bad number of seconds" err_has bad-seconds 'invalid value "soon" for --fsync-interval'
run bad-lsn 2 stream --slot s --endpos 12345
check "a bad LSN" err_has bad-lsn 'invalid value "12345" for --endpos: expected an LSN'
run start-after-end 2 stream --slot s --startpos 0/20 --endpos 0/10
check "--startpos after --endpos" err_has start-after-end "--startpos 0/20 is after --endpos 0/10"
run no-framing 2 stream --slot s -o include-transaction=off
check "-o include-transaction=off is refused" err_has no-framing "needs the B and C records"
run twice 2 stream --slot a --slot b
check "a repeated option" err_has twice "option --slot given more than once"
run wW 2 check -w -W
check "-w with -W" err_has wW "cannot be used together"
run slot-nosub 2 slot
check "slot without a subcommand" err_has slot-nosub "needs a subcommand"
run slot-wrong-opt 2 slot list --if-exists
check "an option of another subcommand" err_has slot-wrong-opt 'option --if-exists does not apply to "slot list"'
run health-bad-size 2 slot health --retained-warning 1XB
check "a bad size" err_has health-bad-size 'invalid value "1XB" for --retained-warning'

# 2. Slot commands.
run create 0 slot create cdc
check "slot create reports the slot and its LSN" grep -Eq '^created replication slot "cdc" \(plugin pgcdc\) at [0-9A-F]+/[0-9A-F]+$' "$dir/create.out"
run create-again 1 slot create cdc
check "creating it again is an error from the server" err_has create-again 'replication slot "cdc" already exists'
run create-ine 0 slot create cdc --if-not-exists
run create-td 0 slot create td --plugin test_decoding
run list 0 slot list
check "slot list shows both slots" bash -c "grep -q ' cdc ' '$dir/list.out' && grep -q ' td ' '$dir/list.out'"
run list-json 0 slot list --format json
check "slot list --format json: one object per slot" \
	test "$(psql_q -c "SELECT count(*) FROM json_array_elements('[$(paste -sd, "$dir/list-json.out")]') e WHERE e->>'plugin' IN ('pgcdc', 'test_decoding')")" -eq 2
run drop-missing 3 slot drop nope
check "dropping a missing slot: exit 3" err_has drop-missing 'replication slot "nope" does not exist'
run drop-ie 0 slot drop nope --if-exists
run stream-missing 3 stream --slot nope --no-loop -f "$dir/none.jsonl"
check "streaming a missing slot: exit 3, not a loop" err_has stream-missing 'replication slot "nope" does not exist'
check "... with a hint" err_has stream-missing 'pgcdc slot create nope'
run stream-td 1 stream --slot td --no-loop -f "$dir/none2.jsonl"
check "a slot of another plugin is refused" err_has stream-td 'uses output plugin "test_decoding"'
run drop-td 0 slot drop td

# 3. A mixed workload, streamed into a file, equals what the plugin writes through SQL (the
#    client asks for batch-bytes and splits; the SQL twin writes one record per row).
"$PGCDC" slot create twin >/dev/null
"$PGCDC" slot create other >/dev/null
psql_q <<'SQL'
SET synchronous_commit = on;
CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, tags text[], doc jsonb, at timestamptz);
CREATE TABLE big (id int PRIMARY KEY, body text);
CREATE TABLE nokey (a int, b text);
INSERT INTO items VALUES (1, 'ann', 1.50, '{a,b}', '{"k": [1, 2]}', '2026-11-21 10:00:00+00');
INSERT INTO items SELECT g, 'row ' || g, g * 0.25, NULL, NULL, NULL FROM generate_series(2, 3000) g;
BEGIN;
UPDATE items SET name = 'bob' WHERE id = 1;
SELECT pg_logical_emit_message(true, 'app', 'in the transaction') \g /dev/null
SAVEPOINT s1;
INSERT INTO items VALUES (9999, 'rolled back to savepoint');
ROLLBACK TO s1;
DELETE FROM items WHERE id BETWEEN 2 AND 10;
COMMIT;
BEGIN;
INSERT INTO items VALUES (5000, 'rolled back');
ROLLBACK;
SELECT pg_logical_emit_message(false, 'ops', 'non-transactional') \g /dev/null
INSERT INTO big VALUES (1, repeat('x', 300000));
UPDATE big SET id = 2;
INSERT INTO nokey VALUES (1, 'one'), (2, 'two');
UPDATE nokey SET b = 'uno' WHERE a = 1;
DELETE FROM nokey WHERE a = 2;
ALTER TABLE items ADD COLUMN extra text DEFAULT 'new';
INSERT INTO items (id, name) VALUES (6000, 'after ddl');
BEGIN;
INSERT INTO items (id, name) VALUES (6001, 'prepared');
PREPARE TRANSACTION 'p1';
COMMIT PREPARED 'p1';
TRUNCATE nokey;
SELECT pg_logical_emit_message(false, 'pgcdc.heartbeat', 'a heartbeat is not written') \g /dev/null
SQL
end=$(wal_lsn)
twin_records twin "$end" >"$dir/twin.jsonl"
run stream-file 0 stream --slot cdc -f "$dir/cdc.jsonl" --endpos "$end" --no-loop
check "the file holds the plugin's records, in order, each once" \
	bash -c "grep -v '\"prefix\":\"pgcdc.heartbeat\"' '$dir/twin.jsonl' | cmp -s - '$dir/cdc.jsonl'"
check "the workload is all there: $(lines "$dir/twin.jsonl") records" test "$(lines "$dir/cdc.jsonl")" -gt 3000
check "heartbeat messages are not written" test "$(grep -c pgcdc.heartbeat "$dir/cdc.jsonl" || true)" -eq 0
check "the checkpoint sits beside the file" grep -q '^slot: cdc$' "$dir/cdc.jsonl.checkpoint"
cp_pos=$(sed -n 's/^position: //p' "$dir/cdc.jsonl.checkpoint")
check "the checkpoint reached --endpos's transactions (position $cp_pos, end $end)" \
	lsn_ge "$cp_pos" "$(psql_q -c "SELECT max(lsn) FROM pg_logical_slot_peek_changes('twin', '$end', NULL)")"
check "the slot was confirmed up to the checkpoint" test "$(confirmed_lsn cdc)" = "$cp_pos"
check "the checkpoint offset is the file's length" \
	test "$(sed -n 's/^offset: //p' "$dir/cdc.jsonl.checkpoint")" -eq "$(stat -c %s "$dir/cdc.jsonl")"
run stream-file-again 0 stream --slot cdc -f "$dir/cdc.jsonl" --endpos "$end" --no-loop
check "a second run up to the same --endpos adds nothing" \
	bash -c "grep -v '\"prefix\":\"pgcdc.heartbeat\"' '$dir/twin.jsonl' | cmp -s - '$dir/cdc.jsonl'"

# The same on standard output, with plugin options passed through -o (one without a value).
twin_records other "$end" include-lsn on exclude-tables public.big >"$dir/twin-opts.jsonl"
run stream-stdout 0 stream --slot other --endpos "$end" --no-loop -o include-lsn -o exclude-tables=public.big
check "standard output with -o options equals the SQL twin with the same options" \
	bash -c "grep -v '\"prefix\":\"pgcdc.heartbeat\"' '$dir/twin-opts.jsonl' | cmp -s - '$dir/stream-stdout.out'"
check "the options took effect (lsn in records, no table big)" \
	bash -c "grep -q '\"op\":\"I\",\"lsn\":' '$dir/stream-stdout.out' && ! grep -q '\"table\":\"big\"' '$dir/stream-stdout.out'"

# Records longer than max-record-bytes (4 kB here, 1 GB less 4 MB by default): the plugin's error
# stops the stream (exit 1 with --no-loop) and names the way through; with
# -o oversized-records=omit-values the client frames and writes the records that list what they left
# out ("omitted"), a non-transactional message among them, as the plugin writes them through SQL.
"$PGCDC" slot create over >/dev/null
"$PGCDC" slot create overtwin >/dev/null
psql_q <<'SQL'
SET synchronous_commit = on;
CREATE TABLE wide (id int PRIMARY KEY, a text, b bytea);
SELECT pg_logical_emit_message(false, 'ops', repeat(chr(1), 2000)) \g /dev/null
BEGIN;
INSERT INTO wide SELECT g, 'row', '\x00' FROM generate_series(1, 20) g;
INSERT INTO wide VALUES (21, repeat(chr(2), 1000), decode(repeat('00', 3000), 'hex'));
UPDATE wide SET a = 'changed' WHERE id = 1;
COMMIT;
SQL
end_over=$(wal_lsn)
twin_records overtwin "$end_over" max-record-bytes 4096 oversized-records omit-values >"$dir/over-twin.jsonl"
run over-error 1 stream --slot over -f "$dir/over-error.jsonl" --endpos "$end_over" --no-loop -o max-record-bytes=4096
check "an oversized record stops the stream with the plugin's error" err_has over-error 'exceeds max-record-bytes (4096 bytes)'
check "... whose hint names the way through" err_has over-error 'oversized-records=omit-values'
run over-omit 0 stream --slot over -f "$dir/over.jsonl" --endpos "$end_over" --no-loop \
	-o max-record-bytes=4096 -o oversized-records=omit-values
check "with omit-values the file holds the plugin's records" cmp -s "$dir/over-twin.jsonl" "$dir/over.jsonl"
check "... two of which left something out" test "$(grep -c '"omitted":\[' "$dir/over.jsonl")" -eq 2
check "... and the slot was confirmed past them" slot_reached over "$(psql_q -c "SELECT max(lsn) FROM pg_logical_slot_peek_changes('overtwin', '$end_over', NULL)")"

# 4. A bad plugin option: exit 2 with the plugin's message, and nothing consumed.
before=$(confirmed_lsn twin)
run bad-plugin-option 2 stream --slot twin --no-loop -f "$dir/bad.jsonl" -o numeric=text
check "the plugin's error names the option" err_has bad-plugin-option 'could not parse value "text" for parameter "numeric"'
check "... and what it accepts" err_has bad-plugin-option 'Accepted values are "number", "string"'
check "nothing was consumed" test "$(confirmed_lsn twin)" = "$before"

# 5. Checkpoints that must be refused (exit 1, nothing changed).
cp "$dir/cdc.jsonl" "$dir/saved.jsonl"
cp "$dir/cdc.jsonl.checkpoint" "$dir/saved.checkpoint"
run nocp 1 stream --slot cdc -f "$dir/cdc.jsonl" --checkpoint "$dir/missing.checkpoint" --no-loop --endpos "$end"
check "a file without its checkpoint" err_has nocp "but there is no checkpoint"
sed -i 's/^offset: /offset: 1/' "$dir/cdc.jsonl.checkpoint"
run corrupt 1 stream --slot cdc -f "$dir/cdc.jsonl" --no-loop --endpos "$end"
check "a corrupt checkpoint" err_has corrupt "its CRC does not match its contents (corrupt)"
head -c 40 "$dir/saved.checkpoint" >"$dir/cdc.jsonl.checkpoint"
run truncated 1 stream --slot cdc -f "$dir/cdc.jsonl" --no-loop --endpos "$end"
check "a truncated checkpoint" err_has truncated "is unusable: it is truncated"
cp "$dir/saved.checkpoint" "$dir/cdc.jsonl.checkpoint"
run foreign 1 stream --slot other -f "$dir/cdc.jsonl" --no-loop --endpos "$end"
check "another slot's checkpoint" err_has foreign 'it belongs to slot "cdc"'
run startpos-conflict 2 stream --slot cdc -f "$dir/cdc.jsonl" --startpos 0/1 --no-loop --endpos "$end"
check "--startpos with a checkpoint" err_has startpos-conflict "--startpos conflicts with the checkpoint"
check "the refused runs changed neither file" \
	bash -c "cmp -s '$dir/cdc.jsonl' '$dir/saved.jsonl' && cmp -s '$dir/cdc.jsonl.checkpoint' '$dir/saved.checkpoint'"
"$PGCDC" slot create advanced >/dev/null
run adv-first 0 stream --slot advanced -f "$dir/adv.jsonl" --endpos "$end" --no-loop
psql_q -c "INSERT INTO items (id) VALUES (7000)"
psql_q -c "SELECT pg_replication_slot_advance('advanced', pg_current_wal_lsn())" >/dev/null
run advanced 1 stream --slot advanced -f "$dir/adv.jsonl" --no-loop
check "a slot moved past the checkpoint by someone else" err_has advanced "past the checkpoint's"

# 6. SIGTERM: everything durable and confirmed, exit 0. SIGHUP: the file is reopened (rotation).
"$PGCDC" slot create live >/dev/null
"$PGCDC" slot create livetwin >/dev/null
pgcdc_bg live stream --slot live -f "$dir/live.jsonl" --fsync-interval 60 --status-interval 60 --progress
live=$bg_pid
psql_q -c "INSERT INTO items (id, name) SELECT g, 'live' FROM generate_series(10001, 10100) g"
check "records arrive while streaming" wait_until 10 grep -q '"id":10100' "$dir/live.jsonl"
mv "$dir/live.jsonl" "$dir/live.jsonl.1"
kill -HUP "$live"
psql_q -c "INSERT INTO items (id, name) SELECT g, 'after rotation' FROM generate_series(10101, 10110) g"
check "after SIGHUP the records go to a new file" wait_until 10 grep -q '"id":10110' "$dir/live.jsonl"
check "the rotated file kept what came before" bash -c "grep -q '\"id\":10100' '$dir/live.jsonl.1' && ! grep -q '\"id\":10101' '$dir/live.jsonl.1'"
sleep 1.2
end2=$(wal_lsn)
rc=0
stop_bg "$live" TERM || rc=$?
check "SIGTERM: exit 0 (got $rc)" test "$rc" -eq 0
cp_pos=$(sed -n 's/^position: //p' "$dir/live.jsonl.checkpoint")
check "SIGTERM made everything durable (checkpoint $cp_pos >= $end2's last commit)" \
	lsn_ge "$cp_pos" "$(psql_q -c "SELECT max(lsn) FROM pg_logical_slot_peek_changes('livetwin', '$end2', NULL)")"
check "... and confirmed it to the server" test "$(confirmed_lsn live)" = "$cp_pos"
check "the two files together are the SQL twin's records" \
	bash -c "cat '$dir/live.jsonl.1' '$dir/live.jsonl' | cmp -s - <(psql -X -At -c \"SELECT data FROM pg_logical_slot_peek_changes('livetwin', '$end2', NULL)\")"
check "--progress printed a progress line" \
	grep -Eq '^pgcdc: [0-9]+ records/s, [0-9.]+ MB/s, [0-9]+ transactions, received [0-9A-F]+/[0-9A-F]+, confirmed [0-9A-F]+/[0-9A-F]+, lag [0-9]+ bytes$' "$dir/live.err"
check "no error or warning on stderr" bash -c "! grep -E 'error|warning' '$dir/live.err'"

# 7. slot health and check print what the extension's functions return, without the extension.
#    (Both read live figures: a difference is retried, in case WAL moved in between.)
same_rows() { # same_rows NAME SQL PGCDC_ARGS...: the client's JSON lines equal the SQL's rows
	local name=$1 sql=$2 try
	shift 2
	for try in 1 2 3; do
		"$PGCDC" "$@" --format json >"$dir/$name.client" 2>"$dir/$name.err" || true
		psql_q -c "$sql" >"$dir/$name.sql"
		cmp -s "$dir/$name.client" "$dir/$name.sql" && return 0
	done
	diff "$dir/$name.sql" "$dir/$name.client" | head -5
	return 1
}
psql_q -c "CREATE EXTENSION pgcdc"
check "slot health = pgcdc.slot_health()" \
	same_rows health "SELECT row_to_json(h) FROM pgcdc.slot_health() h" slot health
check "slot health with thresholds = pgcdc.slot_health(...)" \
	same_rows health2 "SELECT row_to_json(h) FROM pgcdc.slot_health(retained_warning => 1024, lag_critical => 0,
	                   xmin_age_warning => NULL, critical_wal_status => '{lost}') h" \
	slot health --retained-warning 1kB --lag-critical 0 --xmin-age-warning off --critical-wal-status lost
check "... which found something to report" grep -q '"status":"critical"' "$dir/health2.client"
check "check = pgcdc.preflight()" same_rows check "SELECT row_to_json(p) FROM pgcdc.preflight() p" check
check "check --table --plugin = pgcdc.preflight(...)" \
	same_rows check2 "SELECT row_to_json(p) FROM pgcdc.preflight('wal2json', '{items,public.nokey}') p" \
	check --plugin wal2json --table items --table public.nokey
run check-fails 4 check --plugin wal2json
check "a failed check: exit 4, and the table names it" out_has check-fails "error    output_plugin_libraries"
run check-ok 0 check
run check-badtable 1 check --table nosuch
check "an unknown table is the server's error" err_has check-badtable 'relation "nosuch" does not exist'
run health-table 0 slot health
check "slot health prints a table of the slots" bash -c "grep -q '^ cdc  *| ok' '$dir/health-table.out'"
run health-fail-warning 4 slot health --lag-warning 0 --fail-on warning
run health-fail-critical 0 slot health --lag-warning 0 --fail-on critical
run health-missing 3 slot health --slot nope
psql_q -c "DROP EXTENSION pgcdc"

finish
