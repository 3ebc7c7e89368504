#!/usr/bin/env bash
# test/mirror/dbconvert.sh: DBConvert's "AWS Aurora PostgreSQL CDC Setup Guide" (seed 002) on the
# mirror, section by section, its SQL verbatim (test/mirror/seeds/dbconvert-*.sql) as the master
# user over TLS: the settings it verifies read what it says once rds.logical_replication is 1 and
# the cluster rebooted; its step 2.3 (ALTER USER ... WITH REPLICATION) is refused as on RDS, and
# GRANT rds_replication is what works; the three errors its section 7 lists occur where it says.
# With it, the wal2json slot of Sigal Shaharabani's article (seed 000), read over a replication
# connection (replication=database), as the article does.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

start_mirror dbconvert
q() { psql_q -c "$1"; }
q "CREATE TABLE orders (id int PRIMARY KEY, item text)"
q "CREATE ROLE dbconvert_user LOGIN PASSWORD 'dbconvert-pw'" # the guide's your_user

# 2.2 before 2.1: the settings as a new cluster has them.
run_seed verify-before "$SEEDS/dbconvert-2.2-verify-settings.sql" -At
check "2.2 before 2.1: runs" errors_are verify-before
check "... wal_level is replica" grep -qx 'replica' "$dir/verify-before.out"
check "... rds.logical_replication is off" grep -qx 'rds.logical_replication|off' "$dir/verify-before.out"

# 2.1: rds.logical_replication = 1 in the parameter group. Section 7's first error, "logical
# decoding requires wal_level >= logical", until the reboot.
check "2.1: set rds.logical_replication = 1 (the guide's own spelling)" succeeds set "$MIRROR" set "rds.logical_replication = 1"
run_seed article-early "$SEEDS/article-000-wal2json-slot.sql"
check "7: before the reboot, creating a slot fails with the guide's first error" \
	errors_are article-early 'ERROR:  logical decoding requires wal_level >= logical'
check "2.1: reboot" succeeds reboot "$MIRROR" reboot

# 2.2 after the reboot: what the guide says it returns.
run_seed verify "$SEEDS/dbconvert-2.2-verify-settings.sql" -At
check "2.2: runs" errors_are verify
check "2.2: SHOW wal_level returns 'logical'" grep -qx 'logical' "$dir/verify.out"
check "2.2: pg_settings: rds.logical_replication on, wal_level logical, Aurora's slots and senders" \
	test "$(grep -E '^(wal_level|max_replication_slots|max_wal_senders|rds\.logical_replication)\|' "$dir/verify.out" | sort | paste -sd' ')" = \
	"max_replication_slots|20 max_wal_senders|20 rds.logical_replication|on wal_level|logical"

# 2.3: ALTER USER ... WITH REPLICATION is refused (only a superuser may, and the master user is
# not one, as on RDS); the GRANT succeeds. Without replication, the user meets section 7's third
# error; GRANT rds_replication (docs/mirror.md) is the way.
q "CREATE PUBLICATION dbconvert_pub FOR TABLE orders" # before the slot, for pgoutput to find it
run_seed grant "$SEEDS/dbconvert-2.3-grant.sql"
check "2.3: ALTER USER ... WITH REPLICATION is refused, the GRANT runs" \
	errors_are grant 'ERROR:  must be superuser to alter replication roles or change replication attribute'
check "2.3: dbconvert_user reads the tables" \
	test "$(q "SELECT has_table_privilege('dbconvert_user', 'orders', 'SELECT')")" = t
# (PostgreSQL 15 words section 7's "must be superuser or have replication privilege" so:)
check "7: without replication, a slot is refused (the guide's third error)" \
	fails_with no-repl 'must be superuser or replication role to use replication slots' \
	as dbconvert_user dbconvert-pw psql -X -c "SELECT pg_create_logical_replication_slot('dbconvert_slot', 'pgoutput')"
q "GRANT rds_replication TO dbconvert_user"
check "GRANT rds_replication instead: dbconvert_user creates its slot" \
	succeeds slot as dbconvert_user dbconvert-pw psql -X -c "SELECT pg_create_logical_replication_slot('dbconvert_slot', 'pgoutput')"

# 3.2 / 5: SSL with the certificate bundle (here the mirror's CA), "Verify-CA" as SSL mode; and
# section 7's second error, "no pg_hba.conf entry for host", when TLS is required and not used.
check "3.2: sslmode=verify-ca with the CA" \
	test "$(PGSSLMODE=verify-ca as dbconvert_user dbconvert-pw psql -X -At -c "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")" = t
"$MIRROR" set rds.force_ssl=1 >/dev/null
check "7: with rds.force_ssl=1 and no TLS: the guide's second error" \
	fails_with no-tls 'no pg_hba.conf entry for host' env PGSSLMODE=disable psql -X -c "SELECT 1"
"$MIRROR" set rds.force_ssl=0 >/dev/null

# The article: its wal2json slot ("both RDS Postgres and RDS Aurora permit you to start using
# wal2json immediately"), then read over a connection with replication=database.
run_seed article "$SEEDS/article-000-wal2json-slot.sql"
check "the article's wal2json slot (its statement has no final ';': psql runs it at the end)" errors_are article
check "... was created" grep -q 'article_wal2json' "$dir/article.out"
q "INSERT INTO orders VALUES (1, 'book'), (2, 'pen')"
end=$(wal_lsn)
check "... and is read as JSON over a replication=database connection (pg_recvlogical)" \
	succeeds recv timeout 60 "$PG_BINDIR/pg_recvlogical" -d "dbname=postgres replication=database" -S article_wal2json --start -E "$end" -f -
check "... which holds the rows" bash -c "grep -q '\"book\"' '$dir/recv.out' && grep -q '\"pen\"' '$dir/recv.out'"

# 4.1: the master user lists slots and publications; pg_subscription is refused to anyone but a
# superuser (PostgreSQL keeps its subconninfo column from other roles).
run_seed slots "$SEEDS/dbconvert-4.1-slots.sql"
check "4.1: pg_replication_slots and pg_publication are listed; pg_subscription is refused" \
	errors_are slots 'ERROR:  permission denied for table pg_subscription'
check "4.1: the slots are listed" bash -c "grep -q 'dbconvert_slot' '$dir/slots.out' && grep -q 'article_wal2json' '$dir/slots.out'"
check "4.1: the publication is listed" grep -q 'dbconvert_pub' "$dir/slots.out"

# 4.2: with dbconvert_user streaming, the master user sees the walsender.
PGUSER=dbconvert_user PGPASSWORD=dbconvert-pw "$PG_BINDIR/pg_recvlogical" -d postgres -S dbconvert_slot --start \
	--no-loop -o proto_version=1 -o publication_names=dbconvert_pub -f /dev/null 2>"$dir/stream.err" &
streamer=$!
check "a walsender is running for dbconvert_user" \
	wait_until 30 bash -c "[ \"\$(psql -X -At -c \"SELECT count(*) FROM pg_stat_replication WHERE usename = 'dbconvert_user'\")\" = 1 ]"
run_seed monitor "$SEEDS/dbconvert-4.2-monitor.sql" -At
check "4.2: runs" errors_are monitor
check "4.2: pg_stat_replication and pg_stat_activity show it" \
	test "$(grep -c 'dbconvert_user.*pg_recvlogical' "$dir/monitor.out")" -eq 2
stop_bg "$streamer" TERM || true

# 6: the first statement has no FROM clause, so "active" is no column; the lag query runs.
run_seed best "$SEEDS/dbconvert-6-best-practices.sql"
check "6: the clean-up statement fails as written (no FROM); the lag query runs" \
	errors_are best 'ERROR:  column "active" does not exist'
check "6: the slot was not dropped" test "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'dbconvert_slot'")" = 1
check "6: the lag of each slot is listed" grep -Eq 'dbconvert_slot +\| [0-9]+ (bytes|kB|MB)' "$dir/best.out"

finish
