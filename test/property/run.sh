#!/usr/bin/env bash
# test/property/run.sh: the property test. For each seed, a random workload over tables of many
# types and every kind of replica identity (savepoints rolled back or released, transactions
# rolled back, two-phase commits, truncates, key changes, cascades, rows moving between
# partitions, TOASTed values left unchanged, json values that jsonb refuses) is decoded by pgcdc;
# the records are replayed in order into an image of each table (jsonb_populate_record), and each
# image must equal its table row for row (as multisets, compared by the rows' text). The records'
# shape, key order and framing are checked against the catalogs and against PostgreSQL's own
# count of the changes of each committed transaction.
#
# Each seed runs in one of several modes, taken in turn: decoded through the SQL functions or
# through a walsender (pg_recvlogical, with session settings of its own), in a UTF8 or a LATIN1
# database (where records are pure ASCII, text is converted, and message content is text when it
# is LATIN1).
#
# A self-test follows: one seed is run again with the records or the replay deliberately
# corrupted in several ways, and each corruption must make it fail, so that a harness that
# could no longer see a difference does not pass quietly.
#
# Usage: bash test/property/run.sh. The plugin must be installed (make install). Settings:
#   PGCDC_PROPERTY_SEEDS="1 2 3 4 5"   the seeds (non-negative integers)
#   PGCDC_PROPERTY_TRANSACTIONS=600    transactions per seed
#   PGCDC_PROPERTY_MODES="sql/UTF8 walsender/UTF8 sql/LATIN1 walsender/LATIN1"
#                                      interface/encoding for the seeds, in turn (the self-test
#                                      runs in the first)
#   PGCDC_PROPERTY_SELFTEST=0          skip the self-test
#   PGCDC_KEEP_TMP=1                   keep the cluster directory and the seeds' databases (kept
#                                      anyway when a seed fails)
# Exits 0 only when every seed passes (and every corruption is caught). A failing seed prints its
# problems (record positions, tables, differing rows) and leaves its records in the cluster
# directory.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

seeds=${PGCDC_PROPERTY_SEEDS:-"1 2 3 4 5"}
ntx=${PGCDC_PROPERTY_TRANSACTIONS:-600}
selftest=${PGCDC_PROPERTY_SELFTEST:-1}
read -r -a modes <<<"${PGCDC_PROPERTY_MODES:-sql/UTF8 walsender/UTF8 sql/LATIN1 walsender/LATIN1}"
for seed in $seeds; do
	[[ $seed =~ ^[0-9]+$ ]] || { echo "PGCDC_PROPERTY_SEEDS: \"$seed\" is not a non-negative integer" >&2; exit 2; }
done
for mode in "${modes[@]}"; do
	[[ $mode =~ ^(sql|walsender)/(UTF8|LATIN1)$ ]] || { echo "PGCDC_PROPERTY_MODES: \"$mode\" is not sql|walsender/UTF8|LATIN1" >&2; exit 2; }
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
# pg_recvlogical, for the walsender mode (seed.sql runs it), must be the server's version.
export PROP_PG_RECVLOGICAL=$PG_BINDIR/pg_recvlogical

# One template database per encoding used, with the schema loaded. psql reads schema.sql in the
# database's encoding (in LATIN1: its UTF-8 read as LATIN1, see schema.sql).
templates=""
template_for() {
	local enc=$1 t=prop_template_${1,,}
	case " $templates " in *" $t "*) ;; *)
		run_psql -d postgres -c "CREATE DATABASE $t ENCODING '$enc' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
		PGCLIENTENCODING=$enc run_psql -d "$t" -f "$here/schema.sql" >/dev/null
		templates+=" $t" ;;
	esac
	template=$t
}

# run_seed SEED NTX MUTATION MODE: runs one seed in its own copy of the template database of the
# mode's encoding; its output goes to $out, and its verdict ("pass", "FAIL" or "error") to
# $verdict.
run_seed() {
	local seed=$1 n=$2 mutation=$3 mode=$4 db=prop_seed_$1_${3//-/_}
	local via=${mode%/*} enc=${mode#*/}
	out=$dir/seed-$seed-$mutation.out
	template_for "$enc"
	run_psql -d postgres -c "CREATE DATABASE $db TEMPLATE $template"
	local walsender=false
	[ "$via" = walsender ] && walsender=true
	if PGCLIENTENCODING=$enc run_psql -d "$db" -v seed="$seed" -v ntx="$n" -v mutation="$mutation" \
		-v walsender="$walsender" -v records_file="$dir/records-$db.jsonl" -f "$here/seed.sql" >"$out" 2>&1; then
		case $(tail -n 1 "$out") in
		"result: pass") verdict=pass ;;
		"result: FAIL"*) verdict=FAIL ;;
		*) verdict=error ;;
		esac
	else
		verdict=error
	fi
	if [ $verdict = pass ] && [ -z "$keep" ]; then
		run_psql -d postgres -c "DROP DATABASE $db"
	fi
}

status=0
i=0
for seed in $seeds; do
	started=$SECONDS
	mode=${modes[$((i % ${#modes[@]}))]}
	i=$((i + 1))
	run_seed "$seed" "$ntx" none "$mode"
	if [ $verdict = pass ]; then
		sed '$d' "$out"
		echo "  seed $seed ($mode) passed in $((SECONDS - started)) s"
	else
		cat "$out"
		records=$dir/records-seed-$seed.txt
		run_psql -d "prop_seed_${seed}_none" -At -c 'SELECT pos, data FROM prop.records ORDER BY pos' >"$records" 2>/dev/null || true
		echo "seed $seed ($mode) FAILED after $((SECONDS - started)) s; records (position|record) in $records;" \
			"rerun with PGCDC_PROPERTY_SEEDS=$seed PGCDC_PROPERTY_TRANSACTIONS=$ntx PGCDC_PROPERTY_MODES=$mode" >&2
		keep=1
		status=1
	fi
done

if [ "$selftest" != 0 ]; then
	started=$SECONDS
	caught=()
	for mutation in replay-skips-deletes replay-ignores-unchanged drop-one-record negative-zero-as-zero \
		numeric-scale-lost time-zone-dropped keys-reordered replay-ignores-ddl; do
		run_seed 1 150 "$mutation" "${modes[0]}"
		if [ $verdict = FAIL ]; then
			caught+=("$mutation ($(tail -n 1 "$out" | sed -n 's/^result: FAIL (\(.*\))$/\1/p'))")
		else
			[ $verdict = pass ] && echo "self-test: the corruption \"$mutation\" went unnoticed" >&2
			[ $verdict = error ] && { cat "$out"; echo "self-test: \"$mutation\" did not run" >&2; }
			keep=1
			status=1
		fi
	done
	if [ ${#caught[@]} -gt 0 ]; then
		(IFS=';'; echo "self-test: corruptions caught:${caught[*]/#/ } in $((SECONDS - started)) s")
	fi
fi

if [ $status -eq 0 ]; then
	echo "property test passed: seeds $seeds, $ntx transactions each, modes ${modes[*]}"
fi
exit $status
