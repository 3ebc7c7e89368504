#!/usr/bin/env bash
# test/mirror/streamkap.sh rds|aurora: Streamkap's setup guide for Amazon RDS (seed 003) or for
# Aurora (seed 004), followed on the mirror as a user follows it: the parameter group
# (rds.logical_replication=1, wal_sender_timeout=0, reboot), then each SQL block of the guide,
# verbatim (test/mirror/seeds/streamkap-GUIDE-*.sql, placeholders filled), run as the master user
# over TLS, each in its own session as if pasted into a console; then the guide's verification
# query as streamkap_user. The errors expected are those the guide's own SQL produces on
# PostgreSQL (each is explained where it is expected), and nothing else.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

guide=${1:-}
case $guide in rds | aurora) ;; *) echo "usage: $0 rds|aurora" >&2; exit 2 ;; esac
seed() { echo "$SEEDS/streamkap-$guide-$1.sql"; }
PASSWORD=Streamkap-Secret-1 # the {password} filled into the seed files

start_mirror "streamkap-$guide"
q() { psql_q -c "$1"; }

# The tables to capture ({schema} is public; "table1, table2, table3, ..." names these), owned by
# the master user, as the guide's "You must have table ownership privileges" asks.
q "CREATE TABLE table1 (id int PRIMARY KEY, name text)"
q "CREATE TABLE table2 (id int PRIMARY KEY)"
q "CREATE TABLE table3 (id int PRIMARY KEY)"

# "Enabling Logical Replication & Disable Timeout": logical_replication (rds.logical_replication
# in the parameter group) to 1, wal_sender_timeout to 0, "Reboot required".
check "the parameter group: rds.logical_replication=1 wal_sender_timeout=0" \
	succeeds params "$MIRROR" set rds.logical_replication=1 wal_sender_timeout=0
check "... until the reboot a slot is refused" \
	fails_with early-slot 'logical decoding requires wal_level >= logical' psql -X -c "SELECT pg_create_logical_replication_slot('early', 'pgoutput')"
check "reboot" succeeds reboot "$MIRROR" reboot
check "wal_sender_timeout is 0" test "$(q "SHOW wal_sender_timeout")" = 0

# "Granting Privileges", as the master user.
run_seed privileges "$(seed 1-privileges)"
check "Granting Privileges: every statement succeeds" errors_are privileges
check "streamkap_user is a member of rds_replication through streamkap_role" \
	test "$(q "SELECT pg_has_role('streamkap_user', 'rds_replication', 'USAGE')")" = t

# "Enable Snapshots", as the master user.
run_seed signal "$(seed 2-signal)"
if [ "$guide" = rds ]; then
	# The RDS guide's CREATE TABLE has no closing ");": PostgreSQL reads the GRANT that follows as
	# part of it and stops there, so neither the table nor the grant exists afterwards.
	check "Enable Snapshots: the guide's unterminated CREATE TABLE fails, as written" \
		errors_are signal 'ERROR:  syntax error at or near "GRANT"'
	check "... so there is no signal table" test "$(q "SELECT to_regclass('streamkap_signal') IS NULL")" = t
else
	check "Enable Snapshots: every statement succeeds" errors_are signal
	check "the signal table is in schema streamkap" test "$(q "SELECT to_regclass('streamkap.streamkap_signal') IS NOT NULL")" = t
	check "streamkap_role may write it" test "$(q "SELECT has_table_privilege('streamkap_role', 'streamkap.streamkap_signal', 'INSERT, UPDATE, SELECT')")" = t
fi

# "Create Publication(s) & Slot", as the master user (not a superuser: a member of rds_superuser).
run_seed publication "$(seed 3-publication)"
if [ "$guide" = rds ]; then
	# Option 2 (the RDS guide has no Option 1 statement); the signal table was never created.
	check "Create Publication(s) & Slot: only ADD TABLE streamkap_signal fails (it does not exist)" \
		errors_are publication 'ERROR:  relation "streamkap_signal" does not exist'
	check "the publication has table1, table2, table3" \
		test "$(q "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_publication_tables WHERE pubname = 'streamkap_pub'")" = "table1,table2,table3"
	check "pg_publication_tables was listed" grep -q 'streamkap_pub | public     | table3' "$dir/publication.out"
else
	# Both options, as the guide lists them: Option 1 (FOR ALL TABLES) succeeds for the master
	# user, a member of rds_superuser; Option 2 then finds that publication, and ADD TABLE cannot
	# change a FOR ALL TABLES one (the guide's own warning).
	check "Create Publication(s) & Slot: Option 1 succeeds, Option 2 and ADD TABLE fail as PostgreSQL says" \
		errors_are publication 'ERROR:  publication "streamkap_pub" already exists' \
		'ERROR:  publication "streamkap_pub" is defined as FOR ALL TABLES'
	check "the FOR ALL TABLES publication belongs to the master user" \
		test "$(q "SELECT pubowner::regrole || ' ' || puballtables FROM pg_publication WHERE pubname = 'streamkap_pub'")" = "$master true"
	check "it publishes the signal table and the captured tables" \
		test "$(q "SELECT string_agg(schemaname || '.' || tablename, ',' ORDER BY schemaname, tablename) FROM pg_publication_tables WHERE pubname = 'streamkap_pub'")" = "public.table1,public.table2,public.table3,streamkap.streamkap_signal"
fi
check "the slot was created (pgoutput)" \
	test "$(q "SELECT plugin FROM pg_replication_slots WHERE slot_name = 'streamkap_pgoutput_slot'")" = pgoutput

# Changes for the slot to hold, then the guide's check, as streamkap_user.
q "INSERT INTO table1 VALUES (1, 'one'), (2, 'two')"
q "UPDATE table1 SET name = 'uno' WHERE id = 1"
if [ "$guide" = aurora ]; then
	q "INSERT INTO streamkap.streamkap_signal VALUES ('s1', 'execute-snapshot', '{}')"
	q "CREATE TABLE table4 (id int PRIMARY KEY)"
	check "ALTER DEFAULT PRIVILEGES: streamkap_role reads a table created later" \
		test "$(q "SELECT has_table_privilege('streamkap_role', 'table4', 'SELECT')")" = t
fi
PGUSER=streamkap_user PGPASSWORD=$PASSWORD run_seed verify "$(seed 4-verify)"
check "as streamkap_user, the guide's verification query runs" errors_are verify
count=$(sed -n '/^ count $/{n;n;p}' "$dir/verify.out" | tr -d ' ')
want=8 # BEGIN, RELATION, INSERT, INSERT, COMMIT; BEGIN, UPDATE, COMMIT
[ "$guide" = aurora ] && want=12 # and the signal row: BEGIN, RELATION, INSERT, COMMIT
check "... and counts the changes (got ${count:-nothing}, want at least $want)" test "${count:-0}" -ge "$want"
check "... over TLS, with the password of the seed" test "$(as streamkap_user "$PASSWORD" psql -X -At -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = t

# What Streamkap's connector does next: stream the slot over a replication connection, as
# streamkap_user (pgoutput, the guide's publication).
end=$(wal_lsn)
check "streamkap_user streams the slot (pgoutput) over a replication connection" \
	succeeds stream as streamkap_user "$PASSWORD" timeout 60 "$PG_BINDIR/pg_recvlogical" -d postgres \
	-S streamkap_pgoutput_slot --start -E "$end" -o proto_version=1 -o publication_names=streamkap_pub -f "$dir/stream.bin"
check "... and receives the rows" grep -qa 'uno' "$dir/stream.bin"
check "... and the slot has nothing left to send" \
	test "$(q "SELECT count(*) FROM pg_logical_slot_peek_binary_changes('streamkap_pgoutput_slot', NULL, NULL, 'proto_version', '1', 'publication_names', 'streamkap_pub')")" = 0

finish
