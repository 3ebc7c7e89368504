#!/usr/bin/env bash
# test/client/quiet.sh: a slot whose changes are all filtered out still advances. While 60 MB of
# WAL is written to a table the filter excludes, pgcdc stream writes nothing, yet the slot's
# confirmed_flush_lsn follows the server (keepalives are confirmed when no transaction is open and
# everything is durable) and its retained WAL stays bounded, unlike an unread slot's. Then
# --heartbeat: its messages are emitted on a second connection, never written out, and confirmed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$here/common.sh"

start_suite client-quiet "$(free_port 56732)"
retained() { psql_q -c "SELECT pg_current_wal_lsn() - restart_lsn FROM pg_replication_slots WHERE slot_name = '$1'"; }

psql_q -c "CREATE TABLE noise (id int, body text)"
"$PGCDC" slot create quiet >/dev/null
"$PGCDC" slot create unread >/dev/null
pgcdc_bg quiet stream --slot quiet -f "$dir/quiet.jsonl" -o "exclude-tables=*.*" --fsync-interval 0.5 --status-interval 0.5
client=$bg_pid
for i in $(seq 1 30); do
	psql_q -c "INSERT INTO noise SELECT g, repeat('x', 1000) FROM generate_series(1, 1000) g"
done
psql_q -c "CHECKPOINT" # logs the running transactions a slot's restart_lsn moves to
psql_q -c "INSERT INTO noise VALUES (0, 'after the checkpoint')"
end=$(wal_lsn)
retained_below() { [ "$(retained "$1")" -lt "$2" ]; }
check "the slot's confirmed_flush_lsn follows the server to $end" wait_until 30 slot_reached quiet "$end"
check "its retained WAL drops below 16 MB" wait_until 30 retained_below quiet $((16 * 1024 * 1024))
echo "# retained WAL: $(retained quiet) bytes for the streamed slot, $(retained unread) for the unread one"
check "while an unread slot retains the 30 MB and more written" test "$(retained unread)" -gt $((30 * 1024 * 1024))
check "nothing was written out" test ! -s "$dir/quiet.jsonl"
rc=0
stop_bg "$client" TERM || rc=$?
check "SIGTERM: exit 0 (got $rc)" test "$rc" -eq 0

# --heartbeat on an idle database.
"$PGCDC" slot create hb >/dev/null
"$PGCDC" slot create hb_twin >/dev/null
pgcdc_bg hb stream --slot hb -f "$dir/hb.jsonl" --heartbeat 0.5 --fsync-interval 0.2 --status-interval 0.5
client=$bg_pid
heartbeats_at_least() {
	[ "$(psql_q -c "SELECT count(*) FROM pg_logical_slot_peek_changes('hb_twin', NULL, NULL)
	                WHERE data LIKE '%\"prefix\":\"pgcdc.heartbeat\"%'")" -ge "$1" ]
}
check "heartbeats are emitted every 0.5 s" wait_until 10 heartbeats_at_least 4
last=$(psql_q -c "SELECT max(lsn) FROM pg_logical_slot_peek_changes('hb_twin', NULL, NULL)")
check "and confirmed: the slot moves past them" wait_until 10 slot_reached hb "$last"
rc=0
stop_bg "$client" TERM || rc=$?
check "SIGTERM: exit 0 (got $rc)" test "$rc" -eq 0
check "heartbeats are not written out" test ! -s "$dir/hb.jsonl"
check "no warning (the heartbeat connection worked)" bash -c "! grep -q warning '$dir/hb.err'"
finish
