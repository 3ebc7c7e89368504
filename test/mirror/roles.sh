#!/usr/bin/env bash
# test/mirror/roles.sh: what membership grants on the mirror, as on Aurora. A member of
# rds_replication (directly or through other roles) may use replication slots and open replication
# connections; a role outside it is refused both, by PostgreSQL's own checks; REVOKE takes it away
# again. The master user (CREATEROLE, not superuser) grants and revokes it, alters members, and may
# not give the REPLICATION attribute itself; members of rds_superuser may create FOR ALL TABLES
# publications, which they own.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

start_mirror roles
logical_on
q() { psql_q -c "$1"; }
rolreplication() { q "SELECT rolreplication FROM pg_roles WHERE rolname = '$1'"; }

# Each test role has the password "<name>-pw".
for r in outsider member; do q "CREATE ROLE $r LOGIN PASSWORD '$r-pw'"; done
q "GRANT rds_replication TO member"
q "CREATE TABLE items (id int PRIMARY KEY, name text)"
q "GRANT SELECT ON items TO outsider, member"

# sql_as ROLE SQL: runs SQL as ROLE (a fresh connection, over TLS); sql_is NAME ROLE SQL RESULT: it
# succeeds and returns RESULT (output in $dir/NAME.out); create_slot ROLE SLOT: a test_decoding slot.
sql_as() { as "$1" "$1-pw" psql -X -At -v ON_ERROR_STOP=1 -c "$2"; }
sql_is() { succeeds "$1" sql_as "$2" "$3" && [ "$(cat "$dir/$1.out")" = "$4" ]; }
create_slot() { sql_as "$1" "SELECT slot_name FROM pg_create_logical_replication_slot('$2', 'test_decoding')"; }
repl_connect() { # repl_connect ROLE MODE: a replication connection (database or true) runs IDENTIFY_SYSTEM
	as "$1" "$1-pw" psql -X -At "dbname=postgres replication=$2" -c "IDENTIFY_SYSTEM"
}
SLOT_REFUSED='must be superuser or replication role to use replication slots'
WALSENDER_REFUSED='must be superuser or replication role to start walsender'

# 1. Outside rds_replication: refused, for the SQL functions and for replication connections.
#    (DBConvert's guide lists this error as "must be superuser or have replication privilege";
#    PostgreSQL 15 words it as below.)
check "a role outside rds_replication cannot create a slot" \
	fails_with out-create "$SLOT_REFUSED" create_slot outsider o1
check "... nor read one" \
	fails_with out-peek "$SLOT_REFUSED" sql_as outsider "SELECT count(*) FROM pg_logical_slot_peek_changes('none', NULL, NULL)"
check "... nor open a logical replication connection" fails_with out-repl "$WALSENDER_REFUSED" repl_connect outsider database
check "... nor a physical one" fails_with out-phys "$WALSENDER_REFUSED" repl_connect outsider true

# 2. A member: slots through SQL, replication connections, streaming with pg_recvlogical.
check "a member creates a slot" sql_is m-create member "SELECT slot_name FROM pg_create_logical_replication_slot('m1', 'test_decoding')" m1
q "INSERT INTO items VALUES (1, 'one')"
check "... reads it" sql_is m-peek member "SELECT count(*) >= 3 FROM pg_logical_slot_get_changes('m1', NULL, NULL)" t
check "... opens a logical replication connection" succeeds m-repl repl_connect member database
check "... and a physical one" succeeds m-phys repl_connect member true
q "INSERT INTO items VALUES (2, 'two')"
end=$(wal_lsn)
check "... streams the slot over a replication connection (pg_recvlogical, TLS)" \
	succeeds m-recv as member member-pw timeout 60 "$PG_BINDIR/pg_recvlogical" -d postgres -S m1 --start -E "$end" -f -
check "... which delivered the row" grep -q "table public.items: INSERT: id\[integer\]:2 name\[text\]:'two'" "$dir/m-recv.out"
check "... and drops its slot" succeeds m-drop sql_as member "SELECT pg_drop_replication_slot('m1')"
# The documented divergence: the mirror gives members the REPLICATION attribute (pg_roles shows it).
check "pg_roles.rolreplication reads true for a member (documented divergence)" test "$(rolreplication member)" = t
check "... and false for a role outside" test "$(rolreplication outsider)" = f

# 3. REVOKE: refused again, at once, for slots that exist and for new connections.
create_slot member m2 >/dev/null
q "REVOKE rds_replication FROM member"
check "after REVOKE: no slot functions" \
	fails_with rev-peek "$SLOT_REFUSED" sql_as member "SELECT count(*) FROM pg_logical_slot_peek_changes('m2', NULL, NULL)"
check "... no replication connections" fails_with rev-repl "$WALSENDER_REFUSED" repl_connect member database
check "... the attribute is gone too" test "$(rolreplication member)" = f
q "GRANT rds_replication TO member"
check "GRANT again: allowed again" succeeds regrant sql_as member "SELECT count(*) FROM pg_logical_slot_peek_changes('m2', NULL, NULL)"
q "SELECT pg_drop_replication_slot('m2')" >/dev/null

# 4. Nested membership: login role -> group -> rds_replication (Streamkap's guides do this), and a
#    longer chain; revoking the group's membership takes it from everyone below.
q "CREATE ROLE cdc_group NOLOGIN"
q "CREATE ROLE cdc_team NOLOGIN IN ROLE cdc_group"
q "CREATE ROLE nested LOGIN PASSWORD 'nested-pw' IN ROLE cdc_group"
q "CREATE ROLE deeper LOGIN PASSWORD 'deeper-pw' IN ROLE cdc_team"
check "before the group is a member, the nested role is refused" fails_with n-before "$SLOT_REFUSED" create_slot nested n0
q "GRANT rds_replication TO cdc_group"
check "a member through a group creates a slot" sql_is n-create nested "SELECT slot_name FROM pg_create_logical_replication_slot('n1', 'test_decoding')" n1
check "... and opens a replication connection" succeeds n-repl repl_connect nested database
check "a member through two groups too" succeeds d-repl repl_connect deeper database
q "REVOKE rds_replication FROM cdc_group"
check "REVOKE from the group: the nested role is refused" fails_with n-revoked "$WALSENDER_REFUSED" repl_connect nested database
check "... and the deeper one" fails_with d-revoked "$WALSENDER_REFUSED" repl_connect deeper database
q "GRANT rds_replication TO cdc_group"
q "DROP ROLE cdc_team"
check "dropping the middle role cuts the chain" fails_with d-dropped "$WALSENDER_REFUSED" repl_connect deeper database
check "... and leaves the other member alone" succeeds n-still repl_connect nested database
q "SELECT pg_drop_replication_slot('n1')" >/dev/null

# 5. The master user manages members as any other role; REPLICATION itself stays PostgreSQL's
#    (DBConvert's step 2.3 fails here as on RDS: GRANT rds_replication is the way).
check "the master user alters a member (PostgreSQL 15 alone would demand a superuser)" \
	succeeds alter-member psql -X -c "ALTER ROLE member CONNECTION LIMIT 5" -c "ALTER ROLE member PASSWORD 'member-pw'"
check "... which stays a member with replication" succeeds alter-still repl_connect member database
check "ALTER ROLE ... WITH REPLICATION is refused" \
	fails_with with-repl 'must be superuser to alter replication roles or change replication attribute' psql -X -c "ALTER ROLE outsider WITH REPLICATION"
check "... and NOREPLICATION on a member too" \
	fails_with with-norepl 'must be superuser to alter replication roles or change replication attribute' psql -X -c "ALTER ROLE member NOREPLICATION"
check "CREATE ROLE ... REPLICATION is refused" \
	fails_with create-repl 'must be superuser to create replication users' psql -X -c "CREATE ROLE r2 LOGIN REPLICATION"
check "a member that is not rds_superuser cannot grant rds_replication" \
	fails_with member-grant 'must have admin option on role "rds_replication"' as member member-pw psql -X -c "GRANT rds_replication TO outsider"
check "the master user drops a member" succeeds drop-member psql -X -c "CREATE ROLE tmp_member IN ROLE rds_replication" -c "DROP ROLE tmp_member"

# 6. FOR ALL TABLES publications: members of rds_superuser (the master user, and a role it made a
#    member), owned by them; PostgreSQL's refusal for anyone else.
check "the master user creates a FOR ALL TABLES publication" succeeds pub-master psql -X -c "CREATE PUBLICATION all_pub FOR ALL TABLES"
check "... which it owns" test "$(q "SELECT pubowner::regrole FROM pg_publication WHERE pubname = 'all_pub'")" = "$master"
check "... and which publishes every table" test "$(q "SELECT count(*) FROM pg_publication_tables WHERE pubname = 'all_pub' AND tablename = 'items'")" = 1
q "CREATE ROLE admin2 LOGIN PASSWORD 'admin2-pw' IN ROLE rds_superuser"
q "GRANT CREATE ON DATABASE postgres TO admin2, outsider"
check "another member of rds_superuser may too" succeeds pub-admin2 as admin2 admin2-pw psql -X -c "CREATE PUBLICATION admin2_pub FOR ALL TABLES"
check "... and owns it" test "$(q "SELECT pubowner::regrole FROM pg_publication WHERE pubname = 'admin2_pub'")" = admin2
check "a role outside rds_superuser is refused, by PostgreSQL" \
	fails_with pub-outsider 'must be superuser to create FOR ALL TABLES publication' as outsider outsider-pw psql -X -c "CREATE PUBLICATION out_pub FOR ALL TABLES"
q "REVOKE CREATE ON DATABASE postgres FROM admin2"
check "rds_superuser still needs CREATE on the database (PostgreSQL's check)" \
	fails_with pub-nocreate 'permission denied for database postgres' as admin2 admin2-pw psql -X -c "CREATE PUBLICATION admin2_pub2 FOR ALL TABLES"
check "a FOR TABLE publication of one's own table needs no more than PostgreSQL asks" \
	succeeds pub-table psql -X -c "CREATE PUBLICATION items_pub FOR TABLE items"

finish
