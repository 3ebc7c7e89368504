#!/usr/bin/env bash
# test/regress/run.sh: the pg_regress suite (sql/*.sql against expected/*.out) on a temporary
# instance that pg_regress starts itself, with the settings of test/lib.sh's logical_conf.
# The plugin must be installed first (make install). Runs the server side as the postgres user
# when called as root, so the inputs are copied to a directory that user owns.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/test/lib.sh"

work=$(server_tmpdir regress)
keep=${PGCDC_KEEP_TMP:-}
cleanup() { [ -n "$keep" ] || rm -rf "$work"; }
trap cleanup EXIT

cp -r "$top/sql" "$top/expected" "$here/schedule" "$work/"
logical_conf "pgoutput, test_decoding, pgcdc" >"$work/logical.conf"
if [ "$(id -u)" -eq 0 ]; then chown -R "$PGCDC_SERVER_USER" "$work"; fi

status=0
( cd "$work" && as_server_user "$PG_REGRESS" \
	--temp-instance="$work/tmp_check" --temp-config="$work/logical.conf" \
	--bindir="$PG_BINDIR" --inputdir="$work" --outputdir="$work" \
	--encoding=UTF8 --no-locale --schedule="$work/schedule" "$@" ) || status=$?

if [ $status -ne 0 ]; then
	[ -f "$work/regression.diffs" ] && cat "$work/regression.diffs"
	tail -n 50 "$work/log/postmaster.log" 2>/dev/null || true
	echo "pg_regress failed; results are in $work" >&2
	keep=1
fi
exit $status
