#!/usr/bin/env bash
# test/mirror/client.sh: the pgcdc command against the mirror, as against Aurora: a non-superuser
# member of rds_replication creates a slot and streams it over TLS (verify-full against the
# mirror's CA); "pgcdc check" and "pgcdc slot health" work without the extension (which the master
# user cannot install, as on Aurora). Then rdsadmin's writes: with them every second, an idle
# slot's retained WAL grows while nothing happens in its database, and "pgcdc stream" keeps its
# own slot's bounded, by confirming the WAL end of the server's keepalives, and with --heartbeat.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

start_mirror client
logical_on
q() { psql_q -c "$1"; }
CDC_PW=cdc-secret
q "CREATE ROLE cdc LOGIN PASSWORD '$CDC_PW' IN ROLE rds_replication"
q "CREATE TABLE items (id int PRIMARY KEY, name text, price numeric, tags text[])"
q "GRANT SELECT ON items TO cdc"
cdc() { as cdc "$CDC_PW" "$@"; } # cdc COMMAND...: as the CDC user (the same TLS settings)

check "the CDC user is not a superuser" test "$(q "SELECT rolsuper FROM pg_roles WHERE rolname = 'cdc'")" = f
check "the connection checks the server's certificate (verify-full)" test "$PGSSLMODE" = verify-full
check "there is no pgcdc extension" test "$(q "SELECT count(*) FROM pg_extension WHERE extname = 'pgcdc'")" = 0
check "... and the master user cannot install it (as on Aurora)" \
	fails_with no-extension 'permission denied to create extension "pgcdc"' psql -X -c "CREATE EXTENSION pgcdc"

# 1. pgcdc slot create / stream as the CDC user, over TLS; the records are the plugin's (compared
#    with what the plugin writes through SQL, on a twin slot read by the master user).
check "pgcdc slot create, as the CDC user" succeeds create cdc "$PGCDC" slot create cdc
check "... of the pgcdc plugin" test "$(q "SELECT plugin FROM pg_replication_slots WHERE slot_name = 'cdc'")" = pgcdc
q "SELECT pg_create_logical_replication_slot('twin', 'pgcdc')" >/dev/null
psql_q <<'SQL'
INSERT INTO items VALUES (1, 'ann', 1.50, '{a,b}'), (2, 'bob', NULL, '{}');
UPDATE items SET price = 2.25 WHERE id = 1;
BEGIN;
DELETE FROM items WHERE id = 2;
SELECT pg_logical_emit_message(true, 'app', 'in the transaction') \g /dev/null
COMMIT;
SQL
end=$(wal_lsn)
twin_records twin "$end" >"$dir/twin.jsonl"
check "pgcdc stream as the CDC user, to --endpos" \
	succeeds stream cdc "$PGCDC" stream --slot cdc -f "$dir/cdc.jsonl" --endpos "$end" --no-loop -v
check "... over TLS" grep -q 'user "cdc", database "postgres", TLS' "$dir/stream.err"
check "... wrote the plugin's records, each once ($(lines "$dir/twin.jsonl") records)" cmp -s "$dir/twin.jsonl" "$dir/cdc.jsonl"
check "... and confirmed them" test "$(confirmed_lsn cdc)" = "$(sed -n 's/^position: //p' "$dir/cdc.jsonl.checkpoint")"

# 2. pgcdc check and slot health, without the extension. They read output_plugin_libraries, which
#    PostgreSQL shows to superusers and pg_read_all_settings only: the master user (a member of
#    rds_superuser, and so of pg_monitor) sees it; the CDC user, with rds_replication alone, gets
#    the other checks and a warning that says it cannot tell.
check "pgcdc check (the master user: not a superuser, a member of rds_replication through rds_superuser)" \
	succeeds check "$PGCDC" check --table items
check "... wal_level is logical" grep -Eq '^ok +wal_level ' "$dir/check.out"
check "... pgcdc is an allowed plugin" grep -Eq '^ok +output_plugin_libraries .*which lists pgcdc' "$dir/check.out"
check "... the role may replicate" grep -Eq '^ok +replication_privilege ' "$dir/check.out"
check "... the table is readable and has a key" \
	bash -c "grep -Eq '^ok +replica_identity ' '$dir/check.out' && grep -Eq '^ok +table_privilege ' '$dir/check.out'"
rc=0
"$PGCDC" check --plugin decoderbufs >"$dir/check-dbufs.out" 2>&1 || rc=$?
check "pgcdc check --plugin decoderbufs: exit 4 (got $rc)" test "$rc" -eq 4
check "... the error is output_plugin_libraries" grep -Eq '^error +output_plugin_libraries .*decoderbufs' "$dir/check-dbufs.out"
check "pgcdc check as the CDC user (rds_replication only)" succeeds check-cdc cdc "$PGCDC" check --table items
check "... cannot read output_plugin_libraries, and says so (a warning)" \
	grep -Eq '^warning +output_plugin_libraries +role "cdc" may not read output_plugin_libraries' "$dir/check-cdc.out"
check "... the other checks as for the master user" \
	bash -c "grep -Eq '^ok +wal_level ' '$dir/check-cdc.out' && grep -Eq '^ok +replication_privilege ' '$dir/check-cdc.out'"
check "pgcdc slot health as the CDC user" succeeds health-cdc cdc "$PGCDC" slot health
check "... lists its slot, ok" grep -Eq '^ cdc +\| ok ' "$dir/health-cdc.out"
check "pgcdc slot health" succeeds health "$PGCDC" slot health
check "... lists the CDC user's slot, ok" grep -Eq '^ cdc +\| ok ' "$dir/health.out"
check "pgcdc slot health --format json: every slot" succeeds health-json "$PGCDC" slot health --format json
check "... two slots (cdc, twin)" test "$(wc -l <"$dir/health-json.out")" -eq 2
q "SELECT pg_drop_replication_slot('twin')" >/dev/null

# 3. rdsadmin's writes, every second: they go to database rdsadmin (rds_heartbeat2), so the WAL
#    grows while nothing happens in database postgres, and a slot nobody reads retains it all.
check "rdsadmin's write interval, set to 1 s (dynamic)" succeeds interval "$MIRROR" set pgcdc_mirror.rdsadmin_write_interval=1
heartbeat() { rdsadmin_sql "SELECT value FROM rds_heartbeat2 WHERE id = 1" rdsadmin; }
h0=$(heartbeat)
heartbeat_moved() { local h; h=$(heartbeat) && [ -n "$h" ] && [ "$h" != "$h0" ]; }
check "rdsadmin's worker writes rds_heartbeat2 (value was $h0)" wait_until 30 heartbeat_moved
cdc "$PGCDC" slot create idle >/dev/null
cdc "$PGCDC" slot create quiet >/dev/null
cdc "$PGCDC" slot create beat >/dev/null
retained() { q "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn) FROM pg_replication_slots WHERE slot_name = '$1'"; }
restart_lsn() { q "SELECT restart_lsn FROM pg_replication_slots WHERE slot_name = '$1'"; }
r0=$(retained idle)
idle_restart=$(restart_lsn idle)
sleep 5
r1=$(retained idle)
check "an idle slot's retained WAL grows from rdsadmin's writes alone ($r0 -> $r1 bytes in 5 s)" test "$r1" -gt "$r0"

# 4. pgcdc stream keeps its slot bounded by confirming the keepalives' WAL end (nothing to write),
#    and with --heartbeat by its own messages, which it never writes out.
PGUSER=cdc PGPASSWORD=$CDC_PW pgcdc_bg quiet stream --slot quiet -f "$dir/quiet.jsonl" --fsync-interval 1 --status-interval 1
quiet_pid=$bg_pid
PGUSER=cdc PGPASSWORD=$CDC_PW pgcdc_bg beat stream --slot beat -f "$dir/beat.jsonl" --heartbeat 1 --fsync-interval 1 --status-interval 1
beat_pid=$bg_pid
sleep 2
mark=$(wal_lsn)
check "the streamed slot confirms past rdsadmin's writes (keepalives)" wait_until 60 slot_reached quiet "$mark"
check "... and so does the one with --heartbeat" wait_until 60 slot_reached beat "$mark"
restart_moved() { lsn_ge "$(restart_lsn "$1")" "$mark"; }
check "the streamed slot's restart_lsn moves on too (its retained WAL is bounded)" wait_until 90 restart_moved quiet
check "... and the one with --heartbeat" wait_until 90 restart_moved beat
check "the idle slot's restart_lsn has not moved" test "$(restart_lsn idle)" = "$idle_restart"
check "the idle slot retains more than the streamed ones ($(retained idle) > $(retained quiet), $(retained beat))" \
	bash -c "[ $(retained idle) -gt $(retained quiet) ] && [ $(retained idle) -gt $(retained beat) ]"
check "the heartbeat messages are in the WAL of database postgres" \
	test "$(q "SELECT count(*) > 0 FROM pg_logical_slot_peek_changes('idle', NULL, NULL) WHERE data LIKE '%\"prefix\":\"pgcdc.heartbeat\"%'")" = t
check "... and never written out" test ! -s "$dir/beat.jsonl"
check "nothing was written for the quiet slot either" test ! -s "$dir/quiet.jsonl"
rc=0
stop_bg "$quiet_pid" TERM || rc=$?
check "SIGTERM: pgcdc stream exits 0 (got $rc)" test "$rc" -eq 0
rc=0
stop_bg "$beat_pid" TERM || rc=$?
check "SIGTERM: the heartbeat stream exits 0 (got $rc)" test "$rc" -eq 0
check "no error on standard error" bash -c "! grep -Ei 'error|warning' '$dir/quiet.err' '$dir/beat.err'"

finish
