#!/usr/bin/env bash
# test/regress/run.sh: the pg_regress suites (sql/*.sql against expected/*.out). Each suite is a
# schedule run on its own temporary instance, which pg_regress starts itself with the settings
# of test/lib.sh's logical_conf plus the suite's own:
#
#   plugin         schedule                the output plugin; logical_conf as it is
#   extension      schedule_extension      the extension's functions; extension.conf (a small
#                                          max_slot_wal_keep_size, so slots can be lost)
#   misconfigured  schedule_misconfigured  preflight on a badly configured server;
#                                          misconfigured.conf, and pgcdc not allowed as a plugin
#
# The plugin must be installed first (make install). Runs the server side as the postgres user
# when called as root, so the inputs are copied to a directory that user owns. Runs every suite
# (PGCDC_SUITES="name ..." picks some; arguments go to each pg_regress), fails if any fails.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

work=$(server_tmpdir regress)
keep=${PGCDC_KEEP_TMP:-}

# Tests hold slots open with a background pg_recvlogical and write its pid to a *.pid file in
# their suite's directory; they stop it themselves, and it exits with its instance, but a test
# that dies half way must not leave one behind.
stop_leftovers() {
	local pidfile pid
	for pidfile in "$work"/*/*.pid; do
		[ -f "$pidfile" ] || continue
		pid=$(cat "$pidfile")
		case $(ps -o comm= -p "$pid" 2>/dev/null) in
		timeout | pg_recvlogical) kill "$pid" 2>/dev/null || true ;;
		esac
	done
}
cleanup() {
	stop_leftovers
	[ -n "$keep" ] || rm -rf "$work"
}
trap cleanup EXIT

cp -r "$top/sql" "$top/expected" "$here"/schedule* "$here"/*.conf "$work/"
if [ "$(id -u)" -eq 0 ]; then chown -R "$PGCDC_SERVER_USER" "$work"; fi

# run_suite NAME SCHEDULE PLUGINS [EXTRA_CONF]: PLUGINS is what output_plugin_libraries allows.
failed=() ran=0
run_suite() {
	local name=$1 schedule=$2 plugins=$3 extra=${4:-} dir=$work/$1
	case " ${PGCDC_SUITES:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	ran=$((ran + 1))
	as_server_user mkdir -p "$dir"
	logical_conf "$plugins" | as_server_user tee "$dir/logical.conf" >/dev/null
	local configs=(--temp-config="$dir/logical.conf")
	if [ -n "$extra" ]; then configs+=(--temp-config="$work/$extra"); fi
	echo "== suite $name"
	# pg_recvlogical, for the tests that hold a slot open, must be the server's version.
	( cd "$dir" && PATH="$PG_BINDIR:$PATH" as_server_user "$PG_REGRESS" \
		--temp-instance="$dir/tmp_check" "${configs[@]}" \
		--bindir="$PG_BINDIR" --inputdir="$work" --outputdir="$dir" \
		--encoding=UTF8 --no-locale --schedule="$work/$schedule" "${@:5}" ) || {
		[ -f "$dir/regression.diffs" ] && cat "$dir/regression.diffs"
		tail -n 50 "$dir/log/postmaster.log" 2>/dev/null || true
		failed+=("$name")
	}
}

run_suite plugin schedule "pgoutput, test_decoding, pgcdc" "" "$@"
run_suite extension schedule_extension "pgoutput, test_decoding, pgcdc" extension.conf "$@"
run_suite misconfigured schedule_misconfigured "pgoutput, test_decoding" misconfigured.conf "$@"

stop_leftovers
if [ $ran -eq 0 ]; then
	echo "no suite named in PGCDC_SUITES=\"$PGCDC_SUITES\" (plugin, extension, misconfigured)" >&2
	exit 1
fi
if [ ${#failed[@]} -ne 0 ]; then
	echo "pg_regress failed in suite(s): ${failed[*]}; results are in $work" >&2
	keep=1
	exit 1
fi
