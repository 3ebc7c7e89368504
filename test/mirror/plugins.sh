#!/usr/bin/env bash
# test/mirror/plugins.sh: the output plugins a slot may use. In --strict mode the mirror allows
# Aurora's set (pgoutput, test_decoding, wal2json) through output_plugin_libraries: those work for
# a non-superuser member of rds_replication, and a pgcdc or decoderbufs slot fails with
# PostgreSQL's allow-list error, for the master user too. The default mode adds pgcdc. The master
# user cannot change the list.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"
. "$top/test/client/common.sh"
. "$top/test/mirror/common.sh"

# The allow-list is PostgreSQL's (15.19+, 16.15+, 17.11+, 18.6+); an older server cannot run this
# suite, and says so by failing here.
check "this PostgreSQL has output_plugin_libraries (15.19+, 16.15+, 17.11+, 18.6+)" has_output_plugin_libraries

start_mirror plugins --strict
logical_on
q() { psql_q -c "$1"; }
q "CREATE ROLE cdc LOGIN PASSWORD 'cdc-pw' IN ROLE rds_replication"
q "CREATE TABLE items (id int PRIMARY KEY, name text)"
q "CREATE PUBLICATION items_pub FOR TABLE items"
slot_as() { # slot_as ROLE PASSWORD SLOT PLUGIN
	as "$1" "$2" psql -X -At -v ON_ERROR_STOP=1 -c "SELECT slot_name FROM pg_create_logical_replication_slot('$3', '$4')"
}
NOT_ALLOWED() { echo "library \"$1\" may not be used as an output plugin"; }

check "strict mode: status says so" bash -c "'$MIRROR' status | grep -q 'strict mode'"
check "output_plugin_libraries is Aurora's set" test "$(q "SHOW output_plugin_libraries")" = "pgoutput, test_decoding, wal2json"
check "the master user cannot change it in a session" \
	fails_with set-opl 'permission denied to set parameter "output_plugin_libraries"' psql -X -c "SET output_plugin_libraries = 'pgcdc'"
check "... nor with ALTER SYSTEM" \
	fails_with alter-opl 'permission denied to set parameter "output_plugin_libraries"' psql -X -c "ALTER SYSTEM SET output_plugin_libraries = 'pgcdc'"

for plugin in pgoutput test_decoding wal2json; do
	check "strict: a member of rds_replication creates a $plugin slot" succeeds "ok-$plugin" slot_as cdc cdc-pw "s_$plugin" "$plugin"
done
q "INSERT INTO items VALUES (1, 'one')"
check "... and reads the wal2json slot" \
	test "$(as cdc cdc-pw psql -X -At -c "SELECT count(*) FROM pg_logical_slot_get_changes('s_wal2json', NULL, NULL) WHERE data LIKE '%\"one\"%'")" = 1
check "... and the pgoutput slot" \
	test "$(as cdc cdc-pw psql -X -At -c "SELECT count(*) > 0 FROM pg_logical_slot_get_binary_changes('s_pgoutput', NULL, NULL, 'proto_version', '1', 'publication_names', 'items_pub')")" = t
check "strict: a pgcdc slot is refused (the allow-list error)" fails_with no-pgcdc "$(NOT_ALLOWED pgcdc)" slot_as cdc cdc-pw s_pgcdc pgcdc
check "... for the master user too" fails_with no-pgcdc-master "$(NOT_ALLOWED pgcdc)" slot_as "$master" "" s_pgcdc pgcdc
check "... and over a replication connection (pgcdc slot create)" \
	fails_with no-pgcdc-client "$(NOT_ALLOWED pgcdc)" as cdc cdc-pw pgcdc slot create s_pgcdc
check "strict: a decoderbufs slot is refused" fails_with no-decoderbufs "$(NOT_ALLOWED decoderbufs)" slot_as cdc cdc-pw s_dbufs decoderbufs
check "nothing was created for the refused plugins" test "$(q "SELECT count(*) FROM pg_replication_slots WHERE slot_name IN ('s_pgcdc', 's_dbufs')")" = 0

# The default mode: the same mirror, started again without --strict, adds pgcdc.
"$MIRROR" stop >/dev/null
check "start --no-strict" succeeds restart "$MIRROR" start --no-strict
check "default mode: output_plugin_libraries adds pgcdc" test "$(q "SHOW output_plugin_libraries")" = "pgoutput, test_decoding, wal2json, pgcdc"
check "default mode: a pgcdc slot for a member of rds_replication" succeeds default-pgcdc as cdc cdc-pw pgcdc slot create s_pgcdc
check "... decoderbufs is still refused" fails_with default-no-decoderbufs "$(NOT_ALLOWED decoderbufs)" slot_as cdc cdc-pw s_dbufs decoderbufs
"$MIRROR" stop >/dev/null
check "start --strict again" succeeds restart-strict "$MIRROR" start --strict
check "strict again: the existing pgcdc slot cannot be read" \
	fails_with strict-read "$(NOT_ALLOWED pgcdc)" as cdc cdc-pw psql -X -c "SELECT * FROM pg_logical_slot_peek_changes('s_pgcdc', NULL, NULL)"

finish
