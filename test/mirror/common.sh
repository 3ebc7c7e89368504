# test/mirror/common.sh: helpers for the Aurora mirror's suites, sourced after test/lib.sh and
# test/client/common.sh. The suites drive the installed pgcdc-mirror and pgcdc commands, as a user
# would; each starts its own mirror in a temporary folder on a free port (never the default
# folder or port 5433, which someone may be using).

MIRROR=$(command -v pgcdc-mirror) || {
	echo "pgcdc-mirror is not on PATH: install it first (cmake --install build)" >&2
	exit 1
}
SEEDS=$top/test/mirror/seeds

# start_mirror NAME [START OPTIONS...]: a temporary directory ($dir) holding a new mirror
# ($dir/mirror, exported as PGCDC_MIRROR_DIR), started, and the master user's connection exported
# (pgcdc-mirror env); removed at exit with every background job the suite left.
start_mirror() {
	local name=$1
	shift
	dir=$(mktemp -d "${TMPDIR:-/tmp}/pgcdc-mirror-$name.XXXXXX")
	chmod 755 "$dir"
	trap mirror_cleanup EXIT
	export PGCDC_MIRROR_DIR=$dir/mirror
	port=$(free_port 57432)
	"$MIRROR" start --port "$port" "$@" >"$dir/start.out" 2>&1 || { cat "$dir/start.out"; return 1; }
	eval "$("$MIRROR" env)"
	master=$PGUSER
}
mirror_cleanup() {
	touch "$dir/stop"
	jobs -p | xargs -r kill -9 2>/dev/null || true
	if [ -n "${PGCDC_KEEP_TMP:-}" ]; then
		"$MIRROR" stop >/dev/null 2>&1 || true
	else
		"$MIRROR" destroy >/dev/null 2>&1 || true
		rm -rf "$dir"
	fi
}

# logical_on: the parameter group's rds.logical_replication=1, and a reboot (as the guides say).
logical_on() {
	"$MIRROR" set rds.logical_replication=1 >/dev/null && "$MIRROR" reboot >/dev/null
}

# as ROLE PASSWORD COMMAND...: runs a command as another role (over the same TLS connection).
as() {
	local role=$1 password=$2
	shift 2
	PGUSER=$role PGPASSWORD=$password "$@"
}

# fails_with NAME MESSAGE COMMAND...: the command fails and its standard error holds MESSAGE
# (kept in $dir/NAME.err).
fails_with() {
	local name=$1 message=$2
	shift 2
	if "$@" >"$dir/$name.out" 2>"$dir/$name.err"; then
		echo "  $name: succeeded, but should have failed with: $message"
		return 1
	fi
	grep -qF -- "$message" "$dir/$name.err" || {
		echo "  $name: expected \"$message\"; got:"
		sed 's/^/    /' "$dir/$name.err"
		return 1
	}
}

# succeeds NAME COMMAND...: the command succeeds (its output in $dir/NAME.out and .err).
succeeds() {
	local name=$1
	shift
	"$@" >"$dir/$name.out" 2>"$dir/$name.err" || {
		echo "  $name: failed:"
		sed 's/^/    /' "$dir/$name.err"
		return 1
	}
}

# run_seed NAME FILE [PSQL ARGS...]: runs a seed file with psql as a user pastes it into a console
# (each statement runs; an error does not stop the rest), echoing every statement; the output is
# in $dir/NAME.out and the server's messages (errors, warnings), one per line without psql's
# file:line prefix nor the error's position, in $dir/NAME.errors.
run_seed() {
	local name=$1 file=$2
	shift 2
	psql -X -a -v ON_ERROR_STOP=0 -v VERBOSITY=terse -f "$file" "$@" >"$dir/$name.out" 2>"$dir/$name.err" || true
	sed -n -e '/^psql:[^:]*:[0-9]*: /{s///;s/ at character [0-9]*$//;p}' "$dir/$name.err" >"$dir/$name.errors"
	grep -v '^psql:[^:]*:[0-9]*: ' "$dir/$name.err" >"$dir/$name.other" || true
}

# errors_are NAME [ERROR...]: the seed's errors were exactly these, in order (nothing else on
# standard error).
errors_are() {
	local name=$1
	shift
	if [ $# -gt 0 ]; then
		printf '%s\n' "$@" >"$dir/$name.expected"
	else
		: >"$dir/$name.expected"
	fi
	if cmp -s "$dir/$name.expected" "$dir/$name.errors" && [ ! -s "$dir/$name.other" ]; then
		return 0
	fi
	echo "  $name: expected errors:"
	sed 's/^/    /' "$dir/$name.expected"
	echo "  got:"
	sed 's/^/    /' "$dir/$name.errors" "$dir/$name.other"
	return 1
}

# rdsadmin_sql SQL [DATABASE]: a query as rdsadmin, through the socket, as the server user.
rdsadmin_sql() {
	as_server_user psql -X -At -v ON_ERROR_STOP=1 -h "$PGCDC_MIRROR_DIR/run" -p "$port" -U rdsadmin \
		-d "${2:-postgres}" -c "$1"
}

# member NAME PASSWORD [GROUP]: a login role that is a member of GROUP (default rds_replication).
member() {
	psql_q -c "CREATE ROLE $1 LOGIN PASSWORD '$2'" -c "GRANT ${3:-rds_replication} TO $1"
}
