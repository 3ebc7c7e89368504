#!/usr/bin/env bash
# test/relcache/run.sh: the relation cache, observed through the counters pgcdc logs at DEBUG1
# when a decoding session ends ("pgcdc relation cache: N built, N removed, N entries, N bytes"):
# an invalidation rebuilds only the entries that depend on what changed; the entries of dropped
# tables are removed; an entry costs far less than a kilobyte per column, and a table that is
# filtered out a few bytes. Counts and bytes, never times.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

dir=$(server_tmpdir relcache)
cleanup() {
	stop_cluster "$dir"
	[ -n "${PGCDC_KEEP_TMP:-}" ] || rm -rf "$dir"
}
trap cleanup EXIT
start_cluster "$dir" "$(free_port 57632)"

psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
lsn() { psql_q -c "SELECT pg_current_wal_lsn()"; }

# stats SLOT UPTO [OPTION VALUE]...: peeks the slot up to UPTO (NULL: everything) in one decoding
# session and prints its counters: "built removed entries bytes records".
stats() {
	local slot=$1 upto=$2 opts="" out n
	shift 2
	while [ $# -gt 0 ]; do opts+=", '$1', '$2'"; shift 2; done
	out=$(psql -X -At -v ON_ERROR_STOP=1 -c "SET client_min_messages = debug1" \
		-c "SELECT count(*) FROM pg_logical_slot_peek_changes('$slot', $upto, NULL$opts)" 2>&1) ||
		{ echo "$out" >&2; return 1; }
	n=$(grep -E '^[0-9]+$' <<<"$out" | tail -n 1)
	sed -nE 's/.*pgcdc relation cache: ([0-9]+) built, ([0-9]+) removed, ([0-9]+) entries, ([0-9]+) bytes.*/\1 \2 \3 \4/p' \
		<<<"$out" | tr '\n' ' '
	echo "$n"
}
say() { echo "# $*"; }

# 1. Temporary tables created per transaction: each CREATE TEMP TABLE sends type and namespace
#    invalidations, which must not discard the entry of the table the transaction writes to.
psql_q <<'SQL'
CREATE TABLE keep (id int PRIMARY KEY, v text);
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE SCHEMA moods;
CREATE TYPE moods.level AS ENUM ('low', 'high');
CREATE TABLE feel (id int PRIMARY KEY, m mood, l moods.level, ms mood[]);
SQL
psql_q -c "SELECT 'init' FROM pg_create_logical_replication_slot('temps', 'pgcdc')" >/dev/null
for i in $(seq 1 50); do
	echo "BEGIN; CREATE TEMP TABLE scratch (a int, b text) ON COMMIT DROP; INSERT INTO scratch VALUES ($i, 'x'); INSERT INTO keep VALUES ($i, 'v'); COMMIT;"
	echo "CREATE TABLE other_$i (a int); DROP TABLE other_$i;"
done | psql_q
read -r built removed entries bytes records <<<"$(stats temps NULL include-transaction 0)"
say "temp tables: $built built, $removed removed, $entries entries, $bytes bytes, $records records"
check "50 inserts into keep, around 50 temporary tables, decoded" test "$records" -eq 50
check "keep's entry is built once, not once per temporary table" test "$built" -eq 1

psql_q -c "SELECT pg_drop_replication_slot('temps')" >/dev/null

# 2. What an entry depends on still invalidates it: a type renamed, a type's schema renamed
#    (include-types writes their names); an unrelated table does not.
psql_q -c "SELECT 'init' FROM pg_create_logical_replication_slot('renames', 'pgcdc')" >/dev/null
psql_q <<'SQL'
INSERT INTO feel VALUES (1, 'ok', 'low', '{ok}');
ALTER TYPE mood RENAME TO feeling;
INSERT INTO feel VALUES (2, 'ok', 'low', '{ok}');
ALTER SCHEMA moods RENAME TO levels;
INSERT INTO feel VALUES (3, 'ok', 'low', '{ok}');
CREATE TABLE unrelated (a int);
INSERT INTO feel VALUES (4, 'ok', 'low', '{ok}');
SQL
psql_q -c "SELECT data::jsonb->'types' FROM pg_logical_slot_peek_changes('renames', NULL, NULL,
	'include-types', '1', 'include-tables', 'public.feel', 'include-transaction', '0')" >"$dir/types.out"
check "types after a type rename and a schema rename" diff -u - "$dir/types.out" <<'EOF'
{"l": "moods.level", "m": "public.mood", "id": "integer", "ms": "public.mood[]"}
{"l": "moods.level", "m": "public.feeling", "id": "integer", "ms": "public.feeling[]"}
{"l": "levels.level", "m": "public.feeling", "id": "integer", "ms": "public.feeling[]"}
{"l": "levels.level", "m": "public.feeling", "id": "integer", "ms": "public.feeling[]"}
EOF
read -r built removed entries bytes records <<<"$(stats renames NULL include-types 1)"
say "feel: $built built, $removed removed, $entries entries, $bytes bytes, $records records"
check "feel's entry is rebuilt for the rename of its type and of that type's schema only (3 builds)" \
	test "$built" -eq 3
psql_q -c "SELECT pg_drop_replication_slot('renames')" >/dev/null

# 3. Create/insert/drop cycles: the entries of dropped tables are removed, and the cache does not
#    grow with the number of cycles.
psql_q <<'SQL'
CREATE PROCEDURE cycles(n int) LANGUAGE plpgsql AS $$
BEGIN
	FOR i IN 1..n LOOP
		EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY, name text, amount numeric, at timestamptz)', 'cycle' || i);
		EXECUTE format('INSERT INTO %I VALUES (1, ''a name'', 1.5, now())', 'cycle' || i);
		EXECUTE format('DROP TABLE %I', 'cycle' || i);
		COMMIT;
	END LOOP;
END $$;
SQL
psql_q -c "SELECT 'init' FROM pg_create_logical_replication_slot('cycles', 'pgcdc')" >/dev/null
psql_q -c "CALL cycles(20)"
mid=$(lsn)
psql_q -c "CALL cycles(300)"
read -r built20 removed20 entries20 bytes20 _ <<<"$(stats cycles "'$mid'")"
read -r built320 removed320 entries320 bytes320 _ <<<"$(stats cycles NULL)"
say "20 cycles: $built20 built, $removed20 removed, $entries20 entries, $bytes20 bytes"
say "320 cycles: $built320 built, $removed320 removed, $entries320 entries, $bytes320 bytes"
check "every dropped table's entry is removed (at most 1 left)" test "$entries320" -le 1 -a "$removed320" -ge 319
check "the cache's memory after 320 cycles is what it was after 20" test "$bytes320" -le "$bytes20"
psql_q -c "SELECT pg_drop_replication_slot('cycles')" >/dev/null

# 4. Memory per table: 300 tables of 4 columns and 30 of 100 columns, an insert into each; then
#    the same 300 narrow tables filtered out. Bytes per table are the difference between
#    decoding all of them and decoding the first one only.
cols100=$(seq 1 99 | awk '{ printf ", c%d %s", $1, ($1 % 3 == 0) ? "text" : (($1 % 3 == 1) ? "int" : "timestamptz") }')
psql_q <<SQL
CREATE PROCEDURE make(n int, prefix text, cols text) LANGUAGE plpgsql AS \$\$
BEGIN
	FOR i IN 0..n LOOP
		EXECUTE format('CREATE TABLE %I (id int PRIMARY KEY%s)', prefix || i, cols);
	END LOOP;
END \$\$;
CREATE PROCEDURE fill(lo int, hi int, prefix text) LANGUAGE plpgsql AS \$\$
BEGIN
	FOR i IN lo..hi LOOP
		EXECUTE format('INSERT INTO %I (id) VALUES (%s)', prefix || i, i);
	END LOOP;
END \$\$;
CALL make(300, 'narrow', ', name text, amount numeric, at timestamptz');
CALL make(30, 'wide', '$cols100');
SQL
psql_q -c "SELECT 'init' FROM pg_create_logical_replication_slot('sizes', 'pgcdc')" >/dev/null
psql_q -c "CALL fill(0, 0, 'narrow')" -c "CALL fill(0, 0, 'wide')"
one=$(lsn)
psql_q -c "CALL fill(1, 300, 'narrow')" -c "CALL fill(1, 30, 'wide')"
read -r _ _ _ base _ <<<"$(stats sizes "'$one'")"
read -r _ _ _ narrow _ <<<"$(stats sizes NULL include-tables 'public.narrow*')"
read -r _ _ _ wide _ <<<"$(stats sizes NULL include-tables 'public.wide*')"
read -r _ _ _ fbase _ <<<"$(stats sizes "'$one'" exclude-tables 'public.*')"
read -r _ _ _ filtered _ <<<"$(stats sizes NULL exclude-tables 'public.*')"
per_narrow=$(( (narrow - base) / 300 ))
per_column=$(( (wide - base) / 3000 ))
per_filtered=$(( (filtered - fbase) / 330 ))
say "bytes: $per_narrow per 4-column table, $per_column per column of a 100-column table, $per_filtered per filtered-out table"
check "a 4-column table's entry costs under 1 kB (about 1.3 kB per column before)" test "$per_narrow" -lt 1024
check "a column of a 100-column table costs under 128 bytes" test "$per_column" -lt 128
check "a filtered-out table costs under 100 bytes" test "$per_filtered" -lt 100
psql_q -c "SELECT pg_drop_replication_slot('sizes')" >/dev/null

echo "relcache: $failures failure(s)"
[ "$failures" -eq 0 ]
