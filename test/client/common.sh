# test/client/common.sh: helpers for the client suites, sourced after test/lib.sh. The suites drive
# the installed pgcdc command, as a user would.

PGCDC=$(command -v pgcdc) || {
	echo "pgcdc is not on PATH: install it first (cmake --install build)" >&2
	exit 1
}

# start_suite NAME PORT: a directory and a cluster of the suite's own (PGCDC_LISTEN_TCP=1 to also
# listen on 127.0.0.1), removed at exit with every background job the suite left (writers stop when
# $dir/stop exists).
start_suite() {
	dir=$(server_tmpdir "$1")
	trap suite_cleanup EXIT
	start_cluster "$dir" "$2"
}
suite_cleanup() {
	touch "$dir/stop"
	jobs -p | xargs -r kill -9 2>/dev/null || true
	stop_cluster "$dir"
	[ -n "${PGCDC_KEEP_TMP:-}" ] || rm -rf "$dir"
}
psql_q() { psql -X -q -At -v ON_ERROR_STOP=1 "$@"; }
wal_lsn() { psql_q -c "SELECT pg_current_wal_lsn()"; }
lsn_ge() { [ "$(psql_q -c "SELECT '$1'::pg_lsn >= '$2'::pg_lsn")" = t ]; }
confirmed_lsn() { psql_q -c "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '$1'"; }
lines() { wc -l <"$1" | tr -d ' '; }
# slot_reached SLOT LSN: the slot's confirmed_flush_lsn is at or past LSN (re-read at each call,
# so it can be polled with wait_until).
slot_reached() { lsn_ge "$(confirmed_lsn "$1")" "$2"; }
slot_active() { [ "$(psql_q -c "SELECT active FROM pg_replication_slots WHERE slot_name = '$1'")" = t ]; }

# wait_until SECONDS COMMAND...: polls the command every 0.1 s; false if it never succeeds. The
# command's arguments are expanded once: poll a function that reads what it compares.
wait_until() {
	local deadline=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ $SECONDS -ge $deadline ] && return 1
		sleep 0.1
	done
}

# twin_records SLOT END [NAME VALUE]...: the records the plugin writes for SLOT's changes up to END
# through the SQL interface, one per line, without consuming them: what the client must write.
twin_records() {
	local slot=$1 end=$2 opts=""
	shift 2
	while [ $# -ge 2 ]; do
		opts="$opts, '$1', '$2'"
		shift 2
	done
	psql_q -c "SELECT data FROM pg_logical_slot_peek_changes('$slot', '$end', NULL$opts)"
}

# pgcdc_bg NAME ARGS...: starts pgcdc in the background, stderr to $dir/NAME.err; sets bg_pid.
pgcdc_bg() {
	local name=$1
	shift
	"$PGCDC" "$@" 2>"$dir/$name.err" &
	bg_pid=$!
}

# stops a background process and returns its exit status
stop_bg() {
	local pid=$1 sig=${2:-TERM} rc=0
	kill -"$sig" "$pid" 2>/dev/null || true
	wait "$pid" || rc=$?
	return $rc
}

# run_command PROGRAM SECONDS NAME EXPECTED_CODE ARGS...: runs PROGRAM ARGS (at most SECONDS),
# keeps stdout/stderr in $dir/NAME.{out,err}, and checks its exit code. err_has/out_has NAME TEXT:
# the output holds TEXT (else it is shown).
run_command() {
	local program=$1 seconds=$2 name=$3 want=$4 rc=0
	shift 4
	timeout "$seconds" "$program" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || rc=$?
	check "$name: exit code $want (got $rc)" test "$rc" -eq "$want"
}
err_has() { grep -qF -- "$2" "$dir/$1.err" || { echo "  $1.err:"; sed 's/^/    /' "$dir/$1.err"; return 1; }; }
out_has() { grep -qF -- "$2" "$dir/$1.out" || { echo "  $1.out:"; sed 's/^/    /' "$dir/$1.out"; return 1; }; }

finish() {
	if [ "$failures" -ne 0 ]; then
		echo "$failures check(s) failed; files are in $dir" >&2
		PGCDC_KEEP_TMP=1
		exit 1
	fi
	echo "all checks passed"
}
