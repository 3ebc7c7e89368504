#!/usr/bin/env bash
# test/queries/run.sh: the shared queries of sql/query/ (the client embeds them) run as they are
# on a server without the extension, and return what the extension's functions return.
#
# One cluster, two databases made from the same template: "plain" without the extension, "ext"
# with it; then a hot standby of it, where nothing can be created, not even a temporary
# function. Each query is expanded by sql/include.awk, prepared with untyped parameters and
# executed with text arguments (as the client sends them through PQexecParams); its rows, with
# their column names, must equal those of pgcdc.slot_health() / pgcdc.preflight(), in order.
# The plugin and the extension must be installed first (make install).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

dir=$(server_tmpdir queries)
cleanup() {
	as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/standby" -m immediate -w stop >/dev/null 2>&1 || true
	stop_cluster "$dir"
	[ -n "${PGCDC_KEEP_TMP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT

# Nothing may write WAL behind the test's back (sizes in slot_health move with the position).
cat >"$dir/extra.conf" <<'CONF'
autovacuum = off
max_slot_wal_keep_size = 1GB
CONF
start_cluster "$dir" "$(free_port 59432)" "" "$dir/extra.conf"
primary_port=$PGPORT

failures=0
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

psql_q -d postgres -o /dev/null <<'SQL'
CREATE DATABASE plain;
\c plain
CREATE TABLE keyed (id int PRIMARY KEY, v text);
CREATE TABLE keyless (a int);
CREATE TABLE nothing (id int PRIMARY KEY);
ALTER TABLE nothing REPLICA IDENTITY NOTHING;
CREATE TABLE parted (id int, k int) PARTITION BY RANGE (k);
CREATE TABLE parted_1 PARTITION OF parted FOR VALUES FROM (0) TO (10);
CREATE UNLOGGED TABLE scratch (id int);
CREATE VIEW a_view AS SELECT 1 AS one;
CREATE TABLE "Odd ""Name""" (a int);
CREATE PUBLICATION pub FOR TABLE keyed, keyless;
CREATE ROLE cdc_reader IN ROLE pg_monitor;
GRANT SELECT ON keyed TO cdc_reader;
CREATE DATABASE ext TEMPLATE plain;
\c ext
CREATE EXTENSION pgcdc;
-- Slots of every kind, one behind (lag and retained WAL to report).
SELECT 'init' FROM pg_create_logical_replication_slot('by_pgcdc', 'pgcdc');
SELECT 'init' FROM pg_create_logical_replication_slot('by_test_decoding', 'test_decoding');
SELECT 'init' FROM pg_create_physical_replication_slot('physical', true);
INSERT INTO keyed SELECT g, 'row ' || g FROM generate_series(1, 1000) AS g;
CHECKPOINT;
SQL

# The settings a case may add: a list without test_decoding (so that slot is refused), and the
# trap of a single quoted string, which makes one name. Servers without output_plugin_libraries
# skip those.
if has_output_plugin_libraries; then
	no_td="SET output_plugin_libraries = pgoutput, pgcdc;"
	one_name="SET output_plugin_libraries = 'pgoutput, pgcdc';"
else
	no_td="" one_name=""
fi

# prepare NAME FILE: PREPARE NAME AS the expanded query (untyped: its casts type the parameters).
prepare() {
	printf 'PREPARE %s AS\n' "$1"
	awk -f "$top/sql/include.awk" "$top/sql/query/$2"
	printf ';\n'
}
position() { psql_q -d postgres -At -c "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END"; }
output() { psql_q -d "$1" -A -P null='<null>'; }

# compare DESCRIPTION FILE FUNCTION_CALL EXECUTE_ARGUMENTS [SETTINGS]: the function in "ext",
# the query in "ext" and in "plain", same rows. Should WAL be written between the three after
# all, the sizes differ: measured again, up to 3 times.
compare() {
	local name=$1 file=$2 call=$3 args=$4 settings=${5:-} before
	for _ in 1 2 3; do
		before=$(position)
		printf '%s\nSELECT * FROM %s;\n' "$settings" "$call" | output ext >"$dir/function.out"
		{ echo "$settings"; prepare q "$file"; echo "EXECUTE q$args;"; } | output ext >"$dir/ext.out"
		{ echo "$settings"; prepare q "$file"; echo "EXECUTE q$args;"; } | output plain >"$dir/plain.out"
		if cmp -s "$dir/function.out" "$dir/ext.out" && cmp -s "$dir/function.out" "$dir/plain.out"; then
			echo "ok - $name ($(($(wc -l <"$dir/function.out") - 2)) rows)"
			return
		fi
		[ "$(position)" != "$before" ] || break
	done
	echo "not ok - $name"
	diff -u "$dir/function.out" "$dir/ext.out" || true
	diff -u "$dir/function.out" "$dir/plain.out" || true
	failures=$((failures + 1))
}

# An array of table names as a client sends it: one needs quotes ("Odd ""Name""" as an array
# element).
tables='{keyed,parted,scratch,a_view,"\"Odd \"\"Name\"\"\""}'
# What is never decoded (a catalog, a catalog's and a table's TOAST tables) or, for pgoutput,
# never published (information_schema's tables), listed with a table that is.
keyed_toast=$(psql_q -d plain -At -c "SELECT reltoastrelid::regclass FROM pg_class WHERE oid = 'keyed'::regclass")
never='{pg_class,pg_toast.pg_toast_1262,information_schema.sql_features,'"$keyed_toast"',keyed}'

run_cases() {
	local where=$1
	compare "$where: slot_health, defaults" slot_health.sql "pgcdc.slot_health()" \
		"('1073741824', '10737418240', '268435456', NULL, '200000000', '1000000000', '16777216', '{unreserved,lost}')"
	compare "$where: slot_health, every check raised, test_decoding not allowed" slot_health.sql \
		"pgcdc.slot_health(1, 2, 0, 1, 0, 1, 0, '{reserved}')" \
		"('1', '2', '0', '1', '0', '1', '0', '{reserved}')" "$no_td"
	compare "$where: slot_health, every check off" slot_health.sql \
		"pgcdc.slot_health(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)" \
		"(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"
	compare "$where: preflight, defaults" preflight.sql "pgcdc.preflight()" "('pgcdc', NULL, NULL)"
	compare "$where: preflight, tables and a publication" preflight.sql \
		"pgcdc.preflight('pgoutput', '$tables', 'pub')" "('pgoutput', '$tables', 'pub')"
	compare "$where: preflight, pgoutput without a publication" preflight.sql \
		"pgcdc.preflight('pgoutput')" "('pgoutput', NULL, NULL)"
	compare "$where: preflight, a publication that does not exist, one quoted name" preflight.sql \
		"pgcdc.preflight('pgcdc', NULL, 'nope')" "('pgcdc', NULL, 'nope')" "$one_name"
	compare "$where: preflight, a role without REPLICATION that cannot read every table" preflight.sql \
		"pgcdc.preflight()" "('pgcdc', NULL, NULL)" "SET ROLE cdc_reader;"
	compare "$where: preflight, catalogs, TOAST and information_schema tables listed" preflight.sql \
		"pgcdc.preflight('pgcdc', '$never')" "('pgcdc', '$never', NULL)"
	compare "$where: preflight, the same for pgoutput" preflight.sql \
		"pgcdc.preflight('pgoutput', '$never', 'pub')" "('pgoutput', '$never', 'pub')"
}

run_cases primary

# A hot standby of the same cluster (it has the extension and the tables, not the slots).
standby_port=$(free_port $((primary_port + 1)))
as_server_user "$PG_BINDIR/pg_basebackup" -h "$dir" -p "$primary_port" -U postgres -D "$dir/standby" -R -X stream
echo "port = $standby_port" | as_server_user tee -a "$dir/standby/postgresql.conf" >/dev/null
as_server_user "$PG_BINDIR/pg_ctl" -D "$dir/standby" -l "$dir/standby.log" -w -t 60 start >/dev/null ||
	{ cat "$dir/standby.log"; exit 1; }
export PGPORT=$standby_port
if [ "$(psql_q -d postgres -At -c 'SELECT pg_is_in_recovery()')" != t ]; then
	echo "not ok - the standby is in recovery"
	failures=$((failures + 1))
fi
psql_q -d postgres -At -c "SELECT 'init' FROM pg_create_physical_replication_slot('on_standby')" >/dev/null
run_cases standby

if [ $failures -ne 0 ]; then
	echo "$failures check(s) failed"
	exit 1
fi
