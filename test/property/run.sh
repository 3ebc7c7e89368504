#!/usr/bin/env bash
# test/property/run.sh: the property test. For each seed, a random workload over tables of many
# types and every kind of replica identity (savepoints rolled back or released, transactions
# rolled back, two-phase commits, truncates, key changes, cascades, rows moving between
# partitions, TOASTed values left unchanged) is decoded by pgcdc through the SQL interface; the
# records are replayed in order into an image of each table (jsonb_populate_record), and each
# image must equal its table row for row (as multisets, compared by the rows' text). The records'
# shape, key order and framing are checked against the catalogs and against PostgreSQL's own
# count of the changes of each committed transaction.
#
# Usage: bash test/property/run.sh. The plugin must be installed (make install). Settings:
#   PGCDC_PROPERTY_SEEDS="1 2 3 4 5"   the seeds (non-negative integers)
#   PGCDC_PROPERTY_TRANSACTIONS=400    transactions per seed
#   PGCDC_KEEP_TMP=1                   keep the cluster directory (kept anyway when a seed fails)
# Exits 0 only when every seed passes. A failing seed prints its problems (with the record
# positions and differing rows) and leaves its records in the cluster directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

seeds=${PGCDC_PROPERTY_SEEDS:-"1 2 3 4 5"}
ntx=${PGCDC_PROPERTY_TRANSACTIONS:-400}
for seed in $seeds; do
	[[ $seed =~ ^[0-9]+$ ]] || { echo "PGCDC_PROPERTY_SEEDS: \"$seed\" is not a non-negative integer" >&2; exit 2; }
done
[[ $ntx =~ ^[0-9]+$ ]] || { echo "PGCDC_PROPERTY_TRANSACTIONS: \"$ntx\" is not a number" >&2; exit 2; }

dir=$(server_tmpdir property)
keep=${PGCDC_KEEP_TMP:-}
cleanup() {
	stop_cluster "$dir"
	if [ -z "$keep" ]; then rm -rf "$dir"; else echo "cluster directory kept: $dir"; fi
}
trap cleanup EXIT

start_cluster "$dir" "$(free_port 56432)"
run_psql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

run_psql -d postgres -c 'CREATE DATABASE prop_template'
run_psql -d prop_template -f "$here/schema.sql" >/dev/null

status=0
for seed in $seeds; do
	db=prop_seed_$seed
	out=$dir/seed-$seed.out
	run_psql -d postgres -c "CREATE DATABASE $db TEMPLATE prop_template"
	started=$SECONDS
	if run_psql -d "$db" -v seed="$seed" -v ntx="$ntx" -f "$here/seed.sql" >"$out" 2>&1 &&
		[ "$(tail -n 1 "$out")" = "result: pass" ]; then
		sed '$d' "$out"
		echo "  seed $seed passed in $((SECONDS - started)) s"
		run_psql -d postgres -c "DROP DATABASE $db"
	else
		cat "$out"
		records=$dir/records-seed-$seed.txt
		run_psql -d "$db" -At -c 'SELECT pos, data FROM prop.records ORDER BY pos' >"$records" 2>/dev/null || true
		echo "seed $seed FAILED after $((SECONDS - started)) s; records in $records;" \
			"rerun with PGCDC_PROPERTY_SEEDS=$seed PGCDC_PROPERTY_TRANSACTIONS=$ntx" >&2
		keep=1
		status=1
	fi
done
if [ $status -eq 0 ]; then
	echo "property test passed: seeds $seeds, $ntx transactions each"
fi
exit $status
